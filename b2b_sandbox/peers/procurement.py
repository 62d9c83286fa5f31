"""Sandbox procurement system: plays Ariba/Coupa (cXML), SAP SRM (OCI) and Proceedo (PEPPOL) against our
punch-out shop.

* as a client it sends the cXML PunchOutSetupRequest and OrderRequest and the PEPPOL Order to the shop;
* as a server it receives the returned carts: ``POST /cxml/return/<cookie>`` (form field ``cxml-base64``
  or ``cxml-urlencoded``), ``POST /oci/hook/<session>`` (NEW_ITEM-* fields), ``POST /peppol/return/<session>``
  (base64 UBL Catalogue in ``punchout_cart``); each cart is checked against its published contract (the
  cXML DTD; OCI's field lengths and number formats; the UBL 2.1 XSD and PEPPOL's T77 rules), parsed and
  kept in ``carts`` with what a final order refers to it by (``reference``: the SupplierOrderInfo of a
  cXML cart, the ID of a PEPPOL cart); the browser is then sent to ``after_return_url`` (as a procurement
  system closes the punch-out window) when set.
"""

import hashlib
import hmac
from urllib.parse import parse_qs

import requests

from odoo.addons.b2b_punchout.protocol import cxml, peppol

from ..protocol import cxml as buyer_cxml
from ..protocol import oci as buyer_oci
from ..protocol import peppol as buyer_peppol
from ..protocol import peppol_rules as buyer_rules
from .server import PeerServer, Response


class ProcurementPeer(PeerServer):
    name = "procurement"

    def __init__(self, after_return_url=None, **kw):
        super().__init__(**kw)
        self.after_return_url = after_return_url
        self.carts = {}  # key -> {"protocol", "items", "raw"}
        self.errors = []

    def stop(self):
        result = super().stop()
        buyer_rules.stop()  # the Saxon process the T77 checks of PEPPOL carts started
        return result

    def reset(self):
        result = super().reset()
        with self.lock:
            self.carts.clear()
            self.errors.clear()
        return result

    # ------------------------------------------------------------------ the browser brings the cart back
    def handle(self, request):
        if request.method != "POST":
            return Response.text("method not allowed", status=405)
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        parts = request.path.strip("/").split("/")
        try:
            if parts[:2] == ["cxml", "return"] and len(parts) == 3:
                if cxml.FORM_FIELD in form:
                    data = buyer_peppol.decode_field(form[cxml.FORM_FIELD], cxml.FORM_FIELD)
                elif "cxml-urlencoded" in form:
                    data = form["cxml-urlencoded"].encode()
                else:
                    raise ValueError("no cxml-base64 / cxml-urlencoded field")
                cxml.validate(cxml.parse(data))
                cookie, items, supplier_order, supplier = buyer_cxml.read_order_message(data)
                if cookie != parts[2]:
                    raise ValueError(f"BuyerCookie {cookie} does not belong to this punch-out ({parts[2]})")
                self._keep(cookie, "cxml", items, data, supplier_order, supplier=supplier)
            elif parts[:2] == ["oci", "hook"] and len(parts) == 3:
                self._keep(parts[2], "oci", buyer_oci.parse_cart(form), form)
            elif parts[:2] == ["peppol", "return"] and len(parts) == 3:
                data = buyer_peppol.decode_field(form.get(peppol.FORM_FIELD, ""), peppol.FORM_FIELD)
                cart = buyer_peppol.read_cart(data)
                self._keep(parts[2], "peppol", cart.lines, data, cart.cart_id, supplier=cart.provider,
                           receiver=cart.receiver)
            else:
                return Response.text("Not Found", status=404)
        except Exception as exc:  # noqa: BLE001 - a broken cart is recorded and answered with 400
            with self.lock:
                self.errors.append(f"{request.path}: {exc}")
            return Response.text(f"cart refused: {exc}", status=400)
        if self.after_return_url:
            return Response(303, b"", {"Location": self.after_return_url})
        return Response.text("<html><body><h1>Cart received</h1></body></html>", content_type="text/html")

    def _keep(self, key, protocol, items, raw, reference="", **more):
        with self.lock:
            self.carts[key] = {"protocol": protocol, "items": items, "raw": raw, "reference": reference, **more}

    # ------------------------------------------------------------------ the buyer's requests to the shop
    def cxml_setup(self, shop_url, sender, cookie, operation="create", items=(), to_identity="supplier",
                   return_url=None, session=None, language="en-US"):
        body = cxml.serialize(buyer_cxml.build_setup_request(
            sender, cookie, return_url or f"{self.url}/cxml/return/{cookie}", operation,
            to_credentials=[cxml.Credential("NetworkId", to_identity)], items=items, language=language))
        response = (session or requests).post(f"{shop_url}/punchout/cxml/setup", data=body,
                                              headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=30)
        return buyer_cxml.parse_response(response.content)

    def cxml_order(self, shop_url, sender, order_id, items, ship_to=None, session=None, supplier_order_id=""):
        """The OrderRequest ``order_id`` of ``items``; for a returned cart, ``supplier_order_id`` is its
        ``reference`` and the items its ``items`` (they keep their SupplierPartAuxiliaryID)."""
        body = buyer_cxml.build_order_request(sender, order_id, items, ship_to=ship_to,
                                              supplier_order_id=supplier_order_id)
        response = (session or requests).post(f"{shop_url}/punchout/cxml/order", data=body,
                                              headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=30)
        return buyer_cxml.parse_response(response.content)

    def peppol_order(self, shop_url, order, secret, session=None):
        body = buyer_peppol.build_order(order)
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        response = (session or requests).post(f"{shop_url}/punchout/peppol/order", data=body, timeout=30,
                                              headers={"Content-Type": "application/xml",
                                                       "X-Punchout-Signature": signature})
        return response.status_code, response.text


def demo_peers():
    """The demo procurement system on port 8076 (carts come back to it; see b2b_punchout demo data)."""
    return [ProcurementPeer(port=8076)]
