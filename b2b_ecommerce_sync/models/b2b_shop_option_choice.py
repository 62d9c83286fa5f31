from odoo import api, fields, models


class B2bShopOptionChoice(models.Model):
    """A choice of a platform's selection option, as its adapter declares it (``Option.selection``): what the
    option's editor offers. Kept in step with the declarations by the shops' option rows (``_shop_sync``);
    written by code only."""

    _name = "b2b.shop.option.choice"
    _description = "Choice of a Shop Platform Option"
    _order = "platform, option, sequence, id"

    platform = fields.Char(required=True, index=True, readonly=True)
    option = fields.Char(required=True, readonly=True)
    value = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(readonly=True)

    _value_unique = models.Constraint("UNIQUE(platform, option, value)", "Each choice once per option.")

    @staticmethod
    def _shop_declared(adapter_class):
        """{(option, value): (label, sequence)} of the choices ``adapter_class`` declares."""
        return {(spec.name, value): (label, n) for spec in adapter_class.option_specs
                for n, (value, label) in enumerate(spec.selection)}

    def _shop_current(self, platform):
        return {(c.option, c.value): c for c in self.search([("platform", "=", platform)])}

    @api.model
    def _shop_in_step(self, adapter_class):
        """The stored choices of the platform are those its adapter declares."""
        current = self._shop_current(adapter_class.platform)
        declared = self._shop_declared(adapter_class)
        return set(current) == set(declared) and all(
            (current[key].name, current[key].sequence) == declared[key] for key in declared)

    @api.model
    def _shop_sync(self, adapter_class):
        """Bring the stored choices of the platform in step with what its adapter declares."""
        platform = adapter_class.platform
        current = self._shop_current(platform)
        declared = self._shop_declared(adapter_class)
        for key, (label, sequence) in declared.items():
            choice = current.get(key)
            if not choice:
                self.create({"platform": platform, "option": key[0], "value": key[1], "name": label,
                             "sequence": sequence})
            elif (choice.name, choice.sequence) != (label, sequence):
                choice.write({"name": label, "sequence": sequence})
        self.browse([c.id for key, c in current.items() if key not in declared]).unlink()
