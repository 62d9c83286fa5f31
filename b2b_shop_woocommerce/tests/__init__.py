from . import test_woocommerce_round_trip
from . import test_shop_sync
from . import test_shop_access
from . import test_shop_integrity
from . import test_secret_fields
from . import test_access_matrix
from . import test_shop_order_pages
from . import test_shop_deltas
