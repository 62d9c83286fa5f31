"""The Odoo round trip (``b2b_ecommerce_sync.tests.round_trip``) on Shopify, against the sandbox Shopify peer."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.round_trip import RoundTrip
from odoo.addons.b2b_sandbox.peers import shopify


@tagged("post_install", "-at_install")
class TestShopifyRoundTrip(RoundTrip, TransactionCase):
    platform = "shopify"

    @classmethod
    def _make_peer(cls):
        return shopify.ShopifyPeer(token=shopify.DEMO_TOKEN)

    @classmethod
    def _credentials(cls):
        return {"key": shopify.DEMO_TOKEN, "options": {"location_id": shopify.PRIMARY_LOCATION}}

    def _seed_order(self, number, paid=True):
        return self.peer.add_order([{"sku": "SHOP-DESK", "title": "Standing desk", "quantity": 2, "price": "349.00"}],
                                   number=int(number), email=f"buyer{number}@example.com",
                                   shipping=[{"title": "Standard", "price": "10.00"}])

    def _remote_stock(self, sku):
        return self.peer.stock(sku)

    def _remote_tracking_numbers(self, remote_id):
        order = self.peer.orders[remote_id]
        return [t.get("number") for f in order.get("fulfillments", []) for t in f.get("trackingInfo", [])]

    def _remote_invoice_number(self, remote_id):
        return (self.peer.invoices.get(remote_id) or {}).get("number")

    def _remote_cancelled(self, remote_id):
        return bool(self.peer.orders[remote_id].get("cancelledAt"))
