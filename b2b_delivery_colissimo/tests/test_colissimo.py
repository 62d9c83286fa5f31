"""Colissimo deliveries against the sandbox Colissimo: booked on validation, one label per package, refusals
that leave the delivery done and a retry that books it, the batch, ZPL, pickup points, no cancellation."""

import json

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_delivery_carrier.tests.common import CarrierTestMixin
from odoo.addons.b2b_sandbox.peers.carriers.colissimo import ColissimoPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.queue_job.tests.common import trap_jobs

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"


@tagged("post_install", "-at_install")
class TestColissimo(CarrierTestMixin, TransactionCase):
    peer_class = ColissimoPeer
    delivery_type = "b2b_colissimo"
    carrier_values = {"b2b_colissimo_service": "DOS"}

    def _generate_label_calls(self):
        return self.peer.calls_to("POST", "generateLabel")

    def test_validation_books_the_label(self):
        picking = self.delivery()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        booking = self.bookings(picking)
        self.assertEqual(booking.state, "done", booking.error)
        self.assertEqual(booking.backend_ref, self.carrier)
        (number,) = self.peer.shipments
        self.assertEqual(picking.carrier_tracking_ref, number)
        self.assertEqual(picking.carrier_tracking_url, f"https://www.laposte.fr/outils/suivre-vos-envois?code={number}")
        (label,) = self.labels(picking)
        self.assertEqual((label.mimetype, label.raw[:5]), ("application/pdf", b"%PDF-"))
        self.assertIn(number, label.name)
        # what was sent: the warehouse ships, the customer receives, the service of the delivery method
        (call,) = self._generate_label_calls()
        letter = call.json()["letter"]
        self.assertEqual(letter["service"]["productCode"], "DOS")
        self.assertEqual(letter["sender"]["address"]["line2"], "12 rue des Entrepôts")
        self.assertEqual(letter["addressee"]["address"]["line3"], "Bâtiment B")
        self.assertEqual(letter["parcel"]["weight"], 3.0)
        # the HTTP call is on the exchange, the password masked
        self.assertEqual(booking.call_count, 1)
        self.assertNotIn(self.peer.password, booking.call_ids.request_body)
        self.assertIn(label, picking.message_ids.attachment_ids)

    def test_one_label_per_package(self):
        picking = self.delivery(lines=((None, 2), (self.product_2, 1)))
        packages = self.pack_each_move(picking)
        picking.button_validate()
        numbers = picking.carrier_tracking_ref.split(",")
        self.assertEqual(len(numbers), 2)
        self.assertEqual(len(self.labels(picking)), 2)
        sent = [call.json()["letter"] for call in self._generate_label_calls()]
        self.assertEqual(sorted(letter["parcel"]["weight"] for letter in sent), [3.0, 4.0])
        self.assertEqual(sorted(letter["sender"]["senderParcelRef"] for letter in sent),
                         sorted(packages.mapped("name")))
        self.assertEqual(picking.carrier_tracking_url.split("code=")[1], ",".join(numbers))

    def test_refused_booking_leaves_the_delivery_done_and_a_retry_books_it(self):
        self.customer.zip = "00000"
        picking = self.delivery()
        with mute_logger(MUTE):
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.labels(picking))
        booking = self.bookings(picking)
        self.assertEqual(booking.state, "failed")
        self.assertIn("code postal", booking.error)
        self.assertFalse(booking.auto_retry, "a refused address waits for a person")
        self.assertTrue(picking.activity_ids.filtered(lambda a: "code postal" in (a.note or "")))
        self.assertIn("Retry", picking.message_ids[0].body)
        # fixed, retried: booked, on the same exchange
        self.customer.zip = "75011"
        with trap_jobs() as trap:
            booking.action_retry()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(booking.state, "done", booking.error)
        self.assertEqual(picking.carrier_tracking_ref, list(self.peer.shipments)[0])
        self.assertEqual(len(self.labels(picking)), 1)

    def test_wrong_password_and_unavailable_service(self):
        self.carrier.b2b_carrier_password = "wrong"
        picking = self.delivery()
        with mute_logger(MUTE):
            picking.button_validate()
        booking = self.bookings(picking)
        self.assertEqual((picking.state, booking.state), ("done", "failed"))
        self.assertIn("Identifiant ou mot de passe incorrect", booking.error)
        self.carrier.b2b_carrier_password = self.peer.password
        self.peer.down = True
        with mute_logger(MUTE):
            self.assertEqual(picking.action_b2b_create_label()["params"]["type"], "danger")
        retried = self.bookings(picking)[-1]
        self.assertEqual(retried.state, "failed")
        self.assertTrue(retried.auto_retry, "a carrier that is down is retried by itself")
        self.assertFalse(picking.carrier_tracking_ref)
        self.peer.down = False
        with trap_jobs() as trap:
            retried.action_retry()
            trap.perform_enqueued_jobs()
        self.assertTrue(picking.carrier_tracking_ref)

    def test_no_answer_in_time_is_not_booked_again_by_itself(self):
        # the request may have reached Colissimo: a person checks before a retry makes a second shipment
        self.carrier.b2b_timeout = 1
        self.peer.script(Response(200, b"late", {"Content-Type": "text/plain"}, delay=2))
        picking = self.delivery()
        with mute_logger(MUTE):
            picking.button_validate()
        booking = self.bookings(picking)
        self.assertEqual((picking.state, booking.state), ("done", "failed"))
        self.assertIn("did not answer in time", booking.error)
        self.assertFalse(booking.auto_retry)
        self.assertEqual(len(self._generate_label_calls()), 1, "one call while validating, no retry")

    def test_send_shipping_as_odoo_calls_it(self):
        # called by others than the validation, send_shipping books now and raises on a refusal (Odoo's contract)
        picking = self.delivery()
        (result,) = self.carrier.send_shipping(picking)
        self.assertEqual(result["tracking_number"], picking.carrier_tracking_ref)
        self.customer.zip = "00000"
        other = self.delivery()
        with self.assertRaisesRegex(UserError, "code postal"), mute_logger(MUTE):
            self.carrier.send_shipping(other)

    def test_validating_many_deliveries_queues_one_booking_each(self):
        pickings = self.delivery() | self.delivery(lines=((self.product_2, 1),))
        with trap_jobs() as trap:
            pickings.button_validate()
            trap.assert_jobs_count(2)
            self.assertFalse(self._generate_label_calls(), "nothing booked while validating")
            self.assertTrue(all(pickings.mapped("b2b_booking_pending")))
            trap.perform_enqueued_jobs()
        self.assertTrue(all(pickings.mapped("carrier_tracking_ref")))
        self.assertEqual(len(self._generate_label_calls()), 2)

    def test_create_labels_list_action(self):
        pickings = self.delivery() | self.delivery()
        with trap_jobs() as trap:
            result = pickings.action_b2b_create_labels()
            trap.assert_jobs_count(2)
            trap.perform_enqueued_jobs()
        self.assertEqual(result["params"]["type"], "info")
        self.assertEqual(len(self.peer.shipments), 2)
        self.assertTrue(all(p.state == "assigned" for p in pickings), "a label before the validation")

    def test_zpl_label(self):
        self.carrier.b2b_carrier_label_format = "ZPL"
        picking = self.delivery()
        picking.button_validate()
        (label,) = self.labels(picking)
        self.assertTrue(label.name.endswith(".zpl"))
        self.assertTrue(label.raw.startswith(b"^XA"))
        output = self._generate_label_calls()[0].json()["outputFormat"]
        self.assertEqual(output["outputPrintingType"], "ZPL_10x15_203dpi")

    def test_pickup_point(self):
        relay = self.carrier.copy({"b2b_colissimo_service": "A2P", "b2b_carrier_password": self.peer.password})
        picking = self.delivery(carrier=relay)
        with mute_logger(MUTE):
            picking.button_validate()
        self.assertIn("pickup point", self.bookings(picking).error)
        self.assertFalse(self._generate_label_calls(), "refused before anything is sent")
        picking.b2b_relay_point = "004567"
        picking.action_b2b_create_label()
        self.assertEqual(self._generate_label_calls()[0].json()["letter"]["parcel"]["pickupLocationId"], "004567")
        self.assertTrue(picking.carrier_tracking_ref)

    def test_our_refusals_read_in_the_users_language(self):
        """What b2b-connect itself refuses before calling Colissimo (a relay without pickup point, an address that
        lacks its city) reads in French for a French user, in English for an English one; the log keeps English."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["b2b_connector_base", "b2b_delivery_carrier", "b2b_delivery_colissimo"], ["fr_FR"], overwrite=True)
        relay = self.carrier.copy({"b2b_colissimo_service": "A2P", "b2b_carrier_password": self.peer.password})
        self.env.user.lang = "fr_FR"
        picking = self.delivery(carrier=relay).with_context(lang="fr_FR")
        with mute_logger(MUTE):
            picking.button_validate()
        self.assertEqual(self.bookings(picking).error,
                         "Le service en point relais Colissimo demande un point de retrait sur la livraison.")
        self.customer.write({"city": False, "zip": False})
        picking = self.delivery().with_context(lang="fr_FR")
        with mute_logger(MUTE):
            picking.button_validate()
        self.assertEqual(self.bookings(picking).error,
                         "Il manque à l'adresse du destinataire : code postal, ville.")
        self.env.user.lang = "en_US"
        picking = self.delivery().with_context(lang="en_US")
        with mute_logger(MUTE):
            picking.button_validate()
        self.assertEqual(self.bookings(picking).error, "The recipient's address lacks: zip, city.")
        self.assertFalse(self._generate_label_calls(), "refused before anything is sent")

    def test_cancel_discards_the_label(self):
        # Colissimo offers no cancellation: cancelling the delivery discards the label (it is never charged)
        picking = self.delivery()
        picking.action_b2b_create_label()
        number = picking.carrier_tracking_ref
        self.assertTrue(number)
        picking.action_cancel()
        self.assertEqual(picking.state, "cancel")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.labels(picking))
        cancel = self.Exchange.search([("kind", "=", "carrier.cancel"), ("res_id", "=", picking.id)])
        self.assertEqual(cancel.state, "done", cancel.error)
        self.assertIn("no cancellation", cancel.summary)
        self.assertEqual(len(self.peer.requests), 1, "nothing asked of Colissimo")

    def test_tracking(self):
        picking = self.delivery()
        picking.button_validate()
        self.peer.deliver(picking.carrier_tracking_ref)
        picking.action_b2b_carrier_track()
        self.assertIn("delivered", picking.b2b_carrier_status)
        tracking = self.Exchange.search([("kind", "=", "carrier.tracking"), ("res_id", "=", picking.id)])
        self.assertEqual(tracking.state, "done", tracking.error)
        self.assertEqual(self.peer.calls_to("GET", "/suivi/v2/idships/")[0].header("X-Okapi-Key"), self.peer.api_key)

    def test_tracking_email_in_the_customers_language(self):
        # the French the addon ships (i18n/fr.po), loaded as installing French loads it
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["b2b_delivery_carrier"], ["fr_FR"], overwrite=True)
        self.customer.lang = "fr_FR"
        picking = self.delivery()
        picking.origin = "S00042"
        picking.button_validate()
        mail = self.env["mail.message"].search([("model", "=", "stock.picking"), ("res_id", "=", picking.id),
                                                ("subject", "like", "S00042")])
        self.assertEqual(mail.subject, "Votre commande S00042 est en route")
        self.assertIn("Numéro de suivi", mail.body)
        self.assertIn("Suivre votre colis", mail.body)
        self.assertIn(picking.carrier_tracking_ref, mail.body)
        self.assertIn(picking.carrier_tracking_url, mail.body)
        self.assertEqual(mail.partner_ids, self.customer)
        self.assertTrue(picking.b2b_tracking_mail_sent)
        # once: a second label (after a cancellation) is another story, not another e-mail for the same one
        picking._b2b_carrier_send_tracking_mail()
        mails = self.env["mail.message"].search([("model", "=", "stock.picking"), ("res_id", "=", picking.id),
                                                 ("subject", "like", "S00042")])
        self.assertEqual(len(mails), 1)

    def test_no_tracking_email_when_switched_off(self):
        self.carrier.b2b_carrier_tracking_email = False
        picking = self.delivery()
        picking.button_validate()
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertFalse(picking.b2b_tracking_mail_sent)

    def test_exchange_payload_names_the_delivery(self):
        picking = self.delivery()
        picking.button_validate()
        self.assertEqual(json.loads(self.bookings(picking)._b2b_get_payload())["picking"], picking.id)
        self.assertEqual((picking.b2b_exchange_count, picking.b2b_failed_count), (1, 0))
