"""What the WooCommerce tests share."""

from odoo.addons.b2b_ecommerce_sync.tests.common import ShopTestMixin
from odoo.addons.b2b_sandbox.peers import woocommerce as woo


class WooShopMixin(ShopTestMixin):
    @classmethod
    def _woocommerce_shop(cls, wordpress=True, **vals):
        """The sandbox WooCommerce store (``cls.peer``, started for the class), the test catalogue and a shop on
        the store (``cls.backend``) with the demo credentials; ``wordpress``: with the WordPress application
        password and user too (for media uploads)."""
        cls.peer = cls.enterClassContext(woo.WooCommercePeer())
        cls._shop_catalogue()
        if wordpress:
            cls.backend = cls._shop_backend("woocommerce", cls.peer.url, woo.DEMO_KEY, woo.DEMO_SECRET,
                                            woo.DEMO_APP_PASSWORD, options={"wp_user": woo.DEMO_WP_USER}, **vals)
        else:
            cls.backend = cls._shop_backend("woocommerce", cls.peer.url, woo.DEMO_KEY, woo.DEMO_SECRET, **vals)
        return cls.backend
