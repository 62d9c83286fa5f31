"""The access matrix of the carriers' bridge to the shops: the shop's switch of the tracking e-mail (see
b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_delivery_ecommerce",
    "title": "Carriers and shops (b2b_delivery_ecommerce)",
    "roles": ("internal", "sales", "stock", "b2b_user", "b2b_manager", "portal"),
    "models": (
        # the shops' own rights (b2b_ecommerce_sync), which the bridge extends
        # model              companies  internal sales   stock   b2b_user b2b_manager portal
        ("b2b.shop.backend", "company", "----",  "r---", "----", "r---",  "rwcu",     "----"),
    ),
    "fields": (
        # model, what, fields,                        internal sales stock b2b_user b2b_manager portal
        ("b2b.shop.backend", "Carrier tracking e-mail", ("b2b_tracking_email",),
         "--", "--", "--", "--", "rw", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestDeliveryShopAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        env = cls.env
        b = cls.company_b
        warehouse_b = env["stock.warehouse"].search([("company_id", "=", b.id)], limit=1) or env[
            "stock.warehouse"].create({"name": "Matrix B", "code": "MXB", "company_id": b.id})
        shop = {"name": "Matrix shop", "url": "http://127.0.0.1:9"}
        shop_a = env["b2b.shop.backend"].create(dict(shop, company_id=cls.company_a.id))
        shop_b = env["b2b.shop.backend"].create(dict(shop, company_id=b.id, warehouse_id=warehouse_b.id))
        new = dict(shop, name="Matrix new shop")
        return {"b2b.shop.backend": Fixture(shop_a, write={"name": "Matrix shop renamed"}, create=new, b=shop_b,
                                            create_b=dict(new, company_id=b.id, warehouse_id=warehouse_b.id))}
