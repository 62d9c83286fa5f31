"""What the Odoo side takes from the customer's protocol: whether buyers log in from their browser (signed
links, start links bound to that browser), what the identities are, how a cart is handed over; and the
upgrade of sessions opened before return options were protocol-neutral."""

import importlib.util
import pathlib
from decimal import Decimal

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..protocol import oci, peppol
from ..protocol.base import Cart


@tagged("post_install", "-at_install")
class TestPunchoutProtocols(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "Protocol Buyer", "is_company": True, "punchout_enabled": True, "punchout_protocol": "cxml",
            "punchout_identities": "NetworkId:Buyer@Procure.example, other@procure.example",
            "punchout_secret": "s3cr3t", "punchout_return_urls": "https://procure.example/"})

    def test_protocol_information_on_the_customer(self):
        self.assertFalse(self.customer.punchout_uses_login_link)
        self.assertIn("Sender", self.customer.punchout_identities_help)
        with self.assertRaises(UserError):
            self.customer.action_punchout_generate_link()
        self.assertFalse(self.customer.punchout_link)
        for protocol in (oci.OciProtocol, peppol.PeppolProtocol):
            with self.subTest(protocol=protocol.code):
                self.customer.punchout_protocol = protocol.code
                self.assertTrue(self.customer.punchout_uses_login_link)
                self.assertEqual(self.customer.punchout_identities_help, protocol.identities_help)
                self.customer.action_punchout_generate_link()
                self.assertIn(f"{protocol.login_route}?partner={self.customer.id}&", self.customer.punchout_link)
        self.assertEqual(self.customer._punchout_buyer_identity(), "Buyer@Procure.example",
                         "the first identity, as configured, without its domain")

    def test_the_cart_handed_to_the_protocol(self):
        product = self.env["product.product"].create({"name": "Proto Desk", "default_code": "PR-1",
                                                      "list_price": 80.0, "type": "consu", "taxes_id": False})
        unnamed = self.env["product.product"].create({"name": "No Code", "list_price": 5.0, "type": "consu",
                                                      "taxes_id": False})
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "order_line": [
            Command.create({"product_id": product.id, "product_uom_qty": 2, "discount": 25}),
            Command.create({"product_id": unnamed.id, "product_uom_qty": 1}),
            Command.create({"display_type": "line_note", "name": "a note is no cart line"})]})
        session, _token = self.env["b2b.punchout.session"]._punchout_open(
            self.customer, "oci", "https://procure.example/hook", buyer_cookie="c-1",
            return_options={"target": "_parent", "ok_code": "ADDI"})
        cart = session._punchout_cart(order)
        self.assertIsInstance(cart, Cart)
        self.assertEqual((cart.reference, cart.return_url, cart.buyer_cookie, cart.buyer_identity, cart.options),
                         (session.name, "https://procure.example/hook", "c-1", "Buyer@Procure.example",
                          {"target": "_parent", "ok_code": "ADDI"}))
        self.assertEqual([(l.part, l.quantity, l.price) for l in cart.lines],
                         [("PR-1", Decimal(2), Decimal("60.00")), (str(unnamed.id), Decimal(1), Decimal("5.00"))])
        self.assertEqual(cart.lines[0].line_ref, str(order.order_line[0].id))
        result = session._punchout_protocol().cart_return(cart)
        self.assertEqual((result.target, dict(result.fields)["~OkCode"]), ("_parent", "ADDI"))

    def test_upgrade_keeps_the_oci_return_of_open_sessions(self):
        path = pathlib.Path(__file__).resolve().parent.parent / "migrations" / "19.0.1.2.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("b2b_punchout_post_migrate_19_0_1_2_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        Session = self.env["b2b.punchout.session"]
        oci_session, _token = Session._punchout_open(self.customer, "oci", "https://procure.example/hook")
        cxml_session, _token = Session._punchout_open(self.customer, "cxml", "https://procure.example/cxml")
        # the columns as 19.0.1.1.0 left them
        self.env.cr.execute("ALTER TABLE b2b_punchout_session ADD COLUMN oci_target varchar, "
                            "ADD COLUMN oci_ok_code varchar")
        self.env.cr.execute("UPDATE b2b_punchout_session SET oci_target = '_parent', oci_ok_code = 'ADDI', "
                            "return_options = NULL WHERE id IN %s", [(oci_session.id, cxml_session.id)])
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.1.1.0")
        self.assertEqual(oci_session.return_options, {"target": "_parent", "ok_code": "ADDI"})
        self.assertFalse(cxml_session.return_options)
