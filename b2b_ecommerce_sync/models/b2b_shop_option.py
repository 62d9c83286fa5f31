from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..protocol.errors import ShopError

OPTION_TYPES = [("bool", "Yes / no"), ("int", "Whole number"), ("float", "Number"), ("char", "Text"),
                ("selection", "Choice"), ("undeclared", "Not an option of the platform")]


class B2bShopOption(models.Model):
    """A platform option of a shop, as its adapter declares it (``option_specs``: name, label, type, default,
    help, choices). The value is stored as text, the way the adapter reads it (``coerce_options`` types it);
    an empty value is the platform's default, so a shop follows the platform when its default changes, and a
    text option cannot be blanked (its declaration gives it an empty default when "nothing" makes sense).
    The typed fields edit that text: a value equal to the default is stored empty."""

    _name = "b2b.shop.option"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Platform Option"
    _order = "backend_id, sequence, id"
    _rec_name = "key"

    sequence = fields.Integer(default=10)
    key = fields.Char(required=True, readonly=True)
    value = fields.Char("Value as Text", help="The value as the platform's adapter reads it; empty: the default")
    platform = fields.Selection(related="backend_id.platform")

    # from the declaration of the platform's adapter
    label = fields.Char(compute="_compute_declaration")
    description = fields.Char("Help", compute="_compute_declaration")
    option_type = fields.Selection(OPTION_TYPES, "Type", compute="_compute_declaration")
    default_value = fields.Char("Default", compute="_compute_declaration")
    is_default = fields.Boolean("Default Value", compute="_compute_value")
    value_error = fields.Char(compute="_compute_value")
    value_display = fields.Char("Value", compute="_compute_value")
    # the typed editors of ``value``
    value_bool = fields.Boolean("Yes / No", compute="_compute_value", inverse="_inverse_value_bool")
    value_int = fields.Integer("Whole Number", compute="_compute_value", inverse="_inverse_value_int")
    value_float = fields.Float("Number", compute="_compute_value", inverse="_inverse_value_float")
    value_char = fields.Char("Text", compute="_compute_value", inverse="_inverse_value_char")
    value_choice_id = fields.Many2one(
        "b2b.shop.option.choice", "Choice", compute="_compute_value", inverse="_inverse_value_choice",
        domain="[('platform', '=', platform), ('option', '=', key)]")

    _key_unique = models.Constraint("UNIQUE(backend_id, key)", "Each option once per shop.")

    def _spec(self):
        """The declaration (``protocol.options.Option``) of this option, None when the platform has none."""
        cls = self.backend_id._shop_adapter_class() if self.backend_id else None
        return next((spec for spec in (cls.option_specs if cls else ()) if spec.name == self.key), None)

    @staticmethod
    def _as_text(spec, value):
        """A typed value of ``spec`` as the text the adapter reads."""
        if spec.type == "float":
            return repr(float(value))
        return str(value)

    @api.depends("key", "backend_id.platform")
    @api.depends_context("lang")  # the labels are shown in the user's language
    def _compute_declaration(self):
        for rec in self:
            spec = rec._spec()
            text = rec.backend_id._shop_declared_text
            rec.label = text(spec.label) if spec else rec.key
            rec.description = text(spec.help) if spec else self.env._(
                "The platform declares no option %(key)s: the adapter gets it as it is.", key=rec.key)
            rec.option_type = spec.type if spec else "undeclared"
            if not spec:
                rec.default_value = False
            elif spec.selection:
                rec.default_value = text(dict(spec.selection).get(spec.default, spec.default))
            else:
                rec.default_value = rec._as_text(spec, spec.default) or self.env._("(none)")

    @api.depends("key", "value", "backend_id.platform")
    @api.depends_context("lang")
    def _compute_value(self):
        Choice = self.env["b2b.shop.option.choice"]
        for rec in self:
            spec = rec._spec()
            typed, error = rec.value or "", False
            if spec:
                try:
                    typed = spec.coerce(rec.value) if rec.value else spec.default
                except ShopError:
                    typed, error = spec.default, self.env._(
                        "%(value)r is not a valid %(type)s: runs of the shop fail until it is corrected.",
                        value=rec.value,
                                                            type=dict(self._fields["option_type"]._description_selection(self.env))[spec.type].lower())
            rec.is_default = not rec.value
            rec.value_error = error
            rec.value_bool = typed is True
            rec.value_int = typed if spec and spec.type == "int" else 0
            rec.value_float = typed if spec and spec.type == "float" else 0.0
            rec.value_char = rec.value if not spec or spec.type == "char" else False
            choice = Choice.browse()
            if spec and spec.type == "selection":
                choice = Choice.search([("platform", "=", rec.platform), ("option", "=", rec.key),
                                        ("value", "=", typed)], limit=1)
            rec.value_choice_id = choice
            if spec and spec.type == "bool":
                shown = self.env._("Yes") if typed else self.env._("No")
            elif spec and spec.selection:
                shown = rec.backend_id._shop_declared_text(dict(spec.selection).get(typed, typed))
            elif spec:
                shown = rec._as_text(spec, typed)
            else:
                shown = rec.value or ""
            rec.value_display = shown

    def _store_typed(self, value):
        """Store ``value`` (typed by the declaration) as text; the default as empty."""
        for rec in self:
            spec = rec._spec()
            if spec is None:
                rec.value = value or False
            elif value is None or value == spec.default or (spec.type == "char" and not value):
                rec.value = False
            else:
                rec.value = rec._as_text(spec, value)
        # the typed fields share their compute: the ORM keeps them as written while one is; read them anew
        self.invalidate_recordset([name for name, field in self._fields.items()
                                   if field.compute == "_compute_value"])

    def _inverse_value_bool(self):
        for rec in self.filtered(lambda r: r.option_type == "bool"):
            rec._store_typed(rec.value_bool)

    def _inverse_value_int(self):
        for rec in self.filtered(lambda r: r.option_type == "int"):
            rec._store_typed(rec.value_int)

    def _inverse_value_float(self):
        for rec in self.filtered(lambda r: r.option_type == "float"):
            rec._store_typed(rec.value_float)

    def _inverse_value_char(self):
        for rec in self.filtered(lambda r: r.option_type in ("char", "undeclared")):
            rec._store_typed(rec.value_char)

    def _inverse_value_choice(self):
        for rec in self.filtered(lambda r: r.option_type == "selection"):
            rec._store_typed(rec.value_choice_id.value or None)

    @api.constrains("value")
    def _check_value(self):
        for rec in self:
            spec = rec._spec()
            if spec and rec.value:
                try:
                    spec.coerce(rec.value)
                except ShopError:
                    choices = ", ".join(value for value, _label in spec.selection)
                    raise ValidationError(self.env._(
                        "Option %(option)s of shop %(shop)s: %(value)r is not a valid %(type)s%(choices)s.",
                        option=rec.backend_id._shop_declared_text(spec.label), shop=rec.backend_id.name,
                                                     value=rec.value,
                        type=dict(self._fields["option_type"]._description_selection(self.env))[spec.type].lower(),
                        choices=self.env._(" (one of %(choices)s)", choices=choices) if choices else "")) from None

    def _shop_clear_defaults(self):
        """Empty the values that are their option's default (rows written before an empty value meant the
        default); values that are no valid value of their option are left as they are."""
        for rec in self:
            spec = rec._spec()
            if not spec or not rec.value:
                continue
            try:
                if spec.coerce(rec.value) == spec.default:
                    rec.value = False
            except ShopError:
                continue

    def action_use_default(self):
        self.backend_id._b2b_check_manager()
        self.value = False
        return True
