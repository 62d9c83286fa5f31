"""'Customer of shops' on partners."""

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_shop_binding_ids = fields.One2many("b2b.shop.partner", "partner_id", "Shop Accounts")
    b2b_shop_backend_ids = fields.Many2many(
        "b2b.shop.backend", string="Customer of Shops", compute="_compute_b2b_shop_backend_ids",
        inverse="_inverse_b2b_shop_backend_ids",
        help="Web shops this customer's account (addresses, group) is sent to")

    @api.depends("b2b_shop_binding_ids.push")
    def _compute_b2b_shop_backend_ids(self):
        for partner in self:
            partner.b2b_shop_backend_ids = partner.b2b_shop_binding_ids.filtered("push").backend_id

    def _inverse_b2b_shop_backend_ids(self):
        Binding = self.env["b2b.shop.partner"].sudo()
        for partner in self:
            for binding in partner.sudo().b2b_shop_binding_ids:
                wanted = binding.backend_id in partner.b2b_shop_backend_ids
                if binding.push != wanted:
                    binding.write({"push": wanted, "sync_hash": False})
            missing = partner.b2b_shop_backend_ids - partner.sudo().b2b_shop_binding_ids.backend_id
            if missing:
                Binding.create([{"backend_id": b.id, "partner_id": partner.id} for b in missing])
