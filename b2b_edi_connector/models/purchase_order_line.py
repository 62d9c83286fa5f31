from odoo import fields, models

EDI_LINE_STATES = [
    ("unknown", "Not known yet"),
    ("accepted", "Accepted"),
    ("changed", "Changed"),
    ("substituted", "Substituted"),
    ("rejected", "Rejected"),
]


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    edi_status = fields.Selection(EDI_LINE_STATES, "EDI Status", readonly=True, copy=False)
    edi_ordered_qty = fields.Float("EDI Ordered Quantity", digits="Product Unit", readonly=True, copy=False,
                                   help="The quantity sent to the wholesaler: what its order responses answer")
    edi_substitute_of_id = fields.Many2one(
        "purchase.order.line", "EDI Substitute Of", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null", help="The ordered line the wholesaler delivers this article for")
