"""Shopify's Admin API version option on the shop, and the upgrade from the free-text version of 19.0.1.0.0."""

import importlib.util
import pathlib

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestShopifyVersionOption(TransactionCase):

    def _shop(self, name, version):
        backend = self.env["b2b.shop.backend"].create({
            "name": name, "platform": "shopify", "url": "http://127.0.0.1:9", "api_key": "shpat_x"})
        row = backend.option_ids.filtered(lambda o: o.key == "api_version")
        # as 19.0.1.0.0 stored it: any text
        self.env.cr.execute("UPDATE b2b_shop_option SET value = %s WHERE id = %s", [version, row.id])
        row.invalidate_recordset()
        return backend, row

    def test_the_version_is_a_choice_and_a_retired_one_follows_the_default_after_the_upgrade(self):
        retired, retired_row = self._shop("Old shop", "2025-01")
        pinned, pinned_row = self._shop("Pinned shop", "2026-10")
        fresh = self.env["b2b.shop.backend"].create({
            "name": "New shop", "platform": "shopify", "url": "http://127.0.0.1:9", "api_key": "shpat_x"})
        fresh_row = fresh.option_ids.filtered(lambda o: o.key == "api_version")
        self.assertEqual((fresh_row.option_type, fresh_row.default_value, fresh_row.value or ""),
                         ("selection", "2026-07 (latest stable)", ""))
        self.assertTrue(retired_row.value_error)  # 2025-01 is no choice: shown on the row, a run would fail on it
        self.assertFalse(pinned_row.value_error)

        path = pathlib.Path(__file__).resolve().parent.parent / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("b2b_shop_shopify_post_migrate_19_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()

        self.assertFalse(retired_row.value)
        self.assertNotIn("api_version", retired._shop_options())  # the default, 2026-07
        self.assertEqual(pinned._shop_options()["api_version"], "2026-10")
