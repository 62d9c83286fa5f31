"""The access matrix of the WooCommerce platform: it adds its value to the shop's platform (see
b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_shop_woocommerce",
    "title": "WooCommerce shops (b2b_shop_woocommerce)",
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
class TestAccessMatrixWoocommerce(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        Backend = cls.env["b2b.shop.backend"]
        warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        backend_b = Backend.create({"name": "Matrix shop of B", "url": "http://127.0.0.1:9", "api_key": "mx-key",
                                    "company_id": cls.company_b.id, "warehouse_id": warehouse_b.id})
        backend = Backend.create({
            "name": "Matrix WooCommerce shop", "platform": "woocommerce", "url": "http://127.0.0.1:9", "api_key": "mx-key",
            "company_id": cls.company_a.id})
        return {"b2b.shop.backend": Fixture(
            backend, write={"name": "Matrix shop renamed"}, create={"name": "Matrix new shop", "url": "http://127.0.0.1:9"},
            b=backend_b, create_b={"name": "Matrix new shop of B", "url": "http://127.0.0.1:9",
                                   "company_id": cls.company_b.id, "warehouse_id": warehouse_b.id})}
