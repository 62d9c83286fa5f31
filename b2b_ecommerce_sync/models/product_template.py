"""'Sell on shops' on products: the template's shops are those of its variants' bindings."""

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
