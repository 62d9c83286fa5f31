"""What the Odoo side takes from the customer's protocol: whether buyers log in from their browser (signed
links, start links bound to that browser), what the identities are, how a cart is handed over; and the
upgrade of sessions opened before return options were protocol-neutral."""

import importlib.util
import pathlib
from decimal import Decimal

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml
from odoo.addons.b2b_sandbox.protocol import oci as buyer_oci
from odoo.addons.b2b_sandbox.protocol import peppol as buyer_peppol
from odoo.addons.b2b_sandbox.protocol import peppol_rules

from ..protocol import cxml, oci, peppol
from ..protocol.base import Cart, get_protocol


@tagged("post_install", "-at_install")
class TestPunchoutProtocols(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(peppol_rules.stop)  # the Saxon process of the sandbox's T77 checks
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
        self.assertEqual([(line.part, line.quantity, line.price) for line in cart.lines],
                         [("PR-1", Decimal(2), Decimal("60.00")), (str(unnamed.id), Decimal(1), Decimal("5.00"))])
        self.assertEqual(cart.lines[0].line_ref, str(order.order_line[0].id))
        result = session._punchout_protocol().cart_return(cart)
        self.assertEqual((result.target, dict(result.fields)["~OkCode"]), ("_parent", "ADDI"))

    def test_cart_descriptions_in_the_customers_language_without_one_from_the_buyer(self):
        """OCI and PEPPOL logins say no language: the cart is in the customer's language, tagged with it in
        cXML; a language the buyer's system asks for that is not installed falls back to it too (and says so)."""
        self.env["res.lang"]._activate_lang("nl_NL")
        product = self.env["product.product"].create({"name": "Cable reel", "default_code": "NL-1",
                                                      "list_price": 8.0, "type": "consu", "taxes_id": False})
        product.with_context(lang="nl_NL").name = "Kabelhaspel"
        self.customer.lang = "nl_NL"
        session, cart, _order = self._cart_of("oci", (product, 1))
        self.assertEqual((cart.language, cart.lines[0].description), ("nl-NL", "[NL-1] Kabelhaspel"))
        session.buyer_lang = "xx-YY"
        cart = session._punchout_cart(_order)
        self.assertEqual((cart.language, cart.lines[0].description), ("nl-NL", "[NL-1] Kabelhaspel"))

    def _cart_of(self, protocol, *lines):
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "order_line": [
            Command.create({"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines]})
        session, _token = self.env["b2b.punchout.session"]._punchout_open(
            self.customer, protocol, "https://procure.example/return", buyer_cookie="c-9")
        return session, session._punchout_cart(order), order

    def test_cart_prices_keep_the_product_price_precision_in_every_protocol(self):
        precision = self.env["decimal.precision"].search([("name", "=", "Product Price")])
        precision.digits = 3
        cable = self.env["product.product"].create({"name": "Cable", "default_code": "CAB-3", "list_price": 0.333,
                                                    "type": "consu", "taxes_id": False})
        _session, cart, order = self._cart_of("cxml", (cable, 30))
        self.assertEqual(cart.lines[0].price, Decimal("0.333"), "the product price precision, not the currency's")
        self.assertEqual(cart.total, Decimal(str(order.amount_untaxed)))
        _cookie, items = buyer_cxml.parse_order_message(get_protocol("cxml").cart_return(cart).payload)
        self.assertEqual(items[0].unit_price, Decimal("0.333"))
        fields = dict(get_protocol("oci").cart_return(cart).fields)
        self.assertEqual((fields["NEW_ITEM-PRICE[1]"], fields["NEW_ITEM-PRICEUNIT[1]"]), ("0.333", "1"))
        self.assertEqual(buyer_oci.parse_cart(fields)[0].price, Decimal("0.333"))
        self.customer.punchout_identities = "0192:123456785"
        _cart_id, lines = buyer_peppol.parse_cart(get_protocol("peppol").cart_return(self._cart_of(
            "peppol", (cable, 30))[1]).payload)
        self.assertEqual(lines[0].price, Decimal("0.333"))
        # four decimals: OCI's three do not carry it, the price is for 10 units
        precision.digits = 4
        cable.list_price = 0.3333
        fields = dict(get_protocol("oci").cart_return(self._cart_of("oci", (cable, 30))[1]).fields)
        self.assertEqual((fields["NEW_ITEM-PRICE[1]"], fields["NEW_ITEM-PRICEUNIT[1]"]), ("3.333", "10"))
        self.assertEqual(buyer_oci.parse_cart(fields)[0].price, Decimal("0.3333"))

    def test_cxml_cart_classifies_by_unspsc_and_comes_from_our_identity(self):
        parent = self.env["product.category"].create({"name": "Cables", "b2b_unspsc_code": "26121600"})
        child = self.env["product.category"].create({"name": "Power cables", "parent_id": parent.id})
        Product = self.env["product.product"]
        own = Product.create({"name": "Cable", "default_code": "U-1", "categ_id": child.id, "list_price": 1,
                              "b2b_unspsc_code": "26121609", "taxes_id": False})
        inherited = Product.create({"name": "Cable 2", "default_code": "U-2", "categ_id": child.id, "list_price": 1,
                                    "taxes_id": False})
        none = Product.create({"name": "Service", "default_code": "U-3", "list_price": 1, "taxes_id": False,
                               "categ_id": self.env["product.category"].create({"name": "Misc"}).id})
        self.customer.write({"punchout_supplier_domain": "DUNS", "punchout_supplier_identity": "150483782"})
        _session, cart, _order = self._cart_of("cxml", (own, 1), (inherited, 1), (none, 1))
        root = cxml.parse(get_protocol("cxml").cart_return(cart).payload)
        self.assertEqual([(c.get("domain"), c.get("code")) for c in root.iter("Classification")],
                         [("UNSPSC", "26121609"), ("UNSPSC", "26121600"), ("custom", None)],
                         "the product's code, else its category's (or a parent's); never a category name")
        self.assertNotIn(b"Power cables", get_protocol("cxml").cart_return(cart).payload)
        self.assertEqual([(c.get("domain"), c.findtext("Identity")) for c in root.findall("Header/From/Credential")],
                         [("DUNS", "150483782")])
        self.customer.punchout_default_classification = "UNSPSC:26000000"
        _session, cart, _order = self._cart_of("cxml", (none, 1))
        root = cxml.parse(get_protocol("cxml").cart_return(cart).payload)
        self.assertEqual([(c.get("domain"), c.get("code")) for c in root.iter("Classification")],
                         [("UNSPSC", "26000000")])

    def test_configuration_is_checked(self):
        for model, record in (("product.template", {"name": "X"}), ("product.category", {"name": "X"})):
            for bad in ("4412", "4412170A", "441217070"):
                with self.subTest(model=model, code=bad), self.assertRaises(ValidationError):
                    self.env[model].create(dict(record, b2b_unspsc_code=bad))
        with self.assertRaises(ValidationError):
            self.customer.punchout_default_classification = "44000000"

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
