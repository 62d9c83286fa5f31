"""The same Odoo round trip on every platform, each against its own sandbox peer: catalogue and stock out,
a paid order in, the shipment with its tracking number and the invoice back, a cancellation back. Each
platform addon's tests subclass :class:`RoundTrip` with ``TransactionCase`` and fill in its hooks."""

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import ShopTestMixin


class RoundTrip(ShopTestMixin):
    platform = None
    allow_inherited_tests_method = True  # Odoo only runs a class's own test methods unless told so

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(cls._make_peer())
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
        self.assertEqual(sale.order_line.filtered(lambda line: line.product_id == self.desk).product_uom_qty, 2)
        self.assertIn(self.backend.shipping_product_id, sale.order_line.product_id)
        self.assertTrue(sale.b2b_shop_paid)
        self.assertTrue(sale.partner_id.email)

        # shipped with a tracking number
        self._stock(self.desk, 10)
        status = self._ship(sale, self.carrier, f"TRK-{self.platform}-1")
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
