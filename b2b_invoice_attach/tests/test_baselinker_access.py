"""Who may configure a BaseLinker account and make Odoo call it: the attacks over JSON-RPC, as sent by the
attacker. Only B2B Managers; B2B Users see the account's name, last run and exchanges."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin, RpcAsUserMixin

from .common import BaseLinkerTestMixin

TOKEN = "bl-rpc-T0ken-99"
CONFIG_FIELDS = ("url", "days_back", "setup_date", "status_filter", "status_ids", "after_upload_status_id",
                 "no_invoice_status_id", "send_invoices", "match_mode", "order_key", "invoice_series_id",
                 "b2b_schedule_ids", "b2b_rate_limit", "b2b_timeout")


@tagged("post_install", "-at_install")
class TestBaseLinkerAccess(BaseLinkerTestMixin, B2BTestMixin, RpcAsUserMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._baselinker_peer(TOKEN)
        cls.backend = cls._baselinker_backend(name="BL rpc", b2b_retries=0,
                                              setup_date=fields.Datetime.now() - timedelta(days=30))
        cls.backend._bl_sync_statuses(cls.backend._bl_client(cls.env["b2b.exchange"]))
        new_test_user(cls.env, "bl_rpc_user", password="bl_rpc_user_pw", groups="b2b_connector_base.group_b2b_user")
        new_test_user(cls.env, "bl_rpc_accountant", password="bl_rpc_accountant_pw",
                      groups="account.group_account_invoice,b2b_connector_base.group_b2b_user")
        new_test_user(cls.env, "bl_rpc_salesman", password="bl_rpc_salesman_pw",
                      groups="sales_team.group_sale_salesman_all_leads")

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def test_configuration_is_hidden_from_non_managers(self):
        for login in ("bl_rpc_user", "bl_rpc_accountant"):
            shown = self._call(login, "b2b.baselinker.backend", "read",
                               [self.backend.ids, ["name", "last_run_summary", "status_count"]])
            self.assertEqual((shown[0]["name"], shown[0]["status_count"]), ("BL rpc", 5))
            for name in CONFIG_FIELDS:
                self._refused(login, "b2b.baselinker.backend", "read", [self.backend.ids, [name]])
            self._refused(login, "b2b.baselinker.status", "search_read", [[], ["name"]])
            views = self._call(login, "b2b.baselinker.backend", "get_views", [[[False, "form"], [False, "list"]]])
            self.assertNotIn("action_run_now", views["views"]["form"]["arch"])
            fields_shown = set(views["models"]["b2b.baselinker.backend"]["fields"])
            self.assertFalse(fields_shown & set(CONFIG_FIELDS), fields_shown & set(CONFIG_FIELDS))
            self._call(login, "b2b.baselinker.backend", "web_read", [self.backend.ids],
                       {"specification": {name: {} for name in fields_shown}})

    def test_no_call_to_baselinker_from_a_non_manager(self):
        # without its schedule row the flow starts at once: the schedule's access rights cannot be the guard
        self.backend.b2b_schedule_ids.unlink()
        for login in ("bl_rpc_user", "bl_rpc_accountant", "bl_rpc_salesman"):
            self._refused(login, "b2b.baselinker.backend", "action_test_connection", [self.backend.ids])
            self._refused(login, "b2b.baselinker.backend", "action_run_now", [self.backend.ids])
            self._refused(login, "b2b.baselinker.backend", "action_b2b_run_flow", [self.backend.ids],
                          {"context": {"b2b_flow": "upload"}})
        self.assertFalse(self.peer.requests, "BaseLinker was never called")
        self.assertFalse(self.env["b2b.exchange"].search(
            [("backend_ref", "=", f"{self.backend._name},{self.backend.id}")]), "nothing queued, nothing logged")
        manager = new_test_user(self.env, "bl_rpc_manager", password="bl_rpc_manager_pw",
                                groups="b2b_connector_base.group_b2b_manager")
        result = self._call(manager.login, "b2b.baselinker.backend", "action_test_connection", [self.backend.ids])
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
