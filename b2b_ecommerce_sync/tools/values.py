"""What the flows send, as the shops want it: decimals, and a fingerprint of a record for deltas."""

import hashlib
from decimal import Decimal

from odoo.tools import float_round

from ..protocol import serialize

# fields added to what is sent after records were synced: left out of the fingerprint while empty, so that
# the records that do not use them keep their fingerprint and are not sent again for nothing
ADDED_FIELDS = ("lang",)


def fingerprint(obj, *ignored):
    """What was sent, as a hash for deltas; the shop id (and ``ignored`` fields) left out."""
    data = serialize.to_dict(obj)
    for name in ("remote_id", *ignored):
        data[name] = ""
    for name in ADDED_FIELDS:
        if name in data and not data[name]:
            del data[name]
    return hashlib.sha1(serialize.dumps(data).encode()).hexdigest()


def decimal(value, digits=2):
    """An Odoo float as a Decimal rounded to ``digits``."""
    return Decimal(str(float_round(value or 0.0, precision_digits=digits)))


def unit_excluding_tax(line, order):
    """The unit price of a shop order line without tax (shops with prices including tax: by the line's rate,
    else by its tax amount)."""
    unit = line.unit_price
    if not order.prices_include_tax:
        return unit
    if line.tax_rate is not None:
        return unit / (1 + Decimal(line.tax_rate) / 100)
    if line.quantity:
        return unit - line.tax_amount / line.quantity
    return unit
