from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..lib.crypto import SecretDecryptError
from ..tools import SECRET_MASK, secret_box


class B2bSecretMixin(models.AbstractModel):
    """Encrypted credential fields, each declared with ``tools.secret_fields``.

    Code that needs the clear value calls ``record._b2b_secret("x")`` (server side only).

    A write stores exactly the secrets it names: a form sends only what was typed, and a secret left
    untouched keeps its value (the ORM would hand the shared inverse every secret of the model, the
    untouched ones as False, see ``write``).
    """

    _name = "b2b.secret.mixin"
    _description = "B2B Encrypted Credentials"

    def _valid_field_parameter(self, field, name):
        return name == "b2b_secret" or super()._valid_field_parameter(field, name)

    def _b2b_secret_names(self):
        """Every secret field of the model (declared with ``secret_fields``, by any addon: the EDI
        password and the punch-out secret on res.partner come from two)."""
        names = tuple(name for name, field in self._fields.items() if getattr(field, "b2b_secret", False))
        for name in names:
            if f"{name}_enc" not in self._fields:
                raise TypeError(f"{self._name}.{name} is a secret without its {name}_enc field: declare both "
                                f"with {name}, {name}_enc = secret_fields(...)")
        return names

    def _compute_b2b_secrets(self):
        for rec in self:
            stored = rec.sudo()
            for name in rec._b2b_secret_names():
                rec[name] = SECRET_MASK if stored[f"{name}_enc"] else False

    def _inverse_b2b_secrets(self):
        # only reached from create(): write() stores the secrets it is given itself
        for rec in self:
            rec._b2b_store_secrets({name: rec[name] for name in rec._b2b_secret_names()})

    @api.model_create_multi
    def create(self, vals_list):
        self._b2b_check_ciphertext(vals_list)
        return super().create(vals_list)

    def _b2b_check_ciphertext(self, vals_list):
        """The ciphertext is written by code only (as superuser): copied from record to record, a secret would
        go to whatever peer the other record calls (a punch-out shared secret, which Odoo sends nowhere)."""
        if self.env.su:
            return
        ciphertexts = {f"{name}_enc" for name in self._b2b_secret_names()}
        if any(ciphertexts.intersection(vals) for vals in vals_list):
            raise AccessError(self.env._("A credential is set by typing it: its ciphertext is not written directly."))

    def write(self, vals):
        self._b2b_check_ciphertext([vals])
        names = [name for name in self._b2b_secret_names() if name in vals]
        if not names:
            return super().write(vals)
        # All secrets share one compute and one inverse: the ORM protects them all while writing one,
        # so inside the inverse an untouched secret reads as False and would be erased. Store the
        # written ones here and let the ORM write the rest.
        for name in names:
            self._check_field_access(self._fields[name], "write")
        vals = dict(vals)
        secrets = {name: vals.pop(name) for name in names}
        result = super().write(vals)  # also checks the access to the records
        self._b2b_store_secrets(secrets)
        return result

    def _b2b_store_secrets(self, values):
        """Encrypt ``{name: clear value}`` on these records: the mask keeps a secret, empty clears it."""
        box = None
        stored = {}
        for name, value in values.items():
            if value == SECRET_MASK:
                continue  # unchanged on the form
            if value:
                box = box or secret_box()
                stored[f"{name}_enc"] = box.encrypt(value)
            else:
                stored[f"{name}_enc"] = False
        for rec in self.sudo():
            changed = {key: value for key, value in stored.items() if value or rec[key]}
            if changed:
                rec.write(changed)
        # what was typed must not stay readable in the cache: the field reads as the mask again
        self.invalidate_recordset(list(values))

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
        for rec in self.sudo().search([]):  # pylint: disable=no-search-all  # every stored secret
            for name in rec._b2b_secret_names():
                token = rec[f"{name}_enc"]
                if token:
                    rec[f"{name}_enc"] = box.rotate(token)
