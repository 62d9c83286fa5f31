from . import test_shop_tracking
