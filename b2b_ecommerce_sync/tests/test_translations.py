from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestShopTranslations(TranslationMixin, TransactionCase):
    def test_shop_form_and_menu_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_ecommerce_sync", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "b2b.shop.backend", {
            "Sync catalogue": "Synchroniser le catalogue", "Odoo side": "Côté Odoo",
            "Shop URL": "URL de la boutique", "Web Shops": "Boutiques en ligne",
        }, fields=("url",), menus=("b2b_ecommerce_sync.menu_b2b_shop",))
