from odoo import api, fields, models

from ..tools import check_unspsc


class ProductCategory(models.Model):
    _inherit = "product.category"

    b2b_unspsc_code = fields.Char(
        "UNSPSC Code",
        help="The UNSPSC commodity code of the products of this category (and of its sub-categories "
             "without their own), sent to procurement systems as the classification of punch-out carts; "
             "a product's own code comes first")

    @api.constrains("b2b_unspsc_code")
    def _check_b2b_unspsc_code(self):
        check_unspsc(self)

    def _b2b_unspsc(self):
        """The UNSPSC code of this category or of its nearest parent with one."""
        self.ensure_one()
        category = self
        while category:
            if category.b2b_unspsc_code:
                return category.b2b_unspsc_code
            category = category.parent_id
        return ""
