from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestDeliveryEcommerceTranslations(TranslationMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.catalogues = self._b2b_load_languages("b2b_delivery_ecommerce", "b2b_ecommerce_sync",
                                                   "b2b_connector_base")

    def test_shop_form_in_the_users_language(self):
        self.assertScreenTranslated(self.catalogues, "b2b.shop.backend", {
            "Carrier Tracking E-mail": "E-mail de suivi du transporteur",
        }, fields=("b2b_tracking_email",))
