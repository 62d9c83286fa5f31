from odoo import fields, models

from ..protocol import WooCommerceAdapter


class B2bShopBackend(models.Model):
    """WooCommerce as a platform of the shop backends: its code in the selection, its adapter for them."""

    _inherit = "b2b.shop.backend"

    platform = fields.Selection(selection_add=[(WooCommerceAdapter.platform, WooCommerceAdapter.label)],
                                ondelete={WooCommerceAdapter.platform: "set default"})

    def _shop_adapter_class(self):
        if self.platform == WooCommerceAdapter.platform:
            return WooCommerceAdapter
        return super()._shop_adapter_class()
