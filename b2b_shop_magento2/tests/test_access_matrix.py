"""The access matrix of the Magento 2 platform: it adds its value to the shop's platform (see
b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.platform_matrix import PlatformAccessMatrixMixin

MATRIX = {
    "addon": "b2b_shop_magento2",
    "title": "Magento 2 shops (b2b_shop_magento2)",
    "roles": ("internal", "b2b_user", "b2b_manager", "portal"),
    "models": (
        # model              companies  internal b2b_user b2b_manager portal
        ("b2b.shop.backend", "company", "----",  "r---",  "rwcu",     "----"),
    ),
    "fields": (
        # model, what, fields,                       internal b2b_user b2b_manager portal
        ("b2b.shop.backend", "Platform", ("platform",), "--", "--", "rw", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestAccessMatrixMagento2(PlatformAccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX
    PLATFORM = "magento2"
