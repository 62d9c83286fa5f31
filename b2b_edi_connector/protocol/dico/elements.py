"""Reading DICO elements, whatever the format.

Parsing is tolerant of the documented wholesaler deviations seen in public samples (element names in
another case, a misspelt ``DeliveryTimeEarlies``, empty GLNs, a date with its time): names are compared
case-insensitively on their local part (so the same code reads INSBOU003 without and SALES005 with a
namespace) and unknown elements are ignored.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from odoo.addons.b2b_connector_base.lib.errors import _lt

from .model import DicoError, Party


def local(tag):
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def child(el, *names):
    """First child (direct) whose local name matches one of ``names``, case-insensitively."""
    if el is None:
        return None
    wanted = {n.lower() for n in names}
    for candidate in el:
        if local(candidate.tag) in wanted:
            return candidate
    return None


def children(el, name):
    if el is None:
        return []
    return [c for c in el if local(c.tag) == name.lower()]


def path(el, *steps):
    """The element at ``steps`` below ``el``; a step may name alternatives (``"A|B"``)."""
    for step in steps:
        el = child(el, *step.split("|"))
        if el is None:
            return None
    return el


def text(el, *steps):
    node = path(el, *steps) if steps else el
    return (node.text or "").strip() if node is not None else ""


def required_text(el, tag, code, message):
    """The text of ``tag`` below ``el``; a :class:`DicoError` ``code`` saying ``message`` when there is none."""
    value = text(el, tag)
    if not value:
        raise DicoError(code, message)
    return value


def decimal(value, what):
    if value in ("", None):
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise DicoError("dico.value.number", _lt("%(what)s: %(value)s is not a number"), what=what,
                        value=repr(value)) from None


def date(value, what):
    if not value:
        return None
    value = value.split("T")[0] if "T" in value else value  # a date with its time (seen in responses)
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise DicoError("dico.value.date", _lt("%(what)s: %(value)s is not a date"), what=what, value=repr(value))


def date_at(el, *steps):
    """The date at ``steps`` below ``el`` (named after its last step in errors)."""
    return date(text(el, *steps), steps[-1].split("|")[0])


def time(value, what):
    if not value:
        return None
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            return datetime.datetime.strptime(value[:8], fmt).time()
        except ValueError:
            continue
    raise DicoError("dico.value.time", _lt("%(what)s: %(value)s is not a time"), what=what, value=repr(value))


def time_at(el, *steps):
    return time(text(el, *steps), steps[-1].split("|")[0])


def price_basis(price_information, what):
    """The number of units a price is for (``PriceBase/NumberOfUnitsInPriceBasis``, 1 when absent)."""
    basis = decimal(text(price_information, "PriceBase", "NumberOfUnitsInPriceBasis"), "NumberOfUnitsInPriceBasis")
    if basis is None:
        return Decimal(1)
    if basis <= 0:
        raise DicoError("dico.value.price_basis",
                        _lt("%(what)s: NumberOfUnitsInPriceBasis %(basis)s is not a number of units"),
                        what=what, basis=basis)
    return basis


def party(el):
    if el is None:
        return None
    return Party(gln=text(el, "GLN"), name=text(el, "Name"), street=text(el, "StreetAndNumber"),
                 city=text(el, "City"), postal_code=text(el, "PostalCode"), country=text(el, "Country"))


def trade_item(el):
    """(GTIN, supplier article code, description) of a line's TradeItemIdentification."""
    item = child(el, "TradeItemIdentification")
    # SuppliersTradeItemId: the name INSBOU004 gives it (Ketenstandaard's own INSBOU004 invoice sample)
    return (text(item, "GTIN"), text(item, "SuppliersTradeItemIdentification|SuppliersTradeItemId"),
            text(item, "AdditionalItemIdentification", "TradeItemDescription"))


_THOUSANDTH = Decimal("0.001")


def quantity_text(value):
    """A quantity as DICO writes it: up to three decimals, no trailing zeros."""
    return format(Decimal(value).quantize(_THOUSANDTH).normalize(), "f")
