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

    def test_every_secret_is_manager_only_and_never_copied(self):
        """What ``secret_fields`` declares, on every model of every installed addon that has secrets."""
        found = {}
        for name in self.env.registry:
            model = self.env[name]
            if "_b2b_secret_names" not in dir(type(model)) or model._abstract:
                continue
            found[name] = model._b2b_secret_names()
            for secret in found[name]:
                for field in (model._fields[secret], model._fields[f"{secret}_enc"]):
                    self.assertEqual(field.groups, "b2b_connector_base.group_b2b_manager", field)
                    self.assertFalse(field.copy, field)
                self.assertFalse(model._fields[secret].store, "only the ciphertext is stored")
                self.assertTrue(model._fields[f"{secret}_enc"].store)
        expected = {"b2b_sandbox": ("b2b.sandbox.backend", {"api_key", "api_secret"}),
                    "b2b_edi_connector": ("res.partner", {"edi_password"}),
                    "b2b_punchout": ("res.partner", {"punchout_secret"}),
                    "b2b_ecommerce_sync": ("b2b.shop.backend", {"api_key", "api_secret", "api_extra"}),
                    "b2b_invoice_attach": ("b2b.baselinker.backend", {"api_token"})}
        installed = set(self.env["ir.module.module"].search([("state", "=", "installed")]).mapped("name"))
        for module, (model, names) in expected.items():
            if module in installed:
                self.assertLessEqual(names, set(found[model]), module)
