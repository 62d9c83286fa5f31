"""Keep secrets out of logs, exchange payloads and error messages."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"

SENSITIVE_HEADERS = {
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-bltoken",
    "x-api-key",
    "x-shopify-access-token",
    "x-woocommerce-secret",
}

_SENSITIVE_NAME = re.compile(r"(pass(word)?|secret|token|api[_-]?key|consumer[_-]?(key|secret)|signature|ws_key)", re.I)


def is_sensitive_name(name):
    return bool(name) and (name.lower() in SENSITIVE_HEADERS or bool(_SENSITIVE_NAME.search(name)))


def mask_headers(headers):
    return {k: (MASK if is_sensitive_name(k) else v) for k, v in (headers or {}).items()}


def mask_url(url):
    """Mask credentials in the user-info part and in sensitive query parameters of a URL."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if is_sensitive_name(k) else v) for k, v in pairs], safe="*[]")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def mask_text(text, secrets=()):
    """Replace every occurrence of each known secret value in ``text``."""
    if text is None:
        return None
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for secret in secrets or ():
        if secret and len(str(secret)) >= 3:
            text = text.replace(str(secret), MASK)
    return text


def truncate(text, limit=20000):
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f"\n... [{len(text) - limit} more characters not shown]"
