"""The access matrix of punch-out: sessions, the login throttle, the punch-out fields of customers and of their
buyer users (see b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_punchout",
    "title": "Punch-out (b2b_punchout)",
    "roles": ("internal", "contacts", "b2b_user", "b2b_manager", "b2b_manager_contacts", "portal"),
    "models": (
        # model                   companies  internal contacts b2b_user b2b_manager manager+contacts portal
        ("b2b.punchout.session",  "company", "----",  "----",  "r---",  "rwcu",     "rwcu",          "----"),
        ("b2b.punchout.throttle", "global",  "----",  "----",  "----",  "r--u",     "r--u",          "----"),
    ),
    "fields": (
        # model, what, fields,                         internal contacts b2b_user b2b_manager manager+contacts portal
        ("res.partner", "Punch-out configuration", (
            "punchout_enabled", "punchout_protocol", "punchout_identities", "punchout_return_urls",
            "punchout_pricelist_id", "punchout_price_tolerance", "punchout_price_mismatch", "punchout_user_id",
            "punchout_link", "punchout_link_version", "punchout_supplier_domain", "punchout_supplier_identity",
            "punchout_default_classification"),
         "--", "--", "--", "r-", "rw", "--"),
        ("res.partner", "What the protocol asks for (computed hints)", (
            "punchout_identities_help", "punchout_uses_login_link"),
         "--", "--", "--", "r-", "r-", "--"),
        ("res.partner", "Shared secret (masked)", ("punchout_secret",),
         "--", "--", "--", "m-", "mw", "--"),
        ("res.partner", "Its ciphertext (written by code only)", ("punchout_secret_enc",),
         "--", "--", "--", "r-", "r-", "--"),
        ("b2b.punchout.session", "Its exchanges and the cart sent (display)", (
            "exchange_ids", "exchange_count", "cart_sent"),
         "--", "--", "r-", "r-", "r-", "--"),
        ("b2b.punchout.session", "Start token (its hash; administrators only)", ("token_hash",),
         "--", "--", "--", "--", "--", "--"),
        ("res.users", "Customer a buyer user is dedicated to (administrators only)", ("b2b_punchout_partner_id",),
         "--", "--", "--", "--", "--", "--"),
        ("product.template", "UNSPSC code (product data)", ("b2b_unspsc_code",),
         "r-", "r-", "r-", "r-", "r-", "--"),
        ("product.category", "UNSPSC code (product data)", ("b2b_unspsc_code",),
         "r-", "r-", "r-", "r-", "r-", "r-"),
        ("sale.order", "Buyer's order reference (display)", ("punchout_customer_reference",),
         "--", "--", "--", "--", "--", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestPunchoutAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        env = cls.env
        a, b = cls.company_a, cls.company_b
        customer = {"is_company": True, "punchout_enabled": True, "punchout_protocol": "cxml",
                    "punchout_identities": "NetworkId:mx-buyer", "punchout_secret": "mx-shared-secret",
                    "punchout_return_urls": "https://procure.example/cxml/"}
        buyer = env["res.partner"].create(dict(customer, name="Matrix procurement", company_id=a.id,
                                               punchout_pricelist_id=env["product.pricelist"].create(
                                                   {"name": "Matrix punch-out prices"}).id))
        buyer_b = env["res.partner"].create(dict(customer, name="Matrix procurement of B", company_id=b.id,
                                                 punchout_identities="NetworkId:mx-buyer-b"))
        buyer.punchout_link = "https://odoo.example/punchout/oci/login?partner=1"
        user = buyer._punchout_user()  # the dedicated portal user the buyers are logged in as
        Session = env["b2b.punchout.session"]
        session = {"protocol": "cxml", "return_url": "https://procure.example/cxml/return",
                   "expires_at": fields.Datetime.now() + timedelta(hours=1)}
        session_a, _token = Session._punchout_open(buyer, "cxml", session["return_url"])
        session_b, _token = Session._punchout_open(buyer_b, "cxml", session["return_url"])
        Throttle = env["b2b.punchout.throttle"]
        Throttle._punchout_failed(Throttle._punchout_keys(buyer, "192.0.2.7"))
        category = env["product.category"].create({"name": "Matrix category", "b2b_unspsc_code": "31161500"})
        template = env["product.template"].create({"name": "Matrix screw", "categ_id": category.id,
                                                   "b2b_unspsc_code": "31161501"})
        order = env["sale.order"].create({"partner_id": buyer.id, "company_id": a.id,
                                          "punchout_customer_reference": "PO-4711"})
        return {
            "product.category": Fixture(category, create={"name": "Matrix new category"}),
            "product.template": Fixture(template, create={"name": "Matrix new product"}),
            "sale.order": Fixture(order, create={"partner_id": buyer.id}),
            "res.partner": Fixture(buyer, create={"name": "Matrix new contact"}),
            "res.users": Fixture(user, create={"name": "Matrix new user", "login": "mx-new-user"}),
            "b2b.punchout.session": Fixture(
                session_a, write={"buyer_cookie": "changed"},
                create=dict(session, partner_id=buyer.id, company_id=a.id),
                b=session_b, create_b=dict(session, partner_id=buyer_b.id, company_id=b.id)),
            "b2b.punchout.throttle": Fixture(Throttle.search([("key", "=", "ip:192.0.2.7")]),
                                             write={"failure_count": 9}, create={"key": "ip:198.51.100.1"}),
        }
