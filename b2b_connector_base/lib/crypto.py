"""Encryption of credentials at rest (Fernet: AES-128-CBC + HMAC-SHA256, from ``cryptography``).

The key never lives in the database: it comes from ``b2b_secret_key`` in odoo.conf or the
``B2B_SECRET_KEY`` environment variable. Several comma-separated keys allow rotation: the first one
encrypts, all of them decrypt (:class:`cryptography.fernet.MultiFernet`).
"""

import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

ENV_VAR = "B2B_SECRET_KEY"
CONFIG_KEY = "b2b_secret_key"
PREFIX = "fernet:"


class SecretKeyMissing(RuntimeError):
    pass


class SecretDecryptError(RuntimeError):
    pass


def generate_key():
    return Fernet.generate_key().decode()


def _keys_from(value):
    return [k.strip() for k in (value or "").split(",") if k.strip()]


class SecretBox:
    def __init__(self, keys):
        keys = _keys_from(keys) if isinstance(keys, str) else list(keys or [])
        if not keys:
            raise SecretKeyMissing(
                f"no encryption key for B2B credentials: set '{CONFIG_KEY}' in odoo.conf or the "
                f"{ENV_VAR} environment variable (generate one with: python3 -c \"from cryptography.fernet "
                "import Fernet; print(Fernet.generate_key().decode())\")"
            )
        try:
            self._fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
        except (ValueError, TypeError):
            raise SecretKeyMissing(
                f"the B2B encryption key ('{CONFIG_KEY}' / {ENV_VAR}) is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)"
            ) from None

    @classmethod
    def from_config(cls, config_value=None, environ=None):
        environ = os.environ if environ is None else environ
        return cls(config_value or environ.get(ENV_VAR, ""))

    def encrypt(self, plaintext):
        if plaintext in (None, False, ""):
            return False
        return PREFIX + self._fernet.encrypt(str(plaintext).encode("utf-8")).decode("ascii")

    def decrypt(self, token):
        if not token:
            return False
        if not token.startswith(PREFIX):
            raise SecretDecryptError("stored credential is not an encrypted value")
        try:
            return self._fernet.decrypt(token[len(PREFIX):].encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            # never include the token or the key in the message
            raise SecretDecryptError(
                "a stored credential cannot be decrypted with the configured key "
                "(was the key changed? re-enter the credential or restore the old key)"
            ) from None

    def rotate(self, token):
        """Re-encrypt a token with the first (newest) key."""
        return PREFIX + self._fernet.rotate(token[len(PREFIX):].encode("ascii")).decode("ascii")
