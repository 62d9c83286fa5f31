from . import test_prestashop_round_trip
from . import test_access_matrix
from . import test_translations
from . import test_prestashop_users_language
from . import test_prestashop_customer_language
