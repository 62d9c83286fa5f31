"""The shop form sends only what was typed: a new API Secret alone must leave the other credentials alone."""

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.b2b_connector_base.tools import SECRET_MASK


@tagged("post_install", "-at_install")
class TestShopSecretFields(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["b2b.shop.backend"].create({
            "name": "Credentials shop", "platform": "woocommerce", "url": "http://127.0.0.1:9",
            "api_key": "ck_old_key", "api_secret": "cs_old_secret", "api_extra": "old app password",
        })
        new_test_user(cls.env, "b2b_shop_boss", password="b2b_shop_boss_pw",
                      groups="b2b_connector_base.group_b2b_manager")

    def _call(self, method, *args, **kwargs):
        model = "b2b.shop.backend"
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def test_writing_only_the_api_secret_keeps_the_key_and_the_extra_secret(self):
        self.authenticate("b2b_shop_boss", "b2b_shop_boss_pw")
        self._call("write", [self.backend.id], {"api_secret": "cs_new_secret"})
        self.assertEqual(self.backend._b2b_secret("api_secret"), "cs_new_secret")
        self.assertEqual(self.backend._b2b_secret("api_key"), "ck_old_key")
        self.assertEqual(self.backend._b2b_secret("api_extra"), "old app password")
        # the form's save, reading the record back: masks, never the secrets
        values = self._call("web_save", [self.backend.id], {"api_extra": "new app password"},
                            specification={"api_key": {}, "api_secret": {}, "api_extra": {}})[0]
        self.assertEqual({values[f] for f in ("api_key", "api_secret", "api_extra")}, {SECRET_MASK})
        self.assertEqual(self.backend._b2b_secret("api_key"), "ck_old_key")
        self.assertEqual(self.backend._b2b_secret("api_secret"), "cs_new_secret")
        self.assertEqual(self.backend._b2b_secret("api_extra"), "new app password")
