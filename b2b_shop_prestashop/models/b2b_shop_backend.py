from odoo import fields, models

from ..protocol import PrestaShopAdapter


class B2bShopBackend(models.Model):
    """PrestaShop as a platform of the shop backends: its code in the selection, its adapter for them."""

    _inherit = "b2b.shop.backend"

    platform = fields.Selection(selection_add=[(PrestaShopAdapter.platform, PrestaShopAdapter.label)],
                                ondelete={PrestaShopAdapter.platform: "set default"})

    def _shop_adapter_class(self):
        if self.platform == PrestaShopAdapter.platform:
            return PrestaShopAdapter
        return super()._shop_adapter_class()
