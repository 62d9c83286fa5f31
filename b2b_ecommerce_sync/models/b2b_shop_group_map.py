from odoo import fields, models


class B2bShopGroupMap(models.Model):
    """An Odoo pricelist and the customer group of the shop its customers are put in."""

    _name = "b2b.shop.group.map"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Customer Group"
    _order = "backend_id, id"

    pricelist_id = fields.Many2one("product.pricelist", "Odoo Pricelist", required=True, ondelete="cascade")
    remote_group = fields.Char("Shop Customer Group", required=True,
                               help="Customer group id / role / tag of the shop for customers with this pricelist")
