from odoo import api, fields, models

from ..protocol import model as shop


class B2bShopCategoryMap(models.Model):
    """ERP category -> shop category. An empty shop id means "create it in the shop" on the next catalogue
    run; an id typed in maps the category onto an existing shop category."""

    _name = "b2b.shop.category.map"
    _inherit = ["b2b.shop.binding"]
    _description = "Shop Category Mapping"
    _order = "backend_id, category_id"
    _shop_record_field = "category_id"
    _shop_kind = "shop.category"

    category_id = fields.Many2one("product.category", "Odoo Category", required=True, ondelete="cascade")
    remote_id = fields.Char("Shop Category ID", help="Empty: created in the shop by the next catalogue run")
    remote_name = fields.Char("Shop Category Name", help="Empty: the Odoo category's name")
    # what the list shows and edits: the name the category has in the shop (a name equal to the Odoo
    # category's is stored empty, so the shop follows a renamed Odoo category)
    shop_name = fields.Char("Name in the Shop", compute="_compute_shop_name", inverse="_inverse_shop_name",
                            help="The category's name in the shop; by default the Odoo category's name")
    push = fields.Boolean("Send", default=True, help="Create/update the category in the shop (off: only map)")

    _category_unique = models.Constraint("UNIQUE(backend_id, category_id)", "A category is mapped once per shop.")
    # a row that sends its category owns that shop category; rows that only map may share one
    _remote_unique = models.UniqueIndex("(backend_id, remote_id) WHERE remote_id IS NOT NULL AND push",
                                        "Another category of this shop is sent to the same shop category.")

    @api.depends("remote_name", "category_id.name")
    def _compute_shop_name(self):
        for rec in self:
            rec.shop_name = rec.remote_name or rec.category_id.name

    def _inverse_shop_name(self):
        for rec in self:
            name = (rec.shop_name or "").strip()
            rec.remote_name = name if name and name != rec.category_id.name else False

    def _shop_push(self, run, adapter=None):
        # parents first: a category created in the call gives its new shop id to its children
        rows = self.filtered("push").sorted(lambda r: r.category_id.parent_path or "")
        return super(B2bShopCategoryMap, rows)._shop_push(run, adapter)

    @staticmethod
    def _shop_category_key(category):
        return f"product.category:{category.id}"

    def _shop_data(self):
        self.ensure_one()
        categ = self.category_id
        mapped = self.backend_id.category_map_ids.category_id
        parent = categ.parent_id if categ.parent_id in mapped else None
        return shop.Category(key=self._shop_category_key(categ), name=self.remote_name or categ.name,
                             parent_key=self._shop_category_key(parent) if parent else "",
                             remote_id=self.remote_id or "")

    def _shop_send(self, adapter, datas):
        # a parent already in the shop and not in this call: its shop id travels with the child
        keys = {category.key for category in datas}
        remote_ids = {self._shop_category_key(r.category_id): r.remote_id for r in self.backend_id.category_map_ids}
        for category in datas:
            if category.parent_key and category.parent_key not in keys:
                category.parent_remote_id = remote_ids.get(category.parent_key) or ""
                category.parent_key = ""
        return adapter.push_categories(datas)
