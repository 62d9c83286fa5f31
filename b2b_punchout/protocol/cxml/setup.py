"""The procurement system's PunchOutSetupRequest: who punches in, where the cart goes back, and for an
edit or inspect the items of the cart the buyer had."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import _lt

from .document import (
    CartItem,
    CXMLError,
    deployment_mode,
    item_outs,
    language_of,
    number,
    parse_credentials,
    parse_request,
    sender,
    text,
)

OPERATIONS = ("create", "edit", "inspect")


@dataclass
class SetupRequest:
    payload_id: str
    operation: str  # create / edit / inspect
    buyer_cookie: str
    browser_form_post: str
    sender: object  # Credential
    from_credentials: list = field(default_factory=list)
    to_credentials: list = field(default_factory=list)
    user_email: str = ""
    items: list = field(default_factory=list)  # ItemOut of an edit / inspect: CartItem with supplier_part_id, qty
    deployment_mode: str = "production"
    language: str = ""  # the cXML's xml:lang (the buyer's language, e.g. "sv-SE"), when it is a language tag


def parse_setup_request(data):
    root, request = parse_request(data, "PunchOutSetupRequest")
    buyer = sender(root, "PunchOutSetupRequest")
    operation = request.get("operation") or "create"
    if operation not in OPERATIONS:
        raise CXMLError("cxml.setup.operation", _lt("unsupported punch-out operation %(operation)s"),
                        operation=repr(operation[:40]))
    items = [CartItem(supplier_part_id=text(out, "ItemID/SupplierPartID"),
                      aux_id=text(out, "ItemID/SupplierPartAuxiliaryID"),
                      quantity=number(out.get("quantity"), "quantity", positive=True),
                      unit_price=Decimal(0), description="")
             for out in item_outs(request, "PunchOutSetupRequest")]
    url = text(request, "BrowserFormPost/URL")
    if not url:
        raise CXMLError("cxml.setup.no_url", _lt("PunchOutSetupRequest without BrowserFormPost URL"))
    return SetupRequest(
        payload_id=root.get("payloadID") or "", operation=operation, buyer_cookie=text(request, "BuyerCookie"),
        browser_form_post=url, sender=buyer, from_credentials=parse_credentials(root.find("Header/From")),
        to_credentials=parse_credentials(root.find("Header/To")),
        user_email=next((e.text or "" for e in request.findall("Extrinsic") if e.get("name") == "UserEmail"), ""),
        items=items, deployment_mode=deployment_mode(root), language=language_of(root),
    )
