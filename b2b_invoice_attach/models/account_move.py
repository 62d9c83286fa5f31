from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "b2b.exchange.consumer.mixin"]  # its PDF uploads (and invoices sent to shops)

    b2b_baselinker_order_id = fields.Char("BaseLinker Order", copy=False, readonly=True)
    b2b_baselinker_invoice_id = fields.Integer("BaseLinker Invoice", copy=False, readonly=True)
    b2b_baselinker_uploaded_at = fields.Datetime("PDF Sent to BaseLinker", copy=False, readonly=True)
