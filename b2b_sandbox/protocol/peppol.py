"""The procurement system's side of PEPPOL BIS Punch Out 3: the UBL Catalogue of a returned cart comes in,
the PEPPOL BIS Ordering 3 Order goes to the shop. Our side is b2b_punchout/protocol/peppol.py."""

import base64
import binascii
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_punchout.protocol.peppol import (
    MAX_BYTES, NS, Line, Party, PeppolError, number, party_element, qname, sub, text_at,
)


def decode_field(value, what="PEPPOL document"):
    """The bytes of a base64 form field (the cart, and cXML's ``cxml-base64`` alike)."""
    try:
        return base64.b64decode((value or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PeppolError(f"{what}: the form field is not valid base64") from None


def parse_cart(data):
    """(cart id, lines) of a punch-out Catalogue."""
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="PEPPOL punch-out cart")
    if root.tag != qname("cat", "Catalogue"):
        raise PeppolError("the punch-out cart is not a UBL Catalogue")
    lines = []
    for cl in root.findall("cac:CatalogueLine", NS):
        amount = cl.find("cac:RequiredItemLocationQuantity/cac:Price/cbc:PriceAmount", NS)
        lines.append(Line(
            seller_item_id=text_at(cl, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
            name=text_at(cl, "cac:Item/cbc:Name"),
            quantity=number(text_at(cl, "cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity") or "1",
                            "BatchQuantity"),
            price=number(amount.text if amount is not None else "0", "PriceAmount"),
            currency=amount.get("currencyID") if amount is not None else "EUR"))
    return text_at(root, "cbc:ID"), lines


def build_order(order):
    """A PEPPOL BIS Ordering 3 Order (bytes) of a :class:`PeppolOrder`."""
    root = etree.Element(qname("ord", "Order"), nsmap={None: NS["ord"], "cac": NS["cac"], "cbc": NS["cbc"]})
    sub(root, "cbc", "CustomizationID", "urn:fdc:peppol.eu:poacc:trns:order:3")
    sub(root, "cbc", "ProfileID", "urn:fdc:peppol.eu:poacc:bis:ordering:3")
    sub(root, "cbc", "ID", order.order_id)
    sub(root, "cbc", "IssueDate", order.issue_date)
    sub(root, "cbc", "DocumentCurrencyCode", order.currency)
    if order.buyer_reference:
        sub(root, "cbc", "BuyerReference", order.buyer_reference)
    sub(party_element(root, "BuyerCustomerParty", Party()), "cac", "Party")
    buyer = root.find("cac:BuyerCustomerParty/cac:Party", NS)
    sub(buyer, "cbc", "EndpointID", order.buyer.endpoint_id, schemeID=order.buyer.endpoint_scheme)
    sub(sub(buyer, "cac", "PartyName"), "cbc", "Name", order.buyer.name)
    seller = sub(sub(root, "cac", "SellerSupplierParty"), "cac", "Party")
    sub(seller, "cbc", "EndpointID", order.seller.endpoint_id, schemeID=order.seller.endpoint_scheme)
    total = sum((line.price * line.quantity for line in order.lines), Decimal(0))
    sub(sub(root, "cac", "AnticipatedMonetaryTotal"), "cbc", "PayableAmount", f"{total:.2f}", currencyID=order.currency)
    for n, line in enumerate(order.lines, 1):
        item_line = sub(sub(root, "cac", "OrderLine"), "cac", "LineItem")
        sub(item_line, "cbc", "ID", n)
        sub(item_line, "cbc", "Quantity", format(line.quantity.normalize(), "f"), unitCode=line.unit)
        sub(item_line, "cbc", "LineExtensionAmount", f"{line.price * line.quantity:.2f}", currencyID=order.currency)
        sub(sub(item_line, "cac", "Price"), "cbc", "PriceAmount", f"{line.price:.2f}", currencyID=order.currency)
        item = sub(item_line, "cac", "Item")
        sub(item, "cbc", "Name", line.name)
        sub(sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", line.seller_item_id)
    return safe_xml.to_bytes(root)
