"""The access matrix of the EDI fields on partners, the company, purchase orders and receipts (see
b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_edi_connector",
    "title": "EDI wholesalers (b2b_edi_connector)",
    "roles": ("internal", "contacts", "purchase", "b2b_user", "b2b_manager", "b2b_manager_contacts", "portal"),
    "models": (
        # model             companies         internal contacts purchase b2b_user b2b_manager manager+contacts portal
        ("b2b.edi.profile", "company+shared", "----",  "----",  "----",  "r---",  "rwcu",     "rwcu",          "----"),
    ),
    "fields": (
        # model, what, fields,         internal contacts purchase b2b_user b2b_manager manager+contacts portal
        ("res.partner", "EDI connection", ("edi_enabled", "edi_url", "edi_override_url", "edi_relation_id",
                                           "edi_username", "edi_format", "edi_profile_id", "edi_test_mode",
                                           "edi_test_url"),
         "--", "--", "--", "--", "r-", "rw", "--"),
        ("res.partner", "GLN", ("b2b_gln",),
         "--", "--", "--", "--", "r-", "rw", "--"),
        ("res.partner", "HTTP settings", ("b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit",
                                          "b2b_rate_period"),
         "--", "--", "--", "--", "r-", "rw", "--"),
        ("res.partner", "EDI password (masked)", ("edi_password",),
         "--", "--", "--", "--", "m-", "mw", "--"),
        ("res.partner", "Its ciphertext (written by code only)", ("edi_password_enc",),
         "--", "--", "--", "--", "r-", "r-", "--"),
        ("res.partner", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "r-", "r-", "r-", "r-", "r-", "r-", "--"),
        ("res.partner", "Last poll (display)", ("edi_last_poll",),
         "r-", "rw", "r-", "r-", "r-", "rw", "--"),
        ("res.company", "Company GLN", ("b2b_gln",),
         "--", "--", "--", "--", "r-", "r-", "--"),
        ("purchase.order", "EDI state, last order response (display)", (
            "edi_state", "edi_response_number", "edi_response_issued"),
         "--", "--", "rw", "--", "--", "--", "--"),
        ("purchase.order", "Delivery address, project (an analytic account: no analytic accounting group needed)", (
            "edi_delivery_address_id", "edi_project_id"),
         "--", "--", "rw", "--", "--", "--", "--"),
        ("purchase.order", "Why the last sending failed (display)", ("edi_error",),
         "--", "--", "rw", "--", "--", "--", "--"),
        ("purchase.order", "Supplier takes orders via EDI (computed)", ("edi_supplier",),
         "--", "--", "r-", "--", "--", "--", "--"),
        ("purchase.order", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "--", "--", "r-", "--", "--", "--", "--"),
        ("purchase.order", "Supplier sends via EDI", ("edi_enabled",),
         "--", "--", "--", "--", "--", "--", "--"),
        ("purchase.order.line", "EDI line status, ordered quantity, substitute (display)", (
            "edi_status", "edi_ordered_qty", "edi_substitute_of_id"),
         "--", "--", "rw", "--", "--", "--", "--"),
        ("stock.picking", "Despatch advice, tracking (display)", ("edi_despatch_number", "edi_tracking_ref"),
         "--", "--", "rw", "--", "--", "--", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestEdiAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        env = cls.env
        cls.company_a.b2b_gln = "8714231774051"
        supplier = env["res.partner"].create({
            "name": "Matrix Groothandel", "is_company": True, "company_id": cls.company_a.id,
            "b2b_gln": "8713473000010", "edi_enabled": True, "edi_url": "http://127.0.0.1:9/MessageService/3.1",
            "edi_relation_id": "100234", "edi_username": "buyer", "edi_password": "mx-edi-password",
        })
        product = env["product.product"].create({"name": "Matrix frame", "is_storable": True})
        order = env["purchase.order"].create({"partner_id": supplier.id, "order_line": [
            (0, 0, {"product_id": product.id, "product_qty": 3, "price_unit": 4.95})]})
        receipts = env["stock.picking.type"].search(
            [("code", "=", "incoming"), ("company_id", "=", cls.company_a.id)], limit=1)
        picking = env["stock.picking"].create({"picking_type_id": receipts.id, "partner_id": supplier.id,
                                               "edi_despatch_number": "DES-1", "edi_tracking_ref": "TT-1"})
        Profile = env["b2b.edi.profile"]
        profile_a = Profile.create({"name": "Matrix profile A", "code": "matrix_a", "company_id": cls.company_a.id})
        profile_b = Profile.create({"name": "Matrix profile B", "code": "matrix_b", "company_id": cls.company_b.id})
        return {
            "b2b.edi.profile": Fixture(
                profile_a, write={"description": "changed"},
                create={"name": "Matrix new profile", "code": "matrix_new", "company_id": cls.company_a.id},
                b=profile_b, create_b={"name": "Matrix new profile B", "code": "matrix_new_b",
                                       "company_id": cls.company_b.id},
                shared=env.ref("b2b_edi_connector.edi_profile_standard")),
            "res.partner": Fixture(supplier, create={"name": "Matrix new contact"}),
            "res.company": Fixture(cls.company_a, create={"name": "Matrix new company"}),
            "purchase.order": Fixture(order, create={"partner_id": supplier.id}),
            "purchase.order.line": Fixture(order.order_line, create={
                "order_id": order.id, "product_id": product.id, "product_qty": 1, "price_unit": 1.0}),
            "stock.picking": Fixture(picking, create={"picking_type_id": receipts.id}),
        }
