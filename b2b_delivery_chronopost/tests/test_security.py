"""Cancelling or booking a shipment changes the delivery: attacked over JSON-RPC by an internal user who reads
delivery methods and deliveries but may not change deliveries (contact creation, accounting read-only), against the
sandbox Chronopost, which cancels for real. Without the write check the cancellation reached Chronopost (and Odoo
rolled back its own side of it)."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.b2b_delivery_carrier.tests.common import CarrierTestMixin
from odoo.addons.b2b_sandbox.peers.carriers.chronopost import ChronopostPeer

MUTE = ("odoo.http", "odoo.addons.b2b_connector_base.models.b2b_exchange")


@tagged("post_install", "-at_install")
class TestShipmentActions(CarrierTestMixin, HttpCase):
    peer_class = ChronopostPeer
    delivery_type = "b2b_chronopost"
    carrier_values = {"b2b_chronopost_service": "01"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "b2b_reader", password="b2b_reader_pw",
                      groups="base.group_user,base.group_partner_manager,account.group_account_readonly")

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def assertRefused(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as refused, mute_logger(*MUTE):
            self._call(model, method, *args, **kwargs)
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")

    def test_a_reader_neither_cancels_nor_books(self):
        picking = self.delivery()
        picking.button_validate()
        number = picking.carrier_tracking_ref
        self.assertTrue(number)
        other = self.delivery()
        self.peer.down = True  # done without its label: its booking failed
        with mute_logger(*MUTE):
            other.button_validate()
        self.peer.down = False
        self.assertEqual(other.state, "done")
        self.assertFalse(other.carrier_tracking_ref)
        calls = len(self.peer.requests)
        self.authenticate("b2b_reader", "b2b_reader_pw")
        (read,) = self._call("stock.picking", "read", picking.ids, fields=["carrier_tracking_ref"])
        self.assertEqual(read["carrier_tracking_ref"], number, "the reader reads the delivery")
        self.assertRefused("stock.picking", "cancel_shipment", picking.ids)
        self.assertRefused("delivery.carrier", "b2b_chronopost_cancel_shipment", self.carrier.ids, picking.ids)
        self.assertFalse(self.peer.shipments[number]["cancelled"], "Chronopost was not asked to cancel")
        self.assertRefused("stock.picking", "send_to_shipper", other.ids)
        self.assertRefused("stock.picking", "action_b2b_create_label", other.ids)
        self.assertRefused("delivery.carrier", "b2b_chronopost_send_shipping", self.carrier.ids, other.ids)
        self.assertEqual(len(self.peer.requests), calls, "Chronopost was asked nothing")
        self.assertEqual(list(self.peer.shipments), [number], "nothing booked")
