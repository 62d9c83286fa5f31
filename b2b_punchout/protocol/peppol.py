"""PEPPOL BIS Punch Out 3 (Proceedo and other PEPPOL procurement systems).

The cart goes back as a UBL Catalogue (customization urn:fdc:peppol.eu:poacc:trns:punch_out:3),
base64-encoded in a form field; the final order arrives as a PEPPOL BIS Ordering 3 Order. What we send
is checked with our Schematron (``schemas/peppol_punchout.sch``) before it leaves.
"""

import base64
import binascii
import datetime
import pathlib
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from . import guard

NS = {
    "cat": "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2",
    "ord": "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:punch_out:3"
PROFILE = "urn:fdc:peppol.eu:poacc:bis:punch_out:3"
SCHEMATRON = pathlib.Path(__file__).resolve().parent / "schemas" / "peppol_punchout.sch"
MAX_BYTES = 5 * 1024 * 1024
FORM_FIELD = "punchout_cart"  # the base64 UBL form field posted back to the buyer


class PeppolError(ValueError):
    user_facing = True


@dataclass
class Party:
    endpoint_id: str = ""
    endpoint_scheme: str = "0192"
    name: str = ""


@dataclass
class Line:
    seller_item_id: str
    name: str
    quantity: Decimal
    price: Decimal
    currency: str = "EUR"
    unit: str = "C62"
    description: str = ""


@dataclass
class PeppolOrder:
    order_id: str
    issue_date: str
    buyer: Party
    seller: Party
    lines: list = field(default_factory=list)
    currency: str = "EUR"
    total: Decimal = None
    buyer_reference: str = ""


def _q(prefix, tag):
    return f"{{{NS[prefix]}}}{tag}"


def _sub(parent, prefix, tag, text=None, **attrs):
    el = etree.SubElement(parent, _q(prefix, tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    if text is not None:
        el.text = str(text)
    return el


def _party(parent, tag, party):
    wrap = _sub(parent, "cac", tag)
    if party.endpoint_id:
        _sub(wrap, "cbc", "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme or "0192")
    if party.name:
        _sub(_sub(wrap, "cac", "PartyLegalEntity"), "cbc", "RegistrationName", party.name)
    return wrap


def build_cart(cart_id, provider, receiver, lines, issue_date=None):
    """The punch-out cart as a UBL Catalogue; validated with our Schematron; returns bytes."""
    root = etree.Element(_q("cat", "Catalogue"), nsmap={None: NS["cat"], "cac": NS["cac"], "cbc": NS["cbc"]})
    _sub(root, "cbc", "CustomizationID", CUSTOMIZATION)
    _sub(root, "cbc", "ProfileID", PROFILE)
    _sub(root, "cbc", "ID", cart_id)
    _sub(root, "cbc", "ActionCode", "false")
    _sub(root, "cbc", "IssueDate", (issue_date or datetime.date.today()).isoformat())
    _party(root, "ProviderParty", provider)
    _party(root, "ReceiverParty", receiver)
    for n, line in enumerate(lines, 1):
        cl = _sub(root, "cac", "CatalogueLine")
        _sub(cl, "cbc", "ID", n)
        req = _sub(cl, "cac", "RequiredItemLocationQuantity")
        price = _sub(req, "cac", "Price")
        _sub(price, "cbc", "PriceAmount", f"{Decimal(line.price):.2f}", currencyID=line.currency)
        _sub(price, "cbc", "BaseQuantity", "1", unitCode=line.unit)
        _sub(_sub(req, "cac", "DeliveryUnit"), "cbc", "BatchQuantity", format(Decimal(line.quantity).normalize(), "f"),
             unitCode=line.unit)
        item = _sub(cl, "cac", "Item")
        if line.description:
            _sub(item, "cbc", "Description", line.description)
        _sub(item, "cbc", "Name", line.name or line.seller_item_id)
        _sub(_sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", line.seller_item_id)
    safe_xml.validate_schematron(root, SCHEMATRON, name="PEPPOL punch-out cart rules")
    return safe_xml.to_bytes(root)


def encode_cart(data):
    return base64.b64encode(data).decode("ascii")


def decode_field(value, what="PEPPOL document"):
    try:
        return base64.b64decode((value or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PeppolError(f"{what}: the form field is not valid base64") from None


def _text(el, path):
    found = el.find(path, NS) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def _decimal(value, what, **checks):
    try:
        return guard.number(value, what, **checks)
    except guard.InputError as exc:
        raise PeppolError(str(exc)) from None


def parse_cart(data):
    """The buyer side (sandbox procurement system): lines of a punch-out Catalogue."""
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="PEPPOL punch-out cart")
    if root.tag != _q("cat", "Catalogue"):
        raise PeppolError("the punch-out cart is not a UBL Catalogue")
    lines = []
    for cl in root.findall("cac:CatalogueLine", NS):
        amount = cl.find("cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount", NS)
        lines.append(Line(
            seller_item_id=_text(cl, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
            name=_text(cl, "cac:Item/cbc:Name"),
            quantity=_decimal(_text(cl, "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity") or "1",
                              "BatchQuantity"),
            price=_decimal(amount.text if amount is not None else "0", "PriceAmount"),
            currency=amount.get("currencyID") if amount is not None else "EUR"))
    return _text(root, "cbc:ID"), lines


def build_order(order):
    """The buyer side: a PEPPOL BIS Ordering 3 Order (used by the sandbox procurement system)."""
    root = etree.Element(_q("ord", "Order"), nsmap={None: NS["ord"], "cac": NS["cac"], "cbc": NS["cbc"]})
    _sub(root, "cbc", "CustomizationID", "urn:fdc:peppol.eu:poacc:trns:order:3")
    _sub(root, "cbc", "ProfileID", "urn:fdc:peppol.eu:poacc:bis:ordering:3")
    _sub(root, "cbc", "ID", order.order_id)
    _sub(root, "cbc", "IssueDate", order.issue_date)
    _sub(root, "cbc", "DocumentCurrencyCode", order.currency)
    if order.buyer_reference:
        _sub(root, "cbc", "BuyerReference", order.buyer_reference)
    _sub(_party(root, "BuyerCustomerParty", Party()), "cac", "Party")
    buyer = root.find("cac:BuyerCustomerParty/cac:Party", NS)
    _sub(buyer, "cbc", "EndpointID", order.buyer.endpoint_id, schemeID=order.buyer.endpoint_scheme)
    _sub(_sub(buyer, "cac", "PartyName"), "cbc", "Name", order.buyer.name)
    seller = _sub(_sub(root, "cac", "SellerSupplierParty"), "cac", "Party")
    _sub(seller, "cbc", "EndpointID", order.seller.endpoint_id, schemeID=order.seller.endpoint_scheme)
    total = sum((l.price * l.quantity for l in order.lines), Decimal(0))
    _sub(_sub(root, "cac", "AnticipatedMonetaryTotal"), "cbc", "PayableAmount", f"{total:.2f}",
         currencyID=order.currency)
    for n, line in enumerate(order.lines, 1):
        item_line = _sub(_sub(root, "cac", "OrderLine"), "cac", "LineItem")
        _sub(item_line, "cbc", "ID", n)
        _sub(item_line, "cbc", "Quantity", format(line.quantity.normalize(), "f"), unitCode=line.unit)
        _sub(item_line, "cbc", "LineExtensionAmount", f"{line.price * line.quantity:.2f}", currencyID=order.currency)
        _sub(_sub(item_line, "cac", "Price"), "cbc", "PriceAmount", f"{line.price:.2f}", currencyID=order.currency)
        item = _sub(item_line, "cac", "Item")
        _sub(item, "cbc", "Name", line.name)
        _sub(_sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", line.seller_item_id)
    return safe_xml.to_bytes(root)


def parse_order(data):
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="PEPPOL Order")
    if root.tag != _q("ord", "Order"):
        raise PeppolError("the document is not a UBL Order")
    order_id = _text(root, "cbc:ID")
    if not order_id:
        raise PeppolError("PEPPOL Order without ID")
    buyer = root.find("cac:BuyerCustomerParty/cac:Party", NS)
    seller = root.find("cac:SellerSupplierParty/cac:Party", NS)
    endpoint = buyer.find("cbc:EndpointID", NS) if buyer is not None else None
    line_items = root.findall("cac:OrderLine/cac:LineItem", NS)
    if not line_items:
        raise PeppolError(f"PEPPOL Order {order_id} has no order lines")
    if len(line_items) > guard.MAX_LINES:
        raise PeppolError(f"PEPPOL Order {order_id} has {len(line_items)} lines, over the limit of {guard.MAX_LINES}")
    lines = []
    for li in line_items:
        qty = li.find("cbc:Quantity", NS)
        price = li.find("cac:Price/cbc:PriceAmount", NS)
        lines.append(Line(
            seller_item_id=_text(li, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
            name=_text(li, "cac:Item/cbc:Name"),
            quantity=_decimal(qty.text if qty is not None else "", "Quantity", positive=True),
            price=_decimal(price.text if price is not None else "0", "PriceAmount", non_negative=True),
            currency=(price.get("currencyID") if price is not None else "") or "",
            unit=qty.get("unitCode", "C62") if qty is not None else "C62"))
    return PeppolOrder(
        order_id=order_id, issue_date=_text(root, "cbc:IssueDate"),
        buyer=Party(endpoint_id=endpoint.text.strip() if endpoint is not None and endpoint.text else "",
                    endpoint_scheme=endpoint.get("schemeID", "") if endpoint is not None else "",
                    name=_text(buyer, "cac:PartyName/cbc:Name") or _text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName")),
        seller=Party(endpoint_id=_text(seller, "cbc:EndpointID")),
        lines=lines, currency=_text(root, "cbc:DocumentCurrencyCode") or "EUR",
        buyer_reference=_text(root, "cbc:BuyerReference"),
    )
