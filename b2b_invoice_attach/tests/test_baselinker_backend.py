"""b2b_invoice_attach end to end against the sandbox BaseLinker peer: real Odoo invoices, the real invoice
report rendered by wkhtmltopdf, every option of the backend form."""

import json
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_connector_base.tools import SECRET_MASK
from odoo.addons.b2b_connector_base.tools.invoice_pdf import invoice_pdf
from odoo.addons.b2b_sandbox.peers.baselinker import ApiContract
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.b2b_baselinker_backend import RUN_KIND, UPLOAD_KIND
from ..protocol import baselinker as bl
from .common import BaseLinkerTestMixin

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
TOKEN = "bl-T0ken-secret-77"
HOUR = 3600


class WorkerDied(BaseException):
    """The worker process ends in the middle of a job (killed, out of memory): nothing of its transaction stays,
    and no ``except Exception`` sees it coming."""


@tagged("post_install", "-at_install")
class TestBaseLinkerBackend(BaseLinkerTestMixin, B2BTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every request of ours and every answer of the peer is checked against BaseLinker's published contract
        cls._baselinker_peer(TOKEN, contract=ApiContract.load())
        cls.backend = cls._baselinker_backend(name="BL test", invoice_series_id=15, b2b_retries=1,
                                              setup_date=fields.Datetime.now() - timedelta(days=60),
                                              no_invoice_after_hours=0)
        cls.backend._bl_sync_statuses(cls.backend._bl_client(cls.env["b2b.exchange"]))
        cls.status = {s.bl_id: s for s in cls.backend.env["b2b.baselinker.status"].search(
            [("backend_id", "=", cls.backend.id)])}
        cls.product = cls.env["product.product"].create({
            "name": "Marketplace widget", "type": "consu", "invoice_policy": "order", "list_price": 25.0})
        cls.customer = cls.env["res.partner"].create({"name": "Marketplace buyer", "email": "mb@example.com"})

    def setUp(self):
        super().setUp()
        self.peer.reset()
        self.now = int(time.time())
        self.addCleanup(lambda: self.assertEqual(self.peer.contract_problems, [], "BaseLinker's published contract"))

    # ------------------------------------------------------------------ helpers
    def _invoiced_order(self, ref, post=True, **order_vals):
        order = self.env["sale.order"].create(dict({
            "partner_id": self.customer.id, "client_order_ref": ref,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
        }, **order_vals))
        order.action_confirm()
        move = order._create_invoices()
        if post:
            move.action_post()
        return order, move

    def _run(self, backend=None):
        """A scheduled run as the job runner does it: the run job, then the upload jobs it queued."""
        backend = backend or self.backend
        Exchange = self.env["b2b.exchange"]
        with trap_jobs() as trap:
            backend.action_run_now()
            trap.assert_jobs_count(1)
            run = Exchange.search([("kind", "=", RUN_KIND)], order="id desc", limit=1)
            before = set(Exchange.search([("kind", "=", UPLOAD_KIND)]).ids)
            run.with_context(force_report_rendering=True)._b2b_process()
            uploads = Exchange.search([("kind", "=", UPLOAD_KIND), ("id", "not in", list(before))])
            trap.assert_jobs_count(1 + len(uploads))  # each upload is its own job on the backend's channel
            uploads.with_context(force_report_rendering=True)._b2b_process()
        return run, uploads

    # ------------------------------------------------------------------ the main flow
    def test_invoice_pdf_uploaded_once_with_external_number_and_status(self):
        order, move = self._invoiced_order("7001")
        _other, _ = self._invoiced_order("9999")  # no BaseLinker order: ignored
        self.peer.add_order(7001, date_confirmed=self.now - HOUR, status_id=1052)
        self.backend.after_upload_status_id = self.status[1053]
        run, uploads = self._run()
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(len(uploads), 1)
        self.assertEqual(uploads.state, "done", uploads.error)
        self.assertEqual(uploads.record_ref, move)
        self.assertEqual(uploads.external_id, f"account.move:{move.id}:order:7001")
        files = self.peer.uploads_for(7001)
        self.assertEqual(len(files), 1)
        self.assertTrue(files[0]["pdf"].startswith(b"%PDF"), "the real invoice report, rendered by wkhtmltopdf")
        self.assertEqual(files[0]["external_invoice_number"], move.name)
        self.assertEqual(self.peer.orders[7001]["order_status_id"], 1053)
        self.assertEqual(move.b2b_baselinker_order_id, "7001")
        self.assertEqual(move.b2b_baselinker_invoice_id, files[0]["invoice_id"])
        self.assertTrue(uploads.response_attachment_id.raw.startswith(b"%PDF"))
        stored = move.invoice_pdf_report_id
        self.assertEqual(files[0]["pdf"], stored.raw, "Odoo's stored invoice PDF, rendered and kept by account")
        self.assertEqual(uploads.response_attachment_id.checksum, stored.checksum)
        self.assertTrue(uploads.call_ids, "every HTTP call is on the exchange")
        self.assertIn("1 upload(s) queued", run.summary)
        # a second run never uploads it again
        invoice_calls = self.peer.calls["getInvoices"]
        run2, uploads2 = self._run()
        self.assertFalse(uploads2)
        self.assertIn("1 already handled", run2.summary)
        self.assertEqual(self.peer.calls["addOrderInvoiceFile"], 1)
        self.assertEqual(self.peer.calls["addInvoice"], 1)
        self.assertEqual(self.peer.calls["getInvoices"], invoice_calls, "nothing left to do: no invoice listing")

    def test_the_pdf_is_odoos_stored_one_rendered_once(self):
        """An invoice already sent from Odoo (Send & Print) goes to BaseLinker as that very file; one that was not
        is rendered once, stored on the invoice, and read by every upload after (two orders, one invoice)."""
        Report = type(self.env["ir.actions.report"])
        _order, sent = self._invoiced_order("7051")
        self.env["account.move.send"].with_context(force_report_rendering=True)._generate_and_send_invoices(
            sent, sending_methods=["manual"])
        stored = sent.invoice_pdf_report_id
        self.assertTrue(stored.raw.startswith(b"%PDF"))
        order_a, grouped = self._invoiced_order("7052", post=False)
        grouped.invoice_origin = "7053"  # one invoice for two BaseLinker orders (matched by source document)
        grouped.action_post()
        for order_id in (7051, 7052, 7053):
            self.peer.add_order(order_id, date_confirmed=self.now - HOUR)
        with patch.object(Report, "_pre_render_qweb_pdf", autospec=True,
                          side_effect=Report._pre_render_qweb_pdf) as render:
            _run, uploads = self._run()
            self.backend.match_mode = "origin"
            _run, more = self._run()
        self.assertEqual((uploads | more).mapped("state"), ["done"] * 3, (uploads | more).mapped("error"))
        self.assertEqual(render.call_count, 1, "the invoice sent before is not rendered again, the other once")
        self.assertEqual(self.peer.uploads_for(7051)[0]["pdf"], stored.raw)
        self.assertEqual(sent.invoice_pdf_report_id, stored)
        pdfs = {self.peer.uploads_for(n)[0]["pdf"] for n in (7052, 7053)}
        self.assertEqual(pdfs, {grouped.invoice_pdf_report_id.raw})
        self.assertEqual(set((uploads | more).mapped("response_attachment_id.checksum")),
                         {stored.checksum, grouped.invoice_pdf_report_id.checksum})

    def test_a_customer_set_up_for_e_invoicing_still_gets_the_pdf(self):
        """Rendering the PDF sends nothing and builds no e-invoice: a marketplace buyer whose e-invoice could
        not be built (Peppol BIS 3 without a VAT number or address) gets the PDF all the same."""
        buyer = self.env["res.partner"].create({"name": "Buyer with Peppol format", "invoice_edi_format": "nlcius"})
        _order, move = self._invoiced_order("7061", partner_id=buyer.id)
        self.peer.add_order(7061, date_confirmed=self.now - HOUR)
        with patch.object(type(self.env["account.move.send"]), "_send_mail") as send_mail:
            _run, uploads = self._run()
        self.assertEqual(uploads.state, "done", uploads.error)
        self.assertEqual(self.peer.uploads_for(7061)[0]["pdf"], move.invoice_pdf_report_id.raw)
        self.assertFalse(move.ubl_cii_xml_id)
        send_mail.assert_not_called()

    def test_existing_baselinker_invoice_is_reused_and_a_crash_after_upload_does_not_repeat_it(self):
        """Our file is on the invoice already (a crash after the upload and before our commit): BaseLinker says so
        by leaving the invoice out of getInvoices with get_external_invoices=false, and by its number."""
        _order, move = self._invoiced_order("7101")
        self.peer.add_order(7101, date_confirmed=self.now - HOUR)
        invoice_id = self.peer.add_invoice(7101)
        self.peer.attach_file(invoice_id, b"%PDF-1.4 uploaded before the crash", move.name)
        _run, uploads = self._run()
        self.assertEqual(uploads.state, "done", uploads.error)
        self.assertIn("already on BaseLinker order 7101", uploads.summary)
        self.assertEqual(self.peer.calls["addInvoice"], 0)
        self.assertEqual(self.peer.calls["addOrderInvoiceFile"], 0, "already there: not uploaded twice")
        self.assertEqual(move.b2b_baselinker_invoice_id, invoice_id)

    def test_a_file_uploaded_by_someone_else_is_recognised_and_not_replaced(self):
        _order, move = self._invoiced_order("7111")
        self.peer.add_order(7111, date_confirmed=self.now - HOUR)
        invoice_id = self.peer.add_invoice(7111)
        self.peer.attach_file(invoice_id, b"%PDF-1.4 the ERP's", "ERP/2026/0042")
        with mute_logger(MUTE):
            _run, uploads = self._run()
        self.assertEqual(uploads.state, "failed")
        self.assertFalse(uploads.auto_retry, "a person decides which document is right")
        self.assertIn("already has a file uploaded by another system (invoice number ERP/2026/0042)", uploads.error)
        self.assertEqual(self.peer.files[invoice_id]["pdf"], b"%PDF-1.4 the ERP's")
        self.assertEqual(self.peer.uploads, [(invoice_id, "ERP/2026/0042")])
        self.assertFalse(move.b2b_baselinker_uploaded_at)

    def test_an_invoice_number_longer_than_baselinker_takes_is_refused_not_shortened(self):
        _order, move = self._invoiced_order("7121", post=False)
        move.name = "INV/2026/MARKETPLACE-AMAZON-DE/00001"  # 36 characters
        move.action_post()
        self.assertEqual(len(move.name), 36)
        self.peer.add_order(7121, date_confirmed=self.now - HOUR)
        self.peer.add_invoice(7121)
        with mute_logger(MUTE):
            _run, uploads = self._run()
        self.assertEqual(uploads.state, "failed")
        self.assertFalse(uploads.auto_retry)
        self.assertIn("has 36 characters; BaseLinker takes at most 30", uploads.error)
        self.assertFalse(uploads.call_ids, "refused before any call to BaseLinker")
        self.assertFalse(self.peer.files)

    def test_orders_are_read_100_per_call(self):
        for n in range(230):
            self.peer.add_order(20_000 + n, date_confirmed=self.now - 5 * HOUR + n)
        run, uploads = self._run()
        self.assertEqual(run.state, "done", run.error)
        self.assertIn("230 order(s)", run.summary)
        self.assertEqual(self.peer.calls["getOrders"], 3)
        self.assertEqual(self.peer.calls["getInvoices"], 0, "no Odoo invoice for them: BaseLinker's are not read")
        self.assertFalse(uploads)

    def test_a_run_reads_at_most_max_pages_and_says_so(self):
        for n in range(230):
            self.peer.add_order(30_000 + n, date_confirmed=self.now - 5 * HOUR + n)
        self.backend.max_pages = 2
        run, _uploads = self._run()
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(self.peer.calls["getOrders"], 2)
        self.assertIn("199 order(s)", run.summary)  # page 2 starts at the second of the last order of page 1
        self.assertIn("stopped at the cap of 2 pages", run.summary)
        with self.assertRaises(ValidationError):
            self.backend.max_pages = 0

    def test_a_run_stopped_at_its_cap_says_so_in_polish_to_a_polish_user(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["b2b_connector_base", "b2b_invoice_attach"], ["pl_PL"],
                                                        overwrite=True)
        for n in range(230):
            self.peer.add_order(40_000 + n, date_confirmed=self.now - 5 * HOUR + n)
        self.backend.max_pages = 2
        self.env.user.lang = "pl_PL"
        self.env = self.env(context=dict(self.env.context, lang="pl_PL"))  # the job runs as that user
        run, _uploads = self._run(self.backend.with_env(self.env))
        self.assertEqual(run.state, "done", run.error)
        self.assertIn("BaseLinker: lista zamówień zatrzymała się na limicie 2 stron", run.summary)
        self.assertNotIn("stopped at the cap", run.summary)


    # ------------------------------------------------------------------ what a run costs, what a crash leaves
    def test_invoices_baselinker_issued_cost_one_request_per_upload(self):
        """BaseLinker issued the invoices (its automatic actions): the run finds them, all orders at once, with
        the invoices without an uploaded file; each upload is then one addOrderInvoiceFile."""
        moves = self.env["account.move"]
        for order_id in (7151, 7152, 7153):
            moves |= self._invoiced_order(str(order_id))[1]
            self.peer.add_order(order_id, date_confirmed=self.now - HOUR)
            self.peer.add_invoice(order_id)
        run, uploads = self._run()
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(uploads.mapped("state"), ["done"] * 3, uploads.mapped("error"))
        self.assertEqual(dict(self.peer.calls), {"getOrders": 1, "getInvoices": 1, "addOrderInvoiceFile": 3})
        self.assertEqual([json.loads(r.form()["parameters"]).get("get_external_invoices")
                          for r in self.peer.requests if b"getInvoices" in r.body], [False])
        self.assertEqual(uploads.mapped("call_count"), [1, 1, 1])
        self.assertEqual(sorted(n for _i, n in self.peer.uploads), sorted(moves.mapped("name")))
        self.assertEqual(set(moves.mapped("b2b_baselinker_invoice_id")), {9001, 9002, 9003})

    def test_a_run_summary_says_what_baselinker_has(self):
        for order_id in (7161, 7162, 7163):
            self._invoiced_order(str(order_id))
            self.peer.add_order(order_id, date_confirmed=self.now - HOUR)
        self.peer.attach_file(self.peer.add_invoice(7162), b"%PDF-1.4 ERP", "ERP/7162")
        self.peer.add_invoice(7163)
        with mute_logger(MUTE):
            run, uploads = self._run()
        self.assertIn("3 upload(s) queued", run.summary)
        self.assertIn("(1 without a BaseLinker invoice yet, 1 with another system's file)", run.summary)
        self.assertEqual(sorted(uploads.mapped("state")), ["done", "done", "failed"])
        self.assertEqual(self.peer.calls["getInvoices"], 2 + 1, "two listings, one fresh look before addInvoice")
        self.assertEqual(self.peer.calls["addInvoice"], 1)

    def _queued_upload(self, ref, with_invoice=True):
        """A run as the job runner does it, without trapping the jobs: the upload's queue.job row is real."""
        _order, move = self._invoiced_order(ref)
        invoice_pdf(move.with_context(force_report_rendering=True))  # stored now: the job's context renders no PDF
        self.peer.add_order(int(ref), date_confirmed=self.now - HOUR)
        if with_invoice:
            self.peer.add_invoice(int(ref))
        run = self.backend._bl_queue_run()
        run._b2b_process()
        upload = self.env["b2b.exchange"].search([("kind", "=", UPLOAD_KIND), ("res_id", "=", move.id)])
        self.assertEqual(len(upload), 1)
        return move, upload

    def _job_dies(self, upload, where):
        """The upload's job runs and the worker dies at ``where`` (after the call to BaseLinker went through):
        its transaction is lost; the job runner finds the job dead and queues it again, one retry more, as
        queue_job's requeue_dead_jobs does."""
        with self.assertRaises(WorkerDied), patch.object(*where, side_effect=WorkerDied):
            with self.env.cr.savepoint():
                Job.load(self.env, upload.job_uuid).perform()
        self.env.invalidate_all()
        self.assertEqual((upload.state, upload.attempt_count), ("pending", 0), "nothing of that attempt was kept")
        job = self.env["queue.job"].search([("uuid", "=", upload.job_uuid)])
        job.write({"state": "pending", "retry": job.retry + 1})
        Job.load(self.env, upload.job_uuid).perform()

    def test_a_worker_dying_after_the_upload_neither_loses_nor_doubles_it(self):
        move, upload = self._queued_upload("7171")
        self.assertEqual(json.loads(upload._b2b_get_payload())["plan"], bl.UPLOAD)
        self._job_dies(upload, (type(move), "message_post"))
        self.assertEqual(upload.state, "done", upload.error)
        self.assertIn("already on BaseLinker order 7171", upload.summary)
        self.assertEqual(self.peer.uploads, [(9001, move.name)], "one upload, not two")
        self.assertEqual(move.b2b_baselinker_invoice_id, 9001)
        self.assertTrue(move.b2b_baselinker_uploaded_at)

    def test_a_worker_dying_after_creating_the_invoice_creates_no_second_one(self):
        move, upload = self._queued_upload("7181", with_invoice=False)
        self.assertEqual(json.loads(upload._b2b_get_payload())["plan"], bl.CREATE)
        self._job_dies(upload, (bl.BaseLinkerClient, "add_order_invoice_file"))
        self.assertEqual(upload.state, "done", upload.error)
        self.assertEqual(self.peer.calls["addInvoice"], 1, "the invoice the dead attempt created is used")
        self.assertEqual(self.peer.uploads, [(9001, move.name)])
        self.assertEqual([i["order_id"] for i in self.peer.invoices.values()], [7181])

    # ------------------------------------------------------------------ options
    def test_status_filter_all_or_chosen(self):
        self._invoiced_order("7201")
        self._invoiced_order("7202")
        self.peer.add_order(7201, date_confirmed=self.now - HOUR, status_id=1051)
        self.peer.add_order(7202, date_confirmed=self.now - HOUR, status_id=1052)
        self.backend.write({"status_filter": "selected", "status_ids": [Command.set([self.status[1052].id])]})
        _run, uploads = self._run()
        self.assertEqual(len(uploads), 1)
        self.assertIn("BaseLinker order 7202", uploads.summary)
        self.backend.write({"status_filter": "all"})
        _run, uploads = self._run()
        self.assertIn("7201", uploads.summary)
        # chosen statuses with none chosen is a clear configuration error
        self.backend.write({"status_filter": "selected", "status_ids": [Command.clear()]})
        with mute_logger(MUTE):
            run, _ = self._run()
        self.assertEqual(run.state, "failed")
        self.assertIn("none is chosen", run.error)
        self.assertFalse(run.auto_retry)

    def test_days_back_window(self):
        self._invoiced_order("7301")
        self.peer.add_order(7301, date_confirmed=self.now - 10 * 24 * HOUR)
        self.backend.days_back = 7
        _run, uploads = self._run()
        self.assertFalse(uploads, "confirmed 10 days ago: outside a 7-day window")
        self.backend.days_back = 14
        _run, uploads = self._run()
        self.assertEqual(len(uploads), 1)
        with self.assertRaises(ValidationError):
            self.backend.days_back = 30
        self.backend.write({"extended_window": True, "days_back": 150})
        with self.assertRaises(ValidationError):
            self.backend.days_back = 151
        with self.assertRaises(ValidationError):
            self.backend.days_back = 0

    def test_orders_before_setup(self):
        self._invoiced_order("7401")
        self.peer.add_order(7401, date_confirmed=self.now - 3 * 24 * HOUR)
        self.backend.write({"setup_date": fields.Datetime.now() - timedelta(days=1), "initial_mode": "new",
                            "days_back": 14})
        _run, uploads = self._run()
        self.assertFalse(uploads, "only orders confirmed after set-up")
        self.backend.write({"initial_mode": "days", "initial_days": 7})
        _run, uploads = self._run()
        self.assertEqual(len(uploads), 1, "the last 7 days before set-up are included")
        with self.assertRaises(ValidationError):
            self.backend.initial_days = 5
        with self.assertRaises(ValidationError):
            self.backend.initial_days = 91

    def test_status_for_orders_without_invoice(self):
        self.peer.add_order(7501, date_confirmed=self.now - 30 * HOUR, status_id=1052)
        self.peer.add_order(7502, date_confirmed=self.now - HOUR, status_id=1052)
        _run, _uploads = self._run()
        self.assertEqual(self.peer.status_changes, [], "no status configured: keep")
        self.backend.write({"no_invoice_status_id": self.status[1055].id, "no_invoice_after_hours": 24})
        run, _uploads = self._run()
        self.assertEqual(self.peer.status_changes, [(7501, 1055)], "only orders older than the grace period")
        self.assertIn("1 marked without invoice", run.summary)
        self._run()
        self.assertEqual(len(self.peer.status_changes), 1, "an order already in that status is left alone")

    def test_document_types_invoice_and_credit_note(self):
        order, move = self._invoiced_order("7601")
        self.peer.add_order(7601, date_confirmed=self.now - HOUR)
        refund = move._reverse_moves([{"ref": "return"}])
        refund.action_post()
        self.backend.write({"send_invoices": False, "send_refunds": True})
        with mute_logger(MUTE):
            _run, uploads = self._run()
        self.assertEqual(uploads.record_ref, refund)
        self.assertEqual(uploads.state, "failed", "no correcting invoice in BaseLinker yet")
        self.assertIn("no correcting invoice", uploads.error)
        correcting = self.peer.add_invoice(7601, type="correcting")
        uploads.with_context(force_report_rendering=True)._b2b_process()
        self.assertEqual(uploads.state, "done", uploads.error)
        self.assertEqual(self.peer.files[correcting]["external_invoice_number"], refund.name)
        self.assertFalse(self.peer.uploads_for(7601)[0]["invoice_id"] != correcting)
        with self.assertRaises(ValidationError):
            self.backend.write({"send_invoices": False, "send_refunds": False})
        self.backend.write({"send_invoices": True})
        _run, uploads = self._run()
        self.assertEqual(uploads.record_ref, move, "the invoice follows once invoices are sent too")

    def test_matching_by_origin_and_by_a_chosen_field(self):
        # origin: the invoice's source document holds the BaseLinker order id
        _order, move = self._invoiced_order("ignored-ref", post=False)
        move.invoice_origin = "7701"
        move.action_post()
        self.peer.add_order(7701, date_confirmed=self.now - HOUR)
        self.backend.match_mode = "origin"
        _run, uploads = self._run()
        self.assertEqual(uploads.record_ref, move)
        # a chosen field (the invoice's reference) against BaseLinker's external order id
        _order2, move2 = self._invoiced_order("other", post=False)
        move2.ref = "AMZ-123-456"
        move2.action_post()
        self.peer.add_order(7702, date_confirmed=self.now - HOUR, external_order_id="AMZ-123-456")
        ref_field = self.env["ir.model.fields"]._get("account.move", "ref")
        self.backend.write({"match_mode": "field", "match_field_id": ref_field.id, "order_key": "external_order_id"})
        _run, uploads = self._run()
        self.assertEqual(uploads.record_ref, move2)
        self.assertEqual(self.peer.uploads_for(7702)[0]["external_invoice_number"], move2.name)
        with self.assertRaises(ValidationError):
            self.backend.match_field_id = False

    # ------------------------------------------------------------------ failures
    def test_failed_upload_is_retried_and_never_doubled(self):
        _order, move = self._invoiced_order("7801")
        self.peer.add_order(7801, date_confirmed=self.now - HOUR)
        # getInvoices, addInvoice pass; addOrderInvoiceFile meets a 502
        real_handle = self.peer.handle

        def flaky(request):
            if b"addOrderInvoiceFile" in request.body and not getattr(flaky, "done", False):
                flaky.done = True
                return Response.text("Bad Gateway", status=502)
            return real_handle(request)

        with patch.object(self.peer, "handle", flaky), mute_logger(MUTE):
            _run, uploads = self._run()
        self.assertEqual(uploads.state, "failed")
        self.assertTrue(uploads.auto_retry, "a 5xx is transient: retried automatically")
        self.assertIn("502", uploads.error)
        self.assertFalse(self.peer.files)
        with trap_jobs() as trap:
            uploads.action_retry()
            trap.assert_jobs_count(1)
        uploads.with_context(force_report_rendering=True)._b2b_process()
        self.assertEqual(uploads.state, "done", uploads.error)
        self.assertEqual(len(self.peer.uploads_for(7801)), 1)
        self.assertEqual(self.peer.calls["addInvoice"], 1, "the invoice created by the first attempt is reused")
        _run, again = self._run()
        self.assertFalse(again)

    def test_blocked_token_is_a_transient_failure_and_the_budget_keeps_under_the_limit(self):
        budget = self.backend._b2b_budget()
        self.assertEqual((budget.max_calls, budget.period), (100, 60))
        with self.assertRaises(ValidationError):
            self.backend.b2b_rate_limit = 150
        with self.assertRaises(ValidationError):
            self.backend.write({"b2b_rate_limit": 100, "b2b_rate_period": 30})
        self.peer.blocked_until = time.time() + 600
        with mute_logger(MUTE):
            run, _ = self._run()
        self.assertEqual(run.state, "failed")
        self.assertIn("ERROR_USER_ACCOUNT_BLOCKED", run.error)
        self.assertTrue(run.auto_retry, "a blocked token recovers: retried later")

    def test_each_call_counts_in_the_budget_from_its_answer(self):
        """BaseLinker counts a request when it arrives: the budget counts it from its answer, so the request 100
        calls later cannot reach BaseLinker within the same minute, however long this one took to arrive."""
        budget = self.backend._b2b_budget()
        self.assertTrue(budget.settles)
        self.assertFalse(type(budget)(budget.registry, "other", 10, 60).settles, "other backends: as before")
        real_handle = self.peer.handle

        def slow(request):  # 0.4 s between the request's arrival and its answer
            answer = real_handle(request)
            time.sleep(0.4)
            return answer

        with patch.object(self.peer, "handle", slow):
            self.backend._bl_client(self.env["b2b.exchange"]).get_order_status_list()
        arrived = self.peer.requests[-1].received_at
        with self.registry.cursor() as cr:  # the budget's rows are committed by its own cursors
            cr.execute("SELECT EXTRACT(EPOCH FROM max(ts)) FROM b2b_rate_event WHERE key = %s", [budget.key])
            counted_from = float(cr.fetchone()[0])
        self.assertGreaterEqual(counted_from, arrived + 0.35)

    def test_unposted_invoice_upload_fails_clearly(self):
        _order, move = self._invoiced_order("7901")
        self.peer.add_order(7901, date_confirmed=self.now - HOUR)
        with trap_jobs():
            run = self.backend._bl_queue_run()
            run._b2b_process()
        upload = self.env["b2b.exchange"].search([("kind", "=", UPLOAD_KIND), ("res_id", "=", move.id)])
        move.button_draft()
        with mute_logger(MUTE):
            upload._b2b_process()
        self.assertEqual(upload.state, "failed")
        self.assertIn("is not posted", upload.error)
        # the invoice's smart button lists it, failed
        move.invalidate_recordset(["b2b_exchange_count", "b2b_failed_count"])
        self.assertEqual((move.b2b_exchange_count, move.b2b_failed_count), (1, 1))
        self.assertEqual(self.env["b2b.exchange"].search(move.action_b2b_view_exchanges()["domain"]), upload)
        self.assertFalse(self.peer.files)

    # ------------------------------------------------------------------ connection, security, views
    def test_test_connection_loads_statuses_and_names_auth_failures(self):
        self.env["b2b.baselinker.status"].search([("backend_id", "=", self.backend.id)]).write({"name": "old"})
        result = self.backend.action_test_connection()
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("5 order statuses", result["params"]["message"])
        self.assertEqual(self.status[1052].name, "Paid")
        self.backend.api_token = "wrong"
        with mute_logger(MUTE):
            result = self.backend.action_test_connection()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("Invalid user token", result["params"]["message"])
        self.assertNotIn("wrong", str(self.env["b2b.exchange"].search([], limit=5).mapped("error")))

    def test_token_encrypted_masked_and_manager_only(self):
        self.env.cr.execute("SELECT api_token_enc FROM b2b_baselinker_backend WHERE id = %s", [self.backend.id])
        stored = self.env.cr.fetchone()[0]
        self.assertTrue(stored.startswith("fernet:"))
        self.assertNotIn(TOKEN, stored)
        self.assertEqual(self.backend.api_token, SECRET_MASK)
        user = new_test_user(self.env, "bl_user", groups="b2b_connector_base.group_b2b_user")
        self.assertEqual(self.backend.with_user(user).name, "BL test")
        with self.assertRaises(AccessError):
            self.backend.with_user(user).read(["api_token"])
        with self.assertRaises(AccessError):
            self.backend.with_user(user).write({"days_back": 3})
        other = self.env["res.company"].create({"name": "Other BL company"})
        foreign = self.env["b2b.baselinker.backend"].create({"name": "Foreign", "company_id": other.id})
        manager = new_test_user(self.env, "bl_mgr", groups="b2b_connector_base.group_b2b_manager")
        self.assertNotIn(foreign, self.env["b2b.baselinker.backend"].with_user(manager).search([]))

    def test_schedule_created_and_run_now_queues(self):
        schedule = self.backend.b2b_schedule_ids
        self.assertEqual(schedule.flow, "upload")
        schedule.write({"hour_from": 8.0, "hour_to": 18.0, "sat": False, "sun": False})
        with trap_jobs() as trap:
            schedule.action_run_now()
            trap.assert_jobs_count(1)

    def test_views_load(self):
        for model, view_types in (("b2b.baselinker.backend", ["list", "form"]), ("account.move", ["form"])):
            views = self.env[model].get_views([(False, v) for v in view_types])
            self.assertEqual(set(views["views"]), set(view_types))
        form = self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("b2b_baselinker_order_id", form)
