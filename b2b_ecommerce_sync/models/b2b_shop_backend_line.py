from odoo import fields, models


class B2bShopBackendLine(models.AbstractModel):
    """What every row belonging to a shop has: the shop, and its company (for the multi-company rules)."""

    _name = "b2b.shop.backend.line"
    _description = "Row of a Web Shop Backend"

    backend_id = fields.Many2one("b2b.shop.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
