from odoo import api, fields, models
from odoo.exceptions import ValidationError


class B2bShopStatus(models.Model):
    """A shop order status: which ones are imported, which ones cancel an imported order."""

    _name = "b2b.shop.status"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Order Status"
    _order = "backend_id, sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="The platform's status code")
    name = fields.Char(required=True)
    import_order = fields.Boolean("Import", help="Orders in this status become sale orders")
    cancel_order = fields.Boolean("Cancels", help="An imported order that reaches this status is cancelled in Odoo")

    _code_unique = models.Constraint("UNIQUE(backend_id, code)", "Each status once per shop.")

    @api.constrains("import_order", "cancel_order")
    def _check_flags(self):
        for rec in self:
            if rec.import_order and rec.cancel_order:
                raise ValidationError(self.env._("Status %(status)s cannot both import and cancel orders.",
                                                 status=rec.name))
