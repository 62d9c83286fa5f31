"""The access matrix of the Chronopost delivery methods: their service settings (B2B Managers who also manage delivery
methods), and which carrier and environment a method of ours uses (see b2b_connector_base/tests/access_matrix.py and
b2b_delivery_carrier's matrix for the shared fields; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin
from odoo.addons.b2b_delivery_carrier.tests.test_access_matrix import carrier_fixtures

MATRIX = {
    "addon": "b2b_delivery_chronopost",
    "title": "Chronopost (delivery method, b2b_delivery_chronopost)",
    "roles": ("internal", "sales", "stock", "stock_manager", "b2b_user", "b2b_manager", "b2b_manager_stock",
              "portal"),
    "models": (
        # Odoo's rights on delivery methods, but a method of ours is created by B2B Managers (its connection)
        # model              companies         internal sales  stock   stock_mgr b2b_user b2b_mgr mgr+stock portal
        ("delivery.carrier", "company+shared", "----",  "r---", "r---", "rw-u",   "----",  "----", "rwcu",   "----"),
    ),
    "fields": (
        # model, what, fields,                     internal sales stock stock_mgr b2b_user b2b_mgr mgr+stock portal
        ("delivery.carrier", "Chronopost product", ("b2b_chronopost_service",),
         "--", "--", "--", "--", "--", "--", "rw", "--"),
        ("delivery.carrier", "Carrier and test/production (Odoo's fields; on ours B2B Managers')",
         ("delivery_type", "prod_environment"),
         "--", "r-", "r-", "r-", "--", "--", "rw", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestChronopostAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        # the deliveries are b2b_delivery_carrier's rows
        return {"delivery.carrier": carrier_fixtures(cls, "b2b_chronopost")["delivery.carrier"]}
