"""The shared base, end to end in Odoo, through the sandbox backend and the ping peer:
encrypted credentials, HTTP client + exchange log, request budget, schedules, jobs, test connection."""

import datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.lib.ratelimit import BudgetExceeded
from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_connector_base.tools import SECRET_MASK
from odoo.addons.queue_job.tests.common import trap_jobs

from ..peers.ping import PingPeer
from ..peers.server import Response

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"


@tagged("post_install", "-at_install")
class TestSandboxBackend(B2BTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(PingPeer(api_key="k3y-Secret-42"))
        cls.backend = cls.env["b2b.sandbox.backend"].create({
            "name": "Ping", "url": cls.peer.url, "api_key": "k3y-Secret-42", "b2b_retries": 2,
        })

    def setUp(self):
        super().setUp()
        self.peer.reset()

    # ------------------------------------------------------------------ credentials
    def test_secret_is_encrypted_at_rest_and_masked(self):
        self.env.cr.execute("SELECT api_key_enc FROM b2b_sandbox_backend WHERE id = %s", [self.backend.id])
        stored = self.env.cr.fetchone()[0]
        self.assertTrue(stored.startswith("fernet:"))
        self.assertNotIn("k3y-Secret-42", stored)
        self.assertEqual(self.backend.api_key, SECRET_MASK, "forms show a mask, never the secret")
        self.assertEqual(self.backend._b2b_secret("api_key"), "k3y-Secret-42")
        # writing the mask back (unchanged form) keeps the secret; a new value replaces it
        self.backend.write({"api_key": SECRET_MASK, "name": "Ping 2"})
        self.assertEqual(self.backend._b2b_secret("api_key"), "k3y-Secret-42")
        self.backend.api_key = "new-key"
        self.assertEqual(self.backend._b2b_secret("api_key"), "new-key")
        self.backend.api_key = False
        self.assertFalse(self.backend.sudo().api_key_enc)

    def test_secret_readable_only_by_managers(self):
        user = new_test_user(self.env, "b2b_sandbox_user", groups="b2b_connector_base.group_b2b_user")
        manager = new_test_user(self.env, "b2b_sandbox_mgr", groups="b2b_connector_base.group_b2b_manager")
        backend_as_user = self.backend.with_user(user)
        self.assertEqual(backend_as_user.name, "Ping")
        for field in ("api_key", "api_key_enc"):
            with self.assertRaises(AccessError):
                backend_as_user.read([field])
        self.assertEqual(self.backend.with_user(manager).read(["api_key"])[0]["api_key"], SECRET_MASK)
        self.assertNotIn("api_key", backend_as_user.fields_get())

    def test_missing_key_gives_clear_error(self):
        from odoo.addons.b2b_connector_base.tools import secret_key

        secret_key._read_key.cache_clear()
        with patch.object(secret_key, "config", {"config": "/nonexistent"}), patch.dict("os.environ", {}, clear=True):
            from odoo.exceptions import UserError

            with self.assertRaisesRegex(UserError, "b2b_secret_key"):
                self.backend.api_key = "x"
        secret_key._read_key.cache_clear()

    # ------------------------------------------------------------------ flows, jobs, exchange log
    def test_ping_flow_runs_as_job_and_logs_calls(self):
        with trap_jobs() as trap:
            self.backend._b2b_run_flow("ping")
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.channel, f"root.b2b.sandbox_{self.backend.id}")
            trap.perform_enqueued_jobs()
        exchange = self.env["b2b.exchange"].search(self.backend._b2b_exchange_domain(), limit=1)
        self.assertEqual(exchange.state, "done", exchange.error)
        self.assertEqual(exchange.summary, "pong #1")
        self.assertIn(b"<pong", exchange._b2b_get_payload("response_attachment_id"))
        self.assertEqual(exchange.call_ids.status, 200)
        self.assertEqual(exchange.call_ids.url, f"{self.peer.url}/ping")
        self.assertNotIn("k3y-Secret-42", exchange.call_ids.request_headers)
        self.assertEqual(self.peer.requests[0].header("X-Api-Key"), "k3y-Secret-42")
        self.assertTrue(self.backend.last_pong.startswith("#1"))
        self.assertEqual(self.backend.b2b_exchange_count, 1)

    def test_each_exchange_keeps_its_own_calls(self):
        # processed one after the other in the same environment: Odoo reuses environments whose
        # contexts compare equal, which must not merge (or lose) the HTTP calls of two exchanges
        with trap_jobs():
            self.backend._b2b_run_flow("ping")
            self.backend._b2b_run_flow("ping")
        first, second = self.env["b2b.exchange"].search(self.backend._b2b_exchange_domain(), order="id")
        first._b2b_process()
        second._b2b_process()
        self.assertEqual((first.state, second.state), ("done", "done"))
        self.assertEqual(len(first.call_ids), 1)
        self.assertEqual(len(second.call_ids), 1, "the second exchange's call is on the second exchange")
        self.assertIn("seq=\"2\"", second.call_ids.response_body)

    def test_peer_outage_retries_then_succeeds(self):
        self.peer.script(Response.text("down", 502), Response.text("down", 503))
        with patch("odoo.addons.b2b_connector_base.lib.http.time.sleep"), patch.object(
                type(self.backend), "_b2b_http", _no_sleep_http(type(self.backend)._b2b_http)):
            self.backend._b2b_run_flow("ping")
            exchange = self.env["b2b.exchange"].search(self.backend._b2b_exchange_domain(), limit=1)
            exchange._b2b_process()
        self.assertEqual(exchange.state, "done")
        self.assertEqual(exchange.call_ids.mapped("status"), [502, 503, 200])

    def test_hostile_answer_fails_clearly(self):
        evil = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><pong>&x;</pong>'
        self.peer.script(Response.xml(evil))
        self.backend._b2b_run_flow("ping")
        exchange = self.env["b2b.exchange"].search(self.backend._b2b_exchange_domain(), limit=1)
        with mute_logger(MUTE):
            exchange._b2b_process()
        self.assertEqual(exchange.state, "failed")
        self.assertIn("entit", exchange.error)
        self.assertNotIn("Traceback", exchange.error)
        self.assertFalse(exchange.auto_retry)
        self.assertFalse(self.backend.last_pong)

    def test_test_connection_success_and_named_causes(self):
        action = self.backend.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("pong #1", action["params"]["message"])
        self.backend.api_key = "wrong"
        with mute_logger(MUTE):
            action = self.backend.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Authentication refused", action["params"]["message"])
        self.assertNotIn("wrong", action["params"]["message"])
        self.backend.url = "http://127.0.0.1:9"
        with mute_logger(MUTE):
            action = self.backend.action_test_connection()
        self.assertIn("Connection failed", action["params"]["message"])
        tests = self.env["b2b.exchange"].search(
            self.backend._b2b_exchange_domain() + [("kind", "=", "test_connection")])
        self.assertEqual(sorted(tests.mapped("state")), ["done", "failed", "failed"])

    def test_slow_peer_times_out(self):
        self.backend.write({"b2b_timeout": 1, "b2b_retries": 0})
        self.peer.script(Response(delay=2.5, body=b"<pong/>"))
        with mute_logger(MUTE):
            action = self.backend.action_test_connection()
        self.assertIn("Timeout", action["params"]["message"])

    # ------------------------------------------------------------------ request budget
    def test_request_budget_is_enforced_across_cursors(self):
        self.backend.write({"b2b_rate_limit": 3, "b2b_rate_period": 60})
        budget = self.backend._b2b_budget()
        for _ in range(3):
            self.assertEqual(budget.acquire(block=False), 0.0)
        with self.assertRaises(BudgetExceeded) as err:
            budget.acquire(block=False)
        self.assertGreater(err.exception.wait, 50)
        # a second budget object (another worker) sees the same window
        with self.assertRaises(BudgetExceeded):
            self.backend._b2b_budget().acquire(block=False)
        # the budget lives in its own committed transactions (shared by every worker): age it there
        key = f"b2b.sandbox.backend:{self.backend.id}"
        with self.registry.cursor() as cr:
            cr.execute("UPDATE b2b_rate_event SET ts = ts - interval '61 seconds' WHERE key = %s", [key])
            self.assertEqual(cr.rowcount, 3)
        self.assertEqual(budget.acquire(block=False), 0.0)
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM b2b_rate_event WHERE key = %s", [key])

    # ------------------------------------------------------------------ schedules
    def test_default_schedule_and_cron(self):
        schedule = self.backend.b2b_schedule_ids
        self.assertEqual(schedule.flow, "ping")
        self.assertEqual(schedule.interval_minutes, 60)
        schedule.write({"tz": "UTC", "hour_from": 8, "hour_to": 18, "sat": False, "sun": False})
        monday_10 = datetime.datetime(2026, 11, 23, 10, 0)
        Schedule = self.env["b2b.schedule"]
        with trap_jobs() as trap:
            Schedule._cron_run_due(now=monday_10)
            self.assertEqual(schedule.last_result, "ping queued")
            trap.assert_jobs_count(1)
            schedule.last_run = monday_10
            Schedule._cron_run_due(now=monday_10 + datetime.timedelta(minutes=30))  # interval not over
            Schedule._cron_run_due(now=monday_10 + datetime.timedelta(hours=9))  # 19:00, after hours
            Schedule._cron_run_due(now=monday_10 + datetime.timedelta(days=5))  # saturday
            trap.assert_jobs_count(1)
            Schedule._cron_run_due(now=monday_10 + datetime.timedelta(hours=1))
            trap.assert_jobs_count(2)
        self.assertTrue(schedule.next_run)
        self.assertEqual(schedule.description,
                         "every 60 min, 08:00-18:00, Monday, Tuesday, Wednesday, Thursday, Friday")

    def test_sync_now_leaves_the_next_scheduled_run_alone(self):
        schedule = self.backend.b2b_schedule_ids
        # a daily flow that last ran 23 hours ago: its next run is in an hour
        last = datetime.datetime.now().replace(microsecond=0) - datetime.timedelta(hours=23)
        schedule.write({"tz": "UTC", "interval_minutes": 1440, "last_run": last})
        next_run = schedule.next_run
        self.assertEqual(next_run, last + datetime.timedelta(days=1))
        with trap_jobs() as trap:
            self.backend.with_context(b2b_flow="ping").action_b2b_run_flow()
            schedule.action_run_now()
            trap.assert_jobs_count(2)
            schedule.invalidate_recordset()
            self.assertEqual((schedule.last_run, schedule.next_run), (last, next_run), "a run by hand is extra")
            self.assertEqual(schedule.last_result, "By hand: ping queued")
            # the scheduled run still happens when it is due
            self.assertEqual(self.env["b2b.schedule"]._cron_run_due(now=next_run), 1)
            trap.assert_jobs_count(3)
        self.assertEqual(schedule.last_result, "ping queued")
        self.assertGreater(schedule.last_run, last)

    def test_schedule_list_shows_the_backend_and_time_zone(self):
        schedule = self.backend.b2b_schedule_ids
        schedule.tz = "Europe/Amsterdam"
        self.assertEqual(schedule.backend_name, "Ping (B2B Sandbox Backend)")
        arch = self.env["b2b.schedule"].get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('name="backend_name"', arch)
        self.assertRegex(arch, r'<field name="tz"(?![^>]*optional="hide")')
        # a user who may not read the backend (another company's) sees its kind, not its name
        other = self.env["res.company"].create({"name": "Ping Other Co"})
        user = new_test_user(self.env, "b2b_sched_user", groups="b2b_connector_base.group_b2b_user",
                             company_id=other.id, company_ids=[(6, 0, other.ids)])
        foreign = schedule.sudo().copy({"flow": "ping.other", "company_id": False})
        self.assertEqual(foreign.with_user(user).backend_name, "B2B Sandbox Backend")

    def test_invalid_schedule_refused(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.backend.b2b_schedule_ids.write({f: False for f in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})

    def test_sync_now_button(self):
        with trap_jobs() as trap:
            self.backend.with_context(b2b_flow="ping").action_b2b_run_flow()
            trap.assert_jobs_count(1)

    def test_views_load(self):
        self.env["b2b.sandbox.backend"].get_views([(False, "list"), (False, "form")])


def _no_sleep_http(original):
    def _b2b_http(self, exchange=None, **kw):
        kw.setdefault("sleep", lambda s: None)
        return original(self, exchange, **kw)
    return _b2b_http
