from . import b2b_shop_backend
