"""How a model declares an encrypted credential (see ``b2b.secret.mixin``)."""

from odoo import fields

from .access import MANAGER_GROUP

SECRET_MASK = "********"


def secret_fields(string, help=None, **kwargs):
    """The two fields of one secret ``x``, declared as ``x, x_enc = secret_fields("Label", help=...)`` on a
    model inheriting ``b2b.secret.mixin``:

    * ``x``: what forms show and edit (``password="True"``); it reads as a fixed mask when set, never as
      the secret; computed, B2B Managers only, never copied; marked ``b2b_secret`` so the mixin finds it;
    * ``x_enc``: the Fernet ciphertext stored in the database (the key lives in odoo.conf, not in the
      database); B2B Managers only, never copied.
    """
    clear = fields.Char(string, help=help, compute="_compute_b2b_secrets", inverse="_inverse_b2b_secrets",
                        groups=MANAGER_GROUP, copy=False, b2b_secret=True, **kwargs)
    encrypted = fields.Char(f"{string} (encrypted)", groups=MANAGER_GROUP, copy=False)
    return clear, encrypted
