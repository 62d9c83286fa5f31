"""The EDI tab shows on suppliers and companies only; EDI suppliers are the wholesalers of the B2B overview."""

from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEdiPartnerTab(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "edi_tab_manager",
                                    groups="base.group_partner_manager,b2b_connector_base.group_b2b_manager")
        cls.company = cls.env["res.partner"].create({"name": "Tab Groothandel", "is_company": True})

    def _edi_tab_shown(self, **context):
        form = Form(self.env["res.partner"].with_user(self.manager).with_context(**context))
        form.name = "Tab partner"
        return not form._get_modifier("edi_enabled", "invisible")

    def test_edi_tab_on_suppliers_and_companies_only(self):
        self.assertTrue(self._edi_tab_shown(default_is_company=True), "a company")
        self.assertTrue(self._edi_tab_shown(default_is_company=False, default_supplier_rank=1), "a supplier")
        self.assertFalse(self._edi_tab_shown(default_is_company=False), "a person who sells us nothing")
        self.assertFalse(self._edi_tab_shown(default_is_company=False, default_customer_rank=1), "a customer")
        self.assertFalse(self._edi_tab_shown(default_is_company=False, default_parent_id=self.company.id,
                                             default_supplier_rank=1), "a contact person of a supplier")
        # a supplier set up from B2B > Configuration > EDI Suppliers
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_edi_connector.action_edi_suppliers")
        context = eval(action["context"])  # noqa: S307 - our own action's literal context
        self.assertTrue(self._edi_tab_shown(**context))


@tagged("post_install", "-at_install")
class TestEdiOverview(TransactionCase):
    def test_edi_suppliers_are_wholesalers_on_the_overview(self):
        self.env.company.b2b_gln = "8714231774051"
        supplier, plain = self.env["res.partner"].create([{
            "name": "Overview Groothandel", "is_company": True, "b2b_gln": "8713473000010", "edi_enabled": True,
            "edi_url": "http://127.0.0.1:9/MessageService/3.1", "edi_relation_id": "100234",
            "edi_username": "buyer",
        }, {"name": "Overview plain supplier", "is_company": True, "supplier_rank": 1}])
        Card = self.env["b2b.overview.card"]
        Card.action_b2b_overview()
        cards = Card.search([("res_model", "=", "res.partner"), ("res_id", "in", (supplier | plain).ids)])
        self.assertEqual(cards.mapped("res_id"), supplier.ids)
        self.assertEqual((cards.name, cards.category), ("Overview Groothandel", "Wholesaler (EDI)"))
        supplier.edi_enabled = False
        Card.action_b2b_overview()
        self.assertFalse(cards.exists(), "no EDI any more: no card")
        links = self.env["res.config.settings"].create({}).b2b_backend_links
        action = self.env.ref("b2b_edi_connector.action_edi_suppliers")
        self.assertIn(f"/odoo/action-{action.id}'", links)
        self.assertIn("Wholesaler (EDI)", links)
