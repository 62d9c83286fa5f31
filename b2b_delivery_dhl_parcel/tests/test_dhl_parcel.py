"""DHL Parcel deliveries against the sandbox DHL Parcel: one shipment for all packages and one label printed per
package, the token, refusals, cancellation and the ServicePoint product."""

import base64

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_delivery_carrier.tests.common import CarrierTestMixin
from odoo.addons.b2b_sandbox.peers.carriers.dhl_parcel import DhlParcelPeer, contract_errors

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"


@tagged("post_install", "-at_install")
class TestDhlParcel(CarrierTestMixin, TransactionCase):
    peer_class = DhlParcelPeer
    delivery_type = "b2b_dhl_parcel"
    carrier_values = {"b2b_dhl_parcel_service": "B2B", "b2b_dhl_parcel_customer_code": "08-100000"}

    def _booked(self):
        (call,) = self.peer.calls_to("POST", "/customer/shipment")
        return call.json()

    def test_one_shipment_one_label_per_package(self):
        picking = self.delivery(lines=((None, 2), (self.product_2, 1)))
        self.pack_each_move(picking)
        picking.button_validate()
        booking = self.bookings(picking)
        self.assertEqual(booking.state, "done", booking.error)
        (tracking,) = self.peer.shipments
        self.assertEqual(picking.carrier_tracking_ref, tracking)
        shipment = self.peer.shipments[tracking]
        self.assertEqual(picking.b2b_carrier_shipment_ref, f"{shipment['year']}:{tracking}")
        sent = self._booked()
        self.assertEqual(contract_errors(sent), [])
        self.assertEqual((sent["Quantity"], sent["Weight"], sent["Customer"]), (2, 7, "08-100000"))
        self.assertEqual(sent["Receiver"]["Address"], "5 avenue des Tilleuls Bâtiment B")
        labels = self.labels(picking)
        self.assertEqual(len(labels), 2, "one label per package")
        self.assertEqual([label.raw for label in labels], self.peer.labels[tracking])
        self.assertEqual(len(self.peer.calls_to("GET", "/customer/shipment")), 2, "each package's label printed")
        self.assertEqual(len(self.peer.calls_to("POST", "/authenticate")), 1, "one token per booking")
        self.assertIn(f"codigo={tracking}", picking.carrier_tracking_url)

    def test_single_package_label_from_the_booking(self):
        picking = self.delivery()
        picking.button_validate()
        (label,) = self.labels(picking)
        self.assertFalse(self.peer.calls_to("GET", "/customer/shipment"))
        self.assertTrue(label.raw.startswith(b"%PDF"))
        self.assertEqual(base64.b64encode(label.raw),
                         base64.b64encode(self.peer.labels[picking.carrier_tracking_ref][0]))

    def test_refusals(self):
        self.customer.zip = "00000"
        picking = self.delivery()
        with mute_logger(MUTE):
            picking.button_validate()
        booking = self.bookings(picking)
        self.assertEqual((picking.state, booking.state), ("done", "failed"))
        self.assertIn("Código postal", booking.error)
        self.customer.zip = "75011"
        self.carrier.b2b_carrier_password = "not-it"
        with mute_logger(MUTE):
            picking.action_b2b_create_label()
        refused = self.bookings(picking)[-1]
        self.assertIn("user name or password", refused.error)
        self.assertNotIn("not-it", "".join(refused.call_ids.mapped("request_body")))
        self.carrier.b2b_carrier_password = self.peer.password
        picking.action_b2b_create_label()
        self.assertTrue(picking.carrier_tracking_ref)

    def test_cancel(self):
        picking = self.delivery()
        picking.button_validate()
        tracking = picking.carrier_tracking_ref
        self.assertIsNone(picking.cancel_shipment())
        self.assertTrue(self.peer.shipments[tracking]["cancelled"])
        (call,) = self.peer.calls_to("GET", "/customer/shipment")
        self.assertEqual((call.query["Action"], call.query["Tracking"]), ("DELETE", tracking))
        self.assertFalse(picking.carrier_tracking_ref)

    def test_service_point(self):
        relay = self.carrier.copy({"b2b_dhl_parcel_service": "B2C_SP", "b2b_carrier_password": self.peer.password,
                                   "b2b_dhl_parcel_customer_code": "08-100000"})
        picking = self.delivery(carrier=relay)
        picking.b2b_relay_point = "DHL ServicePoint,102,ES-0000061"
        picking.button_validate()
        sent = self._booked()
        self.assertEqual((sent["Product"], sent["Features"]),
                         ("B2C", [{"Key": "701", "Value": "DHL ServicePoint,102,ES-0000061"}]))
        self.assertTrue(picking.carrier_tracking_ref)
