from odoo import fields, models

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP


class ResCompany(models.Model):
    _inherit = "res.company"

    # the sender identity of every EDI order: configured by B2B Managers only, like the partner's GLN
    b2b_gln = fields.Char(related="partner_id.b2b_gln", string="GLN", readonly=False, groups=MANAGER_GROUP,
                          help="Your company's GS1 Global Location Number: the buyer in every EDI order")
