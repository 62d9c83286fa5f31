from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.translations import PlatformTranslationMixin


@tagged("post_install", "-at_install")
class TestWooCommerceTranslations(PlatformTranslationMixin, TransactionCase):
    platform = "woocommerce"
    addon = "b2b_shop_woocommerce"
    french_credential = "Clé client (consumer key)"
    french_options = {"batch_size": "Taille des lots"}
