from . import test_shop_sync
from . import test_platforms
from . import test_shop_access
from . import test_shop_integrity
