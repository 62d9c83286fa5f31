from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # Set only by the punch-out code when it creates a buyer user; it is what makes a user one the buyers of
    # this customer may be logged in as (with being a portal user), so only administrators may touch it.
    b2b_punchout_partner_id = fields.Many2one(
        "res.partner", "Punch-out Customer", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null", groups="base.group_system")
