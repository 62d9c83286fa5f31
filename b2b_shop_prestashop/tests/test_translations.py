from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.translations import PlatformTranslationMixin


@tagged("post_install", "-at_install")
class TestPrestaShopTranslations(PlatformTranslationMixin, TransactionCase):
    platform = "prestashop"
    addon = "b2b_shop_prestashop"
    french_credential = "Clé du webservice"
    french_options = {"language": "Id de la langue"}
