"""The procurement system's side of SAP OCI: the NEW_ITEM-* fields of a returned cart, read as an SAP
system reads them: every field within its OCI length, QUANTITY and PRICE with at most 11 digits before
and 3 after a decimal point, PRICEUNIT and LEADTIME whole numbers, PRICE the price of PRICEUNIT units.
Our side is b2b_punchout/protocol/oci.py."""

import re
from decimal import Decimal

from odoo.addons.b2b_punchout.protocol.oci import FIELDS, Item, OCIError

_FIELD_RE = re.compile(r"^NEW_ITEM-([A-Z_]+)\[(\d+)\]$")
_LONGTEXT_RE = re.compile(r"^NEW_ITEM-LONGTEXT_(\d+):132\[\]$")
DECIMAL_RE = re.compile(r"^\d{1,11}(\.\d{1,3})?$")
WHOLE_RE = re.compile(r"^\d{1,5}$")
FORMATS = {"QUANTITY": DECIMAL_RE, "PRICE": DECIMAL_RE, "PRICEUNIT": WHOLE_RE, "LEADTIME": WHOLE_RE}


def check_field(name, value, n):
    """``value`` of NEW_ITEM-``name``[n] as OCI defines the field; an OCIError otherwise."""
    if name not in FIELDS:
        raise OCIError(f"cart line {n}: NEW_ITEM-{name} is no OCI field")
    if len(value) > FIELDS[name]:
        raise OCIError(f"cart line {n}: NEW_ITEM-{name} is {len(value)} characters, over its {FIELDS[name]}")
    pattern = FORMATS.get(name)
    if pattern and value and not pattern.match(value):
        raise OCIError(f"cart line {n}: NEW_ITEM-{name} {value!r} is not in OCI's number format")
    return value


def parse_cart(form):
    """The items of the posted NEW_ITEM fields; ``Item.price`` per unit (PRICE divided by PRICEUNIT)."""
    lines, long_texts = {}, {}
    for key, value in form.items():
        match = _FIELD_RE.match(key)
        if match:
            n = int(match.group(2))
            lines.setdefault(n, {})[match.group(1)] = check_field(match.group(1), value, n)
        elif _LONGTEXT_RE.match(key):
            long_texts[int(_LONGTEXT_RE.match(key).group(1))] = value
    items = []
    for n in sorted(lines):
        data = lines[n]
        price_unit = int(data.get("PRICEUNIT") or 1)
        if price_unit < 1:
            raise OCIError(f"cart line {n}: PRICEUNIT must be at least 1")
        items.append(Item(
            description=data.get("DESCRIPTION", ""), quantity=Decimal(data.get("QUANTITY") or "0"),
            unit=data.get("UNIT", ""), price=Decimal(data.get("PRICE") or "0") / price_unit, price_unit=price_unit,
            currency=data.get("CURRENCY", ""), vendor_mat=data.get("VENDORMAT", ""),
            ext_product_id=data.get("EXT_PRODUCT_ID", ""), lead_time=int(data.get("LEADTIME") or 0),
            mat_group=data.get("MATGROUP", ""),
            unspsc=data.get("EXT_CATEGORY_ID", "") if data.get("EXT_SCHEMA_TYPE") == "UNSPSC" else "",
            long_text=long_texts.get(n, "")))
    return items
