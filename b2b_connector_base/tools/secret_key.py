"""The key that encrypts the stored credentials: read from odoo.conf (or the environment), never from the
database."""

import configparser
import functools
import os

from odoo.exceptions import UserError
from odoo.tools import config

from ..lib.crypto import CONFIG_KEY, ENV_VAR, SecretBox, SecretKeyMissing

CONFIG_SECTION = "b2b_connector"


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


def secret_key_status():
    """``(state, key_count)`` of the configured key, never the key: ``missing`` (nothing configured),
    ``invalid`` (configured but no valid Fernet key) or ``ok``."""
    keys = _read_key(config.get("config"), config.get(CONFIG_KEY), os.environ.get(ENV_VAR))
    count = len([k for k in keys.split(",") if k.strip()])
    if not count:
        return "missing", 0
    try:
        SecretBox(keys)
    except SecretKeyMissing:
        return "invalid", count
    return "ok", count
