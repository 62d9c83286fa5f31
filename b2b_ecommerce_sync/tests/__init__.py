from . import test_shop_backend
from . import test_access_matrix
from . import test_translations
