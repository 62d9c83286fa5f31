from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    punchout_customer_reference = fields.Char(
        "Buyer Contact Reference", readonly=True, copy=False,
        help="Who ordered at the buyer, as its procurement system's order says (PEPPOL CustomerReference); "
             "the buyer wants it repeated on the invoice")
