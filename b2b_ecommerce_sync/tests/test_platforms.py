"""The same Odoo round trip on every platform, each against its own sandbox peer: catalogue and stock out,
a paid order in, the shipment with its tracking number and the invoice back, a cancellation back."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_sandbox.peers import magento2, prestashop, shopify
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ShopTestMixin


class RoundTrip(ShopTestMixin):
    platform = None
    allow_inherited_tests_method = True  # Odoo only runs a class's own test methods unless told so

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls._make_peer().start()
        cls.addClassCleanup(cls.peer.stop)
        cls._shop_catalogue()
        cls.backend = cls._shop_backend(cls.platform, cls.peer.url, **cls._credentials())
        carrier_product = cls.env["product.product"].create({"name": "Parcel", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create({"name": "DHL", "product_id": carrier_product.id,
                                                          "delivery_type": "fixed"})

    # platform hooks
    @classmethod
    def _make_peer(cls):
        raise NotImplementedError

    @classmethod
    def _credentials(cls):
        raise NotImplementedError

    def _seed_order(self, number, paid=True):
        """An order of 2 x SHOP-DESK with shipping in the peer, paid or not; returns its remote id."""
        raise NotImplementedError

    def _remote_stock(self, sku):
        raise NotImplementedError

    def _remote_tracking_numbers(self, remote_id):
        raise NotImplementedError

    def _remote_invoice_number(self, remote_id):
        raise NotImplementedError

    def _remote_cancelled(self, remote_id):
        raise NotImplementedError

    # the round trip
    def test_round_trip(self):
        self._sell(self.backend, self.desk, self.chair)
        run, _children = self._run(self.backend, "catalogue")
        self.assertEqual(run.state, "done", run.error)
        bindings = (self.desk | self.chair).b2b_shop_binding_ids
        self.assertTrue(all(b.remote_id and b.state == "synced" for b in bindings), bindings.mapped("last_error"))

        self._stock(self.desk, 7)
        run, children = self._run(self.backend, "stock")
        self.assertEqual(run.state, "done", run.error)
        self.assertFalse(children.filtered(lambda c: c.state == "failed").mapped("error"))
        self.assertEqual(self._remote_stock("SHOP-DESK"), 7)

        first, second = self._seed_order("7001"), self._seed_order("7002", paid=False)
        run, new = self._run(self.backend, "orders")
        self.assertEqual(run.state, "done", run.error)
        imports = new.filtered(lambda e: e.kind == "shop.order")
        self.assertEqual(imports.mapped("state"), ["done"] * 2, imports.mapped("error"))
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id),
                                              ("b2b_shop_order_id", "=", first)])
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.order_line.filtered(lambda l: l.product_id == self.desk).product_uom_qty, 2)
        self.assertIn(self.backend.shipping_product_id, sale.order_line.product_id)
        self.assertTrue(sale.b2b_shop_paid)
        self.assertTrue(sale.partner_id.email)

        # shipped with a tracking number
        self._stock(self.desk, 10)
        picking = sale.picking_ids
        picking.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": f"TRK-{self.platform}-1"})
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        with trap_jobs() as trap:
            picking.button_validate()
            trap.perform_enqueued_jobs()
        status = self.env["b2b.exchange"].search([("kind", "=", "shop.status"), ("res_model", "=", "stock.picking"),
                                                  ("res_id", "=", picking.id)])
        self.assertEqual(status.state, "done", status.error)
        self.assertIn(f"TRK-{self.platform}-1", self._remote_tracking_numbers(first))

        # the invoice
        invoice = sale._create_invoices()
        with trap_jobs() as trap:
            invoice.action_post()
        invoice.with_context(force_report_rendering=True)._b2b_shop_push_invoice()
        sent = self.env["b2b.exchange"].search([("kind", "=", "shop.invoice"), ("res_id", "=", invoice.id)])
        self.assertEqual(sent.state, "done", sent.error)
        self.assertEqual(self._remote_invoice_number(first), invoice.name)

        # cancelled in Odoo
        other = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id),
                                               ("b2b_shop_order_id", "=", second)])
        with trap_jobs() as trap:
            other.action_cancel()
            trap.perform_enqueued_jobs()
        cancelled = self.env["b2b.exchange"].search([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"),
                                                     ("res_id", "=", other.id)])
        self.assertEqual(cancelled.state, "done", cancelled.error)
        self.assertTrue(self._remote_cancelled(second))

        # nothing is imported twice
        run, new = self._run(self.backend, "orders")
        self.assertFalse(new.filtered(lambda e: e.kind == "shop.order" and e.state == "done"
                                      and "created" in (e.summary or "")))
        self.assertEqual(self.env["sale.order"].search_count([("b2b_shop_backend_id", "=", self.backend.id)]), 2)


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
