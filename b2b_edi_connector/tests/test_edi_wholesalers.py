"""The wholesaler profiles in Odoo against the sandbox playing each wholesaler (its WSDL, its RelationId rule,
the order deviations it needs, its form of order response), and what wholesalers answer beyond "accepted":
substitutes, partial deliveries, details still unknown, a newer response replacing an older one (by when it
was issued, not by when it arrived), despatch advices in several packages, prices per N units."""

import datetime

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.peers.dico_wholesaler import DicoWholesalerPeer
from odoo.addons.queue_job.tests.common import trap_jobs

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
COMPANY_GLN = "8714231774051"
SUPPLIER_GLN = "8713473000010"
PROFILE = "b2b_edi_connector.edi_profile_{}"


class WholesalerCase(B2BTestMixin, TransactionCase):
    wholesaler = "technischeunie"
    account = "100234"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(DicoWholesalerPeer.as_wholesaler(
            cls.wholesaler, accounts={cls.account: ("buyer", "sandbox-edi")},
            prices={"SBX-100": "4.95", "SBX-200": "12.50"}))
        cls.env.company.b2b_gln = COMPANY_GLN
        profile = cls.env.ref(PROFILE.format(cls.wholesaler))
        cls.supplier = cls.env["res.partner"].create({
            "name": f"{profile.name} (sandbox)", "is_company": True, "b2b_gln": SUPPLIER_GLN, "edi_enabled": True,
            "edi_profile_id": profile.id, "edi_url": f"{cls.peer.url}/MessageService/3.1",
            "edi_relation_id": "" if profile.relation_id_rule == "empty" else cls.account,
            "edi_username": "buyer", "edi_password": "sandbox-edi", "b2b_retries": 1,
        })
        cls.frame = cls._product("Frame", "SBX-100", "4011377309456")
        cls.switch = cls._product("Switch", "SBX-200", "8712345678906")
        cls.Exchange = cls.env["b2b.exchange"]

    @classmethod
    def _product(cls, name, code, barcode=False):
        return cls.env["product.product"].create({
            "name": name, "is_storable": True, "barcode": barcode,
            "seller_ids": [Command.create({"partner_id": cls.supplier.id, "product_code": code, "price": 1})]})

    def setUp(self):
        super().setUp()
        self.peer.reset()
        self.peer.scenario = "accept"
        self.peer.prices = {"SBX-100": "4.95", "SBX-200": "12.50"}
        self.peer.price_basis, self.peer.substitutes = {}, {}
        self.peer.packages = self.peer.sync_answer = False

    def _po(self, lines=((None, 10, 4.95), (None, 4, 12.50))):
        products = (self.frame, self.switch)
        po = self.env["purchase.order"].create({"partner_id": self.supplier.id, "origin": "S00077", "order_line": [
            Command.create({"product_id": (product or products[n]).id, "product_qty": qty, "price_unit": price})
            for n, (product, qty, price) in enumerate(lines)]})
        with trap_jobs():
            po.button_confirm()
        exchange = self.Exchange.search([("kind", "=", "dico.order"), ("res_id", "=", po.id)], limit=1)
        exchange._b2b_process()
        return po, exchange

    def _poll(self):
        """The incoming exchanges one poll created, in the order of the mailbox."""
        last = self.Exchange.search([], order="id desc", limit=1).id
        with trap_jobs():
            poll = self.supplier._edi_queue_poll()
            poll._b2b_process()
        self.assertEqual(poll.state, "done", poll.error)
        return self.Exchange.search([("kind", "in", ("dico.ordrsp", "dico.desadv", "dico.invoic")),
                                     ("parent_id", "=", False), ("id", ">", last)], order="id")

    def _line(self, po, product):
        return po.order_line.filtered(lambda line: line.product_id == product)

    def _chatter(self, po, text):
        return po.message_ids.filtered(lambda m: text in (m.body or ""))


@tagged("post_install", "-at_install")
class TestTechnischeUnie(WholesalerCase):
    wholesaler = "technischeunie"

    def test_choosing_the_profile_fills_format_and_addresses_and_test_mode_calls_the_test_one(self):
        profile = self.env.ref(PROFILE.format("technischeunie"))
        manager = new_test_user(self.env, "edi_tu_manager",
                                groups="base.group_partner_manager,b2b_connector_base.group_b2b_manager")
        with Form(self.env["res.partner"].with_user(manager).with_context(default_is_company=True)) as form:
            form.name = "TU"
            form.edi_enabled = True
            form.edi_relation_id = "4711"
            form.edi_profile_id = profile
            self.assertEqual((form.edi_format, form.edi_url, form.edi_test_url),
                             ("INSBOU003", profile.endpoint_production, profile.endpoint_test))
        partner = form.record.sudo()
        self.assertTrue(partner.edi_url.startswith("https://services.technischeunie.com/"))
        self.assertEqual(partner._edi_endpoint(), profile.endpoint_production)
        partner.edi_test_mode = True
        self.assertEqual(partner._edi_endpoint(), profile.endpoint_test, "test mode calls the test address")
        partner.edi_url = partner.edi_test_url = False
        self.assertEqual(partner._edi_endpoint(), profile.endpoint_test, "empty: the profile's address")
        partner.edi_override_url = "https://proxy.example/ms"
        self.assertEqual(partner._edi_endpoint(), "https://proxy.example/ms")
        info = partner._edi_custom_info()
        self.assertEqual((info.version_id, info.is_test_message, info.language_code), ("3.10", True, "NL"))
        with self.assertRaises(ValidationError):  # TU takes INSBOU003 only (no SALES005 in its public material)
            partner.edi_format = "SALES005"

    def test_round_trip_in_technische_unie_s_contract_and_form(self):
        po, exchange = self._po()
        self.assertEqual(exchange.state, "sent", exchange.error)
        received = self.peer.orders[0]
        self.assertEqual((received.account, received.custom_info["RelationId"], received.custom_info["VersionId"],
                          received.custom_info["IsTestMessage"]), (self.account, self.account, "3.10", "false"))
        self.assertTrue(received.form["line_identitfication"] and received.form["flat_references"])
        self.assertFalse(received.form["delivery_party_gln"])
        payload = exchange._b2b_get_payload()
        self.assertIn(b"<LineIdentitfication>", payload)
        self.assertIn(b"<EndCustomerOrderNumber>S00077</EndCustomerOrderNumber>", payload)
        self.assertIn(b"<GTIN>04011377309456</GTIN>", payload)
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertIn(b"<OrderReference>", incoming[0]._b2b_get_payload(), "TU's sandbox answers in the nested form")
        self.assertEqual((po.edi_state, set(po.order_line.mapped("edi_status"))), ("accepted", {"accepted"}))
        self.assertTrue(po.edi_response_number and po.edi_response_issued)
        self.assertEqual(sorted(po.picking_ids.move_ids.mapped("quantity")), [4.0, 10.0])
        self.assertAlmostEqual(po.invoice_ids.amount_untaxed, 10 * 4.95 + 4 * 12.50)

    def test_the_published_standard_is_refused_by_technische_unie(self):
        self.supplier.edi_profile_id = self.env.ref(PROFILE.format("standard"))
        with mute_logger(MUTE):
            po, exchange = self._po()
        self.assertEqual(exchange.state, "failed")
        self.assertIn("LineIdentitfication", exchange.error)
        self.assertEqual(po.edi_state, "error")
        self.assertEqual(self.peer.orders, [])

    def test_a_substitute_article_replaces_the_line_and_follows_to_receipt_and_bill(self):
        frame2 = self._product("Frame, new model", "SBX-101")
        self.peer.scenario = "substitute"
        self.peer.substitutes = {"SBX-100": ("", "SBX-101", "Frame, new model")}
        po, _exchange = self._po()
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        ordered, substitute = self._line(po, self.frame), self._line(po, frame2)
        self.assertEqual((ordered.product_qty, ordered.edi_status), (0, "substituted"))
        self.assertEqual((substitute.product_qty, substitute.edi_status, substitute.edi_substitute_of_id),
                         (10, "changed", ordered))
        self.assertEqual(po.edi_state, "changed")
        self.assertTrue(self._chatter(po, "Frame, new model instead of Frame"))
        move = po.picking_ids.move_ids.filtered(lambda m: m.product_id == frame2)
        self.assertEqual(move.quantity, 10, "the despatch advice names the substitute on the ordered line's id")
        self.assertEqual(po.invoice_ids.invoice_line_ids.filtered(lambda line: line.product_id == frame2).quantity, 10)

    def test_an_unknown_substitute_fails_clearly_and_changes_nothing(self):
        self.peer.scenario = "substitute"
        self.peer.substitutes = {"SBX-100": ("", "SBX-999", "Frame we do not know")}
        po, _exchange = self._po()
        with mute_logger(MUTE):
            incoming = self._poll()
        response = incoming.filtered(lambda e: e.kind == "dico.ordrsp")
        self.assertEqual(response.state, "failed")
        self.assertIn("SBX-999", response.error)
        self.assertIn("create it", response.error)
        self.assertEqual(len(po.order_line), 2)
        self.assertEqual(self._line(po, self.frame).product_qty, 10)
        self.assertEqual(po.edi_state, "sent")

    def test_partial_deliveries_and_details_still_unknown(self):
        self.peer.scenario = "split"
        po, _exchange = self._po()
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        frame = self._line(po, self.frame)
        self.assertEqual((frame.product_qty, frame.edi_status), (10, "changed"))
        first = frame.date_planned.date()
        self.assertTrue(self._chatter(po, "in 2 deliveries: 5 Units on "))
        self.assertIn(format_date(self.env, first + datetime.timedelta(days=7)),
                      self._chatter(po, "in 2 deliveries").body)
        self.assertEqual(po.picking_ids.move_ids.filtered(lambda m: m.product_id == self.frame).quantity, 5,
                         "the first delivery is shipped")
        # a wholesaler confirming the order without the details yet, then with them
        self.peer.reset()
        self.peer.scenario = "pending"
        po2, _exchange = self._po()
        incoming = self._poll()
        self.assertEqual(incoming.mapped("kind"), ["dico.ordrsp"])
        self.assertEqual((po2.edi_state, set(po2.order_line.mapped("edi_status"))), ("unknown", {"unknown"}))
        self.peer.confirm()
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertEqual((po2.edi_state, set(po2.order_line.mapped("edi_status"))), ("accepted", {"accepted"}))

    def _response(self, po, number, time, status, line_status, qty=None):
        frame = self._line(po, self.frame)
        quantity = f"<PlannedDeliveryQuantity>{qty}</PlannedDeliveryQuantity>" if qty is not None else ""
        return (f"<OrderResponse><OrderResponseNumber>{number}</OrderResponseNumber><OrderResponseDate>2026-11-25"
                f"</OrderResponseDate><OrderResponseTime>{time}</OrderResponseTime><StatusCode>{status}</StatusCode>"
                f"<OrderReference><BuyersOrderNumber>{po.name}</BuyersOrderNumber></OrderReference>"
                f"<OrderResponseLine><LineNumber>1</LineNumber><StatusCode>{line_status}</StatusCode>{quantity}"
                "<TradeItemIdentification><SuppliersTradeItemIdentification>SBX-100</SuppliersTradeItemIdentification>"
                f"</TradeItemIdentification><OrderLineReference><OrderLineIdentification>{frame.id}"
                "</OrderLineIdentification></OrderLineReference></OrderResponseLine></OrderResponse>")

    def test_the_response_issued_last_counts_whatever_the_order_of_arrival(self):
        self.peer.scenario = "hold"
        po, _exchange = self._po()
        frame = self._line(po, self.frame)
        # issued at 10:00: line rejected; issued at 09:00: accepted. The later one arrives first.
        self.peer.inject(self.account, "ORDRSP", self._response(po, "OR-2", "10:00:00", "27", "7"))
        self.peer.inject(self.account, "ORDRSP", self._response(po, "OR-1", "09:00:00", "29", "5"))
        first, second = self._poll()
        self.assertEqual((first.state, second.state), ("done", "cancelled"), (first.error, second.error))
        self.assertIn("Superseded by order response OR-2", second.summary)
        self.assertEqual((frame.product_qty, frame.edi_status, po.edi_state), (0, "rejected", "rejected"))
        self.assertEqual(po.edi_response_number, "OR-2")
        deletes = self.Exchange.search([("kind", "=", "dico.delete"), ("parent_id", "in", (first + second).ids)])
        self.assertEqual(len(deletes), 2, "both are removed at the wholesaler: the older one is handled too")
        # a still later response replaces it: the line as ordered again (status 5, no quantity given)
        self.peer.reset()
        self.peer.inject(self.account, "ORDRSP", self._response(po, "OR-3", "11:00:00", "29", "5"))
        third = self._poll()
        self.assertEqual(third.state, "done", third.error)
        self.assertEqual((frame.product_qty, frame.edi_status, po.edi_state), (10, "accepted", "accepted"))
        self.assertTrue(self._chatter(po, "quantity 0 Units → 10 Units"))

    def test_same_issue_time_the_number_decides(self):
        self.peer.scenario = "hold"
        po, _exchange = self._po()
        self.peer.inject(self.account, "ORDRSP", self._response(po, "10", "10:00:00", "4", "6", qty=8))
        self.peer.inject(self.account, "ORDRSP", self._response(po, "9", "10:00:00", "4", "6", qty=3))
        newer, older = self._poll()
        self.assertEqual((newer.state, older.state), ("done", "cancelled"))
        self.assertEqual(self._line(po, self.frame).product_qty, 8)


@tagged("post_install", "-at_install")
class TestRexel(WholesalerCase):
    wholesaler = "rexel"

    def test_round_trip_in_rexel_s_contract_and_flat_form(self):
        po, exchange = self._po()
        self.assertEqual(exchange.state, "sent", exchange.error)
        request = next(r for r in self.peer.requests if b"MsgContent" in r.body)
        # Rexel's order of MsgProperties: MsgId before MsgDateTime
        self.assertLess(request.body.index(b"MsgId>"), request.body.index(b"MsgDateTime>"))
        self.assertEqual(self.peer.orders[0].custom_info["RelationId"], self.account)
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertNotIn(b"<OrderReference>", incoming[0]._b2b_get_payload(), "Rexel's sandbox answers flat")
        self.assertEqual(po.edi_state, "accepted")
        self.assertEqual(len(po.invoice_ids), 1)

    def test_sales005_where_offered(self):
        self.supplier.edi_format = "SALES005"
        po, exchange = self._po()
        self.assertEqual(exchange.state, "sent", exchange.error)
        self.assertEqual(self.peer.orders[0].format, "SALES005")
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertEqual(set(incoming.mapped("protocol")), {"SALES005"})
        self.assertIn(b"http://www.ketenstandaard.nl/factuur/SALES/005", incoming[2]._b2b_get_payload())
        self.assertEqual(po.edi_state, "accepted")

    def test_several_packages_and_item_levels_add_up_per_line(self):
        self.peer.packages = True
        po, _exchange = self._po()
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        payload = incoming.filtered(lambda e: e.kind == "dico.desadv")._b2b_get_payload()
        self.assertEqual(payload.count(b"<DespatchLine>"), 3)
        self.assertEqual(payload.count(b"<ItemLevelDespatchAdvice>"), 4)
        self.assertEqual(sorted(po.picking_ids.move_ids.mapped("quantity")), [4.0, 10.0])
        self.assertTrue(po.picking_ids.message_ids.filtered(lambda m: "3 package(s)" in (m.body or "")))

    def test_prices_per_ten_units(self):
        self.peer.prices = {"SBX-100": "4.95", "SBX-200": "1.25"}
        self.peer.price_basis = {"SBX-200": 10}
        po, _exchange = self._po()
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertIn(b"<NumberOfUnitsInPriceBasis>10</NumberOfUnitsInPriceBasis>", incoming[2]._b2b_get_payload())
        self.assertIn(b"<Price>12.5</Price>", incoming[2]._b2b_get_payload(), "12.50 for 10 switches")
        switch = self._line(po, self.switch)
        self.assertAlmostEqual(switch.price_unit, 1.25)
        currency = po.currency_id
        money = (lambda v: f"{v}&nbsp;{currency.symbol}") if currency.position == "after" else (
            lambda v: f"{currency.symbol}&nbsp;{v}")
        self.assertTrue(self._chatter(po, f"price {money('12.50')} → {money('1.25')}"), "in the order's currency")
        bill_line = po.invoice_ids.invoice_line_ids.filtered(lambda line: line.product_id == self.switch)
        self.assertAlmostEqual(bill_line.price_unit, 1.25)
        self.assertAlmostEqual(bill_line.price_subtotal, 5.0)

    def test_an_order_response_in_the_post_answer_is_applied_at_once(self):
        self.peer.sync_answer = True
        po, exchange = self._po()
        self.assertEqual(exchange.state, "done", "answered at once")
        self.assertEqual(po.edi_state, "accepted", "applied with the answer to the post")
        answered = self.Exchange.search([("kind", "=", "dico.ordrsp"), ("res_id", "=", po.id)])
        self.assertEqual((answered.state, answered.protocol), ("done", "INSBOU003"))
        incoming = self._poll()
        self.assertEqual(incoming.mapped("kind"), ["dico.desadv", "dico.invoic"])


@tagged("post_install", "-at_install")
class TestSolar(WholesalerCase):
    wholesaler = "solar"
    account = "solar-login"

    def test_no_relation_id_and_solar_s_contract(self):
        self.assertFalse(self.supplier.edi_relation_id, "Solar needs no customer number")
        po, exchange = self._po()
        self.assertEqual(exchange.state, "sent", exchange.error)
        self.assertEqual(self.peer.orders[0].custom_info["RelationId"], "")
        request = next(r for r in self.peer.requests if b"MsgContent" in r.body)
        self.assertLess(request.body.index(b"MsgContent>"), request.body.index(b"MsgProperties>"))
        incoming = self._poll()
        self.assertEqual(set(incoming.mapped("state")), {"done"}, incoming.mapped("error"))
        self.assertEqual(po.edi_state, "accepted")


@tagged("post_install", "-at_install")
class TestOosterberg(WholesalerCase):
    wholesaler = "oosterberg"

    def test_oosterberg_needs_its_production_address_entered(self):
        profile = self.env.ref(PROFILE.format("oosterberg"))
        self.assertFalse(profile.endpoint_production)
        self.assertEqual(profile.messageservice_contract, "technischeunie")
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({"name": "O", "is_company": True, "edi_enabled": True,
                                            "edi_profile_id": profile.id, "edi_relation_id": "1"})
        po, exchange = self._po()
        self.assertEqual(exchange.state, "sent", exchange.error)
        self.assertEqual(set(self._poll().mapped("state")), {"done"})
        self.assertEqual(po.edi_state, "accepted")
