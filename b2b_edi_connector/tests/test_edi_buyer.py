"""The EDI buyer's day: a purchase user orders from an EDI supplier to a building site, for a project, on the
purchase order form (tour); a failed send shows why on the order; the order's exchange ends done when the
wholesaler answers; the chatter reads well (amounts in the currency, no "(-)", no "..")."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_edi_connector.protocol.dico import Invoice, InvoiceLine, OrderResponse, ResponseLine, get_format
from odoo.addons.b2b_sandbox.peers.dico_wholesaler import DicoWholesalerPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_sandbox.protocol import dico as wholesaler_side
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
COMPANY_GLN = "8714231774051"
SUPPLIER_GLN = "8713473000010"
NBSP = "&nbsp;"  # as the chatter's HTML has it


class EdiBuyerCommon(B2BTestMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Technische Unie as the sandbox plays it: flat references, no GLN in the delivery party, GTIN-14
        cls.peer = cls.enterClassContext(DicoWholesalerPeer.as_wholesaler("technischeunie", prices={"SBX-100": "4.95"}))
        env = cls.env
        env.company.b2b_gln = COMPANY_GLN
        cls.eur = env.ref("base.EUR")
        cls.eur.active = True
        cls.supplier = env["res.partner"].create({
            "name": "Tour Wholesaler B.V.", "is_company": True, "b2b_gln": SUPPLIER_GLN, "edi_enabled": True,
            "edi_profile_id": env.ref("b2b_edi_connector.edi_profile_technischeunie").id, "edi_format": "INSBOU003",
            "edi_url": f"{cls.peer.url}/MessageService/3.1", "edi_relation_id": "100234", "edi_username": "buyer",
            "edi_password": "sandbox-edi", "b2b_retries": 0,
            "property_purchase_currency_id": cls.eur.id,
        })
        cls.frame = env["product.product"].create({
            "name": "Tour Frame", "is_storable": True, "barcode": "4011377309456", "purchase_ok": True,
            "seller_ids": [Command.create({"partner_id": cls.supplier.id, "product_code": "SBX-100", "price": 4.95,
                                           "currency_id": cls.eur.id})]})
        cls.site = env["res.partner"].create({
            "name": "Tour Site Stadshart", "type": "delivery", "parent_id": env.company.partner_id.id,
            "street": "Stadhuisplein 10", "zip": "2711 EC", "city": "Zoetermeer", "country_id": env.ref("base.nl").id})
        plan = env["account.analytic.plan"].create({"name": "Tour projects"})
        cls.project = env["account.analytic.account"].create(
            {"name": "Tour Project Nieuwbouw", "code": "PRJ-2026-014", "plan_id": plan.id})
        cls.Exchange = env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()
        self.peer.scenario = "accept"
        self.peer.sync_answer = False
        self.peer.accounts = {"100234": ("buyer", "sandbox-edi")}

    def _po(self, **vals):
        po = self.env["purchase.order"].create(dict({
            "partner_id": self.supplier.id, "currency_id": self.eur.id,
            "order_line": [Command.create({"product_id": self.frame.id, "product_qty": 10, "price_unit": 4.95})],
        }, **vals))
        with trap_jobs():
            po.button_confirm()
        return po

    def _order_exchange(self, po):
        return self.Exchange.search([("kind", "=", "dico.order"), ("res_model", "=", "purchase.order"),
                                     ("res_id", "=", po.id)], order="id desc", limit=1)

    def _poll(self):
        with trap_jobs():
            poll = self.supplier._edi_queue_poll()
            poll._b2b_process()
        return self.Exchange.search([("kind", "in", ("dico.ordrsp", "dico.desadv", "dico.invoic")),
                                     ("backend_ref", "=", f"res.partner,{self.supplier.id}")], order="id")

    def _inject(self, msg_type, root):
        fmt = get_format("INSBOU003")
        self.peer.inject("100234", msg_type, fmt.serialize(root), fmt.msg_format, fmt.version)


@tagged("post_install", "-at_install")
class TestEdiBuyerUi(EdiBuyerCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, "edi_tour_buyer", groups="purchase.group_purchase_user",
                                  password="edi_tour_buyer_pw", tz="Europe/Amsterdam")

    def test_buyer_orders_to_a_site_for_a_project(self):
        self.assertFalse(self.buyer.has_group("analytic.group_analytic_accounting"))
        self.start_tour("/odoo/action-purchase.purchase_rfq/new", "b2b_edi_buyer_tour", login="edi_tour_buyer")
        po = self.env["purchase.order"].search([("partner_id", "=", self.supplier.id)])
        self.assertEqual(len(po), 1)
        self.assertEqual((po.state, po.edi_state), ("purchase", "pending"))
        self.assertEqual((po.edi_delivery_address_id, po.edi_project_id), (self.site, self.project))
        self.assertEqual(po.order_line.product_qty, 7)
        # the job the confirmation queued, as the job runner runs it
        exchange = self._order_exchange(po)
        job = self.env["queue.job"].search([("uuid", "=", exchange.job_uuid)])
        self.assertEqual(job.state, "pending")
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(exchange.state, "sent", exchange.error)
        [received] = self.peer.orders
        self.assertEqual(received.order.project_reference, "PRJ-2026-014")
        delivery = received.order.delivery_party
        self.assertEqual((delivery.name, delivery.street, delivery.postal_code, delivery.city, delivery.country),
                         ("Tour Site Stadshart", "Stadhuisplein 10", "2711 EC", "Zoetermeer", "NL"))
        payload = exchange._b2b_get_payload()
        self.assertIn(b"<ProjectNumber>PRJ-2026-014</ProjectNumber>", payload, "flat, as Technische Unie reads it")
        self.assertIn(b"<StreetAndNumber>Stadhuisplein 10</StreetAndNumber>", payload)

    def test_failed_send_shows_its_reason_on_the_order(self):
        self.peer.accounts = {"100234": ("buyer", "another-password")}
        po = self._po()
        exchange = self._order_exchange(po)
        with mute_logger(MUTE):
            exchange._b2b_process()
            # a second attempt failing the same way says nothing new in the chatter
            exchange.sudo().state = "pending"
            exchange._b2b_process()
        self.assertEqual(exchange.attempt_count, 2)
        self.assertEqual(po.edi_state, "error")
        self.assertIn("could not be authenticated", po.edi_error)
        self.assertNotIn(self.peer.url, po.edi_error, "where the wholesaler is called is for B2B Managers")
        posts = po.message_ids.filtered(lambda m: "could not be sent" in (m.body or ""))
        self.assertEqual(len(posts), 1, posts.mapped("body"))
        self.assertIn("could not be authenticated", posts.body)
        self.assertIn("Tour Wholesaler B.V.", posts.body)
        self.assertNotIn("..", posts.body)
        self.start_tour(f"/odoo/action-purchase.purchase_form_action/{po.id}", "b2b_edi_failed_send_tour",
                        login="edi_tour_buyer")
        # fixed and sent again: the banner goes, the reason is kept for nobody
        self.peer.accounts = {"100234": ("buyer", "sandbox-edi")}
        with trap_jobs():
            exchange.action_retry()
        exchange._b2b_process()
        self.assertEqual((exchange.state, po.edi_state, po.edi_error), ("sent", "sent", False))


@tagged("post_install", "-at_install")
class TestEdiBuyerMessages(EdiBuyerCommon, TransactionCase):
    def test_the_order_exchange_is_done_when_the_order_response_arrives(self):
        po = self._po()
        exchange = self._order_exchange(po)
        exchange._b2b_process()
        self.assertEqual(exchange.state, "sent", "awaiting the wholesaler's answer")
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertEqual(exchange.state, "done")
        self.assertTrue(exchange.date_done)
        self.assertIn(po.name, exchange.summary)
        self.assertIn("answered by order response", exchange.summary)

    def test_an_answer_with_the_order_ends_its_exchange_too(self):
        self.peer.sync_answer = True
        po = self._po()
        exchange = self._order_exchange(po)
        exchange._b2b_process()
        self.assertEqual((exchange.state, po.edi_state), ("done", "accepted"), exchange.error)

    def test_rfqs_to_other_sites_or_projects_stay_apart_when_merged(self):
        def rfq(**vals):
            return self.env["purchase.order"].create(dict({"partner_id": self.supplier.id, "order_line": [
                Command.create({"product_id": self.frame.id, "product_qty": 1, "price_unit": 4.95})]}, **vals))

        site, site_too = rfq(edi_delivery_address_id=self.site.id), rfq(edi_delivery_address_id=self.site.id)
        project, warehouse = rfq(edi_project_id=self.project.id), rfq()
        (site | site_too | project | warehouse).action_merge()
        self.assertEqual(len((site | site_too).filtered(lambda p: p.state != "cancel")), 1, "one order to the site")
        self.assertEqual((project.state, warehouse.state), ("draft", "draft"))
        self.assertEqual(project.edi_project_id, self.project)
        self.assertFalse(warehouse.edi_project_id)

    def test_a_transient_failure_says_it_is_tried_again(self):
        po = self._po()
        exchange = self._order_exchange(po)
        self.peer.script(Response.text("Bad Gateway", status=502))
        with mute_logger(MUTE):
            exchange._b2b_process()
        self.assertTrue(exchange.auto_retry)
        self.assertIn(urlsplit(self.peer.url).netloc, exchange.error, "the exchange keeps the address for B2B Managers")
        self.assertIn("502", po.edi_error)
        self.assertNotIn(urlsplit(self.peer.url).netloc, po.edi_error)
        self.assertIn("the wholesaler's address", po.edi_error)
        post = po.message_ids.filtered(lambda m: "could not be sent" in (m.body or ""))
        self.assertIn("Another attempt follows automatically.", post.body)
        self.assertNotIn(self.peer.url, post.body)
        self.assertNotIn("..", post.body)

    def test_chatter_lines_read_well(self):
        self.peer.scenario = "hold"  # the answers below are the test's
        po = self._po(order_line=[
            Command.create({"product_id": self.frame.id, "product_qty": 10, "price_unit": 4.95}),
            Command.create({"product_id": self.frame.id, "product_qty": 2.5, "price_unit": 4.95}),
        ])
        self._order_exchange(po)._b2b_process()
        first, second = po.order_line
        today = datetime.date(2026, 12, 1)
        response = OrderResponse(
            number="R1", date=today, buyer_order_number=po.name, status="changed",
            free_text="Levering via Sandbox B.V.", lines=[
                ResponseLine(order_line_id=str(first.id), status="accepted", quantity=Decimal(10),
                             supplier_code="SBX-100", net_price=Decimal("4.950000")),
                ResponseLine(order_line_id=str(second.id), status="changed", quantity=Decimal(2),
                             supplier_code="SBX-100", net_price=Decimal("5.440000")),
            ])
        self._inject("ORDRSP", wholesaler_side.build_order_response(get_format("INSBOU003"), response, "nested"))
        invoice = Invoice(number="F689", date=today, buyer_order_number=po.name, total=Decimal("689.080000"), lines=[
            InvoiceLine(order_line_id=str(first.id), quantity=Decimal(10), price=Decimal("4.95"),
                        net_amount=Decimal("49.50"), supplier_code="SBX-100", vat_percentage=Decimal(21))])
        self._inject("INVOIC", wholesaler_side.build_invoice(get_format("INSBOU003"), invoice))
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))

        body = po.message_ids.filtered(lambda m: "Order response R1" in (m.body or "")).body
        self.assertIn("Confirmed with changes. Levering via Sandbox B.V.<", body, "one full stop between them")
        self.assertNotIn("..", body)
        self.assertNotIn("(-)", body)
        self.assertIn("<li>Tour Frame: Accepted</li>", body, "an accepted line without changes says only that")
        self.assertIn(f"quantity 2.5 Units → 2 Units, price 4.95{NBSP}€ → 5.44{NBSP}€", body)
        bill = po.invoice_ids
        warning = bill.message_ids.filtered(lambda m: "differs" in (m.body or "")).body
        self.assertIn(f"689.08{NBSP}€", warning)
        self.assertNotIn("689.080000", warning)
        self.assertIn(f"{bill.amount_total:.2f}{NBSP}€", warning)

    def test_despatch_advice_says_only_what_it_knows(self):
        po = self._po()
        self._order_exchange(po)._b2b_process()
        self._poll()
        note = po.picking_ids.message_ids.filtered(lambda m: "Despatch advice" in (m.body or "")).body
        self.assertIn("quantities set, expected ", note)
        self.assertIn("tracking 3SSBX", note)
        self.assertNotIn(" -", note)
        self.assertNotIn("..", note)
