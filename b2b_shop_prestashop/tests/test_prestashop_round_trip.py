"""The Odoo round trip (``b2b_ecommerce_sync.tests.round_trip``) on PrestaShop, against the sandbox PrestaShop peer."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.round_trip import RoundTrip
from odoo.addons.b2b_sandbox.peers import prestashop


@tagged("post_install", "-at_install")
class TestPrestaShopRoundTrip(RoundTrip, TransactionCase):
    platform = "prestashop"

    @classmethod
    def _make_peer(cls):
        return prestashop.PrestaShopPeer()

    @classmethod
    def _credentials(cls):
        return {"key": prestashop.DEMO_KEY}

    def _seed_order(self, number, paid=True):
        product = self.peer.products_with_reference("SHOP-DESK")[0]
        order_id = self.peer.add_order([{"reference": "SHOP-DESK", "quantity": 2, "price": product["price"]}],
                                       state=2, shipping="6.95", reference=f"R{number}", transaction_id=f"tx{number}")
        return str(order_id)

    def _remote_stock(self, sku):
        return self.peer.stock_of(self.peer.products_with_reference(sku)[0]["id"])

    def _remote_tracking_numbers(self, remote_id):
        return [c["tracking_number"] for c in self.peer.shipments(remote_id)]

    def _remote_invoice_number(self, remote_id):
        notes = " ".join(self.peer.notes_for(remote_id))
        return next((w.rstrip(":.,") for w in notes.split() if w.startswith("INV/")), None)

    def _remote_cancelled(self, remote_id):
        return self.peer.db["orders"][int(remote_id)]["current_state"] == "6"
