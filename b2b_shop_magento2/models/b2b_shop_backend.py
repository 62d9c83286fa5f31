from odoo import fields, models

from ..protocol import Magento2Adapter


class B2bShopBackend(models.Model):
    """Magento 2 as a platform of the shop backends: its code in the selection, its adapter for them."""

    _inherit = "b2b.shop.backend"

    platform = fields.Selection(selection_add=[(Magento2Adapter.platform, Magento2Adapter.label)],
                                ondelete={Magento2Adapter.platform: "set default"})

    def _shop_adapter_class(self):
        if self.platform == Magento2Adapter.platform:
            return Magento2Adapter
        return super()._shop_adapter_class()
