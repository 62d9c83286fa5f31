"""cXML 1.2.063 punch-out: PunchOutSetupRequest/Response, PunchOutOrderMessage, OrderRequest, Response.

Everything we send carries the cXML DOCTYPE and is validated against the cXML DTD shipped in
``schemas/`` before it leaves; everything we receive goes through the safe parser (the DOCTYPE a buyer
sends is never fetched).
"""

import base64
import datetime
import pathlib
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from . import guard

VERSION = "1.2.063"
DOCTYPE = f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{VERSION}/cXML.dtd">'
DTD = pathlib.Path(__file__).resolve().parent / "schemas" / "cXML-1.2.063.dtd"
MAX_BYTES = 5 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CXMLError(ValueError):
    """A cXML document we cannot accept; ``status`` is the cXML status code to answer with."""

    user_facing = True

    def __init__(self, message, status=400):
        self.status = status
        super().__init__(message)


@dataclass
class Credential:
    domain: str
    identity: str
    shared_secret: str = ""


@dataclass
class CartItem:
    supplier_part_id: str
    quantity: Decimal
    unit_price: Decimal
    description: str
    currency: str = "EUR"
    unit: str = "EA"
    aux_id: str = ""
    classification: str = ""
    classification_domain: str = "UNSPSC"
    manufacturer_part_id: str = ""
    lead_time: int = 0


@dataclass
class SetupRequest:
    payload_id: str
    operation: str  # create / edit / inspect
    buyer_cookie: str
    browser_form_post: str
    sender: Credential
    from_credentials: list = field(default_factory=list)
    to_credentials: list = field(default_factory=list)
    user_email: str = ""
    items: list = field(default_factory=list)  # ItemOut of an edit / inspect: CartItem with supplier_part_id, qty
    deployment_mode: str = "production"


@dataclass
class Address:
    name: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    email: str = ""


@dataclass
class OrderRequest:
    payload_id: str
    order_id: str
    order_date: str
    sender: Credential
    from_credentials: list
    items: list
    total: Decimal = None
    currency: str = "EUR"
    ship_to: Address = None
    bill_to: Address = None
    deployment_mode: str = "production"


# ---------------------------------------------------------------------------- helpers
def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def payload_id(domain="b2b-connect"):
    return f"{uuid.uuid4().hex}@{domain}"


def _el(parent, tag, content=None, **attrs):
    el = etree.SubElement(parent, tag) if parent is not None else etree.Element(tag)
    for key, value in attrs.items():
        if value not in (None, ""):
            el.set(XML_LANG if key == "lang" else key, str(value))
    if content is not None:
        el.text = str(content)
    return el


def _root(payload=None):
    return _el(None, "cXML", payloadID=payload or payload_id(), timestamp=_now(), version=VERSION, lang="en-US")


def _credentials(parent, tag, credentials, with_secret=False):
    box = _el(parent, tag)
    for cred in credentials:
        c = _el(box, "Credential", domain=cred.domain or "NetworkId")
        _el(c, "Identity", cred.identity)
        if with_secret and cred.shared_secret:
            _el(c, "SharedSecret", cred.shared_secret)
    return box


def _header(root, from_creds, to_creds, sender):
    header = _el(root, "Header")
    _credentials(header, "From", from_creds)
    _credentials(header, "To", to_creds)
    sender_el = _credentials(header, "Sender", [sender], with_secret=True)
    _el(sender_el, "UserAgent", "b2b-connect punch-out")
    return header


def _money(parent, tag, amount, currency):
    wrapper = _el(parent, tag)
    _el(wrapper, "Money", f"{Decimal(amount):.2f}", currency=currency)
    return wrapper


def serialize(root):
    """The document with its cXML DOCTYPE, validated against the DTD."""
    validate(root)
    return safe_xml.to_bytes(root, doctype=DOCTYPE)


def validate(root):
    safe_xml.validate_dtd(root, DTD, name=f"cXML {VERSION} DTD")
    return True


def parse(data, what="cXML document"):
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what=what)
    if root.tag != "cXML":
        raise CXMLError(f"{what}: <{root.tag}> is not a cXML document")
    return root


SECRET_TAGS = ("SharedSecret", "CredentialMac")
SECRET_MASK = "********"
# only for what does not parse: an opening tag (any attributes, prefix, case), then up to its closing tag
# or, when there is none, to the end of the data
_SECRET_FALLBACK_RE = re.compile(
    rb"(<\s*(?:[\w.-]+:)?(?:SharedSecret|CredentialMac)\b[^>]*?(?:>|$))(.*?)(?=<\s*/\s*(?:[\w.-]+:)?(?:SharedSecret|"
    rb"CredentialMac)\s*>|\Z)", re.S | re.I)


def mask_secrets(data):
    """``data`` (a cXML document a buyer sent) with every SharedSecret / CredentialMac replaced by a mask,
    found in the parsed tree (attributes, spacing and CDATA do not matter); a document that does not
    parse is masked from each opening secret tag to its closing tag or the end of the data."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data or b""
    try:
        root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="cXML document")
    except safe_xml.XMLInputError:
        return _SECRET_FALLBACK_RE.sub(lambda m: m.group(1) + SECRET_MASK.encode(), data)
    masked = False
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname in SECRET_TAGS:
            for child in list(el):
                el.remove(child)
            el.text = SECRET_MASK
            masked = True
    if not masked:
        return data
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def _text(el, path):
    found = el.find(path) if el is not None else None
    return "".join(found.itertext()).strip() if found is not None else ""


def _decimal(value, what, status=400, **checks):
    try:
        return guard.number(value, what, **checks)
    except guard.InputError as exc:
        raise CXMLError(str(exc), status) from None


def _parse_credentials(el):
    return [Credential(c.get("domain") or "", _text(c, "Identity"), _text(c, "SharedSecret"))
            for c in (el.findall("Credential") if el is not None else [])]


def _parse_item(el, tag_qty="quantity"):
    detail = el.find("ItemDetail")
    return CartItem(
        supplier_part_id=_text(el, "ItemID/SupplierPartID"),
        aux_id=_text(el, "ItemID/SupplierPartAuxiliaryID"),
        quantity=_decimal(el.get(tag_qty) or "0", "quantity"),
        unit_price=_decimal(_text(detail, "UnitPrice/Money") or "0", "UnitPrice", non_negative=True)
        if detail is not None else Decimal(0),
        currency=(detail.find("UnitPrice/Money").get("currency") if detail is not None
                  and detail.find("UnitPrice/Money") is not None else "") or "EUR",
        description=_text(detail, "Description"),
        unit=_text(detail, "UnitOfMeasure") or "EA",
        classification=_text(detail, "Classification"),
    )


# ---------------------------------------------------------------------------- setup
def build_setup_request(sender, buyer_cookie, browser_form_post, operation="create", from_credentials=None,
                        to_credentials=None, user_email="", items=()):
    """The buyer side (used by the sandbox procurement system)."""
    root = _root()
    _header(root, from_credentials or [Credential(sender.domain, sender.identity)],
            to_credentials or [Credential("NetworkId", "supplier")], sender)
    request = _el(_el(root, "Request", deploymentMode="test"), "PunchOutSetupRequest", operation=operation)
    _el(request, "BuyerCookie", buyer_cookie)
    if user_email:
        _el(request, "Extrinsic", user_email, name="UserEmail")
    _el(_el(request, "BrowserFormPost"), "URL", browser_form_post)
    _el(_el(request, "SupplierSetup"), "URL", "https://supplier.example/punchout")
    for n, item in enumerate(items, 1):
        out = _el(request, "ItemOut", quantity=item.quantity, lineNumber=n)
        ids = _el(out, "ItemID")
        _el(ids, "SupplierPartID", item.supplier_part_id)
        if item.aux_id:
            _el(ids, "SupplierPartAuxiliaryID", item.aux_id)
    return root


def parse_setup_request(data):
    root = parse(data, "PunchOutSetupRequest")
    request = root.find("Request/PunchOutSetupRequest")
    if request is None:
        raise CXMLError("not a PunchOutSetupRequest")
    sender = _parse_credentials(root.find("Header/Sender"))
    if not sender:
        raise CXMLError("PunchOutSetupRequest without Sender credential", 401)
    operation = request.get("operation") or "create"
    if operation not in ("create", "edit", "inspect"):
        raise CXMLError(f"unsupported punch-out operation {operation!r}")
    items = []
    outs = request.findall("ItemOut")
    if len(outs) > guard.MAX_LINES:
        raise CXMLError(f"PunchOutSetupRequest with {len(outs)} ItemOut, over the limit of {guard.MAX_LINES}")
    for out in outs:
        items.append(CartItem(supplier_part_id=_text(out, "ItemID/SupplierPartID"),
                              aux_id=_text(out, "ItemID/SupplierPartAuxiliaryID"),
                              quantity=_decimal(out.get("quantity"), "quantity", positive=True),
                              unit_price=Decimal(0), description=""))
    url = _text(request, "BrowserFormPost/URL")
    if not url:
        raise CXMLError("PunchOutSetupRequest without BrowserFormPost URL")
    return SetupRequest(
        payload_id=root.get("payloadID") or "", operation=operation, buyer_cookie=_text(request, "BuyerCookie"),
        browser_form_post=url, sender=sender[0], from_credentials=_parse_credentials(root.find("Header/From")),
        to_credentials=_parse_credentials(root.find("Header/To")),
        user_email=next((e.text or "" for e in request.findall("Extrinsic") if e.get("name") == "UserEmail"), ""),
        items=items, deployment_mode=(root.find("Request").get("deploymentMode") or "production"),
    )


def build_response(status_code=200, text="OK", message="", start_url=None, in_reply_to=None):
    """A cXML Response (status, optionally with a PunchOutSetupResponse StartPage)."""
    root = _root()
    response = _el(root, "Response")
    _el(response, "Status", message or None, code=status_code, text=text)
    if start_url:
        _el(_el(_el(response, "PunchOutSetupResponse"), "StartPage"), "URL", start_url)
    return serialize(root)


def parse_response(data):
    """(status code, status text, detail): the detail is the StartPage URL of a PunchOutSetupResponse,
    otherwise the Status element's message."""
    root = parse(data, "cXML Response")
    status = root.find("Response/Status")
    if status is None:
        raise CXMLError("cXML answer without Response/Status")
    start_url = _text(root, "Response/PunchOutSetupResponse/StartPage/URL")
    return int(status.get("code") or 0), status.get("text") or "", start_url or (status.text or "").strip()


# ---------------------------------------------------------------------------- cart return
def build_order_message(buyer_cookie, items, currency, from_credentials, to_credentials, sender,
                        operation_allowed="edit"):
    root = _root()
    _header(root, from_credentials, to_credentials, sender)
    message = _el(_el(root, "Message"), "PunchOutOrderMessage")
    _el(message, "BuyerCookie", buyer_cookie)
    header = _el(message, "PunchOutOrderMessageHeader", operationAllowed=operation_allowed)
    total = sum((Decimal(i.unit_price) * Decimal(i.quantity) for i in items), Decimal(0))
    _money(header, "Total", total, currency)
    for n, item in enumerate(items, 1):
        item_in = _el(message, "ItemIn", quantity=_qty(item.quantity), lineNumber=n)
        ids = _el(item_in, "ItemID")
        _el(ids, "SupplierPartID", item.supplier_part_id)
        if item.aux_id:
            _el(ids, "SupplierPartAuxiliaryID", item.aux_id)
        detail = _el(item_in, "ItemDetail")
        _money(detail, "UnitPrice", item.unit_price, item.currency or currency)
        _el(detail, "Description", item.description or item.supplier_part_id, lang="en")
        _el(detail, "UnitOfMeasure", item.unit or "EA")
        _el(detail, "Classification", item.classification or "", domain=item.classification_domain or "UNSPSC")
        if item.manufacturer_part_id:
            _el(detail, "ManufacturerPartID", item.manufacturer_part_id)
        if item.lead_time:
            _el(detail, "LeadTime", item.lead_time)
    return serialize(root)


def _qty(value):
    q = Decimal(value).normalize()
    return format(q, "f")


def parse_order_message(data):
    root = parse(data, "PunchOutOrderMessage")
    message = root.find("Message/PunchOutOrderMessage")
    if message is None:
        raise CXMLError("not a PunchOutOrderMessage")
    return _text(message, "BuyerCookie"), [_parse_item(i) for i in message.findall("ItemIn")]


def encode_form_value(data):
    """The value of the ``cxml-base64`` form field."""
    return base64.b64encode(data).decode("ascii")


# ---------------------------------------------------------------------------- order request
def build_order_request(sender, order_id, items, currency="EUR", from_credentials=None, to_credentials=None,
                        ship_to=None):
    """The buyer side: an OrderRequest for items (used by the sandbox procurement system)."""
    root = _root()
    _header(root, from_credentials or [Credential(sender.domain, sender.identity)],
            to_credentials or [Credential("NetworkId", "supplier")], sender)
    request = _el(_el(root, "Request", deploymentMode="test"), "OrderRequest")
    header = _el(request, "OrderRequestHeader", orderID=order_id, orderDate=_now(), type="new")
    total = sum((Decimal(i.unit_price) * Decimal(i.quantity) for i in items), Decimal(0))
    _money(header, "Total", total, currency)
    for tag, address in (("ShipTo", ship_to), ("BillTo", ship_to or Address(name=sender.identity))):
        if not address:
            continue
        box = _el(_el(header, tag), "Address")
        _el(box, "Name", address.name, lang="en")
        if address.street or address.city:
            postal = _el(box, "PostalAddress")
            _el(postal, "Street", address.street)
            _el(postal, "City", address.city)
            _el(postal, "PostalCode", address.postal_code)
            _el(postal, "Country", address.country, isoCountryCode=address.country)
    for n, item in enumerate(items, 1):
        out = _el(request, "ItemOut", quantity=_qty(item.quantity), lineNumber=n)
        ids = _el(out, "ItemID")
        _el(ids, "SupplierPartID", item.supplier_part_id)
        detail = _el(out, "ItemDetail")
        _money(detail, "UnitPrice", item.unit_price, item.currency or currency)
        _el(detail, "Description", item.description or item.supplier_part_id, lang="en")
        _el(detail, "UnitOfMeasure", item.unit or "EA")
        _el(detail, "Classification", item.classification or "", domain="UNSPSC")
    return serialize(root)


def parse_order_request(data):
    root = parse(data, "OrderRequest")
    request = root.find("Request/OrderRequest")
    if request is None:
        raise CXMLError("not an OrderRequest")
    header = request.find("OrderRequestHeader")
    order_id = header.get("orderID") if header is not None else ""
    if not order_id:
        raise CXMLError("OrderRequest without orderID")
    sender = _parse_credentials(root.find("Header/Sender"))
    if not sender:
        raise CXMLError("OrderRequest without Sender credential", 401)
    outs = request.findall("ItemOut")
    if not outs:
        raise CXMLError(f"OrderRequest {order_id} has no ItemOut")
    if len(outs) > guard.MAX_LINES:
        raise CXMLError(f"OrderRequest {order_id} has {len(outs)} ItemOut, over the limit of {guard.MAX_LINES}")
    items = [_parse_item(out) for out in outs]
    for n, item in enumerate(items, 1):
        if item.quantity <= 0:
            raise CXMLError(f"OrderRequest {order_id}, line {n}: quantity {item.quantity} must be greater than zero")
    ship = header.find("ShipTo/Address")
    ship_to = Address(name=_text(ship, "Name"), street=_text(ship, "PostalAddress/Street"),
                      city=_text(ship, "PostalAddress/City"), postal_code=_text(ship, "PostalAddress/PostalCode"),
                      country=(ship.find("PostalAddress/Country").get("isoCountryCode")
                               if ship is not None and ship.find("PostalAddress/Country") is not None else "")
                      ) if ship is not None else None
    money = header.find("Total/Money")
    return OrderRequest(
        payload_id=root.get("payloadID") or "", order_id=order_id, order_date=header.get("orderDate") or "",
        sender=sender[0], from_credentials=_parse_credentials(root.find("Header/From")), items=items,
        total=_decimal(money.text, "Total") if money is not None and (money.text or "").strip() else None,
        currency=(money.get("currency") if money is not None else "") or "EUR", ship_to=ship_to,
        deployment_mode=(root.find("Request").get("deploymentMode") or "production"),
    )
