"""The carrier credentials and endpoints are B2B Manager only, attacked over JSON-RPC as a stock user (who may
read delivery methods and validate deliveries, and so books labels)."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.peers.carriers.colissimo import ColissimoPeer

MUTE = ("odoo.http",)


@tagged("post_install", "-at_install")
class TestCarrierCredentials(B2BTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = ColissimoPeer().start()
        cls.addClassCleanup(cls.peer.stop)
        cls.carrier = cls.env["delivery.carrier"].create({
            "name": "Guarded Colissimo", "delivery_type": "b2b_colissimo",
            "product_id": cls.env["product.product"].create({"name": "Ship", "type": "service"}).id,
            "b2b_carrier_test_url": cls.peer.url, "b2b_carrier_account": "sandbox",
            "b2b_carrier_password": "sandbox-secret", "b2b_carrier_api_key": "sandbox-key",
        })
        new_test_user(cls.env, "b2b_stock_clerk", password="b2b_stock_clerk_pw",
                      groups="stock.group_stock_manager,sales_team.group_sale_manager")

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def assertRefused(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as refused, mute_logger(*MUTE):
            self._call(model, method, *args, **kwargs)
        self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")

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
