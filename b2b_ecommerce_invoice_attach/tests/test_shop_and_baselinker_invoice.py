"""b2b_ecommerce_sync and b2b_invoice_attach together, against the sandbox WooCommerce store and BaseLinker: a shop
order that BaseLinker knows too (BaseLinker imported it from the shop). Its posted invoice goes to the shop once and
to BaseLinker as today, both as Odoo's stored invoice PDF, rendered once, whichever flow comes first."""

import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.common import ShopTestMixin
from odoo.addons.b2b_invoice_attach.models.b2b_baselinker_backend import RUN_KIND, UPLOAD_KIND
from odoo.addons.b2b_sandbox.peers import woocommerce as woo
from odoo.addons.b2b_sandbox.peers.baselinker import BaseLinkerPeer
from odoo.addons.queue_job.tests.common import trap_jobs

TOKEN = "bl-bridge-T0ken"


@tagged("post_install", "-at_install")
class TestShopAndBaseLinkerInvoice(ShopTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop_peer = cls.enterClassContext(woo.WooCommercePeer())
        cls.bl_peer = cls.enterClassContext(BaseLinkerPeer(token=TOKEN))
        cls._shop_catalogue()
        cls.shop = cls._shop_backend(
            "woocommerce", cls.shop_peer.url, woo.DEMO_KEY, woo.DEMO_SECRET, woo.DEMO_APP_PASSWORD,
            options={"wp_user": woo.DEMO_WP_USER})
        # BaseLinker lists the orders it imported from the shop with the shop's order id
        cls.baselinker = cls.env["b2b.baselinker.backend"].create({
            "name": "BL bridge test", "url": f"{cls.bl_peer.url}/connector.php", "api_token": TOKEN,
            "invoice_series_id": 15, "b2b_retries": 1, "setup_date": fields.Datetime.now() - timedelta(days=60),
            "match_mode": "client_order_ref", "order_key": "shop_order_id"})
        cls.Report = type(cls.env["ir.actions.report"])

    def setUp(self):
        super().setUp()
        self.shop_peer.reset()
        self.bl_peer.reset()

    def _shop_invoice(self, number, bl_order):
        """A shop order imported from the shop, known to BaseLinker as ``bl_order``, and its invoice, posted:
        posting queues the shop's job only (returned unrun)."""
        self.shop_peer.add_order(number, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 2, "price": "45.00"}])
        self.bl_peer.add_order(bl_order, date_confirmed=int(time.time()) - 3600, shop_order_id=number)
        self._run(self.shop, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.shop.id),
                                              ("b2b_shop_order_id", "=", str(number))])
        self.assertEqual(sale.client_order_ref, str(number))
        invoice = sale._create_invoices()
        with trap_jobs() as trap:
            invoice.action_post()
            trap.assert_jobs_count(1)
        self.assertEqual(trap.enqueued_jobs[0].method_name, "_b2b_shop_push_invoice")
        return sale, invoice

    def _to_shop(self, invoice):
        """The shop's job, as the job runner runs it (with the real wkhtmltopdf rendering tests skip otherwise)."""
        invoice.with_context(force_report_rendering=True)._b2b_shop_push_invoice()
        return self.env["b2b.exchange"].search([("kind", "=", "shop.invoice"), ("res_id", "=", invoice.id)])

    def _to_baselinker(self):
        """A BaseLinker upload run and the uploads it queued."""
        Exchange = self.env["b2b.exchange"]
        before = Exchange.search([("kind", "=", UPLOAD_KIND)])
        with trap_jobs():
            self.baselinker.action_run_now()
            run = Exchange.search([("kind", "=", RUN_KIND)], order="id desc", limit=1)
            run.with_context(force_report_rendering=True)._b2b_process()
            uploads = Exchange.search([("kind", "=", UPLOAD_KIND)]) - before
            uploads.with_context(force_report_rendering=True)._b2b_process()
        self.assertEqual(run.state, "done", run.error)
        return run, uploads

    def _assert_one_pdf(self, invoice, sent, uploads, bl_order):
        stored = invoice.invoice_pdf_report_id
        self.assertTrue(stored.raw.startswith(b"%PDF"), "Odoo's stored invoice PDF")
        self.assertEqual(sent.state, "done", sent.error)
        self.assertEqual(uploads.state, "done", uploads.error)
        shop_files = list(self.shop_peer.media.values())
        self.assertEqual(len(shop_files), 1, "the shop gets the PDF once")
        self.assertEqual(shop_files[0]["data"], stored.raw)
        bl_files = self.bl_peer.uploads_for(bl_order)
        self.assertEqual(len(bl_files), 1)
        self.assertEqual(bl_files[0]["pdf"], stored.raw)
        self.assertEqual(bl_files[0]["external_invoice_number"], invoice.name)
        self.assertEqual((sent | uploads).response_attachment_id.mapped("checksum"), [stored.checksum] * 2)
        self.assertEqual(invoice.b2b_baselinker_order_id, str(bl_order))

    def test_shop_first_then_baselinker_one_pdf_rendered_once(self):
        sale, invoice = self._shop_invoice(601, 8601)
        self.assertFalse(invoice.invoice_pdf_report_id, "nothing is rendered while posting")
        with patch.object(self.Report, "_pre_render_qweb_pdf", autospec=True,
                          side_effect=self.Report._pre_render_qweb_pdf) as render:
            sent = self._to_shop(invoice)
            self.assertEqual(render.call_count, 1)
            _run, uploads = self._to_baselinker()
        self.assertEqual(render.call_count, 1, "BaseLinker reads the PDF the shop flow had Odoo render and store")
        self._assert_one_pdf(invoice, sent, uploads, 8601)
        self.assertEqual(self.shop_peer.attached_invoices[601]["number"], invoice.name)
        # the shop's job again, another run: nothing new anywhere
        self.assertEqual(self._to_shop(invoice), sent)
        run, again = self._to_baselinker()
        self.assertFalse(again)
        self.assertIn("1 already handled", run.summary)
        self.assertEqual((len(self.shop_peer.media), len(self.bl_peer.uploads_for(8601))), (1, 1))
        # an invoice of an order that is no shop order: posting queues nothing (BaseLinker's runs find it)
        counter = self.env["sale.order"].create({"partner_id": sale.partner_id.id, "order_line": [
            (0, 0, {"product_id": self.lamp.id, "product_uom_qty": 1})]})
        counter.action_confirm()
        with trap_jobs() as trap:
            counter._create_invoices().action_post()
            trap.assert_jobs_count(0)

    def test_baselinker_first_then_shop_one_pdf_rendered_once(self):
        _sale, invoice = self._shop_invoice(602, 8602)
        with patch.object(self.Report, "_pre_render_qweb_pdf", autospec=True,
                          side_effect=self.Report._pre_render_qweb_pdf) as render:
            _run, uploads = self._to_baselinker()  # e.g. the shop's job waits for a worker
            sent = self._to_shop(invoice)
        self.assertEqual(render.call_count, 1, "the shop flow reads the PDF the BaseLinker upload had Odoo store")
        self._assert_one_pdf(invoice, sent, uploads, 8602)
