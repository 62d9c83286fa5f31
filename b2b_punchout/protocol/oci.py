"""SAP OCI 4.0 / 5.0 punch-out, our side: the login parameters and the NEW_ITEM-* cart fields.

The buyer's system opens our shop with HOOK_URL (where the cart goes back), credentials and optional
~OkCode / ~TARGET / ~CALLER; the cart returns as an auto-submitting HTML form posting NEW_ITEM-<FIELD>[n]
fields (n from 1) to HOOK_URL, with the target frame the buyer asked for. The buyer's side (reading those
fields) is in b2b_sandbox/protocol/oci.py.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from odoo.addons.b2b_connector_base.lib.errors import _lt

from .base import CartReturn, PunchoutError, PunchoutProtocol, register, unit_as

# The inbound (cart) fields of SAP OCI 4.0 / 5.0 and their lengths, as SAP's OCI documentation lists them
# (every field is CHAR; see tests/fixtures/specs/SOURCES.md for where this comes from).
FIELDS = {
    "DESCRIPTION": 40, "MATNR": 40, "QUANTITY": 15, "UNIT": 3, "PRICE": 15, "CURRENCY": 5, "PRICEUNIT": 5,
    "LEADTIME": 5, "VENDOR": 10, "VENDORMAT": 40, "MANUFACTCODE": 10, "MANUFACTMAT": 40, "MATGROUP": 10,
    "SERVICE": 1, "CONTRACT": 10, "CONTRACT_ITEM": 5, "EXT_QUOTE_ID": 35, "EXT_QUOTE_ITEM": 10,
    "EXT_PRODUCT_ID": 40, "ATTACHMENT": 255, "ATTACHMENT_TITLE": 255, "ATTACHMENT_PURPOSE": 1,
    "EXT_SCHEMA_TYPE": 10, "EXT_CATEGORY_ID": 60,
}
# QUANTITY and PRICE: at most 11 digits before the decimal point and 3 after it, a point (no comma, no
# thousands separator); PRICEUNIT and LEADTIME are whole numbers (price unit DEC 5,0; lead time in days)
INTEGER_DIGITS = 11
DECIMALS = 3
MAX_PRICE_UNIT = 10 ** FIELDS["PRICEUNIT"] - 1
MAX_LEAD_TIME = 10 ** FIELDS["LEADTIME"] - 1
TEXT_FIELDS = ("DESCRIPTION",)  # free text SAP keeps the first 40 characters of; the rest goes to LONGTEXT
UNSPSC_SCHEMA = "UNSPSC"  # NEW_ITEM-EXT_SCHEMA_TYPE of a UNSPSC code in NEW_ITEM-EXT_CATEGORY_ID


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
    price: Decimal  # per unit of ``unit``
    currency: str
    vendor_mat: str
    price_unit: int = 1  # the PRICEUNIT the cart was sent with (PRICE is for that many units)
    lead_time: int = 0
    mat_group: str = ""
    ext_product_id: str = ""
    long_text: str = ""
    unspsc: str = ""


def parse_login(params):
    """``params``: the query/form parameters of the login request."""
    hook = (params.get("HOOK_URL") or params.get("hook_url") or "").strip()
    if not hook:
        raise OCIError("oci.login.no_hook", _lt("OCI login without HOOK_URL"))
    return Login(hook_url=hook, username=params.get("USERNAME", ""), password=params.get("PASSWORD", ""),
                 ok_code=params.get("~OkCode", ""), target=params.get("~TARGET") or "_top",
                 caller=params.get("~CALLER", ""), version=params.get("OCI_VERSION", "4.0"))


def number_text(value, what, n):
    """``value`` as an OCI QUANTITY / PRICE: 3 decimals after a point, at most 11 digits before it.
    Refused (never rounded or cut) when it does not fit."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise OCIError("oci.cart.not_number", _lt("cart line %(line)s: %(what)s %(value)s is not a number"), line=n,
                       what=what, value=repr(value)) from None
    if not value.is_finite() or value < 0:
        raise OCIError("oci.cart.not_sendable", _lt("cart line %(line)s: %(what)s %(value)s cannot be sent"), line=n,
                       what=what, value=value)
    fitted = value.quantize(Decimal(1).scaleb(-DECIMALS))
    if fitted != value:
        raise OCIError("oci.cart.decimals", _lt(
            "cart line %(line)s: %(what)s %(value)s has more than %(decimals)s decimals, more than OCI carries"),
            line=n, what=what, value=value, decimals=DECIMALS)
    if fitted >= 10 ** INTEGER_DIGITS:
        raise OCIError("oci.cart.digits", _lt(
            "cart line %(line)s: %(what)s %(value)s has more than %(digits)s digits before the decimal point"),
            line=n, what=what, value=value, digits=INTEGER_DIGITS)
    return format(fitted, "f")


def price_fields(price, n):
    """(PRICE, PRICEUNIT) of a unit price: the price for 1 unit when it fits OCI's 3 decimals, else the
    price for 10, 100, ... units (PRICEUNIT), the smallest that carries it exactly. Refused when even
    the largest price unit does not."""
    try:
        price = Decimal(price)
    except (InvalidOperation, TypeError, ValueError):
        raise OCIError("oci.cart.price_not_number", _lt("cart line %(line)s: price %(price)s is not a number"), line=n,
                       price=repr(price)) from None
    unit = 1
    while unit <= MAX_PRICE_UNIT:
        scaled = price * unit
        if scaled == scaled.quantize(Decimal(1).scaleb(-DECIMALS)):
            return number_text(scaled, "price", n), str(unit)
        unit *= 10
    raise OCIError("oci.cart.price_decimals", _lt(
        "cart line %(line)s: price %(price)s has more decimals than OCI carries, even per %(units)s units"),
        line=n, price=price, units=unit // 10)


def whole_number(value, what, n, maximum):
    if value != int(value) or not 0 <= value <= maximum:
        raise OCIError("oci.cart.whole_number", _lt(
            "cart line %(line)s: %(what)s %(value)s must be a whole number from 0 to %(maximum)s"),
            line=n, what=what, value=value, maximum=maximum)
    return str(int(value))


def identifier(value, name, n):
    """An identifier field: refused when too long (a cut identifier names another article)."""
    if len(value) > FIELDS[name]:
        raise OCIError("oci.cart.too_long", _lt(
            "cart line %(line)s: %(field)s %(value)s is longer than the %(length)s characters of OCI"),
            line=n, field=name, value=repr(value[:60]), length=FIELDS[name])
    return value


def cart_fields(items, login=None):
    """The ordered (name, value) pairs of the cart return form. A numeric value that does not fit its
    OCI field is refused (:class:`OCIError`), never cut."""
    pairs = []
    if login and login.ok_code:
        pairs.append(("~OkCode", login.ok_code))
    if login and login.target:
        pairs.append(("~TARGET", login.target))
    if login and login.caller:
        pairs.append(("~CALLER", login.caller))
    for n, item in enumerate(items, 1):
        if not item.vendor_mat:
            raise OCIError("oci.cart.no_vendor_mat", _lt("cart line %(line)s has no vendor material number"), line=n)
        if not Decimal(item.quantity) > 0:
            raise OCIError("oci.cart.quantity", _lt(
                "cart line %(line)s: quantity %(quantity)s must be greater than zero"),
                           line=n, quantity=item.quantity)
        price, price_unit = price_fields(item.price, n)
        values = {
            "DESCRIPTION": item.description, "QUANTITY": number_text(item.quantity, "quantity", n),
            "UNIT": identifier(item.unit, "UNIT", n), "PRICE": price,
            "CURRENCY": identifier(item.currency, "CURRENCY", n), "PRICEUNIT": price_unit,
            "VENDORMAT": identifier(item.vendor_mat, "VENDORMAT", n),
            "EXT_PRODUCT_ID": identifier(item.ext_product_id or item.vendor_mat, "EXT_PRODUCT_ID", n),
        }
        if item.lead_time:
            values["LEADTIME"] = whole_number(item.lead_time, "lead time", n, MAX_LEAD_TIME)
        if item.mat_group:
            values["MATGROUP"] = identifier(item.mat_group, "MATGROUP", n)
        if item.unspsc:
            values["EXT_SCHEMA_TYPE"] = UNSPSC_SCHEMA
            values["EXT_CATEGORY_ID"] = identifier(item.unspsc, "EXT_CATEGORY_ID", n)
        for name, value in values.items():
            value = value or ""
            pairs.append((f"NEW_ITEM-{name}[{n}]", value[:FIELDS[name]] if name in TEXT_FIELDS else value))
        long_text = item.long_text or (item.description if len(item.description) > FIELDS["DESCRIPTION"] else "")
        if long_text:
            pairs.append((f"NEW_ITEM-LONGTEXT_{n}:132[]", long_text[:132 * 10]))
    return pairs


@register
class OciProtocol(PunchoutProtocol):
    code = "oci"
    label = "SAP OCI 4/5"
    name = "OCI"
    login_route = "/punchout/oci/login"
    return_param = "HOOK_URL"
    identities_help = "The USERNAME the SAP system logs in with"

    def cart_return(self, cart):
        items = [Item(description=line.description, quantity=line.quantity, unit=unit_as(line.unit, "PCE"),
                      price=line.price,
                      currency=line.currency, vendor_mat=line.part, unspsc=line.unspsc, lead_time=line.lead_time)
                 for line in cart.lines]
        target = cart.options.get("target") or "_top"
        login = Login(hook_url=cart.return_url, ok_code=cart.options.get("ok_code") or "", target=target)
        pairs = cart_fields(items, login)
        return CartReturn("\n".join(f"{k}={v}" for k, v in pairs).encode(), pairs, target)
