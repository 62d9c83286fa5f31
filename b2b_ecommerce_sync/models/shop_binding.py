from odoo import api, fields, models
from odoo.exceptions import ValidationError

BINDING_STATES = [("new", "Not sent yet"), ("synced", "In sync"), ("error", "Error")]


class B2bShopBackendLine(models.AbstractModel):
    """What every row belonging to a shop has: the shop, and its company (for the multi-company rules)."""

    _name = "b2b.shop.backend.line"
    _description = "Row of a Web Shop Backend"

    backend_id = fields.Many2one("b2b.shop.backend", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True)


class B2bShopOption(models.Model):
    """A platform option of a backend (store code, language, location...), prefilled from the adapter."""

    _name = "b2b.shop.option"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Platform Option"
    _order = "backend_id, key"

    key = fields.Char(required=True)
    value = fields.Char()

    _key_unique = models.Constraint("UNIQUE(backend_id, key)", "Each option once per shop.")


class B2bShopStatus(models.Model):
    """A shop order status: which ones are imported, which ones cancel an imported order."""

    _name = "b2b.shop.status"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Order Status"
    _order = "backend_id, sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="The platform's status code")
    name = fields.Char(required=True)
    import_order = fields.Boolean("Import", help="Orders in this status become sale orders")
    cancel_order = fields.Boolean("Cancels", help="An imported order that reaches this status is cancelled in Odoo")

    _code_unique = models.Constraint("UNIQUE(backend_id, code)", "Each status once per shop.")

    @api.constrains("import_order", "cancel_order")
    def _check_flags(self):
        for rec in self:
            if rec.import_order and rec.cancel_order:
                raise ValidationError(self.env._("Status %s cannot both import and cancel orders.", rec.name))


class B2bShopCategoryMap(models.Model):
    """ERP category -> shop category. An empty shop id means "create it in the shop" on the next
    catalogue run; an id typed in maps the category onto an existing shop category."""

    _name = "b2b.shop.category.map"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Category Mapping"
    _order = "backend_id, category_id"

    category_id = fields.Many2one("product.category", "Odoo Category", required=True, ondelete="cascade")
    remote_id = fields.Char("Shop Category ID", help="Empty: created in the shop by the next catalogue run")
    remote_name = fields.Char("Shop Category Name", help="Empty: the Odoo category's name")
    push = fields.Boolean("Send", default=True, help="Create/update the category in the shop (off: only map)")
    state = fields.Selection(BINDING_STATES, default="new", readonly=True)
    last_error = fields.Char(readonly=True)
    sync_hash = fields.Char(readonly=True, copy=False)

    _category_unique = models.Constraint("UNIQUE(backend_id, category_id)", "A category is mapped once per shop.")


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


class B2bShopTaxMap(models.Model):
    _name = "b2b.shop.tax.map"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Tax Class"
    _order = "backend_id, id"

    tax_id = fields.Many2one("account.tax", "Odoo Tax", required=True, ondelete="cascade",
                             domain="[('type_tax_use', '=', 'sale')]")
    remote_tax_class = fields.Char("Shop Tax Class", required=True,
                                   help="WooCommerce tax class, PrestaShop tax rules group id, Magento tax class id")


class B2bShopGroupMap(models.Model):
    _name = "b2b.shop.group.map"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Customer Group"
    _order = "backend_id, id"

    pricelist_id = fields.Many2one("product.pricelist", "Odoo Pricelist", required=True, ondelete="cascade")
    remote_group = fields.Char("Shop Customer Group", required=True,
                               help="Customer group id / role / tag of the shop for customers with this pricelist")


class B2bShopProduct(models.Model):
    """A product sold on a shop: its shop id and what was last sent (for deltas)."""

    _name = "b2b.shop.product"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Product on a Shop"
    _order = "backend_id, id"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    default_code = fields.Char(related="product_id.default_code", string="SKU")
    remote_id = fields.Char("Shop ID", copy=False, index=True)
    active = fields.Boolean(default=True)
    state = fields.Selection(BINDING_STATES, default="new", readonly=True)
    last_error = fields.Char(readonly=True)
    sync_hash = fields.Char(readonly=True, copy=False, help="Fingerprint of the product data last sent")
    price_sent = fields.Float(readonly=True, copy=False, digits="Product Price")
    sale_price_sent = fields.Float(readonly=True, copy=False, digits="Product Price")
    stock_sent = fields.Float(readonly=True, copy=False, digits="Product Unit")
    stock_sent_set = fields.Boolean(readonly=True, copy=False)
    restock_sent = fields.Date(readonly=True, copy=False)
    last_sync = fields.Datetime(readonly=True, copy=False)

    _product_unique = models.Constraint("UNIQUE(backend_id, product_id)", "A product is bound once per shop.")
    _remote_unique = models.UniqueIndex("(backend_id, remote_id) WHERE remote_id IS NOT NULL",
                                        "Two products cannot have the same shop id.")


class B2bShopPartner(models.Model):
    """A customer known to a shop (pushed from Odoo or met in an imported order)."""

    _name = "b2b.shop.partner"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Customer on a Shop"
    _order = "backend_id, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    email = fields.Char(related="partner_id.email")
    remote_id = fields.Char("Shop ID", copy=False, index=True)
    push = fields.Boolean("Send", default=True, help="Send this customer's data to the shop")
    state = fields.Selection(BINDING_STATES, default="new", readonly=True)
    last_error = fields.Char(readonly=True)
    sync_hash = fields.Char(readonly=True, copy=False)
    last_sync = fields.Datetime(readonly=True, copy=False)

    _partner_unique = models.Constraint("UNIQUE(backend_id, partner_id)", "A customer is bound once per shop.")
    _remote_unique = models.UniqueIndex("(backend_id, remote_id) WHERE remote_id IS NOT NULL",
                                        "Two customers cannot have the same shop id.")
