"""A wholesaler is a res.partner, which every purchase user may edit: its HTTP settings (from the shared
backend mixin) stay for B2B Managers, attacked over JSON-RPC."""

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestWholesalerSettings(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "Settings wholesaler", "is_company": True,
                                                      "b2b_timeout": 20, "b2b_retries": 2})
        cls.buyer = new_test_user(cls.env, "edi_buyer", password="edi_buyer_pw",
                                  groups="purchase.group_purchase_user,base.group_partner_manager")

    def _call(self, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/res.partner/{method}", {
            "model": "res.partner", "method": method, "args": list(args), "kwargs": kwargs})

    def test_purchase_user_cannot_change_the_http_settings(self):
        self.authenticate("edi_buyer", "edi_buyer_pw")
        for vals in ({"b2b_timeout": 3600}, {"b2b_retries": 50}, {"b2b_rate_limit": 0, "b2b_rate_period": 1}):
            with self.assertRaises(JsonRpcException) as refused, mute_logger("odoo.http"):
                self._call("write", [self.supplier.id], vals)
            self.assertEqual(str(refused.exception), "odoo.exceptions.AccessError")
        self.assertEqual((self.supplier.b2b_timeout, self.supplier.b2b_retries), (20, 2))
        # the partner itself stays theirs to edit and to duplicate
        self._call("write", [self.supplier.id], {"phone": "+31 20 123 4567"})
        copy_id = self._call("copy", [self.supplier.id])[0]
        self.assertEqual(self.env["res.partner"].browse(copy_id).b2b_timeout, 30, "a plain copy gets the defaults")
