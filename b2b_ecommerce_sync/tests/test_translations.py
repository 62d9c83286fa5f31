from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_connector_base.tools import user_message

from ..protocol.errors import ShopError
from ..protocol.options import Option


@tagged("post_install", "-at_install")
class TestShopTranslations(TranslationMixin, TransactionCase):
    def test_shop_form_and_menu_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_ecommerce_sync", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "b2b.shop.backend", {
            "Sync catalogue": "Synchroniser le catalogue", "Odoo side": "Côté Odoo",
            "Shop URL": "URL de la boutique", "Web Shops": "Boutiques en ligne",
        }, fields=("url",), menus=("b2b_ecommerce_sync.menu_b2b_shop",))

    def test_a_shop_error_reads_in_the_users_language(self):
        self._b2b_load_languages("b2b_ecommerce_sync", "b2b_connector_base")
        with self.assertRaises(ShopError) as caught:
            Option("batch_size", "Batch size", "int", 100).coerce("many", label="WooCommerce")
        exc = caught.exception
        self.assertEqual((exc.code, exc.kind), ("shop.option.type", "config"))
        self.assertEqual(str(exc), "WooCommerce option batch_size: 'many' is not a valid int")
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(user_message(exc, french),
                         "WooCommerce, option batch_size : 'many' n'est pas une valeur valide de type int")
