"""Magento's search criteria on the sandbox's records: custom attributes, comparison, conditions."""

import re
from decimal import Decimal


def _custom(record, code):
    for attr in record.get("custom_attributes") or []:
        if attr.get("attribute_code") == code:
            return attr.get("value")
    return None


def _custom_list(data, code):
    value = _custom(data, code)
    if value is None:
        return []
    return value if isinstance(value, list) else str(value).split(",")


def _field(record, name):
    if name in record:
        return record[name]
    return _custom(record, name)


def _scalar(value):
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except Exception:
        return str(value).lower()


def _sort_key(value):
    scalar = _scalar(value)
    if scalar is None:
        return (0, 0, "")
    return (1, 0, scalar) if isinstance(scalar, Decimal) else (1, 1, scalar)


def _compare(a, b):
    a, b = _scalar(a), _scalar(b)
    if a is None or b is None:
        return None
    if type(a) is not type(b):
        a, b = str(a), str(b)
    return (a > b) - (a < b)


def _matches(record, spec):
    field = spec.get("field")
    value = spec.get("value", "")
    condition = (spec.get("condition_type") or "eq").lower()
    actual = _field(record, field)
    values = actual if isinstance(actual, list) else [actual]
    if condition in ("null", "notnull"):
        empty = actual in (None, "", [])
        return empty if condition == "null" else not empty
    if condition in ("in", "nin", "finset"):
        wanted = [v.strip() for v in str(value).split(",")]
        hit = any(_compare(a, w) == 0 for a in values for w in wanted)
        return not hit if condition == "nin" else hit
    if condition in ("like", "nlike"):
        pattern = "^" + ".*".join(re.escape(part) for part in str(value).split("%")) + "$"
        hit = any(a is not None and re.match(pattern, str(a), re.I | re.S) for a in values)
        return not hit if condition == "nlike" else hit
    ops = {"eq": lambda c: c == 0, "neq": lambda c: c != 0, "gt": lambda c: c > 0, "gteq": lambda c: c >= 0,
           "moreq": lambda c: c >= 0, "from": lambda c: c >= 0, "lt": lambda c: c < 0, "lteq": lambda c: c <= 0,
           "to": lambda c: c <= 0}
    op = ops.get(condition)
    if op is None:
        return False
    results = [_compare(a, value) for a in values]
    return any(r is not None and op(r) for r in results)
