"""No data lost or made up by the shop runs: an old order state retried after a newer one arrived does nothing;
two runs of the same flow at the same moment (two real transactions) end cleanly, one of them as "already
running"."""

import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_sandbox.peers import woocommerce as woo
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MUTE, ShopTestMixin


@tagged("post_install", "-at_install")
class TestStaleRetry(ShopTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = woo.WooCommercePeer().start()
        cls.addClassCleanup(cls.peer.stop)
        cls._shop_catalogue()
        cls.backend = cls._shop_backend("woocommerce", cls.peer.url, woo.DEMO_KEY, woo.DEMO_SECRET)
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def _imports(self, new):
        return new.filtered(lambda e: e.kind == "shop.order")

    def _modified_in_the_shop(self, oid, status, seconds):
        order = self.peer.order(oid)
        order["status"] = status
        self.peer._stamp(order, "date_modified", self.peer.now() + timedelta(seconds=seconds))

    def test_a_failed_import_retried_after_the_shop_cancelled_the_order_imports_nothing(self):
        self.peer.add_order(711, "processing", items=[{"sku": "LATE-SKU", "quantity": 1, "price": "10.00"}])
        with mute_logger(MUTE):
            _run, new = self._run(self.backend, "orders")
        failed = self._imports(new)
        self.assertEqual(failed.state, "failed")
        self.assertIn("unknown product LATE-SKU", failed.error)
        # the customer cancels in the shop; the next run reads that state: nothing to do, it was never imported
        self._modified_in_the_shop(711, "cancelled", 5)
        _run, new = self._run(self.backend, "orders")
        cancelled = self._imports(new)
        self.assertEqual(cancelled.state, "done", cancelled.error)
        self.assertIn("never imported", cancelled.summary)
        # the product is created, someone retries the old failure: it must not bring the cancelled order back
        self.env["product.product"].create({"name": "Late product", "default_code": "LATE-SKU"})
        with trap_jobs() as trap:
            failed.action_retry()
            trap.perform_enqueued_jobs()
        self.assertEqual(failed.state, "cancelled")
        self.assertEqual(failed.summary, f"Superseded by {cancelled.name} (a newer state of shop order 711): "
                                         "nothing imported.")
        self.assertFalse(failed.error)
        self.assertFalse(self.env["sale.order"].search([("b2b_shop_order_id", "=", "711")]), "nothing imported")
        # retried again by hand: still superseded
        failed.action_retry()
        failed._b2b_process()
        self.assertEqual(failed.state, "cancelled")
        self.assertFalse(self.env["sale.order"].search([("b2b_shop_order_id", "=", "711")]))

    def test_an_old_state_processed_after_a_newer_one_changes_nothing(self):
        # two runs before any import job ran: the job of the older state runs last (a capacity above one, a retry)
        self.peer.add_order(721, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        with trap_jobs() as first:
            self.backend.with_context(b2b_flow="orders").action_b2b_run_flow()
            first.perform_enqueued_jobs()  # the run only: it queues the import
        older = self.Exchange.search([("kind", "=", "shop.order"), ("external_id", "=like", "721:%")])
        self.assertEqual(older.state, "pending")
        self._modified_in_the_shop(721, "cancelled", 5)
        _run, new = self._run(self.backend, "orders")
        newer = self._imports(new)
        self.assertEqual(newer.state, "done", newer.error)
        older._b2b_process()
        self.assertEqual(older.state, "cancelled")
        self.assertIn(f"Superseded by {newer.name}", older.summary)
        self.assertFalse(self.env["sale.order"].search([("b2b_shop_order_id", "=", "721")]))

    def test_the_newest_state_applies_and_a_state_without_a_shop_date_is_ordered_by_arrival(self):
        self.peer.add_order(731, "on-hold", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        _run, new = self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "731")])
        self.assertEqual(sale.state, "sale")
        self._modified_in_the_shop(731, "cancelled", 5)
        _run, new2 = self._run(self.backend, "orders")
        self.assertEqual(sale.state, "cancel")
        # the first state replayed (its exchange done long ago, set back to pending by hand): superseded
        first = self._imports(new)
        first.state = "pending"
        first._b2b_process()
        self.assertEqual((first.state, sale.state), ("cancelled", "cancel"))
        # a remote id that is the start of others, or that LIKE would read as a pattern, only sees its own states
        backend = self.backend
        c, d = (backend._b2b_exchange("shop.order", direction="in", external_id=f"{remote}:processing:")
                for remote in ("7_9", "73"))
        # states without a modification date: the one received last is the newest
        a, b = (backend._b2b_exchange("shop.order", direction="in", external_id=f"739:{status}:")
                for status in ("on-hold", "processing"))
        self.assertEqual(backend._shop_newer_state(a, "739"), b)
        self.assertFalse(backend._shop_newer_state(b, "739"))
        self.assertFalse(backend._shop_newer_state(c, "7_9"))
        self.assertFalse(backend._shop_newer_state(d, "73"))
