"""What a failure says to the people reading the log, and whether it is retried by itself."""
# pylint: disable=prefer-env-translation  # _ is env._ here, bound first (the check sees a bare _)

import logging

from psycopg2 import errorcodes

from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import get_translation

from ..lib.errors import Phrase, ProtocolError
from ..lib.http import TransportError
from ..lib.plain_errors import describe_transport_error
from ..lib.safe_xml import XMLInputError

_logger = logging.getLogger(__name__)


def translate_error(env, exc):
    """A :class:`ProtocolError` in the language of ``env``: its template as the addon that raised it
    translates it (the plain-Python package could not), filled with its parameters."""
    return say(env, exc)


def _translated_params(lang, params):
    """``params`` with each :class:`Phrase` (and error) among them said in ``lang`` (by the addon that wrote it)."""
    return {key: _phrase(lang, value) if isinstance(value, (Phrase, ProtocolError)) else value
            for key, value in params.items()}


def say(env, text):
    """``text`` - plain text, a :class:`Phrase` or a protocol error a plain-Python package returned - in the
    language of ``env``."""
    lang = (env.lang if env is not None else None) or "en_US"
    if isinstance(text, (Phrase, ProtocolError)) and lang != "en_US":
        try:
            return _phrase(lang, text)
        except Exception:  # noqa: BLE001 - a broken translation never hides what was said
            _logger.warning("no usable %s translation of %r", lang, text.message_en, exc_info=True)
    return "" if text is None else str(text)


def _phrase(lang, phrase):
    if not phrase.module:
        return str(phrase)
    return get_translation(phrase.module, lang, phrase.message_en, _translated_params(lang, phrase.params))


def _gettext(env):
    if env is not None:
        return env._
    return lambda source, *args, **kwargs: source % (args or kwargs) if args or kwargs else source


def user_message(exc, env=None, peer=None):
    """A one-line, user-facing explanation of an exception (never a traceback), in the language of ``env``
    when one is given. A failed HTTP call is said in plain words (``lib.plain_errors``), naming ``peer``
    (whose server it is, e.g. the wholesaler)."""
    if isinstance(exc, (UserError, ValidationError)):
        return exc.args[0] if exc.args else str(exc)
    if isinstance(exc, TransportError):
        return describe_transport_error(exc, peer=peer, gettext=env._ if env is not None else None)
    if isinstance(exc, ProtocolError):
        message = translate_error(env, exc)
        if isinstance(exc, XMLInputError):
            _ = _gettext(env)
            message = _("Invalid XML: %(error)s", error=message)
        if message != str(exc):
            # the log keeps the code and the English text besides the translated one
            _logger.info("protocol error %s: %s (shown as: %s)", exc.code, exc, message)
        return message
    if getattr(exc, "user_facing", False):  # protocol errors written for people (e.g. a peer's error answer)
        text = exc.args[0] if exc.args else ""
        return say(env, text) if isinstance(text, Phrase) else str(exc)
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
