"""What the carriers' Odoo-tier tests share: a warehouse that ships from an address, a customer, products with
weights, deliveries ready to validate, and the helpers that read what a booking left on a delivery."""

from odoo import Command

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin


class CarrierTestMixin(B2BTestMixin):
    peer_class = None  # the sandbox carrier
    delivery_type = None
    carrier_values = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(cls.peer_class())
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.warehouse.partner_id.write({
            "name": "B2B Connect Entrepôt", "street": "12 rue des Entrepôts", "zip": "69007", "city": "Lyon",
            "country_id": cls.env.ref("base.fr").id, "phone": "+33 4 00 00 00 00", "email": "ship@example.com"})
        cls.customer = cls.env["res.partner"].create({
            "name": "Jeanne Client", "street": "5 avenue des Tilleuls", "street2": "Bâtiment B", "zip": "75011",
            "city": "Paris", "country_id": cls.env.ref("base.fr").id, "email": "jeanne@example.com",
            "phone": "+33 6 12 34 56 78"})
        cls.product = cls.env["product.product"].create({"name": "Desk lamp", "is_storable": True, "weight": 1.5})
        cls.product_2 = cls.env["product.product"].create({"name": "Chair", "is_storable": True, "weight": 4.0})
        for product in (cls.product, cls.product_2):
            cls.env["stock.quant"]._update_available_quantity(product, cls.warehouse.lot_stock_id, 100)
        cls.carrier = cls.env["delivery.carrier"].create({
            "name": f"{cls.delivery_type} test",
            "delivery_type": cls.delivery_type,
            "product_id": cls.env["product.product"].create({"name": "Shipping", "type": "service"}).id,
            "prod_environment": False,
            "b2b_carrier_test_url": cls.peer.url,
            "b2b_carrier_account": cls.peer.account,
            "b2b_carrier_password": cls.peer.password,
            "b2b_carrier_api_key": cls.peer.api_key,
            **cls.carrier_values,
        })
        cls.Exchange = cls.env["b2b.exchange"]

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def delivery(self, lines=((None, 2),), partner=None, carrier=None):
        """A ready delivery of ``lines`` (product or None for the lamp, quantity) to the customer."""
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.out_type_id.id,
            "partner_id": (partner or self.customer).id,
            "carrier_id": (carrier or self.carrier).id,
            "move_ids": [Command.create({"product_id": (product or self.product).id, "product_uom_qty": qty,
                                         "location_id": self.warehouse.lot_stock_id.id,
                                         "location_dest_id": self.env.ref("stock.stock_location_customers").id})
                         for product, qty in lines],
        })
        picking.action_confirm()
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        return picking

    def pack_each_move(self, picking):
        """Each move line in its own package (a multi-package delivery)."""
        packages = self.env["stock.package"]
        for line in picking.move_line_ids:
            package = self.env["stock.package"].create({"name": f"PACK-{line.product_id.name}"})
            line.result_package_id = package
            packages |= package
        return packages

    def bookings(self, picking):
        return self.Exchange.search([("kind", "=", "carrier.booking"), ("res_model", "=", "stock.picking"),
                                     ("res_id", "=", picking.id)], order="id")

    def labels(self, picking):
        prefix = picking.carrier_id._get_delivery_label_prefix()
        return self.env["ir.attachment"].search([("res_model", "=", "stock.picking"), ("res_id", "=", picking.id),
                                                 ("name", "=like", f"{prefix}-%")], order="id")
