"""Input guards shared by the punch-out protocols: numbers a buyer sends, return URLs, request bodies and
what of a punch-out request may reach a log.

Everything here is plain Python; the Odoo controllers call it before trusting anything a buyer sent.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import logging
import posixpath
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit

from odoo.addons.b2b_connector_base.lib.errors import _lt

from .base import PunchoutError

MAX_MAGNITUDE = 12  # quantities and prices below 10**12: far above any order, far below float trouble
MAX_LINES = 1000  # lines in one order / edit cart
MAX_BODY_BYTES = 5 * 1024 * 1024  # the largest request a punch-out endpoint reads (and a document we parse)
EXCERPT_BYTES = 4096  # what is kept of a refused request
MASK = "***"


class InputError(PunchoutError):
    """A value a buyer sent that we do not accept; the message is safe to show to the buyer (a ValueError,
    as a PunchoutError is)."""

    default_code = "punchout.input"


# ---------------------------------------------------------------------------- numbers
def number(value, what, positive=False, non_negative=False):
    """``value`` (text) as a finite Decimal of sane magnitude; ``positive`` / ``non_negative`` add the
    sign check. Raises :class:`InputError` (NaN, Infinity, 1e999999, '', 'abc', -1 ...)."""
    text = (value if isinstance(value, str) else "" if value is None else str(value)).strip()
    shown = repr(text[:40])
    try:
        result = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InputError("punchout.number.invalid", _lt("%(what)s: %(value)s is not a number"), what=what,
                         value=shown) from None
    if not result.is_finite():
        raise InputError("punchout.number.not_finite", _lt("%(what)s: %(value)s is not a finite number"), what=what,
                         value=shown)
    if result and result.adjusted() >= MAX_MAGNITUDE:
        raise InputError("punchout.number.too_large", _lt("%(what)s: %(value)s is too large"), what=what,
                         value=shown)
    if result and result.normalize().as_tuple().exponent < -MAX_MAGNITUDE:
        raise InputError("punchout.number.decimals", _lt("%(what)s: %(value)s has too many decimals"), what=what,
                         value=shown)
    if positive and result <= 0:
        raise InputError("punchout.number.not_positive", _lt("%(what)s: %(value)s must be greater than zero"),
                         what=what, value=shown)
    if non_negative and result < 0:
        raise InputError("punchout.number.negative", _lt("%(what)s: %(value)s must not be negative"), what=what,
                         value=shown)
    return result


# ---------------------------------------------------------------------------- return URLs
_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_url(url):
    """(scheme, host, port, path segments) of an http(s) URL with its path normalised (percent-decoded,
    dot segments resolved), or None when it is no usable return address (other scheme, no host,
    user-info, backslashes or control characters, bad port)."""
    url = (url or "").strip()
    if not url or "\\" in url or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    path = unquote(parts.path)
    if "\\" in path or any(ord(ch) < 0x20 for ch in path):
        return None
    normalised = posixpath.normpath("/" + path)
    segments = [s for s in normalised.split("/") if s]
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme], segments


def return_url_allowed(url, allowed_urls):
    """Whether ``url`` lies under one of ``allowed_urls``: same scheme, host and port, and the allowed
    path's segments are a prefix of the URL's normalised segments (``/oci/../cxml/x`` is ``/cxml/x``,
    ``/ocix`` is not under ``/oci``)."""
    target = split_url(url)
    if target is None:
        return False
    for allowed in allowed_urls:
        base = split_url(allowed)
        if base and base[:3] == target[:3] and target[3][:len(base[3])] == base[3]:
            return True
    return False


# ---------------------------------------------------------------------------- what may be logged
_QUERY_RE = re.compile(r"(/punchout/[^\s?#\"']*)[?#].*(?=\s+HTTP/\d)|(/punchout/[^\s?#\"']*)[?#][^\s\"']*")
_TOKEN_RE = re.compile(r"(/punchout/start/)[^\s?#\"'/]+")


def redact_request_line(text):
    """``text`` with the query string of every punch-out URL (OCI PASSWORD, signed-link ``sig``) and the
    one-time start token replaced by a mask."""
    if "/punchout/" not in text:
        return text
    text = _QUERY_RE.sub(lambda m: f"{m.group(1) or m.group(2)}?{MASK}", text)
    return _TOKEN_RE.sub(rf"\g<1>{MASK}", text)


class RedactPunchoutFilter(logging.Filter):
    """A logging filter for the request loggers (werkzeug's access log): punch-out request lines are
    logged without their secrets."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is not ours to fix
            return True
        if "/punchout/" in message:
            record.msg, record.args = redact_request_line(message), ()
        return True


def install_log_filter(*logger_names):
    """Add :class:`RedactPunchoutFilter` once to each named logger (idempotent across reloads)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(type(f).__name__ == RedactPunchoutFilter.__name__ for f in logger.filters):
            logger.addFilter(RedactPunchoutFilter())


# ---------------------------------------------------------------------------- stored excerpts
def excerpt(data, limit=EXCERPT_BYTES):
    """The first ``limit`` bytes of a refused request (the rest is never stored)."""
    data = data or b""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if len(data) <= limit:
        return data
    return data[:limit] + f"\n... [{len(data) - limit} more bytes not stored]".encode()
