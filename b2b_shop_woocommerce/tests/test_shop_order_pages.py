"""Orders imported a page at a time (one job per page, created, confirmed and paid together) give exactly what
importing them one by one gives; a bad order fails alone; a page that crashed is imported again, nothing twice."""

import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tools import job_transactions
from odoo.addons.b2b_ecommerce_sync.models import sale_order as sale_order_module
from odoo.addons.b2b_ecommerce_sync.tests.common import MUTE
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import WooShopMixin


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestShopOrderPages(WooShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop()
        cls.env["account.tax"].create({"name": "VAT 21% (page test)", "amount": 21.0, "amount_type": "percent",
                                       "type_tax_use": "sale", "company_id": cls.env.company.id})
        cls.SaleOrder = type(cls.env["sale.order"])
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()
        # orders of two days ago: within the week a new shop reads back
        self.created = fields.Datetime.now().replace(microsecond=0) - timedelta(days=2, hours=3)

    # ------------------------------------------------------------------ helpers
    def _seed(self, count, start=7001, bad=()):
        """``count`` paid orders, the ones of ``bad`` (order ids) with a product Odoo does not know; customers
        repeat, some with a company and a delivery address of their own, some known to the shop."""
        created = self.created
        for n in range(count):
            oid = start + n
            items = [{"sku": "SHOP-DESK", "quantity": 1, "price": "349.00", "discount": "34.90"},
                     {"sku": "SHOP-LAMP" if n % 2 else "SHOP-CHAIR", "quantity": 1 + n % 3, "price": "49.90"}]
            if oid in bad:
                items.append({"sku": "NOT-IN-ODOO", "quantity": 1, "price": "10.00"})
            shipping = {"first_name": "Dock", "last_name": str(n % 2), "address_1": f"Kade {n % 2}",
                        "city": "Rotterdam", "postcode": "3011 AA", "country": "NL"} if n % 3 == 0 else None
            self.peer.add_order(
                oid, "processing" if n % 4 else "on-hold", transaction_id=f"pi_{oid}", items=items,
                billing={"email": f"Buyer{n % 3}@pages.example", "first_name": "Buyer", "last_name": str(n % 3),
                         "company": "Pages BV" if n % 3 == 1 else ""},
                shipping=shipping, customer_id=900 + n % 2 if n % 5 == 0 else 0, coupons=[{"code": "b2b10"}],
                shipping_lines=[{"method_title": "Flat rate", "total": "5.00"}],
                paid=n % 4 != 2, created=created + timedelta(minutes=n))

    def _run_orders(self, one_by_one=False):
        """The orders run and every job it queued; returns the number of import jobs."""
        jobs = 0
        enqueue = (lambda self, exchanges: exchanges._b2b_enqueue()) if one_by_one else \
            self.SaleOrder._b2b_shop_enqueue_page
        with patch.object(self.SaleOrder, "_b2b_shop_enqueue_page", enqueue), trap_jobs() as trap:
            self.backend.with_context(b2b_flow="orders").action_b2b_run_flow()
            while trap.enqueued_jobs:
                batch, trap.enqueued_jobs = trap.enqueued_jobs, []
                for job in batch:
                    jobs += job.method_name != "_b2b_job_run" or job.recordset.kind != "shop.orders"
                    job.perform()
        return jobs

    def _snapshot(self):
        """What the import made, with the names the database's sequences hand out replaced (they differ
        between two runs) and ids left out."""
        self.env.cr.flush()  # the tracking messages a commit would write
        sales = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)],
                                              order="b2b_shop_order_id")
        names = {s.name: f"<SO {s.b2b_shop_order_id}>" for s in sales}
        exchanges = self.Exchange.search([("kind", "=", "shop.order"),
                                          ("backend_ref", "=", f"b2b.shop.backend,{self.backend.id}")])
        names.update({e.name: f"<EX {e.external_id}>" for e in exchanges})

        def norm(text):
            text = str(text or "")
            for name, placeholder in names.items():
                text = text.replace(name, placeholder)
            return re.sub(r"\bP?BNK\d*/\d{4}/\d+", "<PAY>", text)

        def partner(p):
            return (p.name, p.email, p.type, p.street, p.city, p.zip, p.country_id.code, p.parent_id.name,
                    p.is_company, tuple(p.b2b_shop_binding_ids.mapped("remote_id")))

        def messages(record):
            return sorted((m.message_type, m.subtype_id.name or "", norm(m.body), tuple(sorted(
                (t.field_id.name, norm(t.old_value_char), norm(t.new_value_char)) for t in m.tracking_value_ids)))
                for m in record.message_ids)

        result = []
        for sale in sales:
            payment = sale.b2b_shop_payment_id
            exchange = exchanges.filtered(lambda e, s=sale: e.res_id == s.id and e.res_model == "sale.order")
            result.append({
                "order": (sale.b2b_shop_order_id, sale.b2b_shop_order_number, sale.b2b_shop_status, sale.state,
                          sale.date_order, sale.client_order_ref, norm(sale.origin), sale.pricelist_id.name,
                          sale.warehouse_id.name, sale.b2b_shop_paid, sale.amount_untaxed, sale.amount_tax,
                          sale.amount_total, str(sale.note)),
                "partners": (partner(sale.partner_id), partner(sale.partner_invoice_id),
                             partner(sale.partner_shipping_id)),
                "lines": [(line.product_id.default_code, line.name, line.product_uom_qty, line.price_unit,
                           line.discount, tuple(line.tax_ids.mapped("name")), line.price_subtotal, line.price_total)
                          for line in sale.order_line],
                "pickings": [(p.state, p.scheduled_date, tuple((m.product_id.default_code, m.product_uom_qty)
                                                                  for m in p.move_ids)) for p in sale.picking_ids],
                "payment": payment and (norm(payment.name), payment.amount, payment.state, payment.date,
                                        payment.memo, payment.journal_id.name, payment.partner_id.name,
                                        [(line.account_id.code, line.debit, line.credit)
                                         for line in payment.move_id.line_ids]),
                "messages": messages(sale),
                "exchange": (norm(exchange.name), exchange.state, norm(exchange.summary), exchange.attempt_count,
                             exchange.partner_id.name, exchange.error, exchange.date_done is not False,
                             messages(exchange)),
            })
        others = exchanges.filtered(lambda e: e.res_model != "sale.order" or e.res_id not in sales.ids)
        result.append(sorted((norm(e.name), e.state, norm(e.summary), e.error, e.attempt_count) for e in others))
        partners = self.env["res.partner"].search([("email", "=ilike", "%@pages.example")])
        result.append(sorted(partner(p) for p in partners | partners.child_ids | partners.parent_id))
        return result

    def _invoice_paid(self):
        """Invoice every paid order: the shop's payment settles its invoice."""
        sales = self.env["sale.order"].search(
            [("b2b_shop_backend_id", "=", self.backend.id), ("b2b_shop_paid", "=", True)], order="b2b_shop_order_id")
        states = []
        for sale in sales:
            invoice = sale._create_invoices()
            with trap_jobs():
                invoice.action_post()
            states.append((sale.b2b_shop_order_id, invoice.payment_state, sale.b2b_shop_payment_id.is_reconciled))
        return states

    # ------------------------------------------------------------------ tests
    def test_a_page_gives_what_one_by_one_gives(self):
        self._seed(8)
        try:
            with self.env.cr.savepoint():
                jobs = self._run_orders()
                self.assertEqual(jobs, 1, "one job for the page of 8 orders")
                batched = self._snapshot()
                batched_invoices = self._invoice_paid()
                raise _Rollback
        except _Rollback:  # pylint: disable=except-pass  # the rollback is the point
            pass
        self.assertFalse(self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)]))
        jobs = self._run_orders(one_by_one=True)
        self.assertEqual(jobs, 8, "one job per order")
        single = self._snapshot()
        self.assertEqual(len(single), 8 + 2)
        self.assertTrue(all(s["order"][3] == "sale" and s["exchange"][1] == "done" for s in single[:8]))
        self.assertEqual(sum(1 for s in single[:8] if s["payment"]), 6, "the paid orders have their payment")
        self.maxDiff = None
        self.assertEqual(batched, single)
        invoices = self._invoice_paid()
        self.assertEqual(batched_invoices, invoices)
        self.assertTrue(all(state in ("paid", "in_payment") and reconciled for _o, state, reconciled in invoices),
                        invoices)

    def test_a_confirmed_order_keeps_the_shop_order_date(self):
        self._seed(1)
        self._run_orders()
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "7001")])
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.date_order, self.created, "the shop's order date, not the import's")
        # alone (a retry), the same
        self._seed(1, start=7101)
        self._run_orders(one_by_one=True)
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "7101")])
        self.assertEqual((sale.state, sale.date_order), ("sale", self.created))
        self.assertLess(sale.date_order, fields.Datetime.now() - timedelta(days=1))

    def _check_bad_order_alone(self, bad):
        sales = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)])
        self.assertEqual(sorted(sales.mapped("b2b_shop_order_id")), ["7001", "7002", "7004", "7005"])
        exchanges = self.Exchange.search([("kind", "=", "shop.order"),
                                          ("backend_ref", "=", f"b2b.shop.backend,{self.backend.id}")])
        self.assertEqual(len(exchanges), 5)
        failed = exchanges.filtered(lambda e: e.state == "failed")
        self.assertEqual(failed.mapped("external_id"), [e for e in exchanges.mapped("external_id")
                                                        if e.startswith("7003:")])
        self.assertEqual(failed.attempt_count, 1)
        self.assertIn(bad, failed.error)
        self.assertFalse(failed.res_id, "no sale order for the failed one")
        done = exchanges - failed
        self.assertEqual(set(done.mapped("state")), {"done"})
        self.assertEqual(done.mapped("attempt_count"), [1] * 4)
        self.assertEqual(sorted(self.env["sale.order"].browse(done.mapped("res_id")).mapped("b2b_shop_order_id")),
                         ["7001", "7002", "7004", "7005"])
        # a re-run imports nothing twice
        self._run_orders()
        self.assertEqual(self.env["sale.order"].search_count([("b2b_shop_backend_id", "=", self.backend.id)]), 4)
        self.assertEqual(self.Exchange.search_count([("kind", "=", "shop.order"), (
            "backend_ref", "=", f"b2b.shop.backend,{self.backend.id}")]), 5)
        return failed

    def test_a_bad_order_fails_alone_and_the_page_imports(self):
        self._seed(5, bad=(7003,))
        partners = self.env["res.partner"].search_count([])
        with mute_logger(MUTE):
            self._run_orders()
        failed = self._check_bad_order_alone("unknown product NOT-IN-ODOO")
        self.assertEqual(self.env["res.partner"].search_count([]) - partners, 3 + 1 + 1,
                         "two customers, the company of one, two delivery addresses; nothing of the bad order")
        self.env["product.product"].create({"name": "Late product", "default_code": "NOT-IN-ODOO"})
        failed.action_retry()
        failed._b2b_process()
        self.assertEqual(failed.state, "done", failed.error)
        self.assertEqual(self.env["sale.order"].search_count([("b2b_shop_backend_id", "=", self.backend.id)]), 5)

    def test_a_page_failing_together_imports_one_by_one(self):
        """An order that passes the checks but breaks the page's creation (a constraint, say): the page is
        imported order by order, that one fails alone."""
        self._seed(5)
        original = self.SaleOrder._b2b_shop_create_orders

        def create_orders(self, backend, prepared):
            if any(p["order"].remote_id == "7003" for p in prepared):
                raise ValidationError("order 7003 breaks a constraint")  # pylint: disable=translation-required
            return original(self, backend, prepared)

        with patch.object(self.SaleOrder, "_b2b_shop_create_orders", create_orders), mute_logger(MUTE):
            self._run_orders()
        self._check_bad_order_alone("order 7003 breaks a constraint")

    def test_each_page_is_queued_in_a_transaction_of_its_own(self):
        """Outside tests each page read is committed with its job at once (workers import it while the run reads
        on); here the registry's cursors wrap the test's, and the run gives what it gives in one transaction."""
        self._seed(5)
        made_in = []
        queue_page = sale_order_module.queue_order_page

        def spy(sale_orders, backend, orders):
            made_in.append(sale_orders.env.cr is not self.env.cr and backend.env.cr is sale_orders.env.cr)
            return queue_page(sale_orders, backend, orders)

        with self.enter_registry_test_mode(), patch.object(job_transactions, "in_callers_transaction",
                                                           return_value=False), \
                patch.object(sale_order_module, "queue_order_page", spy), \
                patch.object(sale_order_module, "ORDER_PAGE", 2), trap_jobs() as trap:
            self.backend.with_context(b2b_flow="orders").action_b2b_run_flow()
            trap.perform_enqueued_jobs()  # the run
            pages = [job.args[0].with_env(self.env) for job in trap.enqueued_jobs]
        self.assertEqual(made_in, [True] * 3, "three pages, each made in a cursor of its own")
        self.assertEqual([len(page) for page in pages], [2, 2, 1])
        for page in pages:  # the page jobs, as a worker runs them
            self.assertTrue(page[:1].job_uuid)
            self.assertEqual(set(page.mapped("job_uuid")), {page[:1].job_uuid}, "the page knows its job")
            self.env["sale.order"]._b2b_shop_import_page(page)
        sales = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)])
        self.assertEqual(sorted(sales.mapped("b2b_shop_order_id")), ["7001", "7002", "7003", "7004", "7005"])
        self.assertEqual(set(self.Exchange.union(*pages).mapped("state")), {"done"})
        self.assertEqual(self._run_orders(), 0, "a second run finds every page's orders known")

    def test_a_crashed_page_is_imported_again_nothing_twice(self):
        self._seed(5)
        with patch.object(sale_order_module, "ORDER_PAGE", 2), trap_jobs() as trap:
            self.backend.with_context(b2b_flow="orders").action_b2b_run_flow()
            trap.perform_enqueued_jobs()  # the run: three pages queued
            pages = trap.enqueued_jobs
            self.assertEqual([len(job.args[0]) for job in pages], [2, 2, 1])
            pages[0].perform()
            try:  # the second page's job dies before its transaction commits
                with self.env.cr.savepoint():
                    pages[1].perform()
                    self.assertEqual(self.env["sale.order"].search_count(
                        [("b2b_shop_backend_id", "=", self.backend.id)]), 4)
                    raise _Rollback
            except _Rollback:  # pylint: disable=except-pass  # the rollback is the point
                pass
            self.env.invalidate_all()
            for job in pages:  # the job runner runs it again (and the first one twice, by mistake)
                job.perform()
        sales = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)])
        self.assertEqual(sorted(sales.mapped("b2b_shop_order_id")), ["7001", "7002", "7003", "7004", "7005"])
        exchanges = self.Exchange.search([("kind", "=", "shop.order"),
                                          ("backend_ref", "=", f"b2b.shop.backend,{self.backend.id}")])
        self.assertEqual((set(exchanges.mapped("state")), exchanges.mapped("attempt_count")), ({"done"}, [1] * 5))
        self.assertEqual(len(sales.b2b_shop_payment_id), 4)
        self._run_orders()
        self.assertEqual(self.env["sale.order"].search_count([("b2b_shop_backend_id", "=", self.backend.id)]), 5)
