"""Chronopost deliveries against the sandbox Chronopost: every parcel of a delivery in one shippingMultiParcel
call with a label each, cancellation (and its refusal once the parcel is handed over), Chrono Relais, tracking."""

from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_delivery_carrier.tests.common import CarrierTestMixin
from odoo.addons.b2b_sandbox.peers.carriers.chronopost import ChronopostPeer

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"


@tagged("post_install", "-at_install")
class TestChronopost(CarrierTestMixin, TransactionCase):
    peer_class = ChronopostPeer
    delivery_type = "b2b_chronopost"
    carrier_values = {"b2b_chronopost_service": "16"}

    def _sent(self):
        (call,) = self.peer.calls_to("POST", "/shipping-cxf/")
        return etree.fromstring(call.body)

    def test_one_call_one_label_per_package(self):
        picking = self.delivery(lines=((None, 2), (self.product_2, 1)))
        self.pack_each_move(picking)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        numbers = picking.carrier_tracking_ref.split(",")
        self.assertEqual(sorted(numbers), sorted(self.peer.shipments))
        self.assertEqual(len(numbers), 2)
        labels = self.labels(picking)
        self.assertEqual(len(labels), 2)
        self.assertTrue(all(label.raw.startswith(b"%PDF") for label in labels))
        sent = self._sent()
        self.assertEqual(sent.findtext(".//numberOfParcel"), "2")
        self.assertEqual(sent.findtext(".//multiParcel"), "Y")
        self.assertEqual([e.text for e in sent.iter("productCode")], ["16", "16"])
        self.assertEqual(sorted(float(e.text) for e in sent.iter("weight")), [3.0, 4.0])
        self.assertEqual(sent.findtext(".//recipientZipCode"), "75011")
        self.assertEqual(sent.findtext(".//shipperCity"), "Lyon")
        self.assertIn("listeNumerosLT=" + ",".join(numbers), picking.carrier_tracking_url)

    def test_cancel_shipment_of_a_done_delivery(self):
        picking = self.delivery()
        picking.button_validate()
        number = picking.carrier_tracking_ref
        self.assertIsNone(picking.cancel_shipment())
        self.assertTrue(self.peer.shipments[number]["cancelled"])
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.labels(picking))
        # and a new label can be made
        picking.action_b2b_create_label()
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertNotEqual(picking.carrier_tracking_ref, number)

    def test_cancellation_refused_once_handed_over(self):
        picking = self.delivery()
        picking.button_validate()
        number = picking.carrier_tracking_ref
        self.peer.deliver(number)
        with mute_logger(MUTE):
            result = picking.cancel_shipment()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn("annulation impossible", result["params"]["message"])
        self.assertEqual(picking.carrier_tracking_ref, number, "still booked")
        cancel = self.Exchange.search([("kind", "=", "carrier.cancel"), ("res_id", "=", picking.id)])
        self.assertEqual(cancel.state, "failed")
        self.assertEqual(len(self.labels(picking)), 1)

    def test_chrono_relais(self):
        relay = self.carrier.copy({"b2b_chronopost_service": "86", "b2b_carrier_password": self.peer.password})
        picking = self.delivery(carrier=relay)
        picking.b2b_relay_point = "2817R"
        picking.button_validate()
        self.assertEqual(self._sent().findtext(".//recipientRef"), "2817R")
        self.assertTrue(picking.carrier_tracking_ref)

    def test_wrong_password(self):
        self.carrier.b2b_carrier_password = "wrong"
        picking = self.delivery()
        with mute_logger(MUTE):
            picking.button_validate()
        booking = self.bookings(picking)
        self.assertEqual((picking.state, booking.state), ("done", "failed"))
        self.assertIn("authentification", booking.error)
        self.assertFalse(booking.auto_retry)
        self.assertNotIn("wrong", booking.call_ids.request_body)

    def test_tracking_delivered(self):
        picking = self.delivery()
        picking.button_validate()
        self.peer.deliver(picking.carrier_tracking_ref)
        picking.action_b2b_carrier_track()
        self.assertIn("Livraison effectuée", picking.b2b_carrier_status)
        tracking = self.Exchange.search([("kind", "=", "carrier.tracking"), ("res_id", "=", picking.id)])
        self.assertIn("(delivered)", tracking.summary)
