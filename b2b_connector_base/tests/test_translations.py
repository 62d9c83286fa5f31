from odoo.tests import TransactionCase, tagged

from ..lib.http import TransportError
from ..lib.plain_errors import describe_transport_error
from ..tools import user_message
from ..tools.uom import unece_code
from .translations import TranslationMixin


@tagged("post_install", "-at_install")
class TestTranslations(TranslationMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))

    def setUp(self):
        super().setUp()
        self.catalogues = self._b2b_load_languages("b2b_connector_base")

    def test_exchange_form_and_menus_in_the_users_language(self):
        self.assertScreenTranslated(self.catalogues, "b2b.exchange", {
            "Retry": "Relancer", "Technical": "Technique", "HTTP Calls": "Appels HTTP",
            "Related Model": "Modèle lié", "Summary": "Résumé",
            "Exchanges": "Échanges", "Exchange Types": "Types d'échange",
        }, fields=("res_model", "summary"), menus=("b2b_connector_base.menu_b2b_exchanges",
                                                   "b2b_connector_base.menu_b2b_exchange_type"))

    def test_selection_labels_in_the_users_language(self):
        states = dict(self.env["b2b.exchange"].with_context(lang="fr_FR")._fields["state"]._description_selection(
            self.env(context=dict(self.env.context, lang="fr_FR"))))
        self.assertEqual(states["failed"], "En échec")
        self.assertEqual(states["done"], "Terminé")

    def test_failure_messages_in_the_users_language(self):
        exc = TransportError("connection refused", kind="timeout")
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        english = describe_transport_error(exc)  # "Timeout: the server did not answer in time. ..."
        self.assertEqual(user_message(exc), english)
        self.assertEqual(user_message(exc, self.env), english)
        in_french = user_message(exc, french)
        self.assertTrue(in_french.startswith("Délai dépassé : "), in_french)
        self.assertNotIn("did not answer", in_french)

    def test_a_translated_unit_keeps_its_unece_code(self):
        """The code comes from what the unit is, not from its name in some language."""
        self.env["res.lang"]._activate_lang("nl_NL")
        unit, meter, dozen = (self.env.ref(x) for x in ("uom.product_uom_unit", "uom.product_uom_meter",
                                                         "uom.product_uom_dozen"))
        unit.with_context(lang="nl_NL").name = "Stuks"
        unit.with_context(lang="fr_FR").name = "Unités"
        meter.with_context(lang="fr_FR").name = "Mètre"
        dozen.with_context(lang="fr_FR").name = "Douzaine"
        for lang in ("nl_NL", "fr_FR", "en_US"):
            with self.subTest(lang=lang):
                self.assertEqual(unece_code(unit.with_context(lang=lang)), "C62")
                self.assertEqual(unece_code(meter.with_context(lang=lang)), "MTR")
                self.assertEqual(unece_code(dozen.with_context(lang=lang)), "DZN")
                self.assertEqual(unece_code(unit.with_context(lang=lang), piece="PCE"), "PCE")
        # a unit of a user: one of a known unit takes its code, anything else counts as pieces
        running_meter = self.env["uom.uom"].create(
            {"name": "Strekkende meter", "relative_factor": 1, "relative_uom_id": meter.id})
        box = self.env["uom.uom"].create({"name": "Doos", "relative_factor": 10, "relative_uom_id": unit.id})
        self.assertEqual(unece_code(running_meter), "MTR")
        self.assertEqual(unece_code(box), "C62")
        self.assertEqual(unece_code(self.env["uom.uom"]), "C62")
