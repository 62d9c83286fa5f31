from odoo import fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    edi_status = fields.Selection([("accepted", "Accepted"), ("changed", "Changed"), ("rejected", "Rejected")],
                                  "EDI Status", readonly=True, copy=False)
