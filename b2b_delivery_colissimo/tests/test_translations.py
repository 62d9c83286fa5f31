from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestColissimoTranslations(TranslationMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.catalogues = self._b2b_load_languages("b2b_delivery_colissimo", "b2b_delivery_carrier",
                                                   "b2b_connector_base")

    def test_shipping_method_form_in_the_users_language(self):
        self.assertScreenTranslated(self.catalogues, "delivery.carrier", {"Colissimo Service": "Service Colissimo"},
                                    fields=("b2b_colissimo_service",))

    def test_the_products_read_in_the_users_language(self):
        english = dict(self.env["delivery.carrier"]._fields["b2b_colissimo_service"].selection)["A2P"]
        for code, terms in self.catalogues.items():
            env = self.env(context=dict(self.env.context, lang=code))
            shown = dict(env["delivery.carrier"].fields_get(["b2b_colissimo_service"], ["selection"])[
                "b2b_colissimo_service"]["selection"])
            with self.subTest(lang=code):
                if code == "fr_FR":  # La Poste names its products in French
                    self.assertEqual(shown["A2P"], "Colissimo Point Retrait (relais Pickup)")
                else:  # the .po's term, not the English
                    self.assertEqual(shown["A2P"], terms[english])
                    self.assertNotEqual(shown["A2P"], english)
