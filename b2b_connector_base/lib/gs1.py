"""GS1 identification keys: GLN (13 digits) and GTIN (8/12/13/14 digits) with their mod-10 check digit."""


def check_digit(digits):
    """The GS1 mod-10 check digit of ``digits`` (the key without its last digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def is_valid_key(value, lengths):
    value = (value or "").strip()
    return value.isdigit() and len(value) in lengths and check_digit(value[:-1]) == value[-1]


def is_valid_gln(value):
    return is_valid_key(value, (13,))


def is_valid_gtin(value):
    return is_valid_key(value, (8, 12, 13, 14))


def gtin14(value):
    """A GTIN left-padded to 14 digits (the form some wholesalers require)."""
    value = (value or "").strip()
    return value.zfill(14) if value.isdigit() else value


def explain_gln(value):
    """None when ``value`` is a valid GLN, else a sentence saying what is wrong."""
    value = (value or "").strip()
    if not value.isdigit():
        return f"GLN {value!r} must contain digits only"
    if len(value) != 13:
        return f"GLN {value} must have 13 digits (it has {len(value)})"
    expected = check_digit(value[:-1])
    if expected != value[-1]:
        return f"GLN {value} has a wrong check digit (expected {expected})"
    return None
