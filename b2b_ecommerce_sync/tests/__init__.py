from . import test_shop_backend
