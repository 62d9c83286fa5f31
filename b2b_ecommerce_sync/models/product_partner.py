"""'Sell on shop X' on products and 'customer of shop X' on partners."""

from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_shop_backend_ids = fields.Many2many(
        "b2b.shop.backend", string="Sell on Shops", compute="_compute_b2b_shop_backend_ids",
        inverse="_inverse_b2b_shop_backend_ids", search="_search_b2b_shop_backend_ids",
        help="The web shops this product is sent to (every variant, with its internal reference as SKU)")

    @api.depends("product_variant_ids.b2b_shop_binding_ids.active")
    def _compute_b2b_shop_backend_ids(self):
        for tmpl in self:
            tmpl.b2b_shop_backend_ids = tmpl.product_variant_ids.b2b_shop_binding_ids.filtered("active").backend_id

    def _inverse_b2b_shop_backend_ids(self):
        for tmpl in self:
            tmpl.product_variant_ids._b2b_shop_set_backends(tmpl.b2b_shop_backend_ids)

    def _search_b2b_shop_backend_ids(self, operator, value):
        return [("product_variant_ids.b2b_shop_binding_ids", "any",
                 [("backend_id", operator, value), ("active", "=", True)])]


class ProductProduct(models.Model):
    _inherit = "product.product"

    b2b_shop_binding_ids = fields.One2many("b2b.shop.product", "product_id", "Shop Bindings",
                                           context={"active_test": False})

    def _b2b_shop_set_backends(self, backends):
        """Bind these variants to exactly ``backends``: new bindings are created, dropped ones archived
        (their shop id is kept, the next catalogue run unpublishes them)."""
        if isinstance(backends, (list, tuple)):  # ids (data files)
            backends = self.env["b2b.shop.backend"].browse(backends)
        Binding = self.env["b2b.shop.product"].sudo().with_context(active_test=False)
        for product in self:
            current = Binding.search([("product_id", "=", product.id)])
            for binding in current:
                wanted = binding.backend_id in backends
                if binding.active != wanted:
                    binding.write({"active": wanted, "sync_hash": False})
            missing = backends - current.backend_id
            if missing:
                Binding.create([{"backend_id": b.id, "product_id": product.id} for b in missing])


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
