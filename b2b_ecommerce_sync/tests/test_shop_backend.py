"""The shop side without a platform: every platform is an addon of its own (b2b_shop_<platform>; their tests
run the flows). A shop whose platform addon is not there (uninstalled: "No platform") keeps its records, shows
no credential or option of a platform and runs nothing, saying why."""

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import MUTE


@tagged("post_install", "-at_install")
class TestShopWithoutPlatform(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["b2b.shop.backend"].create({
            "name": "Shop without platform", "url": "https://shop.example.com", "api_key": "some-key"})

    def test_a_shop_without_platform_runs_nothing_and_says_why(self):
        backend = self.backend
        self.assertEqual(backend.platform, "none")
        self.assertFalse(backend._shop_adapter_class())
        self.assertFalse(backend.option_ids)
        self.assertFalse(backend.status_ids)
        self.assertEqual((backend.api_key_used, backend.api_secret_used, backend.api_extra_used), (False,) * 3)
        self.assertFalse(backend.options_outdated)
        self.assertEqual(backend._platform_label(), "No platform")
        with self.assertRaisesRegex(UserError, "has no platform: install the addon of its platform"):
            backend.with_context(b2b_flow="stock").action_b2b_run_flow()
        self.assertFalse(self.env["b2b.exchange"].search([("kind", "=", "shop.stock"),
                                                          ("backend_ref", "=", f"{backend._name},{backend.id}")]))
        with mute_logger(MUTE):
            action = backend.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("has no platform", action["params"]["message"])

    def test_every_view_loads(self):
        for model, views in (("b2b.shop.backend", ["list", "form", "search"]), ("b2b.shop.option", ["form"]),
                             ("b2b.shop.product", ["list", "form"]), ("b2b.shop.partner", ["list"])):
            self.assertEqual(set(self.env[model].get_views([(False, v) for v in views])["views"]), set(views))

    def test_category_mapping_shows_the_name_in_the_shop(self):
        categ = self.env["product.category"].create({"name": "Garden"})
        row = self.env["b2b.shop.category.map"].create({"backend_id": self.backend.id, "category_id": categ.id})
        self.assertEqual((row.shop_name, row.remote_name), ("Garden", False), "by default the Odoo name")
        row.shop_name = "Garden & Patio"
        self.assertEqual((row.remote_name, row._shop_data().name), ("Garden & Patio", "Garden & Patio"))
        row.shop_name = "Garden"  # the Odoo name again: the shop follows the Odoo category once more
        self.assertFalse(row.remote_name)
        categ.name = "Gardening"
        self.assertEqual((row.shop_name, row._shop_data().name), ("Gardening", "Gardening"))
        form = self.env["b2b.shop.backend"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('<field name="shop_name"', form)
