from odoo import fields, models


class B2bBaselinkerStatus(models.Model):
    """An order status of a BaseLinker account (fetched with getOrderStatusList)."""

    _name = "b2b.baselinker.status"
    _description = "BaseLinker Order Status"
    _order = "backend_id, sequence, bl_id"

    backend_id = fields.Many2one("b2b.baselinker.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    bl_id = fields.Integer("BaseLinker ID", required=True)
    name = fields.Char(required=True)
    name_for_customer = fields.Char()
    color = fields.Char()
    sequence = fields.Integer(default=10)

    _backend_status_unique = models.UniqueIndex("(backend_id, bl_id)", "This status is already known.")
