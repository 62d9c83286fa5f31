"""A failed HTTP call said in plain words, for the people reading the exchange log.

``describe_transport_error(exc, peer=..., gettext=env._)`` turns a :class:`~.http.TransportError` into one
sentence naming who did not answer, where and what to check, instead of what
the network stack said ("[Errno 111] Connection refused", an HTML error page). The technical message
stays in the exchange's traceback and HTTP calls. The Odoo side passes ``env._`` so that the sentences are
translated; plain code gets them in English.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import json
import re
from urllib.parse import urlsplit

REASON_LIMIT = 160
_HTML = re.compile(r"^\s*<(!doctype\s+html|html|head|body|title|h1|p|div)\b", re.IGNORECASE)
_JSON_MESSAGE_KEYS = ("message", "error_description", "error", "detail", "title", "errors")


def _english(source, **params):
    return source % params if params else source


def host_of(url):
    """``host[:port]`` of a URL (never its user, password or query), or ``""``."""
    if not url:
        return ""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = parts.hostname or ""
        return f"{host}:{parts.port}" if host and parts.port else host
    except ValueError:
        return ""


def is_html(body):
    return bool(body) and bool(_HTML.match(body))


def peer_reason(body, limit=REASON_LIMIT):
    """What the peer said, when it said it in a few words (a JSON message or a short line of text);
    ``""`` for an HTML page, XML, or anything long."""
    if not body:
        return ""
    text = body.strip()
    if not text or text.startswith("<") or is_html(text):
        return ""
    if text[:1] in "{[":
        try:
            data = json.loads(text)
        except ValueError:
            return ""
        text = _json_message(data)
        if not text:
            return ""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else ""


def _json_message(data, depth=0):
    if depth > 3:
        return ""
    if isinstance(data, str):
        return data
    if isinstance(data, list):
        return _json_message(data[0], depth + 1) if data else ""
    if isinstance(data, dict):
        for key in _JSON_MESSAGE_KEYS:
            if data.get(key):
                return _json_message(data[key], depth + 1)
    return ""


def describe_transport_error(exc, peer=None, gettext=None):  # noqa: C901 - one branch per kind, read in order
    """One sentence for a ``TransportError``: ``peer`` names whose server it is (a wholesaler, a shop),
    ``gettext`` translates (``env._``: a source with ``%(name)s`` placeholders and keyword values)."""
    _ = gettext or _english
    host = host_of(exc.url)
    if peer and host:
        server = _("the server of %(peer)s at %(host)s", peer=peer, host=host)
    elif peer:
        server = _("the server of %(peer)s", peer=peer)
    elif host:
        server = _("the server at %(host)s", host=host)
    else:
        server = _("the server")
    attempts = exc.attempts if isinstance(getattr(exc, "attempts", None), int) else 1
    tries = _(" (%(count)s attempts)", count=attempts) if attempts > 1 else ""
    technical = str(exc)
    status = exc.status
    reason = peer_reason(exc.body) if status else ""
    said = _(" It said: %(reason)s", reason=reason) if reason else ""
    kind = exc.kind

    if kind == "connection":
        if any(marker in technical for marker in ("Name or service not known", "nodename nor servname",
                                                   "getaddrinfo failed", "Temporary failure in name resolution",
                                                   "No address associated")):
            return _("Connection failed: the address %(host)s does not exist (check the URL)%(tries)s.",
                     host=host or _("of the server"), tries=tries)
        return _("Connection failed: %(server)s did not answer%(tries)s. It may be down, or the address or "
                 "port may be wrong.", server=server, tries=tries)
    if kind == "timeout":
        return _("Timeout: %(server)s did not answer in time%(tries)s. It may be slow or "
                 "overloaded.", server=server, tries=tries)
    if kind == "tls":
        if "CERTIFICATE_VERIFY_FAILED" in technical or "certificate verify failed" in technical:
            if "hostname" in technical.lower() or "match" in technical.lower():
                cause = _("its certificate is not made out for this address")
            elif "expired" in technical.lower():
                cause = _("its certificate has expired")
            else:
                cause = _("its certificate is not trusted (self-signed or from an unknown authority)")
        else:
            cause = _("the secure connection could not be set up")
        return _("TLS/SSL error: %(server)s could not be reached securely: %(cause)s.", server=server, cause=cause)
    if kind == "not_found":
        return _("Not found: check the URL (%(server)s answered HTTP 404).", server=server)
    if kind == "auth":
        if status == 403:
            return _("Authentication refused: %(server)s does not allow this account to do this (HTTP 403); "
                     "check the credentials and their permissions.%(said)s", server=server, said=said)
        return _("Authentication refused: %(server)s did not accept the credentials (HTTP %(status)s); check "
                 "the user name, password or key.%(said)s", server=server, status=status or 401, said=said)
    if kind == "rate_limited":
        wait = exc.retry_after
        if isinstance(wait, (int, float)) and wait > 0:
            return _("Rate limit reached: %(server)s asks to wait %(seconds)s s before the next call (HTTP 429).",
                     server=server, seconds=int(round(wait)))
        return _("Rate limit reached: %(server)s received too many calls (HTTP 429)%(tries)s.",
                 server=server, tries=tries)
    if kind == "server":
        return _("Remote server error: %(server)s had a problem of its own (HTTP %(status)s)%(tries)s: the "
                 "fault is on its side.%(said)s", server=server, status=status or "5xx", tries=tries, said=said)
    if status:
        return _("HTTP error: %(server)s refused the request (HTTP %(status)s).%(said)s",
                 server=server, status=status, said=said)
    return _("HTTP error: %(message)s", message=technical)
