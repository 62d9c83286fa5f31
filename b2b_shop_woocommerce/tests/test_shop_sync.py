"""b2b_ecommerce_sync end to end against the sandbox WooCommerce store: every flow out (categories, products,
prices, stock, customers), orders in, progress and invoices back, and the failures in between."""

from datetime import timedelta
from decimal import Decimal

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tools import SECRET_MASK
from odoo.addons.b2b_ecommerce_sync.tests.common import MUTE
from odoo.addons.b2b_sandbox.peers import woocommerce as woo
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import WooShopMixin


@tagged("post_install", "-at_install")
class TestShopSync(WooShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop()
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def _requests(self, method=None, contains=""):
        return [r for r in self.peer.requests if (method is None or r.method == method) and contains in r.path]

    # ------------------------------------------------------------------ configuration
    def test_backend_defaults_secrets_and_schedules(self):
        backend = self.backend
        self.assertEqual(set(backend.status_ids.mapped("code")) >= {"processing", "cancelled", "pending"}, True)
        self.assertEqual(set(backend.status_ids.filtered("import_order").mapped("code")), {"processing", "on-hold"})
        self.assertIn("cancelled", backend.status_ids.filtered("cancel_order").mapped("code"))
        self.assertEqual((backend.status_confirmed, backend.status_shipped), ("processing", "completed"))
        self.assertIn("restock_meta_key", backend.option_ids.mapped("key"))
        # secrets: encrypted at rest, masked in forms
        self.assertEqual(backend.api_key, SECRET_MASK)
        self.env.cr.execute("SELECT api_key_enc, api_secret_enc FROM b2b_shop_backend WHERE id = %s", [backend.id])
        for value in self.env.cr.fetchone():
            self.assertTrue(value.startswith("fernet:"), value)
            self.assertNotIn(woo.DEMO_SECRET, value)
        self.assertEqual(backend._shop_credentials()["secret"], woo.DEMO_SECRET)
        # schedules: catalogue nightly, the rest hourly; editable rows
        sched = {s.flow: s for s in backend.b2b_schedule_ids}
        self.assertEqual(set(sched), {"catalogue", "customers", "prices", "stock", "orders"})
        self.assertEqual((sched["catalogue"].interval_minutes, sched["catalogue"].hour_from), (1440, 1.0))
        self.assertEqual(sched["orders"].interval_minutes, 60)
        # every form loads
        for model, views in (("b2b.shop.backend", ["list", "form", "search"]), ("b2b.shop.product", ["list", "form"]),
                             ("b2b.shop.partner", ["list"])):
            self.assertEqual(set(self.env[model].get_views([(False, v) for v in views])["views"]), set(views))
        with self.assertRaises(ValidationError):
            backend.copy({"name": "other", "url": "ftp://nope"})

    def test_sync_now_queues_a_job_on_the_backend_channel(self):
        with trap_jobs() as trap:
            self.backend.with_context(b2b_flow="stock").action_b2b_run_flow()
            trap.assert_jobs_count(1)
            self.assertEqual(trap.enqueued_jobs[0].channel, f"root.b2b.shop_{self.backend.id}")
        self.assertFalse(self.peer.requests, "a click never waits for the shop")
        run = self.Exchange.search([("kind", "=", "shop.stock")], limit=1)
        self.assertEqual(run.state, "pending")

    def test_test_connection(self):
        action = self.backend.action_test_connection()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertIn("B2B Sandbox Shop", action["params"]["message"])
        bad = self._shop_backend("woocommerce", self.peer.url, "ck_wrong", "cs_wrong")
        with mute_logger(MUTE):
            action = bad.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Authentication", action["params"]["message"])
        self.assertNotIn("cs_wrong", action["params"]["message"])
        down = self._shop_backend("woocommerce", "http://127.0.0.1:9", woo.DEMO_KEY, woo.DEMO_SECRET, b2b_retries=0)
        with mute_logger(MUTE):
            action = down.action_test_connection()
        self.assertIn("Connection failed", action["params"]["message"])

    # ------------------------------------------------------------------ catalogue out
    def test_catalogue_categories_products_and_delta(self):
        self._sell(self.backend, self.desk, self.chair)
        self.backend.action_fill_category_map()
        self.assertEqual(self.backend.category_map_ids.category_id, self.categ_root | self.categ_desks)
        self.env["b2b.shop.field.map"].create({
            "backend_id": self.backend.id, "remote_key": "_odoo_weight_class",
            "field_id": self.env.ref("product.field_product_template__description_sale").id})
        run, children = self._run(self.backend, "catalogue")
        self.assertEqual(run.state, "done", run.error)
        self.assertIn("Products: 2 sent", run.summary)
        # the new products got their stock right away (a stock run queued by the catalogue run)
        self.assertEqual(self.other_runs.mapped("kind"), ["shop.stock"])
        self.assertEqual(self.other_runs.state, "done", self.other_runs.error)
        self.assertTrue(all(b.stock_sent_set for b in (self.desk | self.chair).b2b_shop_binding_ids))
        # categories: the tree in the shop, ids in the mapping table
        maps = {m.category_id: m for m in self.backend.category_map_ids}
        root = self.peer.categories[int(maps[self.categ_root].remote_id)]
        desks = self.peer.categories[int(maps[self.categ_desks].remote_id)]
        self.assertEqual((root["name"], desks["name"], desks["parent"]), ("Office", "Desks", root["id"]))
        # products: SKU, price, weight, category, custom field
        binding = self.desk.b2b_shop_binding_ids
        product = self.peer.products[int(binding.remote_id)]
        self.assertEqual((product["sku"], product["regular_price"], product["name"]), ("SHOP-DESK", "349.00",
                                                                                      "Standing desk"))
        self.assertEqual([c["id"] for c in product["categories"]], [desks["id"]])
        self.assertEqual(self.peer.meta(product, "_odoo_weight_class"), "Oak top, electric.")
        self.assertEqual(binding.state, "synced")
        # one child exchange per record synced
        self.assertEqual(sorted(children.mapped("kind")), ["shop.category"] * 2 + ["shop.product"] * 2)
        self.assertTrue(all(c.parent_id == run and c.state == "done" for c in children))
        # delta: nothing changed, nothing leaves
        self.peer.requests.clear()
        run2, children2 = self._run(self.backend, "catalogue")
        self.assertIn("0 sent", run2.summary)
        self.assertFalse(self._requests("POST"), "unchanged catalogue sends nothing")
        self.assertFalse(children2)
        # one product renamed: only that one goes
        self.chair.name = "Ergonomic chair Pro"
        run3, children3 = self._run(self.backend, "catalogue")
        self.assertEqual(children3.record_ref, self.chair)
        self.assertEqual(self.peer.products[int(self.chair.b2b_shop_binding_ids.remote_id)]["name"],
                         "Ergonomic chair Pro")
        # a category renamed alone: sent alone, still under its parent already in the shop
        self.categ_desks.name = "Desks & tables"
        run4, children4 = self._run(self.backend, "catalogue")
        self.assertEqual(children4.record_ref, self.categ_desks)
        desks = self.peer.categories[int(maps[self.categ_desks].remote_id)]
        # WordPress keeps term names HTML-escaped
        self.assertEqual((desks["name"], desks["parent"]), ("Desks &amp; tables", root["id"]))
        # taken off the shop: unpublished once, not deleted
        self.chair.product_tmpl_id.b2b_shop_backend_ids = [Command.unlink(self.backend.id)]
        self._run(self.backend, "catalogue")
        self.assertEqual(self.peer.products[int(self.chair.b2b_shop_binding_ids.remote_id)]["status"], "draft")

    def test_existing_sku_is_linked_not_duplicated_and_bad_products_fail_alone(self):
        existing = self.peer.add_product("SHOP-DESK", "Old desk", "100.00")
        nameless = self.env["product.product"].create({"name": "No reference", "list_price": 5.0})
        self._sell(self.backend, self.desk, nameless)
        with mute_logger(MUTE):
            run, children = self._run(self.backend, "catalogue")
        self.assertEqual(self.desk.b2b_shop_binding_ids.remote_id, str(existing["id"]))
        self.assertEqual([p["sku"] for p in self.peer.products.values()], ["SHOP-DESK"])
        self.assertEqual(self.peer.products[existing["id"]]["regular_price"], "349.00")
        failed = children.filtered(lambda c: c.state == "failed")
        self.assertEqual(failed.record_ref, nameless)
        self.assertIn("internal reference", failed.error)
        self.assertEqual(nameless.b2b_shop_binding_ids.state, "error")

    def test_prices_with_pricelist_sale_price_and_delta(self):
        self._sell(self.backend, self.desk, self.chair)
        self._run(self.backend, "catalogue")
        pricelist = self.env["product.pricelist"].create({
            "name": "Shop promo", "currency_id": self.env.company.currency_id.id,
            "item_ids": [Command.create({"applied_on": "0_product_variant", "product_id": self.desk.id,
                                         "compute_price": "percentage", "percent_price": 10})]})
        self.backend.pricelist_id = pricelist
        self.peer.requests.clear()
        run, children = self._run(self.backend, "prices")
        self.assertEqual(run.state, "done", run.error)
        desk = self.peer.products[int(self.desk.b2b_shop_binding_ids.remote_id)]
        self.assertEqual((desk["regular_price"], desk["sale_price"]), ("349.00", "314.10"))
        self.assertEqual(children.record_ref, self.desk, "the chair's price did not change")
        run2, _children = self._run(self.backend, "prices")
        self.assertIn("nothing changed", run2.summary)

    def test_stock_delta_and_restock_date(self):
        self._sell(self.backend, self.desk, self.chair, self.lamp)
        self._run(self.backend, "catalogue")
        self._stock(self.desk, 12)
        self._stock(self.chair, 3)
        # the lamp is out of stock, a receipt is expected in 5 days
        receipt_date = fields.Datetime.now() + timedelta(days=5)
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.in_type_id.id, "scheduled_date": receipt_date,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": self.warehouse.lot_stock_id.id,
            "move_ids": [Command.create({"product_id": self.lamp.id, "product_uom_qty": 20,
                                         "location_id": self.env.ref("stock.stock_location_suppliers").id,
                                         "location_dest_id": self.warehouse.lot_stock_id.id,
                                         "date": receipt_date})]})
        picking.action_confirm()
        self.peer.requests.clear()
        run, children = self._run(self.backend, "stock")
        self.assertEqual(run.state, "done", run.error)
        products = {p["sku"]: p for p in self.peer.products.values()}
        self.assertEqual((products["SHOP-DESK"]["stock_quantity"], products["SHOP-CHAIR"]["stock_quantity"],
                          products["SHOP-LAMP"]["stock_quantity"]), (12, 3, 0))
        self.assertEqual(self.peer.meta(products["SHOP-LAMP"], "_b2b_restock_date"), str(receipt_date.date()))
        self.assertEqual(len(children), 3)
        self.assertEqual(len(self._requests("POST", "batch")), 1, "one batch call for three products")
        # delta: only the changed product
        self._stock(self.chair, 1)
        run2, children2 = self._run(self.backend, "stock")
        self.assertEqual(children2.record_ref, self.chair)
        products = {p["sku"]: p for p in self.peer.products.values()}
        self.assertEqual(products["SHOP-CHAIR"]["stock_quantity"], 1)
        run3, children3 = self._run(self.backend, "stock")
        self.assertIn("nothing changed", run3.summary)
        # forecast mode counts the expected receipt
        self.backend.stock_mode = "virtual_available"
        self._run(self.backend, "stock")
        products = {p["sku"]: p for p in self.peer.products.values()}
        self.assertEqual(products["SHOP-LAMP"]["stock_quantity"], 20)

    def test_customers_pushed_with_addresses_group_and_linked_by_email(self):
        vip = self.env["product.pricelist"].create({"name": "VIP", "currency_id": self.env.company.currency_id.id})
        self.env["b2b.shop.group.map"].create({"backend_id": self.backend.id, "pricelist_id": vip.id,
                                               "remote_group": "vip"})
        self.backend.option_ids.filtered(lambda o: o.key == "customer_group_meta_key").value = "_customer_group"
        company = self.env["res.partner"].create({
            "name": "Bakker BV", "is_company": True, "street": "Dam 1", "city": "Amsterdam", "zip": "1012 JS",
            "country_id": self.env.ref("base.nl").id, "vat": "NL123456789B01", "property_product_pricelist": vip.id})
        buyer = self.env["res.partner"].create({"name": "Piet Bakker", "email": "piet@bakker.example",
                                                "parent_id": company.id})
        self.env["res.partner"].create({"name": "Bakker warehouse", "type": "delivery", "parent_id": buyer.id,
                                        "street": "Havenweg 9", "city": "Zaandam", "zip": "1500 AA",
                                        "country_id": self.env.ref("base.nl").id})
        known = self.peer.add_customer("known@shop.example", "Known", "Buyer")
        other = self.env["res.partner"].create({"name": "Known Buyer", "email": "Known@Shop.example"})
        buyer.b2b_shop_backend_ids = [Command.link(self.backend.id)]
        other.b2b_shop_backend_ids = [Command.link(self.backend.id)]
        self.assertEqual(buyer.b2b_shop_binding_ids._shop_data().group, "vip")
        run, children = self._run(self.backend, "customers")
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(len(self.peer.customers), 2, "the known e-mail is linked, not duplicated")
        self.assertEqual(other.b2b_shop_binding_ids.remote_id, str(known["id"]))
        remote = self.peer.customers[int(buyer.b2b_shop_binding_ids.remote_id)]
        self.assertEqual((remote["first_name"], remote["last_name"]), ("Piet", "Bakker"))
        self.assertEqual(remote["billing"]["company"], "Bakker BV")
        self.assertEqual((remote["shipping"]["address_1"], remote["shipping"]["city"]), ("Havenweg 9", "Zaandam"))
        self.assertEqual(self.peer.meta(remote, "_customer_group"), "vip")
        run2, children2 = self._run(self.backend, "customers")
        self.assertFalse(children2, "unchanged customers are not sent again")

    # ------------------------------------------------------------------ orders in
    def _full_order(self, oid=501, status="processing", **kw):
        return self.peer.add_order(oid, status, transaction_id="pi_501", customer_note="Ring twice", items=[
            {"sku": "SHOP-DESK", "quantity": 1, "price": "349.00", "discount": "34.90"},
            {"sku": "SHOP-CHAIR", "quantity": 2, "price": "189.00", "discount": "37.80"}],
            coupons=[{"code": "b2b10"}], shipping_lines=[{"method_title": "Flat rate", "total": "25.00"}],
            fees=[{"name": "Gift wrap", "total": "5.00"}, {"name": "Gift card GC-1", "total": "-20.00"}],
            created=fields.Datetime.now() - timedelta(hours=1), **kw)

    def test_order_import_full(self):
        vat21 = self.env["account.tax"].create({"name": "VAT 21% (shop test)", "amount": 21.0, "amount_type": "percent",
                                                "type_tax_use": "sale", "company_id": self.env.company.id})
        remote = self._full_order()
        run, new = self._run(self.backend, "orders")
        self.assertEqual(run.state, "done", run.error)
        imports = new.filtered(lambda e: e.kind == "shop.order")
        self.assertEqual(len(imports), 1)
        self.assertEqual(imports.state, "done", imports.error)
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)])
        self.assertEqual(imports.record_ref, sale)
        self.assertEqual((sale.state, sale.client_order_ref, sale.b2b_shop_order_id, sale.b2b_shop_status),
                         ("sale", "501", "501", "processing"))
        self.assertIn("Ring twice", str(sale.note))
        self.assertEqual(sale.warehouse_id, self.warehouse)
        by_product = {line.product_id: line for line in sale.order_line}
        self.assertAlmostEqual(by_product[self.desk].discount, 10.0)
        self.assertAlmostEqual(by_product[self.chair].product_uom_qty, 2)
        self.assertAlmostEqual(by_product[self.chair].price_unit, 189.0)
        self.assertAlmostEqual(by_product[self.backend.shipping_product_id].price_unit, 25.0)
        self.assertAlmostEqual(by_product[self.backend.fee_product_id].price_unit, 5.0)
        self.assertAlmostEqual(by_product[self.backend.gift_card_product_id].price_unit, -20.0)
        self.assertAlmostEqual(by_product[self.backend.coupon_product_id].price_unit, 0.0,
                               msg="the coupon is already in the product lines' discounts")
        self.assertAlmostEqual(sale.amount_untaxed, 349 - 34.90 + 2 * 189 - 37.80 + 25 + 5 - 20)
        # taxed as the shop taxed it (21 %): the same total to the cent, no warning
        self.assertEqual(by_product[self.desk].tax_ids, vat21)
        self.assertEqual(by_product[self.backend.shipping_product_id].tax_ids, vat21)
        self.assertFalse(by_product[self.backend.gift_card_product_id].tax_ids)
        self.assertAlmostEqual(sale.amount_total, float(remote["total"]))
        self.assertFalse(sale.message_ids.filtered(lambda m: "shop's total" in str(m.body)))
        # customer created once, with its addresses; the payment registered
        self.assertEqual(sale.partner_id.email, "anna@devries-interieur.example")
        self.assertEqual(sale.partner_id.parent_id.name, "De Vries Interieur BV")
        self.assertEqual(sale.partner_shipping_id.city, "Amsterdam")
        self.assertTrue(sale.b2b_shop_paid)
        self.assertEqual(sale.b2b_shop_payment_id.amount, float(Decimal(remote["total"])))
        self.assertEqual(sale.b2b_shop_payment_id.state, "in_process")
        self.assertIn("pi_501", sale.b2b_shop_payment_id.memo)
        # re-running never duplicates
        self.peer.requests.clear()
        run2, new2 = self._run(self.backend, "orders")
        self.assertFalse(new2, "the same order in the same state is known")
        self.assertEqual(self.env["sale.order"].search_count([("b2b_shop_order_id", "=", "501"),
                                                              ("b2b_shop_backend_id", "=", self.backend.id)]), 1)
        # even a replayed import exchange finds the order
        imports.write({"state": "pending"})
        imports._b2b_process()
        self.assertIn("Already imported", imports.summary)
        # a second order of the same e-mail: same customer
        self._full_order(502)
        self._run(self.backend, "orders")
        sales = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)])
        self.assertEqual(len(sales), 2)
        self.assertEqual(len(sales.partner_id), 1)

    def test_status_filter_quotation_mode_and_cancellation_from_the_shop(self):
        self.backend.order_mode = "quotation"
        self.peer.add_order(601, "pending", items=[{"sku": "SHOP-LAMP", "quantity": 1, "price": "49.90"}])
        self.peer.add_order(602, "on-hold", items=[{"sku": "SHOP-LAMP", "quantity": 3, "price": "49.90"}])
        run, new = self._run(self.backend, "orders")
        orders_call = self._requests("GET", "/orders")[0]
        self.assertEqual(set(orders_call.query["status"].split(",")), {"processing", "on-hold", "cancelled",
                                                                       "refunded", "failed"})
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)])
        self.assertEqual((sale.b2b_shop_order_id, sale.state), ("602", "draft"), "pending is not imported")
        # the customer cancels in the shop: the sale order is cancelled, nothing echoed back
        order = self.peer.order(602)
        order["status"] = "cancelled"
        self.peer._stamp(order, "date_modified", self.peer.now() + timedelta(seconds=5))
        self.peer.requests.clear()
        run, new = self._run(self.backend, "orders")
        self.assertEqual(sale.state, "cancel")
        self.assertEqual(sale.b2b_shop_status, "cancelled")
        self.assertFalse(self._requests("PUT"), "a cancellation from the shop is not sent back")
        self.assertFalse(self.Exchange.search([("kind", "=", "shop.status"), ("res_id", "=", sale.id)]))

    def test_unknown_product_fails_cleanly_then_imports_after_fix(self):
        self.peer.add_order(701, "processing", billing={"email": "new.buyer@example.com", "first_name": "New",
                                                        "last_name": "Buyer", "company": ""},
                            items=[{"sku": "NOT-IN-ODOO", "quantity": 1, "price": "10.00"}])
        partners = self.env["res.partner"].search_count([])
        with mute_logger(MUTE):
            run, new = self._run(self.backend, "orders")
        imports = new.filtered(lambda e: e.kind == "shop.order")
        self.assertEqual(imports.state, "failed")
        self.assertIn("unknown product NOT-IN-ODOO", imports.error)
        self.assertFalse(imports.auto_retry, "bad data waits for a person")
        self.assertFalse(self.env["sale.order"].search([("b2b_shop_order_id", "=", "701")]))
        self.assertEqual(self.env["res.partner"].search_count([]), partners, "nothing half-written")
        self.env["product.product"].create({"name": "Late product", "default_code": "NOT-IN-ODOO"})
        imports.action_retry()
        imports._b2b_process()
        self.assertEqual(imports.state, "done", imports.error)
        self.assertTrue(self.env["sale.order"].search([("b2b_shop_order_id", "=", "701")]))

    def test_bad_payload_and_transport_failures(self):
        self._full_order(801)
        # 429 with Retry-After, then 500: retried, the run succeeds
        self.peer.script(Response.json({"code": "rate_limit_exceeded"}, status=429, headers={"Retry-After": "0"}))
        run, new = self._run(self.backend, "orders")
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(run.call_ids.mapped("status")[:2], [429, 200])
        # the shop is down: the run fails, is retried automatically later, nothing imported twice
        self.peer.script(*[Response.text("oops", status=502)] * 2)  # both attempts (b2b_retries=1)
        self.backend.last_order_sync = False
        with mute_logger(MUTE):
            run2, _new = self._run(self.backend, "orders")
        self.assertEqual(run2.state, "failed")
        self.assertTrue(run2.auto_retry)
        self.assertIn("Remote server error", run2.error)
        # garbage instead of JSON: a clear error, not retried
        self.peer.script(Response.text("<html>maintenance</html>", content_type="text/html"))
        with mute_logger(MUTE):
            run3, _new = self._run(self.backend, "orders")
        self.assertEqual(run3.state, "failed")
        self.assertIn("not JSON", run3.error)
        self.assertFalse(run3.auto_retry)
        # a slow shop: the read timeout applies
        self.backend.write({"b2b_timeout": 1, "b2b_retries": 0})
        self.peer.script(Response(200, b"[]", {"Content-Type": "application/json"}, delay=2))
        with mute_logger(MUTE):
            run4, _new = self._run(self.backend, "orders")
        self.assertIn("Timeout", run4.error)
        self.assertEqual(self.env["sale.order"].search_count([("b2b_shop_order_id", "=", "801")]), 1)

    # ------------------------------------------------------------------ back to the shop
    def test_progress_confirm_ship_deliver_cancel(self):
        self.backend.order_mode = "quotation"
        self._full_order(901, status="on-hold")
        self._full_order(902, status="on-hold")
        self._run(self.backend, "orders")
        sale, other = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)], order="id")
        self.assertEqual(sale.state, "draft")
        Status = self.Exchange.search
        with trap_jobs() as trap:
            sale.action_confirm()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(self.peer.order(901)["status"], "processing")
        confirmed = Status([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"), ("res_id", "=", sale.id)])
        self.assertEqual(confirmed.state, "done", confirmed.error)
        # shipped with carrier and tracking number
        for product in (self.desk, self.chair):
            self._stock(product, 10)
        picking = sale.picking_ids
        carrier = self.env["delivery.carrier"].create({
            "name": "DHL", "product_id": self.backend.shipping_product_id.id, "delivery_type": "fixed"})
        picking.write({"carrier_id": carrier.id, "carrier_tracking_ref": "JJD000390007"})
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        with trap_jobs() as trap:
            picking.button_validate()
            trap.perform_enqueued_jobs()
        self.assertEqual(picking.state, "done")
        # the shipment's message is on the delivery's smart button; the order's shows it too
        on_picking = self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "stock.picking"),
                                           ("res_id", "=", picking.id)])
        self.assertEqual(on_picking.state, "done", on_picking.error)
        self.assertEqual((picking.b2b_exchange_count, picking.b2b_failed_count), (1, 0))
        self.assertEqual(self.Exchange.search(picking.action_b2b_view_exchanges()["domain"]), on_picking)
        self.assertEqual(self.Exchange.search(sale.action_b2b_view_exchanges()["domain"]).filtered(
            lambda e: e.kind == "shop.status"), confirmed | on_picking)
        shipped = self.peer.shipments[901]
        self.assertEqual((shipped[0]["tracking_number"], self.peer.order(901)["status"]), ("JJD000390007", "completed"))
        self.assertIn("DHL", shipped[0].get("tracking_provider", "") + shipped[0].get("custom_tracking_provider", ""))
        # delivered (a button: Odoo has no carrier feedback of its own); the same event twice is sent once
        with trap_jobs() as trap:
            sale.action_b2b_shop_delivered()
            sale.action_b2b_shop_delivered()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        # cancelled in Odoo
        with trap_jobs() as trap:
            other.action_cancel()
            trap.perform_enqueued_jobs()
        self.assertEqual(self.peer.order(902)["status"], "cancelled")
        self.assertEqual(other.b2b_shop_status, "cancelled")

    def test_odoo_emails_the_customer_when_asked(self):
        self.backend.write({"notify_mode": "odoo", "order_mode": "quotation"})
        self._full_order(951, status="on-hold")
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "951")])
        with trap_jobs() as trap:
            sale.action_confirm()
            trap.perform_enqueued_jobs()
        status = self.Exchange.search([("kind", "=", "shop.status"), ("res_id", "=", sale.id)])
        self.assertEqual(status.state, "done", status.error)
        mails = sale.message_ids.filtered(lambda m: sale.name in (m.subject or "") and m.partner_ids)
        self.assertEqual(mails.partner_ids, sale.partner_id, "the confirmation e-mail went to the customer")
        self.assertTrue(self._requests("PUT", "/orders/951"), "the shop still gets the status")

    def test_invoice_pdf_to_the_shop_and_payment_reconciled(self):
        self._full_order(991)
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "991")])
        invoice = sale._create_invoices()
        with trap_jobs() as trap:
            invoice.action_post()
            trap.assert_jobs_count(1)
            self.assertEqual(trap.enqueued_jobs[0].method_name, "_b2b_shop_push_invoice")
        # the job (run here with the real wkhtmltopdf rendering Odoo's tests skip otherwise)
        invoice.with_context(force_report_rendering=True)._b2b_shop_push_invoice()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"), "the shop payment settles the invoice")
        exchange = self.Exchange.search([("kind", "=", "shop.invoice"), ("res_id", "=", invoice.id)])
        self.assertEqual(exchange.state, "done", exchange.error)
        self.assertTrue(exchange.response_attachment_id.raw.startswith(b"%PDF"))
        attached = self.peer.attached_invoices[991]
        self.assertEqual(attached["number"], invoice.name)
        uploads = list(self.peer.media.values())
        self.assertEqual(len(uploads), 1)
        self.assertTrue(uploads[0]["data"].startswith(b"%PDF"))
        self.assertEqual(uploads[0]["data"], invoice.invoice_pdf_report_id.raw, "Odoo's stored invoice PDF")
        self.assertEqual(exchange.response_attachment_id.checksum, invoice.invoice_pdf_report_id.checksum)
        # the same invoice again: nothing new in the shop
        result = sale._b2b_shop_attach_invoice(invoice)
        self.assertEqual(result, exchange)
        self.assertEqual(len(self.peer.media), 1)

    def test_shop_messages_of_an_order_are_all_its_exchanges(self):
        """The order's "Shop messages": its import, its statuses, its deliveries' tracking and its invoices."""
        self._full_order(993)
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "993")])
        imported = self.Exchange.search([("kind", "=", "shop.order"), ("res_model", "=", "sale.order"),
                                         ("res_id", "=", sale.id)])
        self.assertEqual(len(imported), 1)
        for product in (self.desk, self.chair):
            self._stock(product, 10)
        picking = sale.picking_ids
        picking.carrier_tracking_ref = "JJD000390993"
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        with trap_jobs() as trap:
            picking.button_validate()
            sale.action_b2b_shop_delivered()
            trap.perform_enqueued_jobs()
        invoice = sale._create_invoices()
        with trap_jobs():
            invoice.action_post()
        invoice.with_context(force_report_rendering=True)._b2b_shop_push_invoice()
        tracking = self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "stock.picking"),
                                         ("res_id", "=", picking.id)])
        delivered = self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"),
                                          ("res_id", "=", sale.id)])
        sent_invoice = self.Exchange.search([("kind", "=", "shop.invoice"), ("res_id", "=", invoice.id)])
        self.assertEqual([len(tracking), len(delivered), len(sent_invoice)], [1, 1, 1])
        listed = self.Exchange.search(sale.action_b2b_view_exchanges()["domain"])
        self.assertEqual(listed, imported | tracking | delivered | sent_invoice)
        sale.invalidate_recordset(["b2b_exchange_count", "b2b_failed_count"])
        self.assertEqual((sale.b2b_exchange_count, sale.b2b_failed_count), (4, 0))
        # another order of the shop keeps its own
        self._full_order(994)
        self._run(self.backend, "orders")
        other = self.env["sale.order"].search([("b2b_shop_order_id", "=", "994")])
        self.assertEqual(other.b2b_exchange_count, 1)
        self.assertFalse(listed & self.Exchange.search(other.action_b2b_view_exchanges()["domain"]))

    def test_many_shops_keep_their_orders_apart(self):
        peer2 = self.enterContext(woo.WooCommercePeer(consumer_key="ck_two", consumer_secret="cs_two",
                                                      site_name="Second shop"))
        second = self._shop_backend("woocommerce", peer2.url, "ck_two", "cs_two")
        self._full_order(1201)
        peer2.add_order(1201, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 2, "price": "45.00"}])
        self._run(self.backend, "orders")
        self._run(second, "orders")
        orders = self.env["sale.order"].search([("b2b_shop_order_id", "=", "1201")])
        self.assertEqual(orders.b2b_shop_backend_id, self.backend | second)
        self.assertEqual(orders.filtered(lambda o: o.b2b_shop_backend_id == second).order_line.product_id,
                         self.lamp)
        self.assertNotEqual(self.backend._b2b_job_channel(), second._b2b_job_channel())
        self.assertEqual(self.backend.order_count, 1)

    def test_access_rights(self):
        from odoo.tests import new_test_user

        user = new_test_user(self.env, "shop_b2b_user", groups="base.group_user,b2b_connector_base.group_b2b_user")
        backend = self.backend.with_user(user)
        self.assertEqual(backend.name, self.backend.name)
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            backend.write({"name": "hacked"})
        with self.assertRaises(AccessError):
            backend.api_key  # noqa: B018 - managers only  # pylint: disable=pointless-statement
        # a salesman without B2B rights confirms a shop order: the shop is still told
        self.backend.order_mode = "quotation"
        self._full_order(1301, status="on-hold")
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_order_id", "=", "1301")])
        salesman = new_test_user(self.env, "shop_salesman", groups="sales_team.group_sale_salesman_all_leads")
        with trap_jobs() as trap:
            sale.with_user(salesman).action_confirm()
            trap.assert_jobs_count(1)
        status = self.Exchange.search([("kind", "=", "shop.status"), ("res_id", "=", sale.id)])
        self.assertEqual(status.user_id, salesman, "logged in the salesman's name")
