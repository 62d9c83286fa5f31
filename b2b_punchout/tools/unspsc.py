import re

from odoo.exceptions import ValidationError

UNSPSC_RE = re.compile(r"[0-9]{8}")


def check_unspsc(records):
    """A UNSPSC commodity code has 8 digits: segment, family, class, commodity (2 each)."""
    for rec in records.filtered("b2b_unspsc_code"):
        if not UNSPSC_RE.fullmatch(rec.b2b_unspsc_code):
            raise ValidationError(records.env._(
                "%(code)s is no UNSPSC code: a UNSPSC commodity code has 8 digits (segment, family, class, "
                "commodity), e.g. 44121707.", code=rec.b2b_unspsc_code))
