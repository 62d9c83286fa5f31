# the bridge's flows are tested with a real platform and carrier in tests/odoo_addons/b2b_test_delivery_shop
from . import test_access_matrix
from . import test_translations
