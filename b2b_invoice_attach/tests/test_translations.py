from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestBaseLinkerTranslations(TranslationMixin, TransactionCase):
    def test_backend_form_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_invoice_attach", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "b2b.baselinker.backend", {
            "Upload now": "Envoyer maintenant", "Window": "Fenêtre", "Statuses": "Statuts",
            "Days Back": "Jours en arrière",
        }, fields=("days_back",))
