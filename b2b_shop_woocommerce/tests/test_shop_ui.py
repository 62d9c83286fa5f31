"""The shop user's screens in the browser (Chromium): the "Delivered (tell the shop)" guard, and the README's
screenshots (only with B2B_SCREENSHOTS=1, never in a normal run: they are written into docs/screenshots/)."""

import base64
import io
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import WooShopMixin

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAX_SCREENSHOT_BYTES = 150 * 1024


class ShopUiMixin(WooShopMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop(name="Demo shop (WooCommerce)")
        cls.Exchange = cls.env["b2b.exchange"]

    def _import_order(self, oid):
        for product in (self.desk, self.chair):
            self._stock(product, 10)  # reserved when the order is confirmed: its delivery can be validated
        self.peer.add_order(oid, "processing", transaction_id=f"pi_{oid}", items=[
            {"sku": "SHOP-DESK", "quantity": 1, "price": "349.00"},
            {"sku": "SHOP-CHAIR", "quantity": 2, "price": "189.00"}],
            shipping_lines=[{"method_title": "Flat rate", "total": "25.00"}])
        self._run(self.backend, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id),
                                              ("b2b_shop_order_id", "=", str(oid))])
        self.assertEqual(sale.state, "sale")
        return sale


@tagged("post_install", "-at_install")
class TestShopUi(ShopUiMixin, HttpCase):
    def test_delivered_is_offered_when_the_delivery_is_done_and_asks_first(self):
        new_test_user(self.env, "shop_tour", password="shop_tour",
                      groups="sales_team.group_sale_salesman,stock.group_stock_user,"
                             "b2b_connector_base.group_b2b_user")
        sale = self._import_order(1601)
        self.start_tour(f"/odoo/action-b2b_ecommerce_sync.action_b2b_shop_orders/{sale.id}",
                        "b2b_shop_delivered_tour", login="shop_tour")
        self.assertEqual(sale.picking_ids.state, "done")
        delivered = self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"),
                                          ("res_id", "=", sale.id)])
        self.assertEqual(len(delivered), 1)
        self.assertIn("delivered", delivered.summary)
        # the shop is told (the queued jobs as the job runner runs them: the shipment first, then "delivered")
        shipped = self.Exchange.search([("kind", "=", "shop.status"), ("res_model", "=", "stock.picking"),
                                        ("res_id", "=", sale.picking_ids.id)])
        for exchange in shipped | delivered:
            Job.load(self.env, exchange.job_uuid).perform()
        self.assertEqual((shipped | delivered).mapped("state"), ["done", "done"], (shipped | delivered).mapped("error"))
        self.assertEqual(self.peer.order(1601)["status"], "completed")


if os.environ.get("B2B_SCREENSHOTS"):
    @tagged("post_install", "-at_install")
    class TestReadmeScreenshots(ShopUiMixin, HttpCase):
        """``B2B_SCREENSHOTS=1 setup/test.sh odoo --test-tags /b2b_shop_woocommerce:TestReadmeScreenshots``
        writes docs/screenshots/*.png (1280x800, at most 150 KB each)."""

        browser_size = "1280x800"

        def _screenshot(self, name, url, login):
            captures = []
            handle_console = ChromeBrowser._handle_console

            def capture(browser, type, args=None, **kw):  # noqa: A002 - Chrome's name
                if args and browser._from_remoteobject(args[0]) == "b2b_screenshot":
                    captures.append(browser._websocket_send("Page.captureScreenshot", params={"format": "png"},
                                                            with_future=True))
                return handle_console(browser, type, args=args, **kw)

            with patch.object(ChromeBrowser, "_handle_console", capture):
                self.start_tour(url, "b2b_screenshot_tour", login=login)
            self.assertEqual(len(captures), 1)
            png = self._small_png(base64.b64decode(captures[0].result(timeout=10)["data"]))
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (SCREENSHOTS / f"{name}.png").write_bytes(png)
            self.assertLessEqual(len(png), MAX_SCREENSHOT_BYTES, name)

        @staticmethod
        def _small_png(png):
            from PIL import Image  # noqa: PLC0415 - Odoo's dependency, only needed here

            image = Image.open(io.BytesIO(png)).convert("RGB")
            assert image.size == (1280, 800), image.size
            out = io.BytesIO()
            image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
            return out.getvalue()

        def test_readme_screenshots(self):
            manager = new_test_user(
                self.env, "shop_shots", password="shop_shots", name="Mia de Vries",
                groups="b2b_connector_base.group_b2b_manager,sales_team.group_sale_manager,stock.group_stock_manager,"
                       "account.group_account_invoice")
            # the README shows the demo's company: Dutch, prices in EUR taxed at 21 %
            self.env.company.name = "B2B Demo B.V."
            eur = self.env.ref("base.EUR")
            eur.active = True
            self.backend.pricelist_id = self.env["product.pricelist"].create({"name": "Web shop",
                                                                              "currency_id": eur.id})
            group = self.env["account.tax.group"].create({"name": "VAT 21%", "company_id": self.env.company.id})
            self.env["account.tax"].create({"name": "21% VAT", "amount": 21.0, "amount_type": "percent",
                                            "type_tax_use": "sale", "company_id": self.env.company.id,
                                            "tax_group_id": group.id})
            self._sell(self.backend, self.desk, self.chair, self.lamp)
            self.backend.action_fill_category_map()
            root_map = self.backend.category_map_ids.filtered(lambda m: m.category_id == self.categ_root)
            root_map.shop_name = "Office furniture"
            self._run(self.backend, "catalogue")
            sale = self._import_order(1701)
            for move in sale.picking_ids.move_ids:
                move.quantity = move.product_uom_qty
            sale.picking_ids.carrier_tracking_ref = "JJD000390017"
            with trap_jobs() as trap:
                sale.picking_ids.button_validate()
                sale.action_b2b_shop_delivered()
                trap.perform_enqueued_jobs()
            invoice = sale._create_invoices()
            with trap_jobs():
                invoice.action_post()
            invoice.with_context(force_report_rendering=True)._b2b_shop_push_invoice()
            self.assertEqual(sale.b2b_exchange_count, 4)
            self._screenshot("shop_backend",
                             f"/odoo/action-b2b_ecommerce_sync.action_b2b_shop_backend/{self.backend.id}",
                             manager.login)
            self._screenshot("shop_order", f"/odoo/action-b2b_ecommerce_sync.action_b2b_shop_orders/{sale.id}",
                             manager.login)
            self._screenshot("exchange_log", "/odoo/action-b2b_connector_base.action_b2b_exchange", manager.login)
