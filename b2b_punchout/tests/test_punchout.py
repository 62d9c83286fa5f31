"""Punch-out end to end: the sandbox procurement system (a real HTTP server) talks to our shop over HTTP,
the buyer's part runs in Chromium (Odoo tours), and every refusal is checked at the endpoint."""

import uuid
from decimal import Decimal
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml

from ..protocol import cxml, peppol
from .common import ALL_PATHS, ProcurementPeerMixin

SECRET = "s3cr3t-punch"
SENDER = cxml.Credential("NetworkId", "buyer@procure.example", SECRET)
MUTE = ("odoo.addons.b2b_connector_base.models.b2b_exchange", "odoo.http")


@tagged("post_install", "-at_install")
class TestPunchout(ProcurementPeerMixin, B2BTestMixin, HttpCase):
    CLOSE_AFTER_RETURN = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({
            "name": "Punch Desk", "default_code": "PD-1", "list_price": 100.0, "type": "consu",
            "is_published": True, "website_sequence": 1})
        cls.buyer = cls._punchout_customer("Acme Procurement", "cxml", "NetworkId:buyer@procure.example", SECRET,
                                           ALL_PATHS)
        cls.Exchange = cls.env["b2b.exchange"]
        cls.currency = cls.env.company.currency_id.name

    def _setup(self, cookie=None, sender=SENDER, **kw):
        return self.peer.cxml_setup(self.base_url(), sender, cookie or uuid.uuid4().hex, session=self.opener, **kw)

    # ------------------------------------------------------------------ full flows in the browser
    def test_cxml_full_flow(self):
        cookie = uuid.uuid4().hex
        code, text, start = self._setup(cookie)
        self.assertEqual((code, text), (200, "OK"))
        self.assertIn("/punchout/start/", start)
        setup_exchange = self.Exchange.search([("kind", "=", "punchout.setup")], order="id desc", limit=1)
        self.assertEqual(setup_exchange.state, "done")
        self.assertNotIn(SECRET.encode(), setup_exchange._b2b_get_payload(), "shared secret never stored")
        self.start_tour(urlsplit(start).path, "b2b_punchout_cxml_tour")
        cart = self._wait_cart(cookie)
        self.assertEqual(cart["protocol"], "cxml")
        self.assertEqual([(i.supplier_part_id, i.quantity, i.unit_price) for i in cart["items"]],
                         [("PD-1", Decimal(1), Decimal("100.00"))])
        session = self.env["b2b.punchout.session"].search([("buyer_cookie", "=", cookie)])
        self.assertEqual(session.state, "returned")
        # the buyer's approved order becomes a confirmed sale order, once
        code, text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-4711", cart["items"],
                                                   session=self.opener)
        self.assertEqual(code, 200, message)
        sale = self.env["sale.order"].search([("client_order_ref", "=", "PO-4711")])
        self.assertEqual((sale.partner_id, sale.state), (self.buyer, "sale"))
        self.assertEqual(sale.order_line.product_id, self.product)
        self.assertEqual(sale.amount_untaxed, 100.0)
        code, _text, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-4711", cart["items"],
                                                    session=self.opener)
        self.assertEqual(code, 200)
        self.assertIn("already received", message)
        self.assertEqual(self.env["sale.order"].search_count([("client_order_ref", "=", "PO-4711")]), 1)

    def test_oci_full_flow(self):
        self.buyer.write({"punchout_protocol": "oci", "punchout_identities": "acme-srm"})
        hook = f"{self.peer.url}/oci/hook/srm-1"
        login = f"/punchout/oci/login?HOOK_URL={hook}&USERNAME=acme-srm&PASSWORD={SECRET}&~OkCode=ADDI"
        self.start_tour(login, "b2b_punchout_oci_tour")
        cart = self._wait_cart("srm-1")
        self.assertEqual(cart["protocol"], "oci")
        self.assertEqual([(i.vendor_mat, i.quantity, i.price) for i in cart["items"]],
                         [("PD-1", Decimal(1), Decimal("100.00"))])
        self.assertEqual(cart["raw"]["~OkCode"], "ADDI")

    def test_peppol_full_flow_with_signed_link_and_final_order(self):
        self.buyer.write({"punchout_protocol": "peppol", "punchout_identities": "0192:123456785"})
        self.buyer.action_punchout_generate_link()
        link = self.buyer.punchout_link
        self.assertIn("/punchout/peppol/login?", link)
        start = f"{urlsplit(link).path}?{urlsplit(link).query}&return_url={self.peer.url}/peppol/return/pp-1"
        self.start_tour(start, "b2b_punchout_peppol_tour")
        cart = self._wait_cart("pp-1")
        self.assertEqual([(line.seller_item_id, line.quantity) for line in cart["items"]], [("PD-1", Decimal(1))])
        order = peppol.PeppolOrder("PEP-1", "2026-11-24", peppol.Party("123456785", name="Hospital"),
                                   peppol.Party("987654325"),
                                   [peppol.Line("PD-1", "Punch Desk", Decimal(3), Decimal(100))],
                                   currency=self.currency)
        status, body = self.peer.peppol_order(self.base_url(), order, SECRET, session=self.opener)
        self.assertEqual(status, 200, body)
        sale = self.env["sale.order"].search([("client_order_ref", "=", "PEP-1")])
        self.assertEqual((sale.state, sale.order_line.product_uom_qty, sale.order_line.price_unit),
                         ("sale", 3.0, 100.0))
        with mute_logger(*MUTE):
            status, _body = self.peer.peppol_order(self.base_url(), order, "wrong-secret", session=self.opener)
        self.assertEqual(status, 401)

    def test_a_swedish_buyer_lands_in_the_swedish_shop(self):
        """Proceedo punches in with xml:lang="sv-SE": the start link opens the shop in Swedish (the website has
        it); a buyer whose language the website lacks gets the default shop, without a language prefix."""
        self.env["res.lang"]._activate_lang("sv_SE")
        website = self.env["website"].get_current_website()
        swedish = self.env["res.lang"]._lang_get("sv_SE")
        website.language_ids |= swedish
        code, _text, start = self._setup(language="sv-SE")
        self.assertEqual(code, 200)
        response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(urlsplit(response.headers["Location"]).path, f"/{swedish.url_code}/shop")
        page = self.url_open(urlsplit(response.headers["Location"]).path)
        self.assertEqual(page.status_code, 200)
        self.assertIn('<html lang="sv-SE"', page.text)
        self.assertEqual(self.opener.cookies.get("frontend_lang"), "sv_SE", "the website keeps the language")
        self.opener.cookies.clear()
        code, _text, start = self._setup(language="fi-FI")
        response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(urlsplit(response.headers["Location"]).path, "/shop")

    # ------------------------------------------------------------------ sessions and checkout
    def test_start_link_is_one_time_and_checkout_is_unreachable(self):
        code, _text, start = self._setup(operation="edit", items=[
            cxml.CartItem("PD-1", Decimal(4), Decimal(0), "")])
        self.assertEqual(code, 200)
        response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/shop/cart"), "edit opens the buyer's cart")
        session = self.env["b2b.punchout.session"].search([], order="id desc", limit=1)
        self.assertEqual(session.state, "active")
        self.assertEqual(session.order_id.order_line.product_uom_qty, 4.0, "edit restores the cart")
        for path in ("/shop/checkout", "/shop/address", "/shop/payment", "/shop/extra_info", "/shop/confirmation"):
            r = self.url_open(path, allow_redirects=False)
            self.assertEqual(r.status_code, 303, path)
            self.assertTrue(r.headers["Location"].endswith("/shop"), path)
        cart_page = self.url_open("/shop/cart")
        self.assertIn("o_punchout_send", cart_page.text)
        self.assertNotIn('name="website_sale_main_button"', cart_page.text)
        # the same start link a second time: refused
        self.opener.cookies.clear()
        with mute_logger(*MUTE):
            again = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(again.status_code, 403)

    def test_expired_start_token_is_refused(self):
        _code, _text, start = self._setup()
        session = self.env["b2b.punchout.session"].search([], order="id desc", limit=1)
        session.sudo().expires_at = "2000-01-01 00:00:00"
        with mute_logger(*MUTE):
            response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(response.status_code, 403)

    # ------------------------------------------------------------------ refusals
    def test_refusals(self):
        with mute_logger(*MUTE):
            code, _t, start = self._setup(sender=cxml.Credential("NetworkId", "buyer@procure.example", "wrong"))
            self.assertEqual((code, start), (401, "wrong shared secret"), "no start page for a wrong secret")
            code, _t, _s = self._setup(sender=cxml.Credential("NetworkId", "stranger@evil.example", SECRET))
            self.assertEqual(code, 401)
            code, _t, _s = self._setup(return_url="https://evil.example/steal")
            self.assertEqual(code, 403, "foreign return URL")
            # a replayed request (same payloadID) is refused
            body = cxml.serialize(buyer_cxml.build_setup_request(SENDER, "c1", f"{self.peer.url}/cxml/return/c1"))
            first = self.url_open("/punchout/cxml/setup", data=body, headers={"Content-Type": "text/xml"})
            second = self.url_open("/punchout/cxml/setup", data=body, headers={"Content-Type": "text/xml"})
            self.assertEqual(buyer_cxml.parse_response(first.content)[0], 200)
            self.assertEqual(buyer_cxml.parse_response(second.content)[0], 409)
            # hostile XML
            xxe = b'<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><cXML>&x;</cXML>'
            r = self.url_open("/punchout/cxml/setup", data=xxe, headers={"Content-Type": "text/xml"})
            self.assertEqual(r.status_code, 400)
            self.assertNotIn(b"root:", r.content)
            # forged OCI login and forged / expired signed links
            r = self.url_open(f"/punchout/oci/login?HOOK_URL={self.peer.url}/oci/hook/x&USERNAME=acme&PASSWORD=bad",
                              allow_redirects=False)
            self.assertEqual(r.status_code, 401)
            r = self.url_open(f"/punchout/peppol/login?partner={self.buyer.id}&exp=9999999999&sig=forged"
                              f"&return_url={self.peer.url}/peppol/return/x", allow_redirects=False)
            self.assertEqual(r.status_code, 401)
            # send order without a session
            r = self.url_open("/punchout/return", data={"csrf_token": "x"}, allow_redirects=False)
            self.assertIn(r.status_code, (303, 400, 403))
            # an OrderRequest with a wrong secret or an unknown product creates nothing
            items = [cxml.CartItem("PD-1", Decimal(1), Decimal(100), "Desk", currency=self.currency)]
            code, _t, _m = self.peer.cxml_order(self.base_url(),
                                                cxml.Credential("NetworkId", "buyer@procure.example", "x"),
                                                "PO-X", items, session=self.opener)
            self.assertEqual(code, 401)
            code, _t, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-Y",
                                                     [cxml.CartItem("NOPE", Decimal(1), Decimal(1), "?",
                                                                    currency=self.currency)], session=self.opener)
            self.assertEqual(code, 400)
            self.assertIn("unknown product NOPE", message)
        self.assertFalse(self.env["sale.order"].search([("client_order_ref", "in", ("PO-X", "PO-Y"))]))
        # the buyer corrects its order and sends the same order id again: accepted this time
        code, _t, message = self.peer.cxml_order(self.base_url(), SENDER, "PO-Y",
                                                 [cxml.CartItem("PD-1", Decimal(2), Decimal(100), "Desk",
                                                                currency=self.currency)],
                                                 session=self.opener)
        self.assertEqual(code, 200, message)
        self.assertEqual(self.env["sale.order"].search([("client_order_ref", "=", "PO-Y")]).order_line.product_uom_qty,
                         2.0)
        failed = self.Exchange.search([("kind", "like", "punchout."), ("state", "=", "failed")])
        self.assertGreaterEqual(len(failed), 8, "every refusal is a failed exchange in the log")

    def test_views_and_secret(self):
        self.env.cr.execute("SELECT punchout_secret_enc FROM res_partner WHERE id = %s", [self.buyer.id])
        self.assertTrue(self.env.cr.fetchone()[0].startswith("fernet:"))
        for model, view_types in (("res.partner", ["form"]), ("b2b.punchout.session", ["list", "form"])):
            views = self.env[model].get_views([(False, v) for v in view_types])
            self.assertEqual(set(views["views"]), set(view_types))
