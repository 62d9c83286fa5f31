from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_gln = fields.Char(related="partner_id.b2b_gln", string="GLN", readonly=False,
                          help="Your company's GS1 Global Location Number: the buyer in every EDI order")
