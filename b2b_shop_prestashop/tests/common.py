"""What the PrestaShop tests share."""

from odoo.addons.b2b_ecommerce_sync.tests.common import ShopTestMixin
from odoo.addons.b2b_sandbox.peers import prestashop


class PrestaShopMixin(ShopTestMixin):
    """The sandbox PrestaShop, started for the class and back to its first state before each test (the
    database rolls back after a test, the shop would not)."""

    @classmethod
    def _prestashop_shop(cls, peer=None, **vals):
        """The sandbox PrestaShop (``cls.peer``: ``peer``, else one with the shop's defaults), the test catalogue
        and a shop on it (``cls.backend``) with the demo key."""
        cls.peer = cls.enterClassContext(peer or prestashop.PrestaShopPeer())
        cls._shop_catalogue()
        cls.backend = cls._shop_backend("prestashop", cls.peer.url, prestashop.DEMO_KEY, **vals)
        return cls.backend

    def setUp(self):
        super().setUp()
        self.peer.reset()
