"""The buyer's final order completes the cart it returned, over HTTP with the sandbox procurement system:
the cXML OrderRequest (SupplierOrderInfo, SupplierPartAuxiliaryID) and the PEPPOL Order
(CatalogueReference) confirm *that* sale order, updated to the ordered lines, delivered to the buyer's
ShipTo (a delivery contact of the customer, found again, never duplicated), with the buyer's order
reference; prices keep the product price precision in each protocol's cart and order."""

import html
import re
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.protocol import peppol as buyer_peppol

from ..protocol import cxml, peppol
from ..protocol.base import Address
from .common import ALL_PATHS, ProcurementPeerMixin

SECRET = "s3cr3t-orders"
SENDER = cxml.Credential("NetworkId", "orders@procure.example", SECRET)
MUTE = ("odoo.addons.b2b_connector_base.models.b2b_exchange", "odoo.http")
FORM_RE = re.compile(r'<form id="o_punchout_return"[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', re.S)
INPUT_RE = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)"/>')
CSRF_RE = re.compile(r'action="/punchout/return".*?name="csrf_token" value="([^"]+)"', re.S)


@tagged("post_install", "-at_install")
class TestPunchoutFinalOrders(ProcurementPeerMixin, B2BTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["decimal.precision"].search([("name", "=", "Product Price")]).digits = 3
        cls.currency = cls.env.company.currency_id.name
        Product = cls.env["product.product"]
        cls.cable = Product.create({"name": "Cable 3x1.5 per metre", "default_code": "CAB-3", "list_price": 0.333,
                                    "type": "consu", "is_published": True, "taxes_id": False,
                                    "b2b_unspsc_code": "26121609"})
        cls.clip = Product.create({"name": "Cable clip", "default_code": "CLIP-1", "list_price": 1.5,
                                   "type": "consu", "is_published": True, "taxes_id": False})
        cls.buyer = cls._punchout_customer(
            "Cable Buyer BV", "cxml", f"NetworkId:{SENDER.identity}", SECRET, ALL_PATHS,
            punchout_supplier_domain="DUNS", punchout_supplier_identity="150483782", street="Kanaalweg 1",
            city="Utrecht", zip="3526 KL", country_id=cls.env.ref("base.nl").id)
        cls.hospital = cls._punchout_customer(
            "Region Hospital", "peppol", "0192:123456785", SECRET, ALL_PATHS, punchout_supplier_domain="0192",
            punchout_supplier_identity="987654325")
        cls.Session = cls.env["b2b.punchout.session"]
        cls.Sale = cls.env["sale.order"]

    # ------------------------------------------------------------------ a buyer's punch-out, without a browser
    def _shop(self, start_path, lines):
        """Open the start page (logged in as the buyer), fill the session's cart with ``lines``
        [(product, qty)] and send it back: the peer gets the form the browser would post."""
        response = self.url_open(start_path, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:300])
        session = self.Session.search([], order="id desc", limit=1)
        session.order_id.write({"order_line": [Command.create({"product_id": p.id, "product_uom_qty": q})
                                               for p, q in lines]})
        csrf = CSRF_RE.search(self.url_open("/shop/cart").text).group(1)
        page = self.url_open("/punchout/return", data={"csrf_token": csrf})
        form = FORM_RE.search(page.text)
        self.assertTrue(form, page.text[:500])
        fields = [(html.unescape(k), html.unescape(v)) for k, v in INPUT_RE.findall(form.group(2))]
        back = self.opener.post(html.unescape(form.group(1)), data=fields, allow_redirects=False, timeout=30)
        self.assertIn(back.status_code, (200, 303), (back.text[:300], self.peer.errors))
        self.opener.cookies.clear()
        return session

    def _cxml_cart(self, lines):
        cookie = uuid.uuid4().hex
        code, _text, start = self.peer.cxml_setup(self.base_url(), SENDER, cookie, session=self.opener)
        self.assertEqual(code, 200, start)
        session = self._shop(urlsplit(start).path, lines)
        return session, self.peer.carts[cookie]

    def _peppol_cart(self, lines, key):
        self.hospital.action_punchout_generate_link()
        link = urlsplit(self.hospital.punchout_link)
        login = self.url_open(f"{link.path}?{link.query}&return_url={self.peer.url}/peppol/return/{key}",
                              allow_redirects=False)
        self.assertEqual(login.status_code, 303, login.text[:300])
        session = self._shop(urlsplit(login.headers["Location"]).path, lines)
        return session, self.peer.carts[key]

    def _draft_carts(self, partner):
        return self.Sale.search([("partner_id", "=", partner.id), ("state", "=", "draft")])

    # ------------------------------------------------------------------ cXML
    def test_cxml_order_completes_the_returned_cart_with_ship_to_and_reference(self):
        session, cart = self._cxml_cart([(self.cable, 30), (self.clip, 4)])
        sale = session.order_id
        self.assertEqual(cart["reference"], sale.name, "the cart names its sale order (SupplierOrderInfo)")
        self.assertEqual([(c.domain, c.identity) for c in cart["supplier"]], [("DUNS", "150483782")],
                         "From carries our configured DUNS")
        self.assertEqual([(i.supplier_part_id, i.unit_price, i.classification_domain, i.classification)
                          for i in cart["items"]],
                         [("CAB-3", Decimal("0.333"), "UNSPSC", "26121609"),
                          ("CLIP-1", Decimal("1.500"), "custom", "")])
        ship_to = Address("Cable Buyer Site 2", "Havenstraat 12", "Rotterdam", "3011 AB", "NL",
                          deliver_to="J. de Vries, dock 4")
        code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-CAB-1", cart["items"],
                                                    ship_to=ship_to, supplier_order_id=cart["reference"],
                                                    session=self.opener)
        self.assertEqual(code, 200, message)
        self.assertEqual(message, sale.name)
        self.assertEqual((sale.state, sale.client_order_ref), ("sale", "PO-CAB-1"), "the cart itself is confirmed")
        self.assertEqual(self.Sale.search([("client_order_ref", "=", "PO-CAB-1")]), sale)
        self.assertFalse(self._draft_carts(self.buyer), "no draft cart left beside a new order")
        cable_line = sale.order_line.filtered(lambda line: line.product_id == self.cable)
        self.assertEqual((cable_line.product_uom_qty, cable_line.price_unit), (30, 0.333), "0.333 is not 0.33")
        delivery = sale.partner_shipping_id
        self.assertEqual((delivery.parent_id, delivery.type, delivery.name, delivery.street, delivery.city,
                          delivery.zip, delivery.country_id.code),
                         (self.buyer, "delivery", "Cable Buyer Site 2", "Havenstraat 12", "Rotterdam", "3011 AB", "NL"))
        self.assertTrue(any("J. de Vries, dock 4" in (body or "") for body in sale.message_ids.mapped("body")))
        exchange = self.env["b2b.exchange"].search([("kind", "=", "punchout.order")], order="id desc", limit=1)
        self.assertIn("completes the returned cart", exchange.summary)

        # the next cart goes to the same site: the delivery contact is found again; the order changes the
        # quantities and leaves a line out, within our prices: the cart follows the order
        session2, cart2 = self._cxml_cart([(self.cable, 10), (self.clip, 2)])
        items = [i for i in cart2["items"] if i.supplier_part_id == "CAB-3"]
        items[0].quantity = Decimal(25)
        same_site = Address("cable buyer site 2", "Havenstraat  12", "ROTTERDAM", "3011 AB", "nl")
        code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-CAB-2", items, ship_to=same_site,
                                                    supplier_order_id=cart2["reference"], session=self.opener)
        self.assertEqual(code, 200, message)
        sale2 = session2.order_id
        self.assertEqual((sale2.state, sale2.client_order_ref), ("sale", "PO-CAB-2"))
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in sale2.order_line], [(self.cable, 25)])
        self.assertEqual(sale2.partner_shipping_id, delivery, "the same delivery contact, no duplicate")
        self.assertEqual(self.env["res.partner"].search_count([("parent_id", "=", self.buyer.id),
                                                               ("type", "=", "delivery")]), 1)
        # its ShipTo is the customer's own address: the customer itself
        _session3, cart3 = self._cxml_cart([(self.clip, 1)])
        own = Address("Cable Buyer BV", "Kanaalweg 1", "Utrecht", "3526 KL", "NL")
        code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-CAB-3", cart3["items"], ship_to=own,
                                                    supplier_order_id=cart3["reference"], session=self.opener)
        self.assertEqual(code, 200, message)
        self.assertEqual(self.Sale.search([("client_order_ref", "=", "PO-CAB-3")]).partner_shipping_id, self.buyer)
        self.assertEqual(self.buyer.name, "Cable Buyer BV", "its punch-out user did not rename the customer")

    def test_cxml_order_refers_to_the_cart_by_its_lines_and_a_cart_is_completed_once(self):
        session, cart = self._cxml_cart([(self.cable, 30)])
        # no SupplierOrderInfo: the SupplierPartAuxiliaryID of its lines name the cart
        code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-AUX-1", cart["items"],
                                                    session=self.opener)
        self.assertEqual(code, 200, message)
        self.assertEqual((session.order_id.state, session.order_id.client_order_ref), ("sale", "PO-AUX-1"))
        # another order for the same, already confirmed cart: a new order, as without a cart
        code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-AUX-2", cart["items"],
                                                    supplier_order_id=cart["reference"], session=self.opener)
        self.assertEqual(code, 200, message)
        other = self.Sale.search([("client_order_ref", "=", "PO-AUX-2")])
        self.assertTrue(other and other != session.order_id)
        self.assertEqual(other.state, "sale")

    def test_a_refused_order_leaves_the_cart_as_it_was(self):
        session, cart = self._cxml_cart([(self.cable, 30), (self.clip, 4)])
        before = [(line.product_id, line.product_uom_qty) for line in session.order_id.order_line]
        items = cart["items"][:1]
        items[0].unit_price = Decimal("0.2")
        with mute_logger(*MUTE):
            code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-LOW", items,
                                                        supplier_order_id=cart["reference"], session=self.opener)
        self.assertEqual(code, 400)
        self.assertIn("prices differ", message)
        self.assertEqual(session.order_id.state, "draft")
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in session.order_id.order_line], before,
                         "nothing half-written")
        self.assertFalse(self.buyer.child_ids)

    # ------------------------------------------------------------------ PEPPOL
    def test_peppol_order_completes_the_returned_cart(self):
        session, cart = self._peppol_cart([(self.cable, 30), (self.clip, 4)], "pp-complete")
        self.assertEqual(cart["reference"], session.name, "the Catalogue's ID is our session")
        self.assertEqual((cart["supplier"].endpoint_scheme, cart["supplier"].endpoint_id, cart["receiver"].name),
                         ("0192", "987654325", "Region Hospital"))
        self.assertEqual([(line.seller_item_id, line.price, line.unspsc) for line in cart["items"]],
                         [("CAB-3", Decimal("0.333"), "26121609"), ("CLIP-1", Decimal("1.500"), "")])
        lines = [peppol.Line(line.seller_item_id, line.name, line.quantity, line.price) for line in cart["items"]]
        lines[0].base_quantity = Decimal(100)  # the buyer's system prices the cable per 100 m: 33.300
        order = peppol.PeppolOrder(
            "PEP-CAB-1", "2026-11-24", peppol.Party("123456785", name="Region Hospital"), peppol.Party("987654325"),
            lines, currency=self.currency, catalogue_reference=cart["reference"], customer_reference="Ward 7, J. Olsen",
            delivery=Address("Ward 7", "Sinsenveien 40", "Oslo", "0501", "NO", deliver_to="J. Olsen"))
        status, body = self.peer.peppol_order(self.base_url(), order, SECRET, session=self.opener)
        self.assertEqual(status, 200, body)
        sale = session.order_id
        self.assertEqual((sale.state, sale.client_order_ref, sale.punchout_customer_reference),
                         ("sale", "PEP-CAB-1", "Ward 7, J. Olsen"))
        self.assertEqual((sale.partner_shipping_id.parent_id, sale.partner_shipping_id.city), (self.hospital, "Oslo"))
        self.assertFalse(self._draft_carts(self.hospital))
        self.assertEqual(sale.order_line.filtered(lambda line: line.product_id == self.cable).price_unit, 0.333)
        # the customer reference goes on with the order: the invoice's reference is the buyer's
        self.assertEqual(sale._prepare_invoice()["ref"], "PEP-CAB-1")
        self.assertTrue(buyer_peppol.read_cart(cart["raw"]).cart_id)

    def test_oci_cart_whose_price_oci_cannot_carry_is_refused(self):
        self.env["decimal.precision"].search([("name", "=", "Product Price")]).digits = 9
        tiny = self.env["product.product"].create({"name": "Washer", "default_code": "W-1", "type": "consu",
                                                   "list_price": 0.00000001, "is_published": True,
                                                   "taxes_id": False})
        self.buyer.write({"punchout_protocol": "oci", "punchout_identities": "cable-srm"})
        login = self.url_open(f"/punchout/oci/login?HOOK_URL={self.peer.url}/oci/hook/h1&USERNAME=cable-srm"
                              f"&PASSWORD={SECRET}", allow_redirects=False)
        start = urlsplit(login.headers["Location"]).path
        self.assertEqual(self.url_open(start, allow_redirects=False).status_code, 303)
        session = self.Session.search([], order="id desc", limit=1)
        session.order_id.write({"order_line": [Command.create({"product_id": tiny.id, "product_uom_qty": 1})]})
        csrf = CSRF_RE.search(self.url_open("/shop/cart").text).group(1)
        with mute_logger(*MUTE):
            page = self.url_open("/punchout/return", data={"csrf_token": csrf})
        self.assertEqual(page.status_code, 400)
        self.assertIn("OCI", page.text)
        self.assertEqual(session.state, "active", "the cart did not go back")
        refused = self.env["b2b.exchange"].search([("kind", "=", "punchout.cart")], order="id desc", limit=1)
        self.assertEqual(refused.state, "failed")
        self.assertIn("per 10000 units", refused.error)
