"""The Odoo round trip (``b2b_ecommerce_sync.tests.round_trip``) on Magento 2, against the sandbox Magento 2 peer."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.round_trip import RoundTrip
from odoo.addons.b2b_sandbox.peers import magento2


@tagged("post_install", "-at_install")
class TestMagento2RoundTrip(RoundTrip, TransactionCase):
    platform = "magento2"

    @classmethod
    def _make_peer(cls):
        return magento2.Magento2Peer()

    @classmethod
    def _credentials(cls):
        return {"key": magento2.DEMO_TOKEN}

    def _seed_order(self, number, paid=True):
        # an unpaid Magento order is "pending" (a paid one is invoiced: Magento only credits it, never cancels)
        order = self.peer.add_order(increment_id=f"00000{number}", status="processing" if paid else "pending",
                                    paid=paid, items=[
            {"sku": "SHOP-DESK", "name": "Standing desk", "qty": 2, "price": "349.00", "tax_percent": 21}],
            shipping_amount="10.00", email=f"buyer{number}@example.com", transaction_id=f"tx{number}")
        return str(order["entity_id"])

    def _remote_stock(self, sku):
        items = [i for i in self.peer.source_items.values() if i["sku"] == sku]
        return int(float(items[0]["quantity"])) if items else None

    def _remote_tracking_numbers(self, remote_id):
        return [t["track_number"] for s in self.peer.shipments_of(remote_id) for t in s.get("tracks", [])]

    def _remote_invoice_number(self, remote_id):
        comments = self.peer.invoice_comments(remote_id)
        return comments[0]["comment"].split()[1].rstrip(":,.") if comments else None

    def _remote_cancelled(self, remote_id):
        return self.peer.orders[int(remote_id)]["status"] == "canceled"
