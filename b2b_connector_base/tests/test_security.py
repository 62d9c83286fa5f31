from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import declare_exchange_type


@tagged("post_install", "-at_install")
class TestExchangeSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "B2B Company B"})
        cls.b2b_user = new_test_user(cls.env, "b2b_user", groups="b2b_connector_base.group_b2b_user",
                                     company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        cls.plain_user = new_test_user(cls.env, "plain_user", groups="base.group_user")
        cls.manager = new_test_user(cls.env, "b2b_manager", groups="b2b_connector_base.group_b2b_manager",
                                    company_ids=[cls.company_a.id, cls.company_b.id])
        Exchange = cls.env["b2b.exchange"]
        declare_exchange_type(cls.env, "test.kind")
        cls.ex_a = Exchange._b2b_log("test.kind", summary="A", company_id=cls.company_a.id)
        cls.ex_b = Exchange._b2b_log("test.kind", summary="B", company_id=cls.company_b.id)

    def test_groups_and_record_rules(self):
        Exchange = self.env["b2b.exchange"]
        seen = Exchange.with_user(self.b2b_user).search([("kind", "=", "test.kind")])
        self.assertIn(self.ex_a, seen)
        self.assertNotIn(self.ex_b, seen, "an exchange of another company must stay hidden")
        with self.assertRaises(AccessError):
            Exchange.with_user(self.plain_user).search([("kind", "=", "test.kind")])
        with self.assertRaises(AccessError):
            self.ex_a.with_user(self.b2b_user).unlink()
        manager_env = Exchange.with_user(self.manager).with_context(
            allowed_company_ids=[self.company_a.id, self.company_b.id])
        self.assertEqual(len(manager_env.search([("kind", "=", "test.kind")])), 2)

    def test_exchange_created_for_a_user_without_b2b_rights(self):
        # e.g. a purchase user confirming an EDI order: the log is written, the user keeps his identity
        ex = self.env["b2b.exchange"].with_user(self.plain_user)._b2b_log("test.kind")
        self.assertEqual(ex.sudo().user_id, self.plain_user)

    def test_exchanges_are_written_by_code_only(self):
        for user in (self.b2b_user, self.manager):
            for operation in ("create", "write"):
                self.assertFalse(self.env["b2b.exchange"].with_user(user).has_access(operation))
                self.assertFalse(self.env["b2b.exchange.call"].with_user(user).has_access(operation))
        self.ex_a.with_user(self.manager).unlink()  # managers clean up
        self.assertFalse(self.ex_a.exists())

    def test_error_detail_is_manager_only(self):
        with self.assertRaises(AccessError):
            self.ex_a.with_user(self.b2b_user).read(["error_detail"])
        self.ex_a.with_user(self.manager).read(["error_detail"])
