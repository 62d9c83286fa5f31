from odoo import fields, models


class B2bShopTaxMap(models.Model):
    """An Odoo sale tax and the tax class the shop knows it as (sent with the products that have it)."""

    _name = "b2b.shop.tax.map"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Tax Class"
    _order = "backend_id, id"

    tax_id = fields.Many2one("account.tax", "Odoo Tax", required=True, ondelete="cascade",
                             domain="[('type_tax_use', '=', 'sale')]")
    remote_tax_class = fields.Char("Shop Tax Class", required=True,
                                   help="The shop's id or name of the tax class (or tax rules group)")
