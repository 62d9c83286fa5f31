"""The Punch-out tab shows on customers only; punch-out customers are the procurement systems of the B2B
overview."""

from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPunchoutPartnerTab(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "punchout_tab_manager",
                                    groups="base.group_partner_manager,b2b_connector_base.group_b2b_manager")
        cls.company = cls.env["res.partner"].create({"name": "Tab Hospital", "is_company": True})

    def _punchout_tab_shown(self, **context):
        form = Form(self.env["res.partner"].with_user(self.manager).with_context(**context))
        form.name = "Tab partner"
        return not form._get_modifier("punchout_enabled", "invisible")

    def test_punchout_tab_on_customers_only(self):
        self.assertTrue(self._punchout_tab_shown(default_is_company=True, default_customer_rank=1), "a customer")
        self.assertFalse(self._punchout_tab_shown(default_is_company=True, default_supplier_rank=1), "a supplier")
        self.assertFalse(self._punchout_tab_shown(default_is_company=True), "a company we sell nothing to")
        self.assertFalse(self._punchout_tab_shown(default_parent_id=self.company.id, default_customer_rank=1),
                         "a contact person of a customer")
        self.assertTrue(self._punchout_tab_shown(default_punchout_enabled=True), "punch-out on: always")
        # a customer set up from B2B > Configuration > Punch-out Customers
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_punchout.action_punchout_customers")
        context = eval(action["context"])  # noqa: S307 - our own action's literal context
        self.assertTrue(self._punchout_tab_shown(**context))


@tagged("post_install", "-at_install")
class TestPunchoutOverview(TransactionCase):
    def test_punchout_customers_are_procurement_systems_on_the_overview(self):
        buyer, plain = self.env["res.partner"].create([{
            "name": "Overview Procurement", "is_company": True, "punchout_enabled": True,
            "punchout_protocol": "cxml", "punchout_identities": "NetworkId:AN0100", "punchout_secret": "s3cret",
            "punchout_return_urls": "https://procurement.example/return",
        }, {"name": "Overview plain customer", "is_company": True, "customer_rank": 1}])
        Card = self.env["b2b.overview.card"]
        Card.action_b2b_overview()
        cards = Card.search([("res_model", "=", "res.partner"), ("res_id", "in", (buyer | plain).ids)])
        self.assertEqual(cards.mapped("res_id"), buyer.ids)
        self.assertEqual((cards.name, cards.category), ("Overview Procurement", "Procurement system (punch-out)"))
        links = self.env["res.config.settings"].create({}).b2b_backend_links
        self.assertIn(f"/odoo/action-{self.env.ref('b2b_punchout.action_punchout_customers').id}'", links)
