"""SAP OCI 4.0 / 5.0 punch-out: the login parameters and the NEW_ITEM-* cart fields.

The buyer's system opens our shop with HOOK_URL (where the cart goes back), credentials and optional
~OkCode / ~TARGET / ~CALLER; the cart returns as an auto-submitting HTML form posting NEW_ITEM-<FIELD>[n]
fields (n from 1) to HOOK_URL, with the target frame the buyer asked for.
"""

import html
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# field -> maximum length (OCI 4.0 field catalogue; OCI 5.0 keeps them)
FIELDS = {
    "DESCRIPTION": 40, "QUANTITY": 15, "UNIT": 3, "PRICE": 15, "CURRENCY": 5, "PRICEUNIT": 9, "LEADTIME": 5,
    "VENDORMAT": 40, "MATGROUP": 10, "VENDOR": 10, "EXT_PRODUCT_ID": 40, "MANUFACTMAT": 40, "LONGTEXT_n:132": 132,
}
_FIELD_RE = re.compile(r"^NEW_ITEM-([A-Z_]+)\[(\d+)\]$")


class OCIError(ValueError):
    user_facing = True


@dataclass
class Login:
    hook_url: str
    username: str = ""
    password: str = ""
    ok_code: str = ""
    target: str = "_top"
    caller: str = ""
    version: str = "4.0"


@dataclass
class Item:
    description: str
    quantity: Decimal
    unit: str
    price: Decimal
    currency: str
    vendor_mat: str
    price_unit: int = 1
    lead_time: int = 0
    mat_group: str = ""
    ext_product_id: str = ""
    long_text: str = ""


def parse_login(params):
    """``params``: the query/form parameters of the login request."""
    hook = (params.get("HOOK_URL") or params.get("hook_url") or "").strip()
    if not hook:
        raise OCIError("OCI login without HOOK_URL")
    return Login(hook_url=hook, username=params.get("USERNAME", ""), password=params.get("PASSWORD", ""),
                 ok_code=params.get("~OkCode", ""), target=params.get("~TARGET") or "_top",
                 caller=params.get("~CALLER", ""), version=params.get("OCI_VERSION", "4.0"))


def _fmt(value):
    return format(Decimal(value).normalize(), "f")


def cart_fields(items, login=None):
    """The ordered (name, value) pairs of the cart return form."""
    pairs = []
    if login and login.ok_code:
        pairs.append(("~OkCode", login.ok_code))
    if login and login.target:
        pairs.append(("~TARGET", login.target))
    if login and login.caller:
        pairs.append(("~CALLER", login.caller))
    for n, item in enumerate(items, 1):
        if not item.vendor_mat:
            raise OCIError(f"cart line {n} has no vendor material number")
        values = {
            "DESCRIPTION": item.description, "QUANTITY": _fmt(item.quantity), "UNIT": item.unit,
            "PRICE": f"{Decimal(item.price):.2f}", "CURRENCY": item.currency, "PRICEUNIT": str(item.price_unit or 1),
            "VENDORMAT": item.vendor_mat, "EXT_PRODUCT_ID": item.ext_product_id or item.vendor_mat,
        }
        if item.lead_time:
            values["LEADTIME"] = str(item.lead_time)
        if item.mat_group:
            values["MATGROUP"] = item.mat_group
        for name, value in values.items():
            pairs.append((f"NEW_ITEM-{name}[{n}]", (value or "")[:FIELDS.get(name, 132)]))
        if item.long_text:
            pairs.append((f"NEW_ITEM-LONGTEXT_{n}:132[]", item.long_text[:132 * 10]))
    return pairs


def parse_cart(form):
    """The buyer side (sandbox procurement system): items from posted NEW_ITEM fields."""
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


def auto_submit_form(action, pairs, target="_top", form_id="o_punchout_return"):
    """An HTML form that posts ``pairs`` to ``action`` as soon as the page loads (and a button if
    scripts are off)."""
    inputs = "\n".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}"/>'
                       for k, v in pairs)
    return (f'<form id="{form_id}" method="post" action="{html.escape(action)}" target="{html.escape(target)}" '
            f'accept-charset="UTF-8">\n{inputs}\n<noscript><button type="submit">Return the cart</button></noscript>'
            f"\n</form>")
