"""The B2B overview and the B2B section of Settings attacked over JSON-RPC, as their users would."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin
from .test_overview import partner_backends


@tagged("post_install", "-at_install")
class TestOverviewAttacks(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Overview Attack Company B"})
        common = {"company_id": cls.company_a.id, "company_ids": [cls.company_a.id]}
        new_test_user(cls.env, "ov_user", password="ov_user_pw", groups="b2b_connector_base.group_b2b_user", **common)
        new_test_user(cls.env, "ov_plain", password="ov_plain_pw", groups="base.group_user", **common)
        new_test_user(cls.env, "ov_admin", password="ov_admin_pw", groups="base.group_system", **common)
        cls.backend_a, cls.backend_b = cls.env["res.partner"].create([
            {"name": "Wholesaler of A", "company_id": cls.company_a.id},
            {"name": "Wholesaler of B", "company_id": cls.company_b.id},
        ])
        with partner_backends(cls.env, cls.backend_a | cls.backend_b):
            cls.env["b2b.overview.card"]._b2b_sync_cards()
        Card = cls.env["b2b.overview.card"]
        cls.card_a = Card.search([("res_model", "=", "res.partner"), ("res_id", "=", cls.backend_a.id)])
        cls.card_b = Card.search([("res_model", "=", "res.partner"), ("res_id", "=", cls.backend_b.id)])

    def test_a_user_sees_the_cards_of_their_companies_only(self):
        self.assertEqual(self.card_b.company_id, self.company_b)
        self.authenticate("ov_user", "ov_user_pw")
        found = self._call("b2b.overview.card", "web_search_read", [], specification={"name": {}})
        names = [r["name"] for r in found["records"]]
        self.assertIn("Wholesaler of A", names)
        self.assertNotIn("Wholesaler of B", names)
        for method in ("action_open_failed", "action_open_exchanges", "action_open_graph", "action_open_backend"):
            with self.subTest(method=method):
                self.assertRefused("b2b.overview.card", method, [self.card_b.id])
        self.assertRefused("b2b.overview.card", "read", [self.card_b.id], ["name", "failed_count"])
        # the card of their company opens
        action = self._call("b2b.overview.card", "action_open_failed", [self.card_a.id])
        self.assertIn(("backend_ref", "=", f"res.partner,{self.backend_a.id}"), [tuple(d) for d in action["domain"]])

    def test_users_cannot_write_cards_and_others_cannot_open_the_overview(self):
        self.authenticate("ov_user", "ov_user_pw")
        self.assertRefused("b2b.overview.card", "write", [self.card_a.id], {"res_id": self.backend_b.id})
        self.assertRefused("b2b.overview.card", "create", [{"name": "x", "res_model": "res.partner",
                                                           "res_id": self.backend_b.id}])
        self.assertRefused("b2b.overview.card", "unlink", [self.card_a.id])
        self.authenticate("ov_plain", "ov_plain_pw")
        self.assertRefused("b2b.overview.card", "action_b2b_overview")
        self.assertRefused("b2b.overview.card", "action_open_failed", [self.card_a.id])

    def test_settings_section_is_for_b2b_managers(self):
        self.authenticate("ov_admin", "ov_admin_pw")
        settings = self._call("res.config.settings", "create", [{}])
        settings_id = settings[0] if isinstance(settings, list) else settings
        for fname in ("b2b_secret_key_state", "b2b_secret_key_count", "b2b_backend_links", "b2b_default_schedules"):
            with self.subTest(field=fname):
                self.assertRefused("res.config.settings", "read", [settings_id], [fname])
        arch = self._call("res.config.settings", "get_views", [[False, "form"]])["views"]["form"]["arch"]
        self.assertNotIn("b2b_secret_key_state", arch)
