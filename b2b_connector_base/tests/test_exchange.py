from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib.http import TransportError
from ..lib.safe_xml import parse_xml
from .common import B2BTestMixin, declare_exchange_type, patch_processor


@tagged("post_install", "-at_install")
class TestExchange(B2BTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Exchange = cls.env["b2b.exchange"]
        cls.type = declare_exchange_type(cls.env, "test.kind")
        cls.partner = cls.env["res.partner"].create({"name": "Wholesaler One"})
        cls.PartnerCls = type(cls.env["res.partner"])

    def _exchange(self, method, **kw):
        return self.Exchange._b2b_log(
            "test.kind", direction="in", backend=self.partner, payload=b"<Order/>", filename="order.xml",
            process=("res.partner", method), **kw)

    def _patch(self, name, func):
        return patch_processor(self.PartnerCls, name, func)

    def test_log_creates_sequence_payload_and_links(self):
        exchange = self._exchange("_b2b_test_ok", external_id="MSG-1", record=self.partner)
        self.assertTrue(exchange.name.startswith("B2B/"))
        self.assertEqual(exchange.partner_id, self.partner)
        self.assertEqual(exchange.backend_ref, self.partner)
        self.assertEqual(exchange.record_ref, self.partner)
        self.assertEqual(exchange._b2b_get_payload(), b"<Order/>")
        self.assertEqual(exchange.payload_attachment_id.mimetype, "application/xml")
        self.assertIn("<Order/>", exchange.payload_preview)
        self.assertEqual(exchange.company_id, self.env.company)
        self.assertEqual(exchange.user_id, self.env.user)
        self.assertEqual(exchange.light, "normal")

    def test_a_batch_logs_what_one_by_one_logs(self):
        entries = [{"external_id": "MSG-B1", "payload": b"<Order/>", "filename": "one.xml", "summary": "one"},
                   {"external_id": "MSG-B2", "payload": '{"n": 2}', "record": self.partner},
                   {"external_id": "MSG-B3", "summary": "no payload"}]
        batch = self.Exchange._b2b_log_batch("test.kind", entries, direction="in", backend=self.partner,
                                             process=("res.partner", "_b2b_test_ok"))
        alone = self.Exchange.union(*(self.Exchange._b2b_log(
            "test.kind", direction="in", backend=self.partner, process=("res.partner", "_b2b_test_ok"),
            **dict(entry, external_id=entry["external_id"] + "-alone")) for entry in entries))

        def made(exchange):
            att = exchange.payload_attachment_id
            number = exchange.name.replace("/", "_")
            return (exchange.kind, exchange.direction, exchange.state, exchange.partner_id, exchange.record_ref,
                    exchange.summary, exchange.process_method, exchange.company_id, exchange.user_id,
                    att.raw, att.mimetype, att.res_id == exchange.id, (att.name or "").replace(number, "<N>"))

        self.assertEqual([made(e) for e in batch], [made(e) for e in alone])
        self.assertEqual(batch.mapped("external_id"), ["MSG-B1", "MSG-B2", "MSG-B3"])
        self.assertEqual(len(set(batch.mapped("name"))), 3, "each its own number")
        self.assertEqual(batch[1].payload_attachment_id.mimetype, "application/json")
        self.assertFalse(batch[2].payload_attachment_id)

    def test_success_marks_done(self):
        def ok(self, exchange):
            return "processed fine"

        exchange = self._exchange("_b2b_test_ok")
        with self._patch("_b2b_test_ok", ok):
            self.assertTrue(exchange._b2b_process())
        self.assertEqual(exchange.state, "done")
        self.assertEqual(exchange.summary, "processed fine")
        self.assertEqual(exchange.attempt_count, 1)
        self.assertTrue(exchange.date_done)
        self.assertEqual(exchange.light, "done")
        # processing again is a no-op: a done exchange is never applied twice
        with self._patch("_b2b_test_ok", lambda s, e: self.fail("must not run twice")):
            exchange._b2b_process()
        self.assertEqual(exchange.attempt_count, 1)

    def test_sent_exchange_is_not_sent_again_by_a_second_job_run(self):
        sent = []

        def send(self, exchange):
            sent.append(exchange.id)
            exchange.sudo().state = "sent"  # an outgoing message awaiting its answer

        exchange = self._exchange("_b2b_test_send")
        with self._patch("_b2b_test_send", send):
            exchange._b2b_job_run()
            exchange._b2b_job_run()  # e.g. the job requeued by hand in the job list
        self.assertEqual(sent, [exchange.id])
        self.assertEqual(exchange.state, "sent")
        self.assertEqual(exchange.attempt_count, 1)

    def test_failure_rolls_back_business_changes(self):
        partner = self.partner

        def half(self, exchange):
            partner.name = "half-applied"
            partner.env["res.partner"].create({"name": "created by a failing import"})
            raise UserError("Unknown product 4711 on line 2")  # pylint: disable=translation-required

        exchange = self._exchange("_b2b_test_half")
        with self._patch("_b2b_test_half", half), mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
            self.assertFalse(exchange._b2b_process())
        self.assertEqual(exchange.state, "failed")
        self.assertEqual(exchange.error, "Unknown product 4711 on line 2")
        self.assertIn("Traceback", exchange.error_detail)
        self.assertFalse(exchange.auto_retry, "bad data must wait for a person, not be retried blindly")
        self.assertEqual(exchange.light, "blocked")
        self.assertEqual(partner.name, "Wholesaler One")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "created by a failing import")]))
        self.assertIn("Unknown product", exchange.message_ids[0].body)

    def test_transient_failure_is_retried_by_cron_then_succeeds(self):
        attempts = []

        def flaky(self, exchange):
            attempts.append(1)
            if len(attempts) == 1:
                raise TransportError("http://peer answered HTTP 503", kind="server", status=503)
            return "ok at last"

        exchange = self._exchange("_b2b_test_flaky")
        with self._patch("_b2b_test_flaky", flaky), mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
            exchange._b2b_process()
            self.assertEqual(exchange.state, "failed")
            self.assertTrue(exchange.auto_retry)
            self.assertTrue(exchange.next_retry_at)
            self.assertTrue(exchange.error.startswith("Remote server error"))
            # not due yet
            with trap_jobs() as trap:
                self.assertEqual(self.Exchange._cron_retry_failed(), 0)
                trap.assert_jobs_count(0)
            exchange.next_retry_at = "2000-01-01 00:00:00"
            with trap_jobs() as trap:
                self.assertEqual(self.Exchange._cron_retry_failed(), 1)
                trap.assert_jobs_count(1)
                trap.assert_enqueued_job(exchange._b2b_job_run, properties={"channel": exchange._b2b_job_channel()})
                trap.perform_enqueued_jobs()
        self.assertEqual(exchange.state, "done")
        self.assertEqual(exchange.attempt_count, 2)

    def test_a_concurrent_transaction_is_a_transient_failure(self):
        """Two jobs changing the same rows at the same moment (e.g. rendering the same invoice PDF): the loser
        is retried by itself, not left for a person."""
        def locked(self, exchange):
            self.env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                                [self.env.company.partner_id.id])

        exchange = self._exchange("_b2b_test_locked")
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [self.env.company.partner_id.id])
            with self._patch("_b2b_test_locked", locked), mute_logger(
                    "odoo.addons.b2b_connector_base.models.b2b_exchange", "odoo.sql_db"):
                self.assertFalse(exchange._b2b_process())
        self.assertEqual(exchange.state, "failed")
        self.assertTrue(exchange.auto_retry, exchange.error)
        self.assertTrue(exchange.next_retry_at)

    def test_automatic_retries_stop_at_max_attempts(self):
        def down(self, exchange):
            raise TransportError("timeout", kind="timeout")

        exchange = self._exchange("_b2b_test_down", max_attempts=2)
        with self._patch("_b2b_test_down", down), mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
            exchange._b2b_process()
            self.assertTrue(exchange.auto_retry)
            exchange.state = "pending"
            exchange._b2b_process()
        self.assertEqual(exchange.attempt_count, 2)
        self.assertFalse(exchange.auto_retry)
        self.assertFalse(exchange.next_retry_at)

    def test_manual_retry_button_queues_a_job(self):
        calls = []

        def fail_once(self, exchange):
            calls.append(1)
            if len(calls) == 1:
                raise UserError("product missing")  # pylint: disable=translation-required

        exchange = self._exchange("_b2b_test_fail_once")
        with self._patch("_b2b_test_fail_once", fail_once), \
                mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
            exchange._b2b_process()
            self.assertEqual(exchange.state, "failed")
            with trap_jobs() as trap:
                action = exchange.action_retry()
                self.assertEqual(action["tag"], "display_notification")
                self.assertEqual(exchange.state, "pending")
                trap.assert_jobs_count(1)
                trap.perform_enqueued_jobs()
        self.assertEqual(exchange.state, "done")
        done = self.Exchange._b2b_log("test.kind", state="done")
        with self.assertRaises(UserError):
            done.action_retry()

    def test_undeclared_processor_is_refused(self):
        # only the processors an addon declares run (as superuser, from a job): not any method in the data
        ran = []
        for method in ("unlink", "_b2b_undeclared"):
            exchange = self._exchange(method)
            with patch.object(self.PartnerCls, "_b2b_undeclared", lambda s, e: ran.append(e), create=True), \
                    mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
                self.assertFalse(exchange._b2b_process())
            self.assertEqual(exchange.state, "failed")
            self.assertIn(f"res.partner.{method} is not a declared processor", exchange.error)
            self.assertFalse(exchange.auto_retry)
            self.assertEqual(exchange.attempt_count, 0)
        self.assertFalse(ran)
        self.assertTrue(self.partner.exists())
        # declared, it runs
        with self._patch("_b2b_undeclared", lambda s, e: "now declared"):
            exchange.action_retry()
            exchange._b2b_process()
        self.assertEqual(exchange.summary, "now declared")

    def test_retry_after_is_honoured_when_planning_the_retry(self):
        def busy(self, exchange):
            raise TransportError("http://peer answered HTTP 429 (peer asks to retry after 600 s)",
                                 kind="rate_limited", status=429, retry_after=600.0)

        exchange = self._exchange("_b2b_test_busy")
        before = fields.Datetime.now()
        with self._patch("_b2b_test_busy", busy), mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
            exchange._b2b_process()
        self.assertTrue(exchange.auto_retry)
        # the 5-minute backoff would come back too early: the peer asked for 10 minutes
        self.assertGreaterEqual(exchange.next_retry_at, before + timedelta(seconds=600))
        with patch.object(fields.Datetime, "now", return_value=before + timedelta(seconds=400)), trap_jobs() as trap:
            self.assertEqual(self.Exchange._cron_retry_failed(), 0)
            trap.assert_jobs_count(0)
        # a short Retry-After does not shorten the backoff
        exchange.state = "pending"

        def briefly_busy(self, exchange):
            raise TransportError("busy", kind="rate_limited", status=429, retry_after=2.0)

        with self._patch("_b2b_test_busy", briefly_busy), \
                mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
            before = fields.Datetime.now()
            exchange._b2b_process()
        self.assertEqual(exchange.attempt_count, 2)
        self.assertGreaterEqual(exchange.next_retry_at, before + timedelta(minutes=10))

    def test_external_id_is_unique_per_kind_and_backend(self):
        self._exchange("_b2b_x", external_id="MSG-42")
        self.assertEqual(self.Exchange._b2b_find("test.kind", "MSG-42", backend=self.partner).external_id, "MSG-42")
        other = self.env["res.partner"].create({"name": "Other wholesaler"})
        self.Exchange._b2b_log("test.kind", direction="in", backend=other, external_id="MSG-42")
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self._exchange("_b2b_x", external_id="MSG-42")

    def test_claiming_a_message_id_once(self):
        first = self._exchange("_b2b_x")
        self.assertTrue(first._b2b_claim("MSG-7"))
        self.assertEqual(first.external_id, "MSG-7")
        replay = self._exchange("_b2b_x")
        self.assertFalse(replay._b2b_claim("MSG-7"), "a replayed message id is refused")
        self.assertFalse(replay.external_id)
        other = self.env["res.partner"].create({"name": "Other wholesaler"})
        elsewhere = self.Exchange._b2b_log("test.kind", direction="in", backend=other)
        self.assertTrue(elsewhere._b2b_claim("MSG-7"), "message ids are per backend")

    def test_http_calls_survive_a_rolled_back_failure(self):
        from odoo.addons.b2b_sandbox.peers.server import Response, ScriptedPeer

        from ..lib.http import HttpClient

        def fetch(self, exchange):
            client = HttpClient(peer.url, retries=2, on_call=exchange._b2b_record_call, sleep=lambda s: None,
                                secrets=["tok-123"], headers={"X-BLToken": "tok-123"})
            client.get("/messages")
            parse_xml(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', what="GetMessage answer")

        with ScriptedPeer(Response.text("busy", 503)) as peer:
            exchange = self._exchange("_b2b_test_fetch")
            with self._patch("_b2b_test_fetch", fetch), \
                    mute_logger("odoo.addons.b2b_connector_base.models.b2b_exchange"):
                exchange._b2b_process()
        self.assertEqual(exchange.state, "failed")
        self.assertTrue(exchange.error.startswith("Invalid XML: GetMessage answer refused"), exchange.error)
        self.assertNotIn("root:", exchange.error)
        self.assertEqual(exchange.call_ids.mapped("status"), [503, 200])
        self.assertEqual(exchange.call_ids.mapped("kind"), ["server", "ok"])
        self.assertNotIn("tok-123", exchange.call_ids[0].request_headers)

    def test_views_load(self):
        for model in ("b2b.exchange", "b2b.exchange.type", "b2b.schedule"):
            views = self.env[model].get_views([(False, "list"), (False, "form"), (False, "search")])
            self.assertTrue(views["views"])

    def test_cleanup_cron(self):
        old = self.Exchange._b2b_log("test.kind", state="done", payload=b"x")
        self.env.cr.execute("UPDATE b2b_exchange SET create_date = now() - interval '400 days' WHERE id = %s", [old.id])
        old.invalidate_recordset()
        recent = self.Exchange._b2b_log("test.kind", state="done")
        self.assertGreaterEqual(self.Exchange._cron_cleanup(days=180), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
