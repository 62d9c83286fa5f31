"""The procurement system's side of PEPPOL BIS Punch Out 3: the UBL Catalogue of a returned cart comes in
(held against the UBL 2.1 XSD and the published T77 rules, :mod:`.peppol_rules`), the PEPPOL BIS Ordering 3
Order goes to the shop (valid against the UBL 2.1 Order XSD), referring to the cart it orders. Our side is
b2b_punchout/protocol/peppol.py."""

import base64
import binascii
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_punchout.protocol.base import amount_text
from odoo.addons.b2b_punchout.protocol.peppol import (
    MAX_BYTES,
    NS,
    Line,
    Party,
    PeppolError,
    number,
    qname,
    sub,
    text_at,
    unspsc_code,
)

from . import peppol_rules

CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:order:3"
PROFILE = "urn:fdc:peppol.eu:poacc:bis:ordering:3"


def decode_field(value, what="PEPPOL document"):
    """The bytes of a base64 form field (the cart, and cXML's ``cxml-base64`` alike)."""
    try:
        return base64.b64decode((value or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PeppolError(f"{what}: the form field is not valid base64") from None


@dataclass
class Cart:
    cart_id: str
    lines: list
    provider: Party = None
    receiver: Party = None
    warnings: list = field(default_factory=list)


def read_cart(data, validate=True):
    """The :class:`Cart` of a punch-out Catalogue; with ``validate`` it must pass the UBL 2.1 XSD and
    the T77 rules first (an XMLValidationError otherwise)."""
    if validate:
        root, warnings = peppol_rules.validate_cart(data)
    else:
        root, warnings = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="PEPPOL punch-out cart"), []
    if root.tag != qname("cat", "Catalogue"):
        raise PeppolError("the punch-out cart is not a UBL Catalogue")
    lines = []
    for cl in root.findall("cac:CatalogueLine", NS):
        price = cl.find("cac:RequiredItemLocationQuantity/cac:Price", NS)
        amount = price.find("cbc:PriceAmount", NS) if price is not None else None
        base = text_at(price, "cbc:BaseQuantity")
        base_quantity = number(base, "BaseQuantity", positive=True) if base else Decimal(1)
        tax = text_at(cl, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent")
        lines.append(Line(
            seller_item_id=text_at(cl, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
            name=text_at(cl, "cac:Item/cbc:Name"), description=text_at(cl, "cac:Item/cbc:Description"),
            quantity=number(text_at(cl, "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity") or "1",
                            "BatchQuantity"),
            price=number(amount.text if amount is not None else "0", "PriceAmount") / base_quantity,
            base_quantity=base_quantity, currency=amount.get("currencyID") if amount is not None else "EUR",
            unit=(price.find("cbc:BaseQuantity", NS).get("unitCode") if base else "") or "C62",
            unspsc=unspsc_code(cl.find("cac:Item", NS)),
            tax_percent=number(tax, "Percent") if tax else None))

    def party(tag):
        el = root.find(f"cac:{tag}", NS)
        endpoint = el.find("cbc:EndpointID", NS) if el is not None else None
        return Party(endpoint_id=(endpoint.text or "").strip() if endpoint is not None else "",
                     endpoint_scheme=endpoint.get("schemeID", "") if endpoint is not None else "",
                     name=text_at(el, "cac:PartyLegalEntity/cbc:RegistrationName"))

    return Cart(text_at(root, "cbc:ID"), lines, party("ProviderParty"), party("ReceiverParty"), warnings)


def parse_cart(data, validate=True):
    """(cart id, lines) of a punch-out Catalogue (see :func:`read_cart`)."""
    cart = read_cart(data, validate)
    return cart.cart_id, cart.lines


def _party(parent, party):
    """A cac:Party: endpoint, name (PartyType's order: EndpointID, PartyIdentification, PartyName ...)."""
    wrap = sub(parent, "cac", "Party")
    if party.endpoint_id:
        sub(wrap, "cbc", "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme or "0192")
    if party.name:
        sub(sub(wrap, "cac", "PartyName"), "cbc", "Name", party.name)
    return wrap


def _delivery(root, address):
    """cac:Delivery with the DeliveryLocation's address and the DeliveryParty (name, contact)."""
    delivery = sub(root, "cac", "Delivery")
    location = sub(delivery, "cac", "DeliveryLocation")
    if address.name:
        sub(location, "cbc", "Name", address.name)
    where = sub(location, "cac", "Address")
    for tag, value in (("StreetName", address.street), ("AdditionalStreetName", address.street2),
                       ("CityName", address.city), ("PostalZone", address.postal_code),
                       ("CountrySubentity", address.state)):
        if value:
            sub(where, "cbc", tag, value)
    if address.country:
        sub(sub(where, "cac", "Country"), "cbc", "IdentificationCode", address.country)
    if address.deliver_to or address.email or address.phone:
        party = sub(delivery, "cac", "DeliveryParty")
        sub(sub(party, "cac", "PartyName"), "cbc", "Name", address.name or address.deliver_to)
        contact = sub(party, "cac", "Contact")
        for tag, value in (("Name", address.deliver_to), ("Telephone", address.phone),
                           ("ElectronicMail", address.email)):
            if value:
                sub(contact, "cbc", tag, value)


def build_order(order, validate=True):
    """A PEPPOL BIS Ordering 3 Order (bytes) of a :class:`PeppolOrder`: the cart it orders named in
    CatalogueReference (the Catalogue's ID) and, when known, the seller's order in SalesOrderID; its
    CustomerReference; the delivery address. Checked against the UBL 2.1 Order XSD."""
    root = etree.Element(qname("ord", "Order"), nsmap={None: NS["ord"], "cac": NS["cac"], "cbc": NS["cbc"]})
    sub(root, "cbc", "CustomizationID", CUSTOMIZATION)
    sub(root, "cbc", "ProfileID", PROFILE)
    sub(root, "cbc", "ID", order.order_id)
    if order.sales_order_id:
        sub(root, "cbc", "SalesOrderID", order.sales_order_id)
    sub(root, "cbc", "IssueDate", order.issue_date)
    sub(root, "cbc", "DocumentCurrencyCode", order.currency)
    if order.customer_reference:
        sub(root, "cbc", "CustomerReference", order.customer_reference)
    if order.quotation_reference:
        sub(sub(root, "cac", "QuotationDocumentReference"), "cbc", "ID", order.quotation_reference)
    if order.catalogue_reference:
        sub(sub(root, "cac", "CatalogueReference"), "cbc", "ID", order.catalogue_reference)
    _party(sub(root, "cac", "BuyerCustomerParty"), order.buyer)
    _party(sub(root, "cac", "SellerSupplierParty"), order.seller)
    if order.delivery is not None:
        _delivery(root, order.delivery)
    total = sum((line.price * line.quantity for line in order.lines), Decimal(0))
    sub(sub(root, "cac", "AnticipatedMonetaryTotal"), "cbc", "PayableAmount", f"{total:.2f}", currencyID=order.currency)
    for n, line in enumerate(order.lines, 1):
        item_line = sub(sub(root, "cac", "OrderLine"), "cac", "LineItem")
        sub(item_line, "cbc", "ID", n)
        sub(item_line, "cbc", "Quantity", format(line.quantity.normalize(), "f"), unitCode=line.unit)
        sub(item_line, "cbc", "LineExtensionAmount", f"{line.price * line.quantity:.2f}", currencyID=order.currency)
        base = Decimal(line.base_quantity or 1)
        price = sub(item_line, "cac", "Price")
        sub(price, "cbc", "PriceAmount", amount_text(line.price * base), currencyID=order.currency)
        sub(price, "cbc", "BaseQuantity", format(base.normalize(), "f"), unitCode=line.unit)
        item = sub(item_line, "cac", "Item")
        sub(item, "cbc", "Name", line.name)
        sub(sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", line.seller_item_id)
    if validate:
        peppol_rules.validate_xsd(root, "Order")
    return safe_xml.to_bytes(root)
