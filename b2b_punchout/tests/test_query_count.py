"""How many SQL queries a punch-out request costs (bench/bench_punchout.py measures the time): a 100-line
cart return, and a setup request, stay within a bound, and the cart return does not query per line."""

import re
import uuid
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin

from ..protocol import cxml
from .common import ProcurementPeerMixin

SECRET = "s3cr3t-count"
SENDER = cxml.Credential("NetworkId", "count-buyer@procure.example", SECRET)
CSRF_RE = re.compile(r'action="/punchout/return".*?name="csrf_token" value="([^"]+)"', re.S)
# measured here: 26 queries for a cart return (5 or 100 lines alike) and 18 for a setup request, where they
# were 35 and 23; the margin is for what Odoo or the shop may add, not for what was taken away
RETURN_MAX_QUERIES = 30
SETUP_MAX_QUERIES = 21


@tagged("post_install", "-at_install")
class TestPunchoutQueryCount(ProcurementPeerMixin, B2BTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls.env["product.product"].create([{
            "name": f"Counted Part {n}", "default_code": f"CNT-{n:03d}", "list_price": 10.0 + n, "type": "consu",
            "is_published": True} for n in range(100)])
        cls.buyer = cls._punchout_customer("Counting Procurement", "cxml", f"NetworkId:{SENDER.identity}", SECRET)

    def _queries(self, call):
        self.env.flush_all()
        before = self.cr.sql_log_count
        result = call()
        return result, self.cr.sql_log_count - before

    def _setup(self):
        return self.peer.cxml_setup(self.base_url(), SENDER, uuid.uuid4().hex, session=self.opener)

    def _return_queries(self, n_lines):
        """The queries of POST /punchout/return for a cart of ``n_lines`` lines (the cart filled by ORM)."""
        _code, _text, start = self._setup()
        self.opener.cookies.clear()
        response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        session = self.env["b2b.punchout.session"].search([("partner_id", "=", self.buyer.id)], limit=1)
        self.env["sale.order.line"].create([{"order_id": session.order_id.id, "product_id": product.id,
                                             "product_uom_qty": 1} for product in self.products[:n_lines]])
        csrf = CSRF_RE.search(self.url_open("/shop/cart").text).group(1)
        response, count = self._queries(lambda: self.url_open(
            "/punchout/return", data={"csrf_token": csrf}, allow_redirects=False))
        self.assertEqual(response.status_code, 200)
        self.assertIn("cxml-base64", response.text)
        self.assertEqual(session.state, "returned")
        return count

    def test_cart_return_queries(self):
        self._return_queries(5)  # the first return warms the caches (registry, templates, ormcache)
        few = self._return_queries(5)
        many = self._return_queries(100)
        self.assertLessEqual(many, RETURN_MAX_QUERIES, f"a 100-line cart return made {many} queries")
        self.assertLessEqual(many - few, 2, f"{many} queries for 100 lines, {few} for 5: a query per line?")

    def test_setup_request_queries(self):
        self._setup()
        (code, _text, start), count = self._queries(self._setup)
        self.assertEqual(code, 200)
        self.assertIn("/punchout/start/", start)
        self.assertLessEqual(count, SETUP_MAX_QUERIES, f"a setup request made {count} queries")
