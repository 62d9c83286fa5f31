"""Holes the access matrix revealed in the web shops (b2b_ecommerce_sync), attacked over JSON-RPC as the attacker
would, on WooCommerce shops (the shop models' tests need a platform)."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.b2b_connector_base.tests.common import JsonRpcMixin

from .common import WooShopMixin

LINK_FIELDS = ("b2b_shop_backend_id", "b2b_shop_order_id", "b2b_shop_order_number", "b2b_shop_status",
               "b2b_shop_paid", "b2b_shop_payment_id")


@tagged("post_install", "-at_install")
class TestShopMatrixAttacks(WooShopMixin, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop(wordpress=False)
        cls.company_b = cls.env["res.company"].create({"name": "Matrix Shop Company B"})
        warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1) or cls.env[
            "stock.warehouse"].create({"name": "Matrix B", "code": "MXB", "company_id": cls.company_b.id})
        cls.backend_b = cls.env["b2b.shop.backend"].create({
            "name": "Shop of B", "url": "http://127.0.0.1:9", "api_key": "b-key", "company_id": cls.company_b.id,
            "warehouse_id": warehouse_b.id})
        cls.salesman = new_test_user(cls.env, "mx_salesman", password="mx_salesman_pw",
                                     groups="sales_team.group_sale_salesman,base.group_partner_manager")
        cls.contacts = new_test_user(cls.env, "mx_contacts", password="mx_contacts_pw",
                                     groups="base.group_user,base.group_partner_manager")
        cls.customer = cls.env["res.partner"].create({"name": "Walk-in customer", "email": "walk-in@example.com"})
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def _shop_messages(self):
        return self.Exchange.search([("kind", "in", ("shop.status", "shop.invoice"))])

    def test_salesman_cannot_tie_an_order_to_a_shop_order(self):
        """What ties a sale order to a shop order is written by the import only: a salesman who could set it
        would make Odoo cancel or complete any order of any shop (of any company), or send it an invoice PDF."""
        self.peer.add_order(4242, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        self.authenticate("mx_salesman", "mx_salesman_pw")
        order_id = self._call("sale.order", "create", [{"partner_id": self.customer.id, "order_line": [
            (0, 0, {"product_id": self.lamp.id, "product_uom_qty": 1})]}])[0]
        for backend in (self.backend, self.backend_b):
            self.assertRefused("sale.order", "write", [order_id], {"b2b_shop_backend_id": backend.id,
                                                                    "b2b_shop_order_id": "4242"})
            self.assertRefused("sale.order", "create", [{
                "partner_id": self.customer.id, "b2b_shop_backend_id": backend.id, "b2b_shop_order_id": "4242"}])
        for name in LINK_FIELDS:
            value = {"b2b_shop_paid": True, "b2b_shop_backend_id": self.backend.id}.get(name, "4242")
            if name == "b2b_shop_payment_id":
                value = False
            self.assertRefused("sale.order", "write", [order_id], {name: value})
        self._call("sale.order", "action_confirm", [order_id])
        order = self.env["sale.order"].browse(order_id)
        self.assertFalse(order.b2b_shop_backend_id)
        self.assertFalse(self._shop_messages(), "nothing is told to a shop")
        self.assertEqual(self.peer.order(4242)["status"], "processing")
        # the order itself stays the salesman's to edit
        self._call("sale.order", "write", [order_id], {"client_order_ref": "PO 17"})
        self.assertEqual(order.client_order_ref, "PO 17")

    def test_shop_customers_and_products_only_of_a_visible_shop(self):
        """Binding a customer or a product to a shop sends its data there: only to a shop the user sees."""
        self.authenticate("mx_contacts", "mx_contacts_pw")
        self.assertRefused("res.partner", "create", [{"name": "New customer", "b2b_shop_backend_ids": [
            (6, 0, [self.backend.id])]}])
        self.assertRefused("res.partner", "write", [self.customer.id],
                           {"b2b_shop_backend_ids": [(6, 0, [self.backend.id])]})
        self.authenticate("mx_salesman", "mx_salesman_pw")
        self.assertRefused("res.partner", "create", [{"name": "New customer", "b2b_shop_backend_ids": [
            (6, 0, [self.backend_b.id])]}])
        self.assertRefused("res.partner", "write", [self.customer.id], {"b2b_shop_backend_ids": [
            (6, 0, [self.backend_b.id])]})
        self.assertFalse(self.env["b2b.shop.partner"].search([("backend_id", "=", self.backend_b.id)]))
        self.assertFalse(self.env["b2b.shop.partner"].search([("partner_id.name", "=", "New customer")]))
        # their own company's shop: a salesman chooses the shop's customers
        self._call("res.partner", "write", [self.customer.id], {"b2b_shop_backend_ids": [(6, 0, [self.backend.id])]})
        self.assertEqual(self.customer.b2b_shop_binding_ids.backend_id, self.backend)
        product_manager = new_test_user(self.env, "mx_products", password="mx_products_pw",
                                        groups="sales_team.group_sale_salesman,product.group_product_manager")
        self.authenticate(product_manager.login, "mx_products_pw")
        self.assertRefused("product.template", "create", [{"name": "New product", "default_code": "NEW-1",
                                                            "b2b_shop_backend_ids": [(6, 0, [self.backend_b.id])]}])
        self.assertRefused("product.template", "write", [self.desk.product_tmpl_id.id], {
            "b2b_shop_backend_ids": [(6, 0, [self.backend_b.id])]})
        self.assertFalse(self.env["b2b.shop.product"].search([("backend_id", "=", self.backend_b.id)]))
