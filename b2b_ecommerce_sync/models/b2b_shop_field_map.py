from odoo import fields, models


class B2bShopFieldMap(models.Model):
    """A custom field: an Odoo product field sent as a platform attribute / meta field."""

    _name = "b2b.shop.field.map"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Custom Field"
    _order = "backend_id, id"

    field_id = fields.Many2one(
        "ir.model.fields", "Odoo Field", required=True, ondelete="cascade",
        domain="[('model', 'in', ('product.product', 'product.template')), "
               "('ttype', 'in', ('char', 'text', 'html', 'integer', 'float', 'monetary', 'boolean', 'selection', "
               "'many2one', 'date'))]")
    remote_key = fields.Char("Shop Field", required=True, help="Attribute code / meta key in the shop")
