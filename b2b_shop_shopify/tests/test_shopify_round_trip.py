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

    def test_a_tax_included_discount_code_is_taxed_once(self):
        """A discount code of a shop whose prices include tax: its line, taxed by the discount product like the
        lines it reduces, leaves the order total the shop's (not 21 % of the discount lower)."""
        tax = self.env["account.tax"].create({"name": "VAT 21 % (shop test)", "amount": 21.0, "amount_type": "percent",
                                              "type_tax_use": "sale", "company_id": self.env.company.id})
        (self.desk | self.backend.coupon_product_id).taxes_id = tax
        remote = self.peer.add_order(
            [{"sku": "SHOP-DESK", "title": "Standing desk", "quantity": 2, "price": "349.00", "discount": "99.80",
              "code": "WELCOME"}], number=7301, taxes_included=True, tax_rate="21",
            shipping=[{"title": "Standard", "price": "10.00"}])
        self.addCleanup(self.peer.orders.pop, remote, None)  # the peer outlives the test's transaction
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id), "|",
                                              ("b2b_shop_order_id", "=", remote),
                                              ("b2b_shop_order_number", "in", ("7301", "#7301"))])
        self.assertEqual(len(sale), 1)
        shop_total = float(self.peer.orders[remote]["totalPriceSet"]["shopMoney"]["amount"])
        coupon = sale.order_line.filtered(lambda line: line.product_id == self.backend.coupon_product_id)
        self.assertAlmostEqual(coupon.price_unit, -82.48, places=2)
        # the shop rounds per line, Odoo per order: a cent apart at most (21 % of the discount before)
        self.assertLessEqual(abs(sale.amount_total - shop_total), 0.011, (sale.amount_total, shop_total))
