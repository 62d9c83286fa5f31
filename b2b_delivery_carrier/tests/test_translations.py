from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestCarrierTranslations(TranslationMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.catalogues = self._b2b_load_languages("b2b_delivery_carrier", "b2b_connector_base")

    def test_shipping_method_form_in_the_users_language(self):
        self.assertScreenTranslated(self.catalogues, "delivery.carrier", {
            "Carrier Connection": "Connexion au transporteur", "Credentials": "Identifiants",
            "Endpoints": "Points d'accès",
            "the carrier's test environment or a sandbox": "l'environnement de test du transporteur ou un bac à sable",
            "Carrier Account": "Compte transporteur", "Label Format": "Format d'étiquette",
            "Tracking E-mail": "E-mail de suivi",
        }, fields=("b2b_carrier_account", "b2b_carrier_label_format", "b2b_carrier_tracking_email"))

    def test_delivery_form_in_the_users_language(self):
        self.assertScreenTranslated(self.catalogues, "stock.picking", {
            "Create Label": "Créer l'étiquette", "Update Tracking": "Mettre à jour le suivi",
            "Pickup Point": "Point relais", "Carrier Status": "Statut transporteur",
        }, fields=("b2b_relay_point", "b2b_carrier_status"))

    def test_a_refusal_reads_in_the_users_language(self):
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.env.ref("stock.picking_type_out").id,
            "partner_id": self.env["res.partner"].create({"name": "Client"}).id,
        })
        with self.assertRaises(UserError) as caught:
            picking.with_context(lang="fr_FR").action_b2b_create_label()
        self.assertEqual(str(caught.exception), f"{picking.name} n'a pas de transporteur b2b-connect.")
