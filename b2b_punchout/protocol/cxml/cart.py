"""The cart going back: a PunchOutOrderMessage, posted by the buyer's browser as ``cxml-base64``."""

import base64
from decimal import Decimal

from .document import element, header, item_detail, item_id, money, new_document, quantity_text, serialize

FORM_FIELD = "cxml-base64"


def build_order_message(buyer_cookie, items, currency, from_credentials, to_credentials, sender,
                        operation_allowed="edit", total=None, supplier_order_id="", language=""):
    """The PunchOutOrderMessage of a cart. ``supplier_order_id``: our sale order of the cart, sent as
    SupplierOrderInfo (the DTD: "the supplier has created an order associated with the punchout order
    message"), which the buyer's OrderRequest may name again in its own SupplierOrderInfo. ``language``: the
    language of the item descriptions (xml:lang, BCP 47; default English)."""
    root = new_document(lang=language or "en-US")
    header(root, from_credentials, to_credentials, sender)
    message = element(element(root, "Message"), "PunchOutOrderMessage")
    element(message, "BuyerCookie", buyer_cookie)
    box = element(message, "PunchOutOrderMessageHeader", operationAllowed=operation_allowed)
    if total is None:
        total = sum((Decimal(i.unit_price) * Decimal(i.quantity) for i in items), Decimal(0))
    money(box, "Total", total, currency)
    if supplier_order_id:
        element(box, "SupplierOrderInfo", orderID=supplier_order_id)
    for n, item in enumerate(items, 1):
        item_in = element(message, "ItemIn", quantity=quantity_text(item.quantity), lineNumber=n)
        item_id(item_in, item)
        detail = item_detail(item_in, item, currency, lang=language or "en")
        if item.manufacturer_part_id:
            element(detail, "ManufacturerPartID", item.manufacturer_part_id)
        if item.lead_time:
            element(detail, "LeadTime", item.lead_time)
    return serialize(root)


def encode_form_value(data):
    """The value of the ``cxml-base64`` form field."""
    return base64.b64encode(data).decode("ascii")
