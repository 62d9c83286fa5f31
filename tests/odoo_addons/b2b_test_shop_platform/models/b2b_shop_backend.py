from odoo import fields, models

from ..protocol import TestShopAdapter


class B2bShopBackend(models.Model):
    """The test platform: its code in the shops' platform selection, its adapter for them (all a platform
    addon's model has to say)."""

    _inherit = "b2b.shop.backend"

    platform = fields.Selection(selection_add=[(TestShopAdapter.platform, TestShopAdapter.label)],
                                ondelete={TestShopAdapter.platform: "set default"})

    def _shop_adapter_class(self):
        if self.platform == TestShopAdapter.platform:
            return TestShopAdapter
        return super()._shop_adapter_class()
