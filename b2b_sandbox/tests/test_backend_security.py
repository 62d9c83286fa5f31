"""What the shared backend mixin keeps for B2B Managers, attacked over JSON-RPC through the sandbox backend:
configuration, calls to the peer, and credentials that a form edits one at a time."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin, JsonRpcMixin
from odoo.addons.b2b_connector_base.tools import SECRET_MASK

from ..peers.ping import PingPeer


@tagged("post_install", "-at_install")
class TestBackendSecurity(B2BTestMixin, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(PingPeer(api_key="key-1", api_secret="secret-1"))
        cls.backend = cls.env["b2b.sandbox.backend"].create({
            "name": "Guarded ping", "url": cls.peer.url, "api_key": "key-1", "api_secret": "secret-1",
        })
        new_test_user(cls.env, "b2b_sb_user", password="b2b_sb_user_pw", groups="b2b_connector_base.group_b2b_user")
        cls.boss = new_test_user(cls.env, "b2b_sb_boss", password="b2b_sb_boss_pw",
                                 groups="b2b_connector_base.group_b2b_manager")

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def _exchanges(self):
        return self.env["b2b.exchange"].search(self.backend._b2b_exchange_domain())

    def test_user_cannot_reach_the_peer_by_rpc(self):
        """The buttons are hidden from B2B Users; the methods behind them refuse them as well."""
        self.authenticate("b2b_sb_user", "b2b_sb_user_pw")
        self.assertRefused(self.backend._name, "action_test_connection", [self.backend.id])
        self.backend.b2b_schedule_ids.unlink()  # "Sync now" without a schedule runs the flow itself
        self.assertRefused(self.backend._name, "action_b2b_run_flow", [self.backend.id], context={"b2b_flow": "ping"})
        self.assertFalse(self._exchanges(), "nothing was logged, queued or sent")
        self.assertFalse(self.peer.requests)

    def test_user_cannot_run_a_schedule_by_rpc(self):
        self.authenticate("b2b_sb_user", "b2b_sb_user_pw")
        self.assertRefused("b2b.schedule", "action_run_now", self.backend.b2b_schedule_ids.ids)
        self.assertRefused("b2b.schedule", "write", self.backend.b2b_schedule_ids.ids,
                           {"interval_minutes": 1, "active": True})
        self.assertFalse(self._exchanges())

    def test_settings_are_for_managers(self):
        self.authenticate("b2b_sb_user", "b2b_sb_user_pw")
        self.assertRefused(self.backend._name, "write", [self.backend.id], {"b2b_timeout": 600})
        for name in ("b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit", "b2b_rate_period"):
            self.assertEqual(self.backend._fields[name].groups, "b2b_connector_base.group_b2b_manager", name)
        self.authenticate("b2b_sb_boss", "b2b_sb_boss_pw")
        self._call(self.backend._name, "write", [self.backend.id], {"b2b_timeout": 7, "b2b_rate_limit": 5})
        self.assertEqual((self.backend.b2b_timeout, self.backend.b2b_rate_limit), (7, 5))
        action = self._call(self.backend._name, "action_test_connection", [self.backend.id])
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        copy = self.backend.with_user(self.boss).copy()
        self.assertEqual(copy.b2b_timeout, 7, "a manager's duplicate keeps the settings")

    def test_saving_one_secret_keeps_the_others(self):
        """The form sends what was typed: a new API Secret alone must not erase the API key."""
        self.authenticate("b2b_sb_boss", "b2b_sb_boss_pw")
        self._call(self.backend._name, "web_save", [self.backend.id], {"api_secret": "secret-2"},
                   specification={"api_key": {}, "api_secret": {}})
        self.assertEqual(self.backend._b2b_secret("api_key"), "key-1")
        self.assertEqual(self.backend._b2b_secret("api_secret"), "secret-2")
        self._call(self.backend._name, "write", [self.backend.id], {"api_key": "key-2", "name": "Renamed"})
        self.assertEqual(self.backend._b2b_secret("api_key"), "key-2")
        self.assertEqual(self.backend._b2b_secret("api_secret"), "secret-2")
        values = self._call(self.backend._name, "read", [self.backend.id], ["api_key", "api_secret"])[0]
        self.assertEqual((values["api_key"], values["api_secret"]), (SECRET_MASK, SECRET_MASK))
        # clearing one clears only that one
        self._call(self.backend._name, "write", [self.backend.id], {"api_secret": False})
        self.assertEqual(self.backend._b2b_secret("api_key"), "key-2")
        self.assertFalse(self.backend.sudo().api_secret_enc)
