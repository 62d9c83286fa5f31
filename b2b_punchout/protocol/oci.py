"""SAP OCI 4.0 / 5.0 punch-out, our side: the login parameters and the NEW_ITEM-* cart fields.

The buyer's system opens our shop with HOOK_URL (where the cart goes back), credentials and optional
~OkCode / ~TARGET / ~CALLER; the cart returns as an auto-submitting HTML form posting NEW_ITEM-<FIELD>[n]
fields (n from 1) to HOOK_URL, with the target frame the buyer asked for. The buyer's side (reading those
fields) is in b2b_sandbox/protocol/oci.py.
"""

from dataclasses import dataclass
from decimal import Decimal

from .base import CartReturn, PunchoutError, PunchoutProtocol, register

# field -> maximum length (OCI 4.0 field catalogue; OCI 5.0 keeps them)
FIELDS = {
    "DESCRIPTION": 40, "QUANTITY": 15, "UNIT": 3, "PRICE": 15, "CURRENCY": 5, "PRICEUNIT": 9, "LEADTIME": 5,
    "VENDORMAT": 40, "MATGROUP": 10, "VENDOR": 10, "EXT_PRODUCT_ID": 40, "MANUFACTMAT": 40, "LONGTEXT_n:132": 132,
}


class OCIError(PunchoutError):
    pass


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


@register
class OciProtocol(PunchoutProtocol):
    code = "oci"
    label = "SAP OCI 4/5"
    name = "OCI"
    login_route = "/punchout/oci/login"
    identities_help = "The USERNAME the SAP system logs in with"

    def cart_return(self, cart):
        items = [Item(description=line.description, quantity=line.quantity, unit="PCE", price=line.price,
                      currency=line.currency, vendor_mat=line.part, mat_group=line.category)
                 for line in cart.lines]
        target = cart.options.get("target") or "_top"
        login = Login(hook_url=cart.return_url, ok_code=cart.options.get("ok_code") or "", target=target)
        pairs = cart_fields(items, login)
        return CartReturn("\n".join(f"{k}={v}" for k, v in pairs).encode(), pairs, target)
