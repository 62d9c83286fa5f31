"""What a failure says to the people reading the log, and whether it is retried by itself."""

from psycopg2 import errorcodes

from odoo.exceptions import UserError, ValidationError

from ..lib.http import TransportError
from ..lib.safe_xml import XMLInputError


def user_message(exc):
    """A one-line, user-facing explanation of an exception (never a traceback)."""
    if isinstance(exc, (UserError, ValidationError)):
        return exc.args[0] if exc.args else str(exc)
    if isinstance(exc, TransportError):
        labels = {
            "auth": "Authentication refused",
            "timeout": "Timeout",
            "tls": "TLS/SSL error",
            "connection": "Connection failed",
            "server": "Remote server error",
            "rate_limited": "Rate limit reached",
            "not_found": "Not found (check the URL)",
            "http": "HTTP error",
        }
        return f"{labels.get(exc.kind, 'Transport error')}: {exc}"
    if isinstance(exc, XMLInputError):
        return f"Invalid XML: {exc}"
    if getattr(exc, "user_facing", False):  # protocol errors written for people (e.g. a peer's error answer)
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# another transaction changed the same rows at the same moment: trying again later succeeds
CONCURRENCY_ERRORS = {errorcodes.SERIALIZATION_FAILURE, errorcodes.DEADLOCK_DETECTED, errorcodes.LOCK_NOT_AVAILABLE}


def is_retryable(exc):
    """Transient failures (network, remote 5xx, rate limits, a concurrent transaction) are retried
    automatically; bad data or configuration waits for a person."""
    if isinstance(exc, TransportError):
        return exc.retryable
    if getattr(exc, "pgcode", None) in CONCURRENCY_ERRORS:
        return True
    # protocol errors may say so themselves (e.g. a BaseLinker token blocked for a while)
    return getattr(exc, "user_facing", False) and bool(getattr(exc, "retryable", False))
