"""The carrier credentials and endpoints are B2B Manager only, attacked over JSON-RPC as a stock user (who may
read delivery methods and validate deliveries, and so books labels); a customer who reads their delivery in the
portal neither cancels nor books its shipment (Odoo's own rights refuse the portal too: see the Chronopost tests for
the internal reader the write check is for)."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin, JsonRpcMixin
from odoo.addons.b2b_sandbox.peers.carriers.colissimo import ColissimoPeer

MUTE = ("odoo.http",)


@tagged("post_install", "-at_install")
class TestCarrierCredentials(B2BTestMixin, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(ColissimoPeer())
        cls.carrier = cls.env["delivery.carrier"].create({
            "name": "Guarded Colissimo", "delivery_type": "b2b_colissimo",
            "product_id": cls.env["product.product"].create({"name": "Ship", "type": "service"}).id,
            "b2b_carrier_test_url": cls.peer.url, "b2b_carrier_account": "sandbox",
            "b2b_carrier_password": "sandbox-secret", "b2b_carrier_api_key": "sandbox-key",
        })
        new_test_user(cls.env, "b2b_stock_clerk", password="b2b_stock_clerk_pw",
                      groups="stock.group_stock_manager,sales_team.group_sale_manager")
        cls.portal = new_test_user(cls.env, "b2b_carrier_customer", password="b2b_carrier_customer_pw",
                                   groups="base.group_portal")
        cls.portal.partner_id.write({"street": "5 avenue des Tilleuls", "zip": "75011", "city": "Paris",
                                     "country_id": cls.env.ref("base.fr").id, "email": "client@example.com"})
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        warehouse.partner_id.write({"street": "12 rue des Entrepôts", "zip": "69007", "city": "Lyon",
                                    "country_id": cls.env.ref("base.fr").id})
        product = cls.env["product.product"].create({"name": "Lamp", "is_storable": True, "weight": 1.0})
        cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        cls.sale = cls.env["sale.order"].create({
            "partner_id": cls.portal.partner_id.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
        cls.sale.action_confirm()
        cls.picking = cls.sale.picking_ids
        cls.picking.carrier_id = cls.carrier
        cls.picking.move_ids.quantity = 1

    def test_a_portal_customer_neither_cancels_nor_books_the_shipment(self):
        self.picking.with_context(skip_sms=True).button_validate()
        number = self.picking.carrier_tracking_ref
        self.assertTrue(number)
        self.authenticate("b2b_carrier_customer", "b2b_carrier_customer_pw")
        ids = self.picking.ids
        (read,) = self._call("stock.picking", "read", ids, fields=["carrier_tracking_ref"])
        self.assertEqual(read["carrier_tracking_ref"], number, "the customer reads their delivery")
        # ...not its label (an attachment of the delivery, posted as an internal note)
        label = self.env["ir.attachment"].search([("res_model", "=", "stock.picking"), ("res_id", "in", ids)])
        self.assertEqual(len(label), 1)
        self.assertRefused("ir.attachment", "read", label.ids, fields=["datas"])
        with mute_logger(*MUTE):
            self.assertIn(self.url_open(f"/web/content/{label.id}?download=true").status_code, (403, 404))
        self.assertFalse(self._call("mail.message", "search_read", [
            ("model", "=", "stock.picking"), ("res_id", "in", ids), ("attachment_ids", "!=", False)], fields=["id"]))
        self.assertRefused("stock.picking", "cancel_shipment", ids)
        self.assertRefused("stock.picking", "action_b2b_create_label", ids)
        self.picking.invalidate_recordset()
        self.assertEqual(self.picking.carrier_tracking_ref, number)
        self.assertFalse(self.env["b2b.exchange"].search([("kind", "=", "carrier.cancel"), ("res_id", "in", ids)]))
        # nor a second booking of a delivery whose label was discarded
        self.picking.cancel_shipment()
        self.assertRefused("stock.picking", "send_to_shipper", ids)
        self.assertEqual(len(self.peer.calls_to("POST", "generateLabel")), 1)

    def test_a_stock_manager_reads_no_credential_and_moves_no_endpoint(self):
        self.authenticate("b2b_stock_clerk", "b2b_stock_clerk_pw")
        ids = [self.carrier.id]
        # the delivery method itself is theirs to read...
        (read,) = self._call("delivery.carrier", "read", ids, fields=["name", "delivery_type"])
        self.assertEqual(read["delivery_type"], "b2b_colissimo")
        # ...not its credentials, clear or encrypted, nor where they are sent
        for field in ("b2b_carrier_password", "b2b_carrier_password_enc", "b2b_carrier_api_key_enc",
                      "b2b_carrier_account", "b2b_carrier_test_url"):
            self.assertRefused("delivery.carrier", "read", ids, fields=[field])
            self.assertRefused("delivery.carrier", "search_read", [("id", "in", ids)], fields=[field])
        # pointing the label requests (with the password) at another host is refused
        self.assertRefused("delivery.carrier", "write", ids, {"b2b_carrier_test_url": "http://attacker.example"})
        self.assertRefused("delivery.carrier", "write", ids, {"b2b_carrier_password": "mine"})
        self.assertRefused("delivery.carrier", "copy", ids, {"b2b_carrier_test_url": "http://attacker.example"})
        self.carrier.invalidate_recordset()
        self.assertEqual(self.carrier.b2b_carrier_test_url, self.peer.url)
        self.assertEqual(self.carrier._b2b_secret("b2b_carrier_password"), "sandbox-secret")

    def test_a_stock_manager_switches_neither_environment_nor_carrier(self):
        """Odoo lets inventory administrators edit delivery methods: on one of ours, switching it to production (the
        password then goes to the carrier's production service) or to another carrier (the account and password go
        to that carrier) is for B2B Managers, as its endpoints are."""
        self.authenticate("b2b_stock_clerk", "b2b_stock_clerk_pw")
        ids = [self.carrier.id]
        self.assertRefused("delivery.carrier", "toggle_prod_environment", ids)
        self.assertRefused("delivery.carrier", "write", ids, {"prod_environment": True})
        self.assertRefused("delivery.carrier", "write", ids, {"delivery_type": "b2b_chronopost"})
        product = self.env["product.product"].create({"name": "Ship 2", "type": "service"})
        self.assertRefused("delivery.carrier", "create", [{
            "name": "Colissimo of mine", "delivery_type": "b2b_colissimo", "product_id": product.id}])
        self.carrier.invalidate_recordset()
        self.assertFalse(self.carrier.prod_environment)
        self.assertEqual(self.carrier.delivery_type, "b2b_colissimo")
        self.assertFalse(self.env["delivery.carrier"].search([("name", "=", "Colissimo of mine")]))
        # the rest of the delivery method stays theirs, as Odoo has it
        self._call("delivery.carrier", "write", ids, {"name": "Colissimo (renamed)"})
        self.carrier.invalidate_recordset()
        self.assertEqual(self.carrier.name, "Colissimo (renamed)")
