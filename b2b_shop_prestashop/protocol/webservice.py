"""The PrestaShop webservice's own syntax: multilingual values, error documents, filter values."""

import json
import re
import unicodedata
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_ecommerce_sync.protocol.base import MAX_RESPONSE_BYTES, ShopError

XLINK = "http://www.w3.org/1999/xlink"
ZERO_DATES = ("", "0000-00-00", "0000-00-00 00:00:00")
_XML_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# PrestaShop's filter syntax splits a bracketed value on "|" (OR list) and reads "digits,digits" as an
# interval; the OR branch does not escape quotes. Such values are searched by a LIKE on their prefix.
_INTERVAL_LIKE = re.compile(r"^[\d.:\-\s]+,[\d.:\-\s]+$")
_OR_UNSAFE = re.compile(r'[|\[\]"\\`]')
_PREFIX_CUT = re.compile(r'[|\[\],"\\`%_]')
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_DIGITS = re.compile(r"^\d+$")
MAX_FILTER_CHARS = 3000  # keep list URLs well under the 8 KB request line of common front servers


class I18n:
    """A multilingual field value (sent for the adapter's language)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text or ""


class RecordRefused(ShopError):
    """PrestaShop refused one record (validation error, unknown id...): becomes that record's Result."""

    def __init__(self, code, message=None, /, status=None, **params):
        super().__init__(code, message, kind="payload", status=status, **params)


# ---------------------------------------------------------------------------- helpers
def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    return _XML_BAD_CHARS.sub("", str(value))


def _dec6(value):
    return Decimal(value or 0).quantize(Decimal("0.000001"))


def _flag(value):
    return str(value).strip().lower() in ("1", "true")


def _slug(text):
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-zA-Z0-9]+", "-", ascii_text).strip("-").lower()[:128] or "item"


def lang_text(value, language="1"):
    """The text of a multilingual field as the JSON output gives it (a string, or [{"id", "value"}])."""
    if value is None:
        return ""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and str(item.get("id")) == str(language):
                return str(item.get("value") or "")
        first = value[0] if value else None
        return str(first.get("value") or "") if isinstance(first, dict) else ""
    if isinstance(value, dict):
        return str(value.get("value") or "")
    return str(value)


def assoc_ids(record, name):
    """Ids of an association (``associations: {"categories": [{"id": "2"}]}``) of a JSON record."""
    items = ((record or {}).get("associations") or {}).get(name) or []
    return [str(i.get("id")) for i in items if isinstance(i, dict) and i.get("id") not in (None, "")]


def ps_errors(body):
    """[(code, message)] of a PrestaShop error document (XML or JSON); [] when it is not one."""
    if not body:
        return []
    if isinstance(body, str):
        body = body.encode("utf-8", "replace")
    head = body.lstrip()[:1]
    try:
        if head in (b"{", b"["):
            if len(body) > MAX_RESPONSE_BYTES:
                return []
            data = json.loads(body.decode("utf-8"))
            errors = data.get("errors") if isinstance(data, dict) else None
            return [(str(e.get("code") or ""), str(e.get("message") or "").strip())
                    for e in errors or [] if isinstance(e, dict)]
        if head == b"<":
            root = safe_xml.parse_xml(body, max_bytes=MAX_RESPONSE_BYTES, what="PrestaShop error answer")
            return [((e.findtext("code") or "").strip(), (e.findtext("message") or "").strip())
                    for e in root.iter("error")]
    except (ValueError, UnicodeDecodeError):  # XMLInputError is a ValueError
        return []
    return []


_HINTS = {
    "16": "no webservice key was sent",
    "17": "the webservice key is empty",
    "18": "a webservice key has 32 characters",
    "20": "the webservice key is unknown or disabled",
    "21": "the webservice key has no permissions",
    "22": "the webservice is disabled in the back office (Advanced Parameters > Webservice)",
    "25": "the webservice key lacks this permission",
    "26": "the webservice key lacks this permission",
    "101": "PrestaShop does not allow this on the resource",
}


def explain(errors, status=None):
    parts = []
    for code, message in errors:
        hint = _HINTS.get(code)
        text = message or f"error {code}"
        if hint and hint.lower() not in text.lower():
            text = f"{text} ({hint})"
        parts.append(text)
    return "; ".join(parts) or (f"HTTP {status}" if status else "no error text")


def _or_safe(value):
    return not (_OR_UNSAFE.search(value) or _INTERVAL_LIKE.match(value))


def _pick(records, wanted, field, language, prefer=None):
    """The record whose ``field`` is ``wanted``: exact match first, then case-insensitive (MySQL's
    collation); ``prefer`` ranks the candidates (lower first), then the oldest id."""
    if not records:
        return None
    exact = [r for r in records if _value(r, field, language) == wanted]
    pool = exact or [r for r in records if _value(r, field, language).casefold() == wanted.casefold()]
    if not pool:
        return None
    return sorted(pool, key=lambda r: ((prefer(r) if prefer else 0), int(r.get("id") or 0)))[0]


def _value(record, field, language):
    return lang_text(record.get(field), language).strip()


