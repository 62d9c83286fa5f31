"""DICO EDI end to end in Odoo against the sandbox wholesaler (a real MessageService 3.1 SOAP server):
confirm a purchase order -> job -> the wholesaler receives a valid order -> poll -> order response,
despatch advice and invoice applied -> deleted remotely; and every error path."""

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.peers.dico_wholesaler import DicoWholesalerPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.queue_job.tests.common import trap_jobs

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
COMPANY_GLN = "8714231774051"
SUPPLIER_GLN = "8713473000010"


@tagged("post_install", "-at_install")
class TestEdiRoundTrip(B2BTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(DicoWholesalerPeer(prices={"SBX-100": "4.95", "SBX-200": "12.50"}))
        cls.env.company.b2b_gln = COMPANY_GLN
        cls.supplier = cls.env["res.partner"].create({
            "name": "Test Groothandel", "is_company": True, "b2b_gln": SUPPLIER_GLN,
            "edi_enabled": True, "edi_url": f"{cls.peer.url}/MessageService/3.1", "edi_relation_id": "100234",
            "edi_username": "buyer", "edi_password": "sandbox-edi", "b2b_retries": 1,
        })
        cls.frame = cls.env["product.product"].create({
            "name": "Frame", "is_storable": True, "barcode": "4011377309456",
            "seller_ids": [Command.create({"partner_id": cls.supplier.id, "product_code": "SBX-100", "price": 4.95})]})
        cls.switch = cls.env["product.product"].create({
            "name": "Switch", "is_storable": True,
            "seller_ids": [Command.create({"partner_id": cls.supplier.id, "product_code": "SBX-200", "price": 12.50})]})
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()
        self.peer.scenario = "accept"
        self.peer.accounts = {"100234": ("buyer", "sandbox-edi")}

    # ------------------------------------------------------------------ helpers
    def _po(self, confirm=True, **vals):
        po = self.env["purchase.order"].create(dict({
            "partner_id": self.supplier.id, "origin": "S00077",
            "order_line": [Command.create({"product_id": self.frame.id, "product_qty": 10, "price_unit": 4.95}),
                           Command.create({"product_id": self.switch.id, "product_qty": 4, "price_unit": 12.50})],
        }, **vals))
        if confirm:
            with trap_jobs() as trap:
                po.button_confirm()
                trap.assert_jobs_count(1)
                self.assertEqual(trap.enqueued_jobs[0].channel, f"root.b2b.edi_{self.supplier.id}")
        return po

    def _order_exchange(self, po):
        return self.Exchange.search([("kind", "=", "dico.order"), ("res_id", "=", po.id)], order="id desc", limit=1)

    def _send(self, po):
        exchange = self._order_exchange(po)
        exchange._b2b_process()
        return exchange

    def _poll(self):
        """A poll as the job runner does it; returns (poll exchange, incoming exchanges, delete exchanges)."""
        with trap_jobs() as trap:
            poll = self.supplier._edi_queue_poll()
            poll._b2b_process()
            deletes = self.Exchange.search([("kind", "=", "dico.delete"), ("state", "=", "pending")])
            trap.assert_jobs_count(1 + len(deletes))
        incoming = self.Exchange.search([("kind", "in", ("dico.ordrsp", "dico.desadv", "dico.invoic")),
                                         ("backend_ref", "=", f"res.partner,{self.supplier.id}")], order="id")
        return poll, incoming, deletes

    # ------------------------------------------------------------------ the round trip
    def test_round_trip_accepted_order(self):
        po = self._po()
        self.assertEqual(po.edi_state, "pending")
        exchange = self._send(po)
        self.assertEqual(exchange.state, "sent", exchange.error)
        self.assertEqual(po.edi_state, "sent")
        received = self.peer.orders[0]
        self.assertEqual(exchange.external_id, received.msg_id, "the MsgId is ours, the same on every attempt")
        self.assertEqual(exchange.external_id, self.supplier._edi_msg_id(exchange))
        self.assertTrue(exchange.call_ids, "the SOAP call is logged on the exchange")
        self.assertNotIn("sandbox-edi", "".join(exchange.call_ids.mapped("request_body")), "password masked")
        order = received.order
        self.assertEqual((received.account, received.format, order.number), ("100234", "INSBOU003", po.name))
        self.assertEqual((order.buyer.gln, order.supplier.gln), (COMPANY_GLN, SUPPLIER_GLN))
        self.assertEqual(order.customer_reference, "S00077")
        self.assertEqual([(line.gtin, line.supplier_code, float(line.quantity)) for line in order.lines],
                         [("4011377309456", "SBX-100", 10.0), ("", "SBX-200", 4.0)])
        self.assertEqual(order.delivery_party.name, self.env.company.partner_id.name)
        self.assertIn(b"<OrderNumber>", exchange._b2b_get_payload())

        poll, incoming, deletes = self._poll()
        self.assertEqual(poll.state, "done", poll.error)
        self.assertEqual(incoming.mapped("kind"), ["dico.ordrsp", "dico.desadv", "dico.invoic"])
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertEqual(len(deletes), 3)
        self.assertEqual(len(self.peer.messages("100234")), 3, "nothing deleted before the poll committed")
        deletes._b2b_process()
        self.assertEqual(self.peer.messages("100234"), [])
        self.assertEqual(sorted(self.peer.deleted), sorted(incoming.mapped("external_id")))
        # order response
        self.assertEqual(po.edi_state, "accepted")
        self.assertEqual(set(po.order_line.mapped("edi_status")), {"accepted"})
        # despatch advice -> receipt
        picking = po.picking_ids
        self.assertEqual(picking.edi_tracking_ref[:5], "3SSBX")
        self.assertEqual(sorted(picking.move_ids.mapped("quantity")), [4.0, 10.0])
        # invoice -> draft vendor bill linked to the purchase lines
        bill = po.invoice_ids
        self.assertEqual(len(bill), 1)
        self.assertEqual((bill.state, bill.move_type), ("draft", "in_invoice"))
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, po.order_line)
        self.assertAlmostEqual(bill.amount_untaxed, 10 * 4.95 + 4 * 12.50)
        self.assertTrue(bill.ref.startswith("F"))

    def test_partial_confirmation_updates_lines_with_a_chatter_summary(self):
        self.peer.scenario = "partial"
        po = self._po()
        self._send(po)
        _poll, incoming, _deletes = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        frame_line = po.order_line.filtered(lambda line: line.product_id == self.frame)
        self.assertEqual(po.edi_state, "changed")
        self.assertEqual((frame_line.edi_status, frame_line.product_qty), ("changed", 5.0))
        self.assertAlmostEqual(frame_line.price_unit, 5.44)  # 4.95 + 10 %, as the wholesaler rounds
        self.assertEqual(po.order_line.filtered(lambda line: line.product_id == self.switch).edi_status, "accepted")
        summary = po.message_ids.filtered(lambda m: "Order response" in (m.body or ""))[:1]
        self.assertIn("quantity 10 Units → 5 Units", summary.body)
        self.assertIn("price", summary.body)
        move = po.picking_ids.move_ids.filtered(lambda m: m.product_id == self.frame)
        self.assertEqual((move.product_uom_qty, move.quantity), (5.0, 5.0))
        self.assertEqual(po.invoice_ids.invoice_line_ids.filtered(lambda ln: ln.product_id == self.frame).quantity, 5)

    def test_rejected_order(self):
        self.peer.scenario = "reject"
        po = self._po()
        self._send(po)
        _poll, incoming, _deletes = self._poll()
        self.assertEqual(incoming.mapped("kind"), ["dico.ordrsp"])
        self.assertEqual(po.edi_state, "rejected")
        self.assertEqual(set(po.order_line.mapped("edi_status")), {"rejected"})
        self.assertEqual(po.order_line.mapped("product_qty"), [0.0, 0.0])

    def test_sales005_and_article_code_profile(self):
        self.supplier.write({"edi_format": "SALES005",
                             "edi_profile_id": self.env.ref("b2b_edi_connector.edi_profile_article_code").id})
        po = self._po()
        exchange = self._send(po)
        self.assertEqual(exchange.state, "sent", exchange.error)
        received = self.peer.orders[0]
        self.assertEqual(received.format, "SALES005")
        self.assertEqual([line.gtin for line in received.order.lines], ["", ""], "article codes only")
        self.assertIn(b'xmlns="http://www.ketenstandaard.nl/order/SALES/005"', exchange._b2b_get_payload())
        _poll, incoming, _deletes = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertEqual(po.edi_state, "accepted")

    def test_a_declared_profile_shapes_the_order(self):
        # a wholesaler deviation nobody foresaw: one record, no code
        profile = self.env["b2b.edi.profile"].create({
            "name": "GTIN-14, no order time", "code": "test_gtin14_no_time", "gtin14": True, "send_order_time": False})
        self.supplier.edi_profile_id = profile
        exchange = self._send(self._po())
        self.assertEqual(exchange.state, "sent", exchange.error)
        payload = exchange._b2b_get_payload()
        self.assertIn(b"<GTIN>04011377309456</GTIN>", payload)
        self.assertNotIn(b"<OrderTime>", payload)
        self.assertIn(b"<DraftOrderIndicator>", payload, "what the profile does not change stays as published")

    # ------------------------------------------------------------------ idempotency and bad input
    def test_same_message_twice_is_applied_once_and_failed_messages_stay_remote(self):
        po = self._po()
        self._send(po)
        _poll, incoming, deletes = self._poll()
        self.assertEqual(len(incoming), 3)
        # deletes not run yet (e.g. the worker crashed): the next poll sees the same messages again
        deletes.write({"state": "cancelled"})
        poll2, incoming2, deletes2 = self._poll()
        self.assertEqual(incoming2, incoming, "no second exchange for the same message")
        self.assertIn("3 already known", poll2.summary)
        self.assertEqual(len(po.invoice_ids), 1, "the invoice is not booked twice")
        self.assertEqual(len(deletes2), 3, "already applied: deleted now")

    def test_unknown_order_fails_clearly_and_stays_at_the_wholesaler(self):
        xml = (b"<OrderResponse><OrderResponseNumber>X1</OrderResponseNumber><OrderResponseDate>2026-11-24"
               b"</OrderResponseDate><StatusCode>29</StatusCode><BuyersOrderNumber>P99999</BuyersOrderNumber>"
               b"</OrderResponse>")
        self.peer.inject("100234", "ORDRSP", xml)
        with mute_logger(MUTE):
            poll, incoming, deletes = self._poll()
        self.assertEqual(poll.state, "done")
        self.assertEqual(incoming.state, "failed")
        self.assertIn("No purchase order P99999", incoming.error)
        self.assertFalse(incoming.auto_retry)
        self.assertFalse(deletes)
        self.assertEqual(len(self.peer.messages("100234")), 1)

    def test_unknown_product_leaves_nothing_half_applied(self):
        po = self._po()
        self._send(po)
        frame_line = po.order_line.filtered(lambda line: line.product_id == self.frame)
        xml = ("<OrderResponse><OrderResponseNumber>X2</OrderResponseNumber><OrderResponseDate>2026-11-24"
               f"</OrderResponseDate><StatusCode>30</StatusCode><BuyersOrderNumber>{po.name}</BuyersOrderNumber>"
               "<OrderResponseLine><LineNumber>1</LineNumber><StatusCode>3</StatusCode>"
               "<PlannedDeliveryQuantity>2</PlannedDeliveryQuantity><TradeItemIdentification>"
               "<SuppliersTradeItemIdentification>SBX-100</SuppliersTradeItemIdentification></TradeItemIdentification>"
               f"<OrderLineIdentification>{frame_line.id}</OrderLineIdentification></OrderResponseLine>"
               "<OrderResponseLine><LineNumber>2</LineNumber><StatusCode>5</StatusCode><TradeItemIdentification>"
               "<GTIN>8712345678906</GTIN><SuppliersTradeItemIdentification>NOPE-1</SuppliersTradeItemIdentification>"
               "</TradeItemIdentification></OrderResponseLine></OrderResponse>").encode()
        self.peer.reset()
        self.peer.inject("100234", "ORDRSP", xml)
        with mute_logger(MUTE):
            _poll, incoming, _deletes = self._poll()
        self.assertEqual(incoming.state, "failed")
        self.assertIn("unknown product", incoming.error)
        self.assertIn("NOPE-1", incoming.error)
        self.assertEqual(frame_line.product_qty, 10, "the first line's change was rolled back")
        self.assertFalse(frame_line.edi_status)
        self.assertEqual(po.edi_state, "sent")

    def test_hostile_or_broken_messages_are_rejected(self):
        self.peer.inject("100234", "ORDRSP", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
                                             b'"file:///etc/passwd">]><OrderResponse>&x;</OrderResponse>')
        self.peer.inject("100234", "DESADV", b"<DespatchAdvice><unclosed></DespatchAdvice>")
        self.peer.inject("100234", "INVOIC", b"<Catalogue/>")
        self.peer.inject("100234", "APERAK", b"<Aperak/>")
        with mute_logger(MUTE):
            _poll, incoming, deletes = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"failed"})
        errors = incoming.mapped("error")
        self.assertTrue(any("Invalid XML" in e for e in errors), errors)
        self.assertTrue(any("not a DICO" in e for e in errors), errors)
        unknown = self.Exchange.search([("kind", "=", "dico.unknown")])
        self.assertIn("does not handle", unknown.error)
        self.assertFalse(deletes)
        self.assertNotIn("root:", "".join(errors))

    # ------------------------------------------------------------------ transport failures
    def test_auth_failure_named_in_test_connection_and_on_the_order(self):
        result = self.supplier.action_edi_test_connection()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.peer.accounts = {"100234": ("buyer", "other-password")}
        with mute_logger(MUTE):
            result = self.supplier.action_edi_test_connection()
            self.assertEqual(result["params"]["type"], "danger")
            self.assertIn("could not be authenticated", result["params"]["message"])
            po = self._po()
            exchange = self._send(po)
        self.assertEqual(exchange.state, "failed")
        self.assertIn("FailedAuthentication", exchange.error)
        self.assertFalse(exchange.auto_retry, "a wrong password is not retried")
        self.assertEqual(po.edi_state, "error")
        self.assertEqual(self.peer.orders, [])

    def test_server_error_and_timeout_are_retried_later(self):
        po = self._po()
        self.peer.script(Response.text("Bad Gateway", status=502))
        with mute_logger(MUTE):
            exchange = self._send(po)
        self.assertEqual(exchange.state, "failed")
        self.assertTrue(exchange.auto_retry)
        self.assertIn("502", exchange.error)
        self.assertEqual(po.edi_state, "error")
        with trap_jobs():
            exchange.action_retry()
        exchange._b2b_process()
        self.assertEqual(exchange.state, "sent", exchange.error)
        self.assertEqual(po.edi_state, "sent")
        self.assertEqual(len(self.peer.orders), 1)
        # a slow wholesaler: the read timeout of the supplier applies (a read is retried once, then gives up)
        self.supplier.b2b_timeout = 1
        self.peer.script(Response(200, b"late", delay=1.5), Response(200, b"late", delay=1.5))
        with mute_logger(MUTE):
            result = self.supplier.action_edi_test_connection()
        self.assertIn("Timeout", result["params"]["message"])

    def test_invalid_data_is_refused_before_anything_leaves(self):
        self.env.company.partner_id.b2b_gln = False
        po = self._po()
        with mute_logger(MUTE):
            exchange = self._send(po)
        self.assertEqual(exchange.state, "failed")
        self.assertIn("has no valid GLN", exchange.error)
        self.assertEqual(po.edi_state, "error")
        self.env.company.b2b_gln = COMPANY_GLN
        nothing = self.env["product.product"].create({"name": "No identification", "is_storable": True})
        po2 = self._po(order_line=[Command.create({"product_id": nothing.id, "product_qty": 1, "price_unit": 1})])
        with mute_logger(MUTE):
            exchange = self._send(po2)
        self.assertIn("neither a GTIN", exchange.error)
        self.assertFalse(self.peer.requests, "nothing was sent")

    def test_gln_validation_and_edi_configuration(self):
        with self.assertRaises(ValidationError):
            self.env.company.b2b_gln = "8714231774052"
        with self.assertRaises(ValidationError):
            self.supplier.b2b_gln = "123"
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({"name": "X", "edi_enabled": True, "edi_relation_id": "1"})
        # a non-EDI supplier's orders stay off the wire
        other = self.env["res.partner"].create({"name": "Plain supplier"})
        po = self.env["purchase.order"].create({"partner_id": other.id, "order_line": [
            Command.create({"product_id": self.switch.id, "product_qty": 1, "price_unit": 1})]})
        with trap_jobs() as trap:
            po.button_confirm()
            trap.assert_jobs_count(0)
        self.assertEqual(po.edi_state, "none")

    def test_password_encrypted_and_views_load(self):
        self.env.cr.execute("SELECT edi_password_enc FROM res_partner WHERE id = %s", [self.supplier.id])
        self.assertTrue(self.env.cr.fetchone()[0].startswith("fernet:"))
        for model, view_types in (("res.partner", ["form"]), ("purchase.order", ["list", "form"]),
                                  ("stock.picking", ["form"]), ("res.company", ["form"])):
            views = self.env[model].get_views([(False, v) for v in view_types])
            self.assertEqual(set(views["views"]), set(view_types))
        form = self.env["purchase.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("edi_state", form)
        self.assertIn("action_b2b_view_exchanges", form)
        po = self._po()
        self.assertEqual((po.b2b_exchange_count, po.b2b_failed_count), (1, 0))
        self.assertEqual(self.Exchange.search(po.action_b2b_view_exchanges()["domain"]), self._order_exchange(po))

    def test_scheduled_poll_only_for_edi_suppliers(self):
        with trap_jobs() as trap:
            self.env["res.partner"]._cron_edi_poll()
            polled = self.Exchange.search([("kind", "=", "dico.poll")])
        self.assertIn(f"res.partner,{self.supplier.id}", [f"{e.backend_ref._name},{e.backend_ref.id}" for e in polled])
        self.assertEqual(len(trap.enqueued_jobs), len(polled))
        self.assertTrue(all(e.backend_ref.edi_enabled for e in polled))
        self.assertTrue(fields.Datetime.now())
