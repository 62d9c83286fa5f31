"""No data lost or made up by the shop runs: an old order state retried after a newer one arrived does nothing;
two runs of the same flow at the same moment (two real transactions) end cleanly, one of them as "already
running"."""

import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin, CommittedRunsMixin
from odoo.addons.b2b_ecommerce_sync.tests.common import MUTE
from odoo.addons.b2b_sandbox.peers import woocommerce as woo
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import WooShopMixin


@tagged("post_install", "-at_install")
class TestStaleRetry(WooShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop(wordpress=False)
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


@tagged("post_install", "-at_install")
class TestRunawayPaging(WooShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop(wordpress=False)

    def test_a_shop_announcing_a_million_pages_of_the_same_orders_is_read_once(self):
        for oid in (741, 742):
            self.peer.add_order(oid, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        real_handle = self.peer.handle
        listed = []

        def first_page_forever(request):  # (the first 40 calls: a client that does not stop ends all the same)
            if request.method == "GET" and request.path.endswith("/wc/v3/orders") and len(listed) < 40:
                listed.append(request)
                request.query["page"] = "1"
                response = real_handle(request)
                response.headers["X-WP-TotalPages"] = "1000000"
                return response
            return real_handle(request)

        with patch.object(self.peer, "handle", first_page_forever):
            run, new = self._run(self.backend, "orders")
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(len(listed), 2, "page 2 repeated page 1: the run stopped there")
        self.assertEqual(len(new.filtered(lambda e: e.kind == "shop.order")), 2)
        self.assertIn("2 order(s) read", run.summary)
        self.assertIn("WooCommerce sent page 2 of the order list again (nothing new on it): stopped reading there.",
                      run.summary)
        # the caps are options of the shop, on its form
        max_pages = self.backend.option_ids.filtered(lambda o: o.key == "max_pages")
        self.assertEqual((max_pages.value_int, max_pages.is_default, max_pages.label), (1000, True,
                                                                                        "Most pages per listing"))
        self.backend.option_ids.filtered(lambda o: o.key == "max_records").value = "1"
        self.peer.add_order(743, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        run, new = self._run(self.backend, "orders")
        self.assertIn("stopped at the cap of 1000 pages / 1 records", run.summary)
        # said in the language of the user who runs it
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["b2b_connector_base", "b2b_ecommerce_sync", "b2b_shop_woocommerce"], ["fr_FR"], overwrite=True)
        self.peer.add_order(744, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        self.env.user.lang = "fr_FR"
        run, new = self._run(self.backend.with_context(lang="fr_FR"), "orders")
        self.assertIn("WooCommerce : la liste des commandes s'est arrêtée à la limite de 1000 pages / 1 "
                      "enregistrements", run.summary)


@tagged("post_install", "-at_install")
class TestConcurrentRuns(B2BTestMixin, CommittedRunsMixin, TransactionCase):
    """Two order runs of one shop in two real, separately committed transactions (as two job runner workers
    would run them). Everything they need is committed first, and removed afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(woo.WooCommercePeer())

    def setUp(self):
        super().setUp()
        self.peer.reset()
        for oid in (801, 802):
            self.peer.add_order(oid, "processing", items=[{"sku": "ANY", "quantity": 1, "price": "9.00"}])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            backend = env["b2b.shop.backend"].create({
                "name": f"Concurrent shop {self.peer.port}", "platform": "woocommerce", "url": self.peer.url,
                "api_key": woo.DEMO_KEY, "api_secret": woo.DEMO_SECRET, "b2b_retries": 0})
            self.backend_id = backend.id
            self.run_ids = [backend._b2b_exchange(
                "shop.orders", direction="in", process=("b2b.shop.backend", "_b2b_run_orders")).id for _n in (1, 2)]
        self.addCleanup(self._remove_committed, "b2b.shop.backend", self.backend_id)

    def _queued_imports(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            imports = env["b2b.exchange"].search([("kind", "=", "shop.order"),
                                                  ("backend_ref", "=", f"b2b.shop.backend,{self.backend_id}")])
            return sorted(imports.mapped("external_id"))

    def test_a_run_started_while_another_reads_the_shop_ends_as_already_running(self):
        first, second = self.run_ids
        results = {}
        arrived, release = threading.Event(), threading.Event()
        real_handle = self.peer.handle

        def slow_orders(request):  # the first run holds the lock while it waits for the shop
            if "/orders" in request.path and not arrived.is_set():
                arrived.set()
                release.wait(20)
            return real_handle(request)

        with patch.object(self.peer, "handle", slow_orders), mute_logger(MUTE):
            one = self._thread(first, results)
            self.assertTrue(arrived.wait(10), f"the first run reads the shop: {results}")
            two = self._thread(second, results)
            two.join(5)  # the second run does not wait for the first one
            release.set()
            one.join(30)
            two.join(30)
        self.assertEqual(results[first][0], "done", results[first])
        self.assertIn("2 order(s) read", results[first][1])
        state, summary, error = results[second]
        self.assertEqual((state, error), ("cancelled", ""), summary)
        self.assertRegex(summary, r"^Already running: another run is under way; this Orders run of .*")
        self.assertEqual(len(self._queued_imports()), 2, "each order queued once")

    def test_a_run_whose_snapshot_predates_a_run_that_just_ended_does_nothing(self):
        first, second = self.run_ids
        with mute_logger(MUTE):
            results = self._second_run_with_an_older_snapshot(first, second)
        self.assertEqual(results[first][0], "done", results[first])
        state, summary, error = results[second]
        self.assertEqual((state, error), ("cancelled", ""), summary)
        self.assertRegex(summary, r"^Already running: \S+ ran meanwhile; this Orders run of .* did nothing\.$")
        self.assertEqual(len(self._queued_imports()), 2, "each order queued once")
