from odoo import api, models

from ..lib.crypto import SecretDecryptError
from .tools import secret_box

SECRET_MASK = "********"
MANAGER_GROUP = "b2b_connector_base.group_b2b_manager"


class B2bSecretMixin(models.AbstractModel):
    """Encrypted credential fields.

    A model lists its secrets in ``_b2b_secret_fields`` and declares, for each name ``x``:

    * ``x = fields.Char(compute="_compute_b2b_secrets", inverse="_inverse_b2b_secrets",
      groups=MANAGER_GROUP)``: what forms show and edit; it reads as a fixed mask when set,
      never as the secret;
    * ``x_enc = fields.Char(groups=MANAGER_GROUP, copy=False)``: the Fernet ciphertext stored in the
      database; the key lives in odoo.conf, not in the database.

    Code that needs the clear value calls ``record._b2b_secret("x")`` (server side only).
    """

    _name = "b2b.secret.mixin"
    _description = "B2B Encrypted Credentials"
    _b2b_secret_fields = ()

    @classmethod
    def _b2b_secret_names(cls):
        """Every secret declared along the inheritance chain: two addons extending the same model (the
        EDI password and the punch-out secret on res.partner) each list only their own."""
        names = []
        for klass in cls.__mro__:
            for name in klass.__dict__.get("_b2b_secret_fields", ()):
                if name not in names:
                    names.append(name)
        return tuple(names)

    def _compute_b2b_secrets(self):
        for rec in self:
            stored = rec.sudo()
            for name in rec._b2b_secret_names():
                rec[name] = SECRET_MASK if stored[f"{name}_enc"] else False

    def _inverse_b2b_secrets(self):
        box = None
        for rec in self:
            for name in rec._b2b_secret_names():
                value = rec[name]
                if value == SECRET_MASK:
                    continue  # unchanged on the form
                if value:
                    box = box or secret_box()
                    rec.sudo()[f"{name}_enc"] = box.encrypt(value)
                elif rec.sudo()[f"{name}_enc"]:
                    rec.sudo()[f"{name}_enc"] = False

    def _b2b_secret(self, name):
        """The decrypted value of secret ``name`` (False when unset)."""
        self.ensure_one()
        if name not in self._b2b_secret_names():
            raise ValueError(f"{name} is not a secret field of {self._name}")
        token = self.sudo()[f"{name}_enc"]
        if not token:
            return False
        try:
            return secret_box().decrypt(token)
        except SecretDecryptError as exc:
            from odoo.exceptions import UserError

            raise UserError(self.env._("%(record)s: %(error)s", record=self.display_name, error=exc)) from None

    def _b2b_secret_values(self):
        """Every clear secret of these records, to mask them in logs and error messages."""
        values = []
        for rec in self:
            for name in rec._b2b_secret_names():
                try:
                    value = rec._b2b_secret(name)
                except Exception:  # noqa: BLE001 - an undecryptable secret cannot leak either
                    value = False
                if value:
                    values.append(value)
        return values

    @api.model
    def _b2b_rotate_secrets(self):
        """Re-encrypt every stored secret with the first configured key (after adding a new key)."""
        box = secret_box()
        for rec in self.sudo().search([]):
            for name in rec._b2b_secret_names():
                token = rec[f"{name}_enc"]
                if token:
                    rec[f"{name}_enc"] = box.rotate(token)
