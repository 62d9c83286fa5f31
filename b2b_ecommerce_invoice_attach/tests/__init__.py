from . import test_shop_and_baselinker_invoice
