from . import test_shop_and_baselinker_invoice
from . import test_access_matrix
