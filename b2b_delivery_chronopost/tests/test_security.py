"""Cancelling or booking a shipment changes the delivery: attacked over JSON-RPC by an internal user who reads
delivery methods and deliveries but may not change deliveries (contact creation, accounting read-only), against the
sandbox Chronopost, which cancels for real. Without the write check the cancellation reached Chronopost (and Odoo
rolled back its own side of it). A stock user, who may change deliveries, cancels only what their booking made: a
shipment reference or tracking number typed on a delivery had Chronopost cancel any parcel of the account."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import JsonRpcMixin
from odoo.addons.b2b_delivery_carrier.tests.common import CarrierTestMixin
from odoo.addons.b2b_sandbox.peers.carriers.chronopost import ChronopostPeer

MUTE = ("odoo.http", "odoo.addons.b2b_connector_base.models.b2b_exchange")


@tagged("post_install", "-at_install")
class TestShipmentActions(CarrierTestMixin, JsonRpcMixin, HttpCase):
    peer_class = ChronopostPeer
    delivery_type = "b2b_chronopost"
    carrier_values = {"b2b_chronopost_service": "01"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "b2b_reader", password="b2b_reader_pw",
                      groups="base.group_user,base.group_partner_manager,account.group_account_readonly")
        new_test_user(cls.env, "b2b_packer", password="b2b_packer_pw", groups="stock.group_stock_user")

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

    def test_a_packer_cancels_no_shipment_but_the_one_booked(self):
        """A stock user changes deliveries, so cancels their shipments; the carrier account may hold others (another
        company's, made at the carrier's portal): pointing a delivery at one of them cancelled it."""
        picking = self.delivery()
        typed = self.delivery()
        typed.button_validate()
        typed.cancel_shipment()  # its label discarded: a delivery of ours without a booking
        elsewhere = self.peer.next_number()
        self.peer.record(elsewhere, reference="not a delivery of this database")
        calls = len(self.peer.requests)
        self.authenticate("b2b_packer", "b2b_packer_pw")
        # the packer books and tracks their delivery (what the booking stores is written as superuser)
        self._call("stock.picking", "action_b2b_create_label", picking.ids)
        self._call("stock.picking", "action_b2b_carrier_track", picking.ids)
        picking.invalidate_recordset()
        number = picking.carrier_tracking_ref
        self.assertIn(number, self.peer.shipments)
        self.assertEqual(picking.b2b_carrier_shipment_ref, number)
        self.assertTrue(picking.b2b_carrier_status)
        # what the carrier cancels by is the booking's
        self.assertRefused("stock.picking", "write", picking.ids, {"b2b_carrier_shipment_ref": elsewhere})
        self.assertRefused("stock.picking", "write", picking.ids, {"b2b_carrier_status": "delivered"})
        # Odoo's tracking number stays editable, but a typed number is not cancelled with our account
        self._call("stock.picking", "write", picking.ids, {"carrier_tracking_ref": f"{number},{elsewhere}"})
        self._call("stock.picking", "write", typed.ids, {"carrier_tracking_ref": elsewhere})
        with mute_logger(*MUTE):
            self._call("stock.picking", "cancel_shipment", picking.ids)
            self._call("stock.picking", "cancel_shipment", typed.ids)
        self.assertTrue(self.peer.shipments[number]["cancelled"], "the delivery's own shipment is cancelled")
        self.assertFalse(self.peer.shipments[elsewhere]["cancelled"], "Chronopost cancelled someone else's parcel")
        asked = [r.text for r in self.peer.requests[calls:] if "cancelSkybill" in r.text]
        self.assertEqual(len(asked), 1, "Chronopost was asked to cancel one skybill")
        self.assertIn(number, asked[0])
        (picking | typed).invalidate_recordset()
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(typed.carrier_tracking_ref)
        self.assertIn("was not booked by b2b-connect", typed.message_ids[0].body)
