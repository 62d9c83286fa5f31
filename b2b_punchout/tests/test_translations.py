from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestPunchoutTranslations(TranslationMixin, TransactionCase):
    def test_customer_form_and_menus_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_punchout", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "res.partner", {
            "Procurement system": "Système d'achat", "Generate new link": "Générer un nouveau lien",
            "Return URLs and login": "URL de retour et connexion", "Price Tolerance (%)": "Tolérance de prix (%)",
            "Punch-out Sessions": "Sessions punch-out", "Punch-out Customers": "Clients punch-out",
        }, fields=("punchout_price_tolerance",),
            menus=("b2b_punchout.menu_b2b_punchout_session", "b2b_punchout.menu_punchout_customers"))
