from odoo import fields, models

from ..protocol import ShopifyAdapter


class B2bShopBackend(models.Model):
    """Shopify as a platform of the shop backends: its code in the selection, its adapter for them."""

    _inherit = "b2b.shop.backend"

    platform = fields.Selection(selection_add=[(ShopifyAdapter.platform, ShopifyAdapter.label)],
                                ondelete={ShopifyAdapter.platform: "set default"})

    def _shop_adapter_class(self):
        if self.platform == ShopifyAdapter.platform:
            return ShopifyAdapter
        return super()._shop_adapter_class()
