"""The Odoo round trip (``b2b_ecommerce_sync.tests.round_trip``) on WooCommerce, against the sandbox WooCommerce
peer (the flows in detail: test_shop_sync)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.round_trip import RoundTrip
from odoo.addons.b2b_sandbox.peers import woocommerce as woo


@tagged("post_install", "-at_install")
class TestWooCommerceRoundTrip(RoundTrip, TransactionCase):
    platform = "woocommerce"

    @classmethod
    def _make_peer(cls):
        return woo.WooCommercePeer()

    @classmethod
    def _credentials(cls):
        return {"key": woo.DEMO_KEY, "secret": woo.DEMO_SECRET, "extra": woo.DEMO_APP_PASSWORD,
                "options": {"wp_user": woo.DEMO_WP_USER}}

    def _seed_order(self, number, paid=True):
        self.peer.add_order(int(number), "processing" if paid else "on-hold", paid=paid,
                            items=[{"sku": "SHOP-DESK", "quantity": 2, "price": "349.00"}],
                            shipping_lines=[{"method_title": "Flat rate", "total": "10.00"}],
                            billing={"email": f"buyer{number}@example.com", "first_name": "Buyer",
                                     "last_name": number, "company": ""}, transaction_id=f"tx{number}")
        return number

    def _remote_stock(self, sku):
        return self.peer._by_sku(sku)["stock_quantity"]

    def _remote_tracking_numbers(self, remote_id):
        return [s["tracking_number"] for s in self.peer.shipments[int(remote_id)]]

    def _remote_invoice_number(self, remote_id):
        return (self.peer.attached_invoices.get(int(remote_id)) or {}).get("number")

    def _remote_cancelled(self, remote_id):
        return self.peer.order(remote_id)["status"] == "cancelled"
