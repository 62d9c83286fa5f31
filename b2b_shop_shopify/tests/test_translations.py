from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.translations import PlatformTranslationMixin


@tagged("post_install", "-at_install")
class TestShopifyTranslations(PlatformTranslationMixin, TransactionCase):
    platform = "shopify"
    addon = "b2b_shop_shopify"
    french_credential = "Jeton d'accès de l'API Admin"
    french_options = {"money": "Montants des commandes"}
