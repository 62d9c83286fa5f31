"""Fixtures of the punch-out tests: the sandbox procurement system for a test class and its punch-out customers
(ProcurementPeerMixin); for the attack and fuzz tests, a cXML / OCI / PEPPOL customer each, products of ours, of
nobody's catalogue and of another company, and raw HTTP helpers (PunchoutAttackCase)."""

import hashlib
import hmac
import time
import uuid
from decimal import Decimal
from urllib.parse import urlencode

from odoo.tests import HttpCase, new_test_user

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.peers.procurement import ProcurementPeer
from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml
from odoo.addons.b2b_sandbox.protocol import peppol as buyer_peppol

from ..protocol import cxml, peppol

SECRET = "s3cr3t-punch-0815"
SENDER = cxml.Credential("NetworkId", "sec-buyer@procure.example", SECRET)
OCI_USER = "sec-srm"
PEPPOL_ID = "0192:998877665"
PEPPOL_ENDPOINT = PEPPOL_ID.split(":")[1]
MUTE = ("odoo.addons.b2b_connector_base.models.b2b_exchange", "odoo.http", "werkzeug",
        "odoo.addons.base.models.ir_model")
XML = {"Content-Type": "text/xml; charset=utf-8"}
ALL_PATHS = ("cxml", "oci", "peppol")  # a customer whose carts may come back by any protocol


class ProcurementPeerMixin:
    """The sandbox procurement system (a real HTTP server) of an HttpCase class, emptied before each test.
    ``CLOSE_AFTER_RETURN``: after receiving a cart it sends the browser to /punchout/closed, as a procurement
    system closes the punch-out window (browser tests)."""

    CLOSE_AFTER_RETURN = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(ProcurementPeer())

    def setUp(self):
        super().setUp()
        self.peer.reset()
        if self.CLOSE_AFTER_RETURN:
            self.peer.after_return_url = f"{self.base_url()}/punchout/closed"

    @classmethod
    def _punchout_customer(cls, name, protocol, identities, secret, paths=("cxml",), **values):
        """A company punching out with ``protocol``, its carts returned to the peer's ``paths``."""
        return cls.env["res.partner"].create({
            "name": name, "is_company": True, "punchout_enabled": True, "punchout_protocol": protocol,
            "punchout_identities": identities, "punchout_secret": secret,
            "punchout_return_urls": "\n".join(f"{cls.peer.url}/{path}/" for path in paths), **values})

    def _wait_cart(self, key, timeout=10):
        """The cart the procurement system received under ``key`` (the browser posts it on its own)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if key in self.peer.carts:
                return self.peer.carts[key]
            time.sleep(0.1)
        self.fail(f"the procurement system received no cart for {key}: {self.peer.errors}")


class PunchoutAttackCase(ProcurementPeerMixin, B2BTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency = cls.env.company.currency_id.name
        Product = cls.env["product.product"]
        cls.product = Product.create({"name": "Guarded Desk", "default_code": "GD-1", "list_price": 100.0,
                                      "type": "consu", "is_published": True, "taxes_id": False})
        cls.not_for_sale = Product.create({"name": "Spare Part", "default_code": "NS-1", "list_price": 10.0,
                                           "type": "consu", "sale_ok": False})
        cls.company_b = cls.env["res.company"].create({"name": "Hidden Sister Company"})
        cls.other_company_product = Product.create({"name": "Sister Desk", "default_code": "OC-1", "list_price": 5.0,
                                                    "type": "consu", "company_id": cls.company_b.id})
        cls.buyer = cls._punchout_customer("Guarded Procurement", "cxml", f"NetworkId:{SENDER.identity}", SECRET,
                                           ALL_PATHS)
        cls.oci_buyer = cls._punchout_customer("Guarded SRM", "oci", OCI_USER, SECRET, ALL_PATHS)
        cls.peppol_buyer = cls._punchout_customer("Guarded Hospital", "peppol", PEPPOL_ID, SECRET, ALL_PATHS)
        cls.editor = new_test_user(
            cls.env, "po_editor", groups="base.group_user,base.group_partner_manager,b2b_connector_base.group_b2b_user")
        cls.manager = new_test_user(cls.env, "po_manager", groups="base.group_user,base.group_partner_manager,"
                                                                  "b2b_connector_base.group_b2b_manager")
        cls.Exchange = cls.env["b2b.exchange"]

    # ------------------------------------------------------------------ raw requests as a procurement system sends them
    def setup_body(self, sender=SENDER, return_url=None, cookie=None, **kw):
        cookie = cookie or uuid.uuid4().hex
        return cxml.serialize(buyer_cxml.build_setup_request(
            sender, cookie, return_url or f"{self.peer.url}/cxml/return/{cookie}", **kw))

    def order_body(self, items=None, order_id=None, sender=SENDER):
        items = items or [cxml.CartItem("GD-1", Decimal(1), Decimal(100), "Desk", currency=self.currency)]
        return buyer_cxml.build_order_request(sender, order_id or f"PO-{uuid.uuid4().hex[:10]}", items)

    def item(self, part="GD-1", qty=1, price=100):
        return cxml.CartItem(part, Decimal(qty), Decimal(price), part, currency=self.currency)

    def post(self, path, body, headers=None, **kw):
        return self.url_open(path, data=body, headers={**XML, **(headers or {})}, allow_redirects=False, **kw)

    def cxml_status(self, response):
        """(HTTP status, cXML Status code, message): every answer of ours is a proper cXML Response."""
        code, _text, message = buyer_cxml.parse_response(response.content)
        return response.status_code, code, message

    def peppol_body(self, lines, order_id=None, endpoint=PEPPOL_ENDPOINT, currency=None):
        order = peppol.PeppolOrder(order_id or f"PEP-{uuid.uuid4().hex[:8]}", "2026-11-24",
                                   peppol.Party(endpoint, name="Hospital"), peppol.Party("987654325"), lines,
                                   currency=currency or self.currency)
        return buyer_peppol.build_order(order)

    def peppol_signature(self, body, secret=SECRET):
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    def oci_login_url(self, password=SECRET, username=OCI_USER, hook=None):
        return "/punchout/oci/login?" + urlencode({
            "HOOK_URL": hook or f"{self.peer.url}/oci/hook/h-{uuid.uuid4().hex[:6]}", "USERNAME": username,
            "PASSWORD": password, "~OkCode": "ADDI"})

    def sale_orders(self, ref):
        return self.env["sale.order"].search([("client_order_ref", "=", ref)])

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})
