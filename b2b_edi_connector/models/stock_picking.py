from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    edi_despatch_number = fields.Char("Despatch Advice", readonly=True, copy=False)
    edi_tracking_ref = fields.Char("EDI Tracking Reference", readonly=True, copy=False,
                                   help="Track & trace number announced by the wholesaler's despatch advice")
