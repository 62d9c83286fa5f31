from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.translations import PlatformTranslationMixin


@tagged("post_install", "-at_install")
class TestMagento2Translations(PlatformTranslationMixin, TransactionCase):
    platform = "magento2"
    addon = "b2b_shop_magento2"
    french_credential = "Jeton d'accès"
    french_options = {"page_size": "Commandes par page"}
