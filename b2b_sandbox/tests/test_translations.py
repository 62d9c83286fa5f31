from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestSandboxTranslations(TranslationMixin, TransactionCase):
    def test_sandbox_backend_form_and_menu_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_sandbox", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "b2b.sandbox.backend", {
            "Ping now": "Pinguer maintenant", "Peer": "Système distant", "Peer URL": "URL du système distant",
            "Sandbox Backends": "Connecteurs bac à sable",
        }, fields=("url",), menus=("b2b_sandbox.menu_b2b_sandbox_backend",))
