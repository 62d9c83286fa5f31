from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_connector_base.tools import user_message

from ..protocol.dico import DicoError, get_format
from ..protocol.messageservice import SoapFault
from ..tools import unit_code

ANSWER_WITHOUT_ORDER = b"""<?xml version="1.0" encoding="UTF-8"?>
<OrderResponse><OrderResponseNumber>R1</OrderResponseNumber></OrderResponse>"""


@tagged("post_install", "-at_install")
class TestEdiTranslations(TranslationMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        self.catalogues = self._b2b_load_languages("b2b_edi_connector", "b2b_connector_base")
        self.french = self.env(context=dict(self.env.context, lang="fr_FR"))

    def test_supplier_form_and_menu_in_the_users_language(self):
        self.assertScreenTranslated(self.catalogues, "res.partner", {
            "Poll now": "Relever maintenant", "Wholesaler": "Grossiste", "Supplier GLN": "GLN du fournisseur",
            "Send via EDI": "Envoyer par EDI", "Test Mode": "Mode test",
            "EDI Suppliers (DICO)": "Fournisseurs EDI (DICO)",
        }, fields=("edi_enabled", "edi_test_mode"), menus=("b2b_edi_connector.menu_edi_suppliers",))

    def test_a_dico_error_reads_in_the_users_language_and_keeps_its_code(self):
        fmt = get_format(None)
        kind, root = fmt.parse(ANSWER_WITHOUT_ORDER)
        with self.assertRaises(DicoError) as caught:
            fmt.parse_order_response(root)
        exc = caught.exception
        self.assertEqual(exc.code, "dico.response.no_order")
        self.assertEqual(exc.module, "b2b_edi_connector")
        self.assertEqual(str(exc), "OrderResponse without BuyersOrderNumber: cannot tell which order it answers")
        self.assertEqual(user_message(exc, self.french),
                         "OrderResponse sans BuyersOrderNumber : impossible de savoir à quelle commande il répond")
        self.assertEqual(user_message(exc, self.env(context=dict(self.env.context, lang="en_US"))), str(exc))

    def test_a_dico_error_with_parameters_is_filled_in_after_translation(self):
        from ..protocol.dico import elements
        with self.assertRaises(DicoError) as caught:
            elements.decimal("abc", "line 3 quantity")
        self.assertEqual(user_message(caught.exception, self.french),
                         "line 3 quantity : 'abc' n'est pas un nombre")
        self.assertEqual(caught.exception.params, {"what": "line 3 quantity", "value": "'abc'"})

    def test_a_translated_unit_still_goes_out_with_its_dico_code(self):
        """DICO names units by UN/ECE code: a unit named in Dutch or French keeps its code (PCE for pieces)."""
        self.env["res.lang"]._activate_lang("nl_NL")
        unit, meter, kg = (self.env.ref(x) for x in ("uom.product_uom_unit", "uom.product_uom_meter",
                                                      "uom.product_uom_kgm"))
        unit.with_context(lang="nl_NL").name = "Stuks"
        meter.with_context(lang="fr_FR").name = "Mètre"
        kg.with_context(lang="nl_NL").name = "Kilogram (kg)"
        for lang in ("nl_NL", "fr_FR"):
            with self.subTest(lang=lang):
                self.assertEqual(unit_code(unit.with_context(lang=lang)), "PCE")
                self.assertEqual(unit_code(meter.with_context(lang=lang)), "MTR")
                self.assertEqual(unit_code(kg.with_context(lang=lang)), "KGM")

    def test_a_wholesalers_soap_fault_reads_in_the_users_language_around_its_own_words(self):
        fault = SoapFault("Client", "Onbekende afzender-GLN")
        self.assertEqual(str(fault), "MessageService fault Client: Onbekende afzender-GLN")
        self.assertEqual(user_message(fault, self.french), "Erreur MessageService Client : Onbekende afzender-GLN")
        dutch = self.env(context=dict(self.env.context, lang="nl_NL"))
        self.assertEqual(user_message(fault, dutch), "MessageService-fout Client: Onbekende afzender-GLN")
