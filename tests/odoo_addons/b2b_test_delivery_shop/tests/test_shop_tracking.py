"""b2b_delivery_ecommerce (b2b_delivery_carrier and b2b_ecommerce_sync together), against the sandbox
WooCommerce store and the sandbox Colissimo: the label booked for a shop order's delivery gives the shop its
tracking number and link (also when the label comes later: in a batch, after a refusal), and the customer the
tracking e-mail if the shop wants it."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_ecommerce_sync.tests.common import ShopTestMixin
from odoo.addons.b2b_sandbox.peers import woocommerce as woo
from odoo.addons.b2b_sandbox.peers.carriers.colissimo import ColissimoPeer
from odoo.addons.queue_job.tests.common import trap_jobs

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
SHIP_TO = {"first_name": "Jeanne", "last_name": "Client", "address_1": "5 avenue des Tilleuls", "city": "Paris",
           "postcode": "75011", "country": "FR"}


@tagged("post_install", "-at_install")
class TestShopTracking(ShopTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop_peer = woo.WooCommercePeer().start()
        cls.addClassCleanup(cls.shop_peer.stop)
        cls.colissimo = ColissimoPeer().start()
        cls.addClassCleanup(cls.colissimo.stop)
        cls._shop_catalogue()
        cls.lamp.weight = 1.2
        cls.shop = cls._shop_backend("woocommerce", cls.shop_peer.url, woo.DEMO_KEY, woo.DEMO_SECRET,
                                     woo.DEMO_APP_PASSWORD, options={"wp_user": woo.DEMO_WP_USER})
        cls.warehouse.partner_id.write({"street": "12 rue des Entrepôts", "zip": "69007", "city": "Lyon",
                                        "country_id": cls.env.ref("base.fr").id})
        cls.carrier = cls.env["delivery.carrier"].create({
            "name": "Colissimo (shop test)", "delivery_type": "b2b_colissimo",
            "product_id": cls.env["product.product"].create({"name": "Colissimo", "type": "service"}).id,
            "b2b_carrier_test_url": cls.colissimo.url, "b2b_carrier_account": cls.colissimo.account,
            "b2b_carrier_password": cls.colissimo.password, "b2b_colissimo_service": "DOM"})

    def setUp(self):
        super().setUp()
        self.shop_peer.reset()
        self.colissimo.reset()
        self._stock(self.lamp, 50)

    def _shop_delivery(self, number, shipping=None):
        self.shop_peer.add_order(number, "processing", items=[{"sku": "SHOP-LAMP", "quantity": 2, "price": "45.00"}],
                                 shipping=dict(SHIP_TO, **(shipping or {})))
        self._run(self.shop, "orders")
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.shop.id),
                                              ("b2b_shop_order_id", "=", str(number))])
        picking = sale.picking_ids
        picking.carrier_id = self.carrier
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        return sale, picking

    @staticmethod
    def _run_jobs(trap):
        while trap.enqueued_jobs:
            jobs, trap.enqueued_jobs = trap.enqueued_jobs, []
            for job in jobs:
                job.perform()

    def _shop_status(self, picking):
        return self.env["b2b.exchange"].search([("kind", "=", "shop.status"), ("res_model", "=", "stock.picking"),
                                                ("res_id", "in", picking.ids)])

    def test_validation_sends_the_tracking_number_and_link_to_the_shop(self):
        sale, picking = self._shop_delivery(701)
        with trap_jobs() as trap:
            picking.button_validate()
            self._run_jobs(trap)
        self.assertEqual(picking.state, "done")
        (number,) = self.colissimo.shipments
        self.assertEqual(picking.carrier_tracking_ref, number)
        status = self._shop_status(picking)
        self.assertEqual(status.state, "done", status.error)
        (shipped,) = self.shop_peer.shipments[701]
        self.assertEqual(shipped["tracking_number"], number)
        self.assertEqual(shipped["custom_tracking_link"], f"https://www.laposte.fr/outils/suivre-vos-envois?code={number}")
        self.assertEqual(self.shop_peer.order(701)["status"], "completed")
        # the customer's tracking e-mail: the shop wants it (default)
        mail = picking.message_ids.filtered(lambda m: m.subject and "on its way" in m.subject)
        self.assertEqual(len(mail), 1)
        self.assertIn(number, mail.body)
        # the shipping address has no e-mail: the customer who ordered gets it
        self.assertFalse(picking.partner_id.email)
        self.assertEqual(mail.partner_ids, sale.partner_id)
        self.assertTrue(sale.partner_id.email)

    def test_batch_validation_tells_the_shop_once_the_labels_exist(self):
        deliveries = [self._shop_delivery(711 + i)[1] for i in range(2)]
        pickings = deliveries[0] | deliveries[1]
        with trap_jobs() as trap:
            pickings.button_validate()
            self.assertEqual([job.method_name for job in trap.enqueued_jobs], ["_b2b_job_run", "_b2b_job_run"])
            self.assertFalse(self._shop_status(pickings), "the shop waits for the labels")
            self._run_jobs(trap)
        for number, picking in zip((711, 712), deliveries, strict=False):
            self.assertTrue(picking.carrier_tracking_ref)
            (shipped,) = self.shop_peer.shipments[number]
            self.assertEqual(shipped["tracking_number"], picking.carrier_tracking_ref)

    def test_a_refused_label_tells_the_shop_after_the_retry(self):
        sale, picking = self._shop_delivery(721, shipping={"postcode": "00000"})
        with trap_jobs() as trap, mute_logger(MUTE):
            picking.button_validate()
            self._run_jobs(trap)
        self.assertEqual(picking.state, "done")
        booking = self.env["b2b.exchange"].search([("kind", "=", "carrier.booking"), ("res_id", "in", picking.ids)])
        self.assertEqual(booking.state, "failed")
        self.assertFalse(self._shop_status(picking))
        self.assertFalse(self.shop_peer.shipments.get(721))
        picking.partner_id.zip = "75011"
        with trap_jobs() as trap:
            booking.action_retry()
            self._run_jobs(trap)
        self.assertEqual(booking.state, "done", booking.error)
        (shipped,) = self.shop_peer.shipments[721]
        self.assertEqual(shipped["tracking_number"], picking.carrier_tracking_ref)

    def test_the_shop_decides_on_the_tracking_email(self):
        self.shop.b2b_tracking_email = False
        self.assertTrue(self.carrier.b2b_carrier_tracking_email)
        sale, picking = self._shop_delivery(731)
        with trap_jobs() as trap:
            picking.button_validate()
            self._run_jobs(trap)
        self.assertTrue(picking.carrier_tracking_ref)
        self.assertFalse(picking.b2b_tracking_mail_sent)
        self.assertFalse(picking.message_ids.filtered(lambda m: m.subject and "on its way" in m.subject))
