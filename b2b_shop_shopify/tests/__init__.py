from . import test_shopify_round_trip
from . import test_access_matrix
from . import test_shopify_options
from . import test_translations
from . import test_shopify_errors
