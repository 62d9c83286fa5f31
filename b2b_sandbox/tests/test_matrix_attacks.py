"""Holes the access matrix revealed around backends, attacked over JSON-RPC as the attacker would, on the
sandbox backend (any backend with schedules would do)."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin, JsonRpcMixin
from odoo.addons.queue_job.tests.common import trap_jobs

from ..peers.server import ScriptedPeer

MUTE = ("odoo.http",)


@tagged("post_install", "-at_install")
class TestScheduleOfAnotherCompany(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Matrix Sister Company"})
        Backend = cls.env["b2b.sandbox.backend"]
        ping = {"url": "http://127.0.0.1:9"}
        cls.backend_a = Backend.create(dict(ping, name="Ping of A", company_id=cls.company_a.id))
        cls.backend_b = Backend.create(dict(ping, name="Ping of B", company_id=cls.company_b.id))
        # company B stopped pinging its peer
        cls.backend_b.sudo().b2b_schedule_ids.unlink()
        new_test_user(cls.env, "mx_manager_a", password="mx_manager_a_pw",
                      groups="b2b_connector_base.group_b2b_manager", company_id=cls.company_a.id,
                      company_ids=[cls.company_a.id])

    def _runs_of_b(self):
        """What the schedules cron (as superuser) starts for company B's backend."""
        with trap_jobs() as trap:
            self.env["b2b.schedule"]._cron_run_due()
        return [job for job in trap.enqueued_jobs if job.recordset.sudo().backend_ref == self.backend_b]

    def test_manager_cannot_schedule_the_backend_of_another_company(self):
        """A schedule runs its backend's flow from the cron, as superuser: a manager of company A may not make
        company B's backend call its peer (here every minute), neither with a new schedule nor by moving one."""
        self.authenticate("mx_manager_a", "mx_manager_a_pw")
        self.assertFalse(self._call("b2b.sandbox.backend", "search", [("id", "=", self.backend_b.id)]),
                         "the attacker does not even see B's backend")
        error = self._refusal("b2b.schedule", "create", [{
            "name": "Ping B", "res_model": "b2b.sandbox.backend", "res_id": self.backend_b.id, "flow": "ping",
            "interval_minutes": 1}])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        own = self.backend_a.b2b_schedule_ids
        error = self._refusal("b2b.schedule", "write", own.ids, {"res_id": self.backend_b.id, "interval_minutes": 1})
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(own.res_id, self.backend_a.id)
        self.assertFalse(self.env["b2b.schedule"].search([("res_model", "=", "b2b.sandbox.backend"),
                                                          ("res_id", "=", self.backend_b.id)]))
        self.assertFalse(self._runs_of_b(), "the cron started nothing for company B's backend")
        # nor a schedule of company B's company for a backend of A (it would run on A's backend)
        error = self._refusal("b2b.schedule", "write", own.ids, {"company_id": self.company_b.id})
        self.assertIn(error, ("odoo.exceptions.AccessError", "odoo.exceptions.ValidationError"))
        # their own backend's schedule is theirs to change
        self._call("b2b.schedule", "write", own.ids, {"interval_minutes": 15})
        self.assertEqual(own.interval_minutes, 15)


@tagged("post_install", "-at_install")
class TestSandboxPeerAddress(HttpCase):
    def test_b2b_user_does_not_read_where_the_peer_is(self):
        """Where a backend calls is configuration, for B2B Managers only (as on every other backend)."""
        backend = self.env["b2b.sandbox.backend"].create({"name": "Hidden ping", "url": "http://127.0.0.1:9/private"})
        new_test_user(self.env, "mx_sb_user", password="mx_sb_user_pw", groups="b2b_connector_base.group_b2b_user")
        self.authenticate("mx_sb_user", "mx_sb_user_pw")
        call = {"model": backend._name, "method": "read", "args": [backend.ids, ["url"]], "kwargs": {}}
        with self.assertRaises(JsonRpcException) as refused, mute_logger(*MUTE):
            self.make_jsonrpc_request(f"/web/dataset/call_kw/{backend._name}/read", call)
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        call.update(method="search_read", args=[[["url", "ilike", "private"]], ["name"]])
        with self.assertRaises(JsonRpcException) as refused, mute_logger(*MUTE):
            self.make_jsonrpc_request(f"/web/dataset/call_kw/{backend._name}/search_read", call)
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        # the list and the form still open, without it
        views = self.make_jsonrpc_request(f"/web/dataset/call_kw/{backend._name}/get_views", {
            "model": backend._name, "method": "get_views", "args": [[[False, "list"], [False, "form"]]], "kwargs": {}})
        self.assertNotIn("url", views["models"][backend._name]["fields"])
        call.update(method="web_read", args=[backend.ids], kwargs={"specification": {
            name: {} for name in views["models"][backend._name]["fields"]}})
        self.assertEqual(self.make_jsonrpc_request(f"/web/dataset/call_kw/{backend._name}/web_read", call)[0]["name"],
                         "Hidden ping")


@tagged("post_install", "-at_install")
class TestCiphertextIsNotMoved(B2BTestMixin, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.attacker_peer = cls.enterClassContext(ScriptedPeer())  # records whatever reaches it
        Backend = cls.env["b2b.sandbox.backend"]
        cls.guarded = Backend.create({"name": "Guarded", "url": "http://127.0.0.1:9", "api_key": "never-leaves-odoo"})
        cls.own = Backend.create({"name": "Mine", "url": cls.attacker_peer.url, "api_key": "mine"})
        new_test_user(cls.env, "mx_sb_boss", password="mx_sb_boss_pw", groups="b2b_connector_base.group_b2b_manager")

    def test_manager_cannot_move_a_credential_to_another_backend(self):
        """A manager may point a backend at another server (that is configuring it), never learn a credential:
        copied from record to record, a ciphertext would go where its owner never sends it (a punch-out
        customer's shared secret, which Odoo sends nowhere, to any backend's peer)."""
        self.authenticate("mx_sb_boss", "mx_sb_boss_pw")
        backend = "b2b.sandbox.backend"
        token = self._call(backend, "read", self.guarded.ids, ["api_key_enc"])[0]["api_key_enc"]
        self.assertTrue(token.startswith("fernet:"), "managers read the ciphertext")
        for method, args in (("write", [self.own.ids, {"api_key_enc": token}]),
                             ("create", [{"name": "Copy", "url": self.attacker_peer.url, "api_key_enc": token}])):
            with self.assertRaises(JsonRpcException) as refused, mute_logger(*MUTE):
                self._call(backend, method, *args)
            self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError", method)
        self._call(backend, "action_test_connection", self.own.ids)
        received = "".join(str(r.headers) for r in self.attacker_peer.requests)
        self.assertNotIn("never-leaves-odoo", received, "the guarded credential reached the attacker's server")
        self.assertIn("mine", received)
        # typing a credential stays the way to set one
        self._call(backend, "write", self.own.ids, {"api_key": "typed"})
        self.assertEqual(self.own._b2b_secret("api_key"), "typed")
