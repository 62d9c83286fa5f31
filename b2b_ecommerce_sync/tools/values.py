"""What the flows send, as the shops want it: decimals, and a fingerprint of a record for deltas."""

import hashlib
from decimal import Decimal

from odoo.tools import float_round

from ..protocol import serialize


def fingerprint(obj, *ignored):
    """What was sent, as a hash for deltas; the shop id (and ``ignored`` fields) left out."""
    data = serialize.to_dict(obj)
    for name in ("remote_id", *ignored):
        data[name] = ""
    return hashlib.sha1(serialize.dumps(data).encode()).hexdigest()


def decimal(value, digits=2):
    """An Odoo float as a Decimal rounded to ``digits``."""
    return Decimal(str(float_round(value or 0.0, precision_digits=digits)))
