"""The translation test every shop platform addon runs: its credential and option labels, declared in
plain Python (``_lt``), shown in the user's language on the shop form."""

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


class PlatformTranslationMixin(TranslationMixin):
    """Mix into a TransactionCase with ``platform`` (its code), ``addon``, ``french_credential`` (the
    French label of the platform's "key" credential) and ``french_options`` ({option key: French label})."""

    platform = addon = french_credential = None
    french_options = {}
    allow_inherited_tests_method = True  # Odoo's loader takes only a class's own test methods otherwise

    def test_platform_labels_in_the_users_language(self):
        catalogues = self._b2b_load_languages(self.addon, "b2b_ecommerce_sync", "b2b_connector_base")
        backend = self.env["b2b.shop.backend"].create({
            "name": f"{self.platform} translated", "platform": self.platform, "url": "https://shop.example.com"})
        cls = backend._shop_adapter_class()
        key_label = next(spec.label for spec in cls.credential_specs if spec.name == "key")
        labels = {spec.name: spec.label for spec in cls.option_specs}
        for code, terms in catalogues.items():
            shown = backend.with_context(lang=code)
            expected_key = self.french_credential if code == "fr_FR" else terms.get(key_label)
            with self.subTest(lang=code):
                self.assertTrue(expected_key and expected_key != key_label)
                self.assertEqual(shown.api_key_label, expected_key)
                self.assertEqual(shown.with_context(lang="en_US").api_key_label, key_label)
            for key, french in self.french_options.items():
                option = shown.option_ids.filtered(lambda o, key=key: o.key == key)
                expected = french if code == "fr_FR" else terms.get(labels[key])
                with self.subTest(lang=code, option=key):
                    self.assertTrue(expected and expected != labels[key])
                    self.assertEqual(option.label, expected)
            # the options every platform has are translated by b2b_ecommerce_sync
            paging = shown.option_ids.filtered(lambda o: o.key == "max_pages")
            if code == "fr_FR":
                self.assertEqual(paging.label, "Pages maximum par liste")
