"""The access matrix of the bridge: it adds no model and no field today; the coverage test makes any glue it
gets declare its row (see b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin

MATRIX = {
    "addon": "b2b_ecommerce_invoice_attach",
    "title": "Shop and BaseLinker invoices (b2b_ecommerce_invoice_attach)",
    "roles": ("internal", "b2b_user", "b2b_manager", "portal"),
    "models": (),
    "fields": (),
}


@tagged("post_install", "-at_install")
class TestBridgeAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        return {}
