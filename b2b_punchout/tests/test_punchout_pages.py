"""What the punch-out buyer and the B2B user see: the login link works as generated, refusals are pages of
the shop (their HTTP status kept), the shop has no pricelist switcher and no checkout steps for punch-out
buyers (and keeps them for everybody else), the session form lists its exchanges and the cart sent."""

import re
import uuid
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin

from ..protocol import cxml
from .common import ProcurementPeerMixin

SECRET = "s3cr3t-pages"
SENDER = cxml.Credential("NetworkId", "pages-buyer@procure.example", SECRET)
MUTE = ("odoo.addons.b2b_connector_base.models.b2b_exchange", "odoo.http")
CSRF_RE = re.compile(r'action="/punchout/return".*?name="csrf_token" value="([^"]+)"', re.S)


@tagged("post_install", "-at_install")
class TestPunchoutPages(ProcurementPeerMixin, B2BTestMixin, HttpCase):
    CLOSE_AFTER_RETURN = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({
            "name": "Punch Desk", "default_code": "PD-1", "list_price": 100.0, "type": "consu",
            "is_published": True, "website_sequence": 1})
        cls.buyer = cls._punchout_customer("Linked Procurement", "cxml", f"NetworkId:{SENDER.identity}", SECRET)
        # two pricelists a visitor may choose from: the shop shows its pricelist switcher
        cls.env.user.group_ids |= cls.env.ref("product.group_product_pricelist")
        website = cls.env["website"].get_current_website()
        cls.env["product.pricelist"].create([
            {"name": f"Selectable {n}", "selectable": True, "website_id": website.id} for n in (1, 2)])

    def _punchout(self):
        """A cXML punch-out started in this test's browser session."""
        _code, _text, start = self.peer.cxml_setup(self.base_url(), SENDER, uuid.uuid4().hex, session=self.opener)
        response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        session = self.env["b2b.punchout.session"].search([("partner_id", "=", self.buyer.id)], limit=1)
        self.assertEqual(session.state, "active")
        return session

    # ------------------------------------------------------------------ "Generate new link"
    def _link_flow(self, protocol, identity, return_url, key):
        self.buyer.write({"punchout_protocol": protocol, "punchout_identities": identity,
                          "punchout_return_urls": return_url})
        self.buyer.action_punchout_generate_link()
        link = urlsplit(self.buyer.punchout_link)
        param = {"oci": "HOOK_URL", "peppol": "return_url"}[protocol]
        self.assertEqual(parse_qs(link.query)[param], [return_url], "the link carries the return URL")
        self.start_tour(f"{link.path}?{link.query}", "b2b_punchout_link_tour")
        cart = self._wait_cart(key)
        self.assertEqual(cart["protocol"], protocol)
        session = self.env["b2b.punchout.session"].search([("partner_id", "=", self.buyer.id)], limit=1)
        self.assertEqual((session.state, session.return_url, session.user_id), ("returned", return_url,
                                                                                self.buyer.punchout_user_id))

    def test_generated_oci_link_works_as_generated(self):
        self._link_flow("oci", "linked-srm", f"{self.peer.url}/oci/hook/link-oci", "link-oci")

    def test_generated_peppol_link_works_as_generated(self):
        self._link_flow("peppol", "0192:123456785", f"{self.peer.url}/peppol/return/link-peppol", "link-peppol")

    def test_the_return_url_the_buyers_system_appends_wins(self):
        self.buyer.write({"punchout_protocol": "oci", "punchout_identities": "linked-srm",
                          "punchout_return_urls": f"{self.peer.url}/oci/"})
        self.buyer.action_punchout_generate_link()
        link = urlsplit(self.buyer.punchout_link)
        appended = f"{self.peer.url}/oci/hook/srm-session-42"
        response = self.url_open(f"{link.path}?{link.query}&HOOK_URL={appended}&~OkCode=ADDI",
                                 allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        session = self.env["b2b.punchout.session"].search([("partner_id", "=", self.buyer.id)], limit=1)
        self.assertEqual(session.return_url, appended)
        # what it appends is checked like any return URL
        with mute_logger(*MUTE):
            response = self.url_open(f"{link.path}?{link.query}&HOOK_URL=https://evil.example/oci/",
                                     allow_redirects=False)
        self.assertEqual(response.status_code, 403)

    def test_no_link_without_a_return_url(self):
        self.buyer.write({"punchout_protocol": "oci", "punchout_identities": "linked-srm"})
        self.buyer.sudo().punchout_return_urls = False
        with self.assertRaisesRegex(Exception, "HOOK_URL"):
            self.buyer.action_punchout_generate_link()
        self.assertFalse(self.buyer.punchout_link)

    # ------------------------------------------------------------------ refusals are pages of the shop
    def test_refusal_is_a_page_of_the_shop(self):
        with mute_logger(*MUTE):
            unknown = self.url_open("/punchout/start/no-such-token", allow_redirects=False)
            forged = self.url_open(f"/punchout/oci/login?HOOK_URL={self.peer.url}/oci/hook/x&USERNAME=linked-srm"
                                   "&PASSWORD=wrong", allow_redirects=False)
        self.assertEqual((unknown.status_code, forged.status_code), (403, 401))
        for response, message in ((unknown, "This punch-out link is unknown, expired or was already used."),
                                  (forged, "Login refused: the credentials or the link are wrong or expired.")):
            page = response.text
            self.assertIn('id="wrapwrap"', page, "the website layout")
            self.assertIn('<header', page, "with the shop's header")
            self.assertIn("o_punchout_refused_page", page)
            self.assertRegex(page, rf'class="mb-0 o_punchout_refused">\s*{re.escape(message)}\s*<')
            self.assertIn("text/html", response.headers["Content-Type"])
        with mute_logger(*MUTE):
            dotted = self.url_open("/punchout/start/%2e%2e", allow_redirects=False)
        self.assertEqual(dotted.status_code, 403, "a path the layout cannot draw gets the bare refusal page")
        self.assertIn("o_punchout_refused", dotted.text)

    def test_refused_cart_is_a_page_of_the_shop(self):
        session = self._punchout()
        session.order_id.sudo()._cart_add(self.product.id, 1)
        csrf = CSRF_RE.search(self.url_open("/shop/cart").text).group(1)
        session.sudo().expires_at = "2000-01-01 00:00:00"  # the buyer took too long
        with mute_logger(*MUTE):
            response = self.url_open("/punchout/return", data={"csrf_token": csrf}, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        self.assertIn('id="wrapwrap"', response.text)
        self.assertIn("o_punchout_refused_page", response.text)
        self.assertIn("There is no open punch-out session.", response.text)

    # ------------------------------------------------------------------ the shop for punch-out buyers
    def test_no_pricelist_switcher_nor_checkout_steps_for_punchout_buyers(self):
        product_url = self.product.product_tmpl_id.website_url
        # a normal visitor with a cart
        self.url_open(product_url)
        self.make_jsonrpc_request("/shop/cart/add", {"product_template_id": self.product.product_tmpl_id.id,
                                                     "product_id": self.product.id, "quantity": 1})
        self.assertIn("o_pricelist_dropdown", self.url_open(product_url).text)
        visitor_cart = self.url_open("/shop/cart").text
        self.assertIn("o_wizard", visitor_cart, "checkout steps for a normal visitor")
        self.assertIn('name="website_sale_main_button"', visitor_cart)
        # the punch-out buyer
        self.opener.cookies.clear()
        session = self._punchout()
        session.order_id.sudo()._cart_add(self.product.id, 1)
        self.assertNotIn("o_pricelist_dropdown", self.url_open(product_url).text)
        self.assertNotIn("o_pricelist_dropdown", self.url_open("/shop").text)
        buyer_cart = self.url_open("/shop/cart").text
        self.assertIn("o_punchout_send", buyer_cart)
        self.assertNotIn("o_wizard", buyer_cart, "no checkout steps for a punch-out buyer")
        pricelist = self.env["product.pricelist"].search([("name", "=", "Selectable 2")])
        prices = session.order_id.pricelist_id
        self.assertNotEqual(prices, pricelist)
        response = self.url_open(f"/shop/change_pricelist/{pricelist.id}")
        self.assertEqual(response.status_code, 200)
        session.order_id.invalidate_recordset()
        self.assertEqual(session.order_id.pricelist_id, prices, "a punch-out buyer keeps its prices")

    # ------------------------------------------------------------------ the session form
    def test_session_form_lists_its_exchanges_and_the_cart_sent(self):
        session = self._punchout()
        session.order_id.sudo()._cart_add(self.product.id, 2)
        csrf = CSRF_RE.search(self.url_open("/shop/cart").text).group(1)
        response = self.url_open("/punchout/return", data={"csrf_token": csrf}, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        session.invalidate_recordset()
        self.assertEqual(session.state, "returned")
        user = self.env["res.users"].create({
            "name": "Pages B2B user", "login": "pages_b2b_user", "password": "pages_b2b_user",
            "group_ids": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("b2b_connector_base.group_b2b_user").id])]})
        seen = session.with_user(user)
        self.assertEqual(seen.exchange_ids.mapped("kind"), ["punchout.setup", "punchout.cart"])
        self.assertEqual(seen.exchange_count, 2)
        self.assertIn("<PunchOutOrderMessage", seen.cart_sent)
        self.assertIn("PD-1", seen.cart_sent)
        self.assertEqual(seen.action_view_exchanges()["res_model"], "b2b.exchange")
        self.assertEqual(self.env["b2b.exchange"].with_user(user).search(seen.action_view_exchanges()["domain"]),
                         seen.exchange_ids)
        # the buyer's final order is one of them
        items = [cxml.CartItem("PD-1", Decimal(2), Decimal(100), "Desk", currency=session.order_id.currency_id.name,
                               aux_id=str(session.order_id.order_line.id))]
        code, _text, message = self.peer.cxml_order(self.base_url(), cxml.Credential(
            "NetworkId", SENDER.identity, SECRET), "PO-PAGES", items, session=self.opener,
            supplier_order_id=session.name)
        self.assertEqual(code, 200, message)
        session.invalidate_recordset()
        self.assertEqual(session.with_user(user).exchange_ids.mapped("kind"),
                         ["punchout.setup", "punchout.cart", "punchout.order"])
        form = self.env["b2b.punchout.session"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("exchange_ids", "cart_sent", "action_view_exchanges"):
            self.assertIn(name, form)
