"""The procurement system's side of SAP OCI: the NEW_ITEM-* fields of a returned cart. Our side is
b2b_punchout/protocol/oci.py."""

import re
from decimal import Decimal, InvalidOperation

from odoo.addons.b2b_punchout.protocol.oci import Item, OCIError

_FIELD_RE = re.compile(r"^NEW_ITEM-([A-Z_]+)\[(\d+)\]$")


def parse_cart(form):
    """The items of the posted NEW_ITEM fields."""
    lines = {}
    for key, value in form.items():
        match = _FIELD_RE.match(key)
        if match:
            lines.setdefault(int(match.group(2)), {})[match.group(1)] = value
    items = []
    for n in sorted(lines):
        data = lines[n]
        try:
            items.append(Item(description=data.get("DESCRIPTION", ""), quantity=Decimal(data.get("QUANTITY", "0")),
                              unit=data.get("UNIT", ""), price=Decimal(data.get("PRICE", "0")),
                              currency=data.get("CURRENCY", ""), vendor_mat=data.get("VENDORMAT", ""),
                              price_unit=int(data.get("PRICEUNIT") or 1), ext_product_id=data.get("EXT_PRODUCT_ID", "")))
        except (InvalidOperation, ValueError):
            raise OCIError(f"cart line {n}: invalid quantity or price") from None
    return items
