"""What a failure says to the people reading the log, and whether it is retried by itself."""

from psycopg2 import errorcodes

from odoo.exceptions import UserError, ValidationError

from ..lib.http import TransportError
from ..lib.plain_errors import describe_transport_error
from ..lib.safe_xml import XMLInputError


def user_message(exc, env=None, peer=None):
    """A one-line, user-facing explanation of an exception (never a traceback). A failed HTTP call is said
    in plain words (``lib.plain_errors``), naming ``peer`` (whose server it is, e.g. the wholesaler) and
    translated in ``env``'s language when given."""
    if isinstance(exc, (UserError, ValidationError)):
        return exc.args[0] if exc.args else str(exc)
    if isinstance(exc, TransportError):
        return describe_transport_error(exc, peer=peer, gettext=env._ if env is not None else None)
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
