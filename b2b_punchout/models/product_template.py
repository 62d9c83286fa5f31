from odoo import api, fields, models

from ..tools import check_unspsc


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_unspsc_code = fields.Char(
        "UNSPSC Code",
        help="The UNSPSC commodity code of this product (8 digits), sent to procurement systems as the "
             "classification of punch-out carts; empty: the code of its category")

    @api.constrains("b2b_unspsc_code")
    def _check_b2b_unspsc_code(self):
        check_unspsc(self)

    def _b2b_unspsc(self):
        """The product's UNSPSC code, else its category's."""
        self.ensure_one()
        return self.b2b_unspsc_code or (self.categ_id._b2b_unspsc() if self.categ_id else "")
