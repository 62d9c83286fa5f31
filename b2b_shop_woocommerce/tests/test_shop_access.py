"""Who may configure a shop and make Odoo talk to it: the attacks over JSON-RPC, as the attacker would send them.

Only B2B Managers see a shop's configuration and start its exchanges; B2B Users and salesmen see its name,
counts and exchanges. A salesman confirming or delivering a shop order still tells the shop (by code)."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.b2b_connector_base.tests.common import RpcAsUserMixin
from odoo.addons.queue_job.job import Job

from .common import WooShopMixin

CONFIG_FIELDS = ("platform", "url", "option_ids", "api_key_label", "api_secret_used", "options_outdated",
                 "warehouse_id", "pricelist_id", "status_ids", "order_mode",
                 "payment_journal_id", "last_order_sync", "status_confirmed", "notify_mode", "send_invoices",
                 "category_map_ids", "b2b_schedule_ids", "b2b_timeout", "b2b_rate_limit")
CONFIG_LINES = ("b2b.shop.option", "b2b.shop.status", "b2b.shop.category.map", "b2b.shop.field.map",
                "b2b.shop.tax.map", "b2b.shop.group.map")


@tagged("post_install", "-at_install")
class TestShopAccess(WooShopMixin, RpcAsUserMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop(wordpress=False, order_mode="quotation")
        cls.users = {
            "b2b_user": new_test_user(cls.env, "shop_rpc_user", password="shop_rpc_user_pw",
                                      groups="b2b_connector_base.group_b2b_user"),
            "salesman": new_test_user(cls.env, "shop_rpc_salesman", password="shop_rpc_salesman_pw",
                                      groups="sales_team.group_sale_salesman_all_leads"),
        }
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def _backend_exchanges(self):
        return self.Exchange.search([("backend_ref", "=", f"{self.backend._name},{self.backend.id}")])

    def test_configuration_is_hidden_from_non_managers(self):
        for login in ("shop_rpc_user", "shop_rpc_salesman"):
            # what they may see
            shown = self._call(login, "b2b.shop.backend", "read", [self.backend.ids, ["name", "order_count"]])
            self.assertEqual(shown[0]["name"], self.backend.name)
            for name in CONFIG_FIELDS:
                self._refused(login, "b2b.shop.backend", "read", [self.backend.ids, [name]])
            self._refused(login, "b2b.shop.backend", "search_read", [[["url", "ilike", "127.0.0.1"]], ["name"]])
            for model in CONFIG_LINES:
                self._refused(login, model, "search_read", [[["backend_id", "=", self.backend.id]], ["id"]])
            # the forms still open for them, without the configuration
            views = self._call(login, "b2b.shop.backend", "get_views", [[[False, "form"], [False, "list"]]])
            self.assertNotIn('name="url"', views["views"]["form"]["arch"])
            self.assertNotIn("action_test_connection", views["views"]["form"]["arch"])
            fields = set(views["models"]["b2b.shop.backend"]["fields"])
            self.assertFalse(fields & set(CONFIG_FIELDS), fields & set(CONFIG_FIELDS))
            self._call(login, "b2b.shop.backend", "web_read", [self.backend.ids],
                       {"specification": {name: {} for name in fields}})

    def test_no_call_to_the_shop_from_a_non_manager(self):
        # a flow without its schedule row starts at once: the schedule's own access rights cannot be the guard
        self.backend.b2b_schedule_ids.filtered(lambda s: s.flow == "orders").unlink()
        attacks = [
            ("action_test_connection", {}),
            ("action_b2b_run_flow", {"context": {"b2b_flow": "orders"}}),
            ("action_b2b_run_flow", {"context": {"b2b_flow": "stock"}}),
            ("action_reset_platform_defaults", {}),
            ("action_shop_sync_options", {}),
            ("action_fill_category_map", {}),
        ]
        for login in ("shop_rpc_user", "shop_rpc_salesman"):
            for method, kwargs in attacks:
                self._refused(login, "b2b.shop.backend", method, [self.backend.ids], kwargs)
        option = self.backend.option_ids.filtered(lambda o: o.key == "wp_user")
        option.value = "shop-manager"
        for login in ("shop_rpc_user", "shop_rpc_salesman"):
            self._refused(login, "b2b.shop.option", "action_use_default", [option.ids])
            self._refused(login, "b2b.shop.option.choice", "search_read", [[], ["value"]])
        self.assertEqual(option.value, "shop-manager")
        schedule = self.backend.b2b_schedule_ids.filtered(lambda s: s.flow == "stock")
        self._refused("shop_rpc_user", "b2b.schedule", "action_run_now", [schedule.ids])
        self.assertFalse(self.peer.requests, "the shop was never called")
        self.assertFalse(self._backend_exchanges(), "nothing queued, nothing logged")
        self.assertFalse(self.env["queue.job"].search([("channel", "=", self.backend._b2b_job_channel())]))
        self.assertTrue(self.backend.status_ids, "the statuses were not reset")
        # a manager may
        manager = new_test_user(self.env, "shop_rpc_manager", password="shop_rpc_manager_pw",
                                groups="b2b_connector_base.group_b2b_manager")
        result = self._call(manager.login, "b2b.shop.backend", "action_test_connection", [self.backend.ids])
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertTrue(self.peer.requests)

    def test_salesman_confirming_and_delivering_still_tells_the_shop(self):
        self._full_order(1401)
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "1401")])
        self.assertEqual(sale.state, "draft")
        self._call("shop_rpc_salesman", "sale.order", "action_confirm", [sale.ids])
        self._deliver(sale)
        self._call("shop_rpc_salesman", "sale.order", "action_b2b_shop_delivered", [sale.ids])
        statuses = self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"),
                                         ("res_id", "=", sale.id)], order="id")
        self.assertEqual(len(statuses), 2)
        self.assertEqual(statuses.user_id, self.users["salesman"], "logged in the salesman's name")
        for status in statuses:  # the jobs as the job runner runs them, in their order
            Job.load(self.env, status.job_uuid).perform()
        self.assertEqual(statuses.mapped("state"), ["done", "done"], statuses.mapped("error"))
        self.assertEqual(self.peer.order(1401)["status"], "completed")

    def test_a_customer_cannot_mark_their_order_delivered(self):
        self._full_order(1501)
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "1501")])
        sale.action_confirm()
        self._deliver(sale)  # the button is offered: only the customer's rights stop them
        portal = new_test_user(self.env, "shop_rpc_portal", password="shop_rpc_portal_pw", groups="base.group_portal",
                               partner_id=sale.partner_id.id)
        sale.message_subscribe(partner_ids=portal.partner_id.ids)
        self.assertEqual(self._call("shop_rpc_portal", "sale.order", "read", [sale.ids, ["name"]])[0]["name"],
                         sale.name, "the customer may read their order")
        self._refused("shop_rpc_portal", "sale.order", "action_b2b_shop_delivered", [sale.ids])
        self.assertFalse(self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"),
                                               ("res_id", "=", sale.id), ("summary", "like", "delivered")]))

    def _deliver(self, sale):
        """The warehouse ships the order (as admin): its delivery is done."""
        for product in sale.order_line.product_id:
            self._stock(product, 10)
        for move in sale.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
        sale.picking_ids.button_validate()
        self.assertEqual(sale.delivery_status, "full")

    def _full_order(self, oid):
        return self.peer.add_order(oid, "on-hold", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
