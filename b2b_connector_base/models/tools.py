"""Small Odoo-side helpers: the credential key, user-facing error messages."""

import configparser
import functools
import logging
import os

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config

from ..lib.crypto import CONFIG_KEY, ENV_VAR, SecretBox, SecretKeyMissing
from ..lib.http import TransportError
from ..lib.safe_xml import XMLInputError

_logger = logging.getLogger(__name__)

CONFIG_SECTION = "b2b_connector"
MANAGER_GROUP = "b2b_connector_base.group_b2b_manager"


def check_manager(env):
    """Raise AccessError unless the environment's user is a B2B Manager (or it runs as superuser)."""
    if env.su or env.user.has_group(MANAGER_GROUP):
        return
    raise AccessError(env._("Only B2B Managers may configure connections or call their peers (user %(user)s).",
                            user=env.user.name))


@functools.lru_cache(maxsize=4)
def _read_key(config_path, options_value, env_value):
    value = options_value or ""
    if not value and config_path and os.path.exists(config_path):
        parser = configparser.RawConfigParser()
        try:
            parser.read([config_path])
            value = parser.get(CONFIG_SECTION, "secret_key", fallback="")
        except configparser.Error:
            value = ""
    return value or env_value or ""


def secret_box():
    """The :class:`SecretBox` built from ``[b2b_connector] secret_key`` in odoo.conf (or
    ``b2b_secret_key`` under [options], or the B2B_SECRET_KEY environment variable)."""
    keys = _read_key(config.get("config"), config.get(CONFIG_KEY), os.environ.get(ENV_VAR))
    try:
        return SecretBox(keys)
    except SecretKeyMissing as exc:
        raise UserError(str(exc)) from None


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


def is_retryable(exc):
    """Transient failures (network, remote 5xx, rate limits) are retried automatically;
    bad data or configuration waits for a person."""
    if isinstance(exc, TransportError):
        return exc.retryable
    # protocol errors may say so themselves (e.g. a BaseLinker token blocked for a while)
    return getattr(exc, "user_facing", False) and bool(getattr(exc, "retryable", False))
