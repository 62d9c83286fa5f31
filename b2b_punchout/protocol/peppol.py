"""PEPPOL BIS Punch Out 3 (Proceedo and other PEPPOL procurement systems).

Our side: the cart goes back as a UBL Catalogue (customization urn:fdc:peppol.eu:poacc:trns:punch_out:3),
base64-encoded in a form field; the final order arrives as a PEPPOL BIS Ordering 3 Order. What we send
is checked with our Schematron (``schemas/peppol_punchout.sch``) before it leaves. The procurement
system's side (reading the cart, sending the Order) is in b2b_sandbox/protocol/peppol.py.
"""

import base64
import datetime
import pathlib
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from . import guard
from .base import CartReturn, PunchoutError, PunchoutProtocol, register

NS = {
    "cat": "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2",
    "ord": "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:punch_out:3"
PROFILE = "urn:fdc:peppol.eu:poacc:bis:punch_out:3"
SCHEMATRON = pathlib.Path(__file__).resolve().parent / "schemas" / "peppol_punchout.sch"
MAX_BYTES = guard.MAX_BODY_BYTES
FORM_FIELD = "punchout_cart"  # the base64 UBL form field posted back to the buyer


class PeppolError(PunchoutError):
    pass


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


def qname(prefix, tag):
    return f"{{{NS[prefix]}}}{tag}"


def sub(parent, prefix, tag, text=None, **attrs):
    el = etree.SubElement(parent, qname(prefix, tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    if text is not None:
        el.text = str(text)
    return el


def party_element(parent, tag, party):
    wrap = sub(parent, "cac", tag)
    if party.endpoint_id:
        sub(wrap, "cbc", "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme or "0192")
    if party.name:
        sub(sub(wrap, "cac", "PartyLegalEntity"), "cbc", "RegistrationName", party.name)
    return wrap


def build_cart(cart_id, provider, receiver, lines, issue_date=None):
    """The punch-out cart as a UBL Catalogue; validated with our Schematron; returns bytes."""
    root = etree.Element(qname("cat", "Catalogue"), nsmap={None: NS["cat"], "cac": NS["cac"], "cbc": NS["cbc"]})
    sub(root, "cbc", "CustomizationID", CUSTOMIZATION)
    sub(root, "cbc", "ProfileID", PROFILE)
    sub(root, "cbc", "ID", cart_id)
    sub(root, "cbc", "ActionCode", "false")
    sub(root, "cbc", "IssueDate", (issue_date or datetime.date.today()).isoformat())
    party_element(root, "ProviderParty", provider)
    party_element(root, "ReceiverParty", receiver)
    for n, line in enumerate(lines, 1):
        cl = sub(root, "cac", "CatalogueLine")
        sub(cl, "cbc", "ID", n)
        req = sub(cl, "cac", "RequiredItemLocationQuantity")
        price = sub(req, "cac", "Price")
        sub(price, "cbc", "PriceAmount", f"{Decimal(line.price):.2f}", currencyID=line.currency)
        sub(price, "cbc", "BaseQuantity", "1", unitCode=line.unit)
        sub(sub(req, "cac", "DeliveryUnit"), "cbc", "BatchQuantity", format(Decimal(line.quantity).normalize(), "f"),
             unitCode=line.unit)
        item = sub(cl, "cac", "Item")
        if line.description:
            sub(item, "cbc", "Description", line.description)
        sub(item, "cbc", "Name", line.name or line.seller_item_id)
        sub(sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", line.seller_item_id)
    safe_xml.validate_schematron(root, SCHEMATRON, name="PEPPOL punch-out cart rules")
    return safe_xml.to_bytes(root)


def encode_cart(data):
    return base64.b64encode(data).decode("ascii")


def text_at(el, path):
    found = el.find(path, NS) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def number(value, what, **checks):
    try:
        return guard.number(value, what, **checks)
    except guard.InputError as exc:
        raise PeppolError(str(exc)) from None


def parse_order(data):
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="PEPPOL Order")
    if root.tag != qname("ord", "Order"):
        raise PeppolError("the document is not a UBL Order")
    order_id = text_at(root, "cbc:ID")
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
            seller_item_id=text_at(li, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
            name=text_at(li, "cac:Item/cbc:Name"),
            quantity=number(qty.text if qty is not None else "", "Quantity", positive=True),
            price=number(price.text if price is not None else "0", "PriceAmount", non_negative=True),
            currency=(price.get("currencyID") if price is not None else "") or "",
            unit=qty.get("unitCode", "C62") if qty is not None else "C62"))
    return PeppolOrder(
        order_id=order_id, issue_date=text_at(root, "cbc:IssueDate"),
        buyer=Party(endpoint_id=endpoint.text.strip() if endpoint is not None and endpoint.text else "",
                    endpoint_scheme=endpoint.get("schemeID", "") if endpoint is not None else "",
                    name=text_at(buyer, "cac:PartyName/cbc:Name") or text_at(buyer, "cac:PartyLegalEntity/cbc:RegistrationName")),
        seller=Party(endpoint_id=text_at(seller, "cbc:EndpointID")),
        lines=lines, currency=text_at(root, "cbc:DocumentCurrencyCode") or "EUR",
        buyer_reference=text_at(root, "cbc:BuyerReference"),
    )


@register
class PeppolProtocol(PunchoutProtocol):
    code = "peppol"
    label = "PEPPOL BIS Punch Out 3 (Proceedo)"
    name = "PEPPOL"
    login_route = "/punchout/peppol/login"
    identities_help = "The PEPPOL endpoint id of the buyer (scheme:id, e.g. 0192:123456785)"

    def cart_return(self, cart):
        lines = [Line(seller_item_id=line.part, name=line.description, quantity=line.quantity, price=line.price,
                      currency=line.currency) for line in cart.lines]
        data = build_cart(cart.reference, Party(name=cart.supplier), Party(endpoint_id=cart.buyer_identity), lines)
        return CartReturn(data, [(FORM_FIELD, encode_cart(data))])
