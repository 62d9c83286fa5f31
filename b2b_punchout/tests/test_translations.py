from decimal import Decimal

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_connector_base.tools.errors import translate_error

from ..protocol import cxml, oci
from .common import MUTE, PunchoutAttackCase


@tagged("post_install", "-at_install")
class TestPunchoutTranslations(TranslationMixin, TransactionCase):
    def test_customer_form_and_menus_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_punchout", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "res.partner", {
            "Procurement system": "Système d'achat", "Generate new link": "Générer un nouveau lien",
            "Return URLs and login": "URL de retour et connexion", "Price Tolerance (%)": "Tolérance de prix (%)",
            "Punch-out Sessions": "Sessions punch-out", "Punch-out Customers": "Clients punch-out",
        }, fields=("punchout_price_tolerance",),
            menus=("b2b_punchout.menu_b2b_punchout_session", "b2b_punchout.menu_punchout_customers"))

    def test_a_cart_oci_cannot_carry_is_refused_in_the_buyers_language(self):
        self._b2b_load_languages("b2b_punchout", "b2b_connector_base")
        with self.assertRaises(oci.OCIError) as caught:
            oci.cart_fields([oci.Item(description="Cable", quantity=Decimal(1), unit="PCE", price=Decimal(5),
                                      currency="EUR", vendor_mat="")])
        exc = caught.exception
        self.assertEqual(exc.code, "oci.cart.no_vendor_mat")
        self.assertEqual(str(exc), "cart line 1 has no vendor material number")
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        self.assertEqual(translate_error(french, exc), "la ligne de panier 1 n'a pas de numéro d'article fournisseur")


@tagged("post_install", "-at_install")
class TestPunchoutRefusalsTranslated(TranslationMixin, PunchoutAttackCase):
    """A refused cXML setup request: the Status message the buyer's system shows its user and the exchange
    log are in the request's language, the whole message (not only its "Invalid XML" prefix)."""

    def _refused_setup(self, body, language):
        with mute_logger(*MUTE):
            response = self.post("/punchout/cxml/setup", body, headers={"Accept-Language": language})
        exchange = self.Exchange.search([("kind", "=", "punchout.setup")], order="id desc", limit=1)
        return self.cxml_status(response), exchange

    def test_a_setup_with_entities_is_refused_in_french(self):
        self._b2b_load_languages("b2b_connector_base", "b2b_punchout")
        xxe = b'<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><cXML>&x;</cXML>'
        (status, code, message), exchange = self._refused_setup(xxe, "fr-FR")
        french = ("XML invalide : PunchOutSetupRequest refusé : il déclare des entités (x) ; les déclarations "
                  "d'entités ne sont pas acceptées")
        self.assertEqual((status, code, message), (400, 400, french))
        self.assertEqual((exchange.state, exchange.error), ("failed", french))

    def test_a_setup_with_a_bad_quantity_is_refused_in_swedish(self):
        self._b2b_load_languages("b2b_punchout", "b2b_connector_base")
        body = self.setup_body(operation="edit", items=[self.item(qty=-2)])
        (status, code, message), exchange = self._refused_setup(body, "sv-SE")
        swedish = "quantity: '-2' måste vara större än noll"
        self.assertEqual((status, code, message), (400, 400, swedish))
        self.assertEqual(exchange.error, swedish)

    def test_a_swedish_buyers_cart_goes_back_in_swedish(self):
        """Proceedo's setup request says xml:lang="sv-SE": the session keeps it, and the cart's descriptions
        go back in Swedish, tagged sv-SE, whoever shops (the customer here is English)."""
        self.env["res.lang"]._activate_lang("sv_SE")
        response = self.post("/punchout/cxml/setup", self.setup_body(language="sv-SE"))
        self.assertEqual(self.cxml_status(response)[:2], (200, 200))
        session = self.env["b2b.punchout.session"].search([], order="id desc", limit=1)
        self.assertEqual(session.buyer_lang, "sv-SE")
        product = self.env["product.product"].create({"name": "Desk lamp", "default_code": "SV-LAMP",
                                                      "list_price": 10.0, "type": "consu", "taxes_id": False})
        product.with_context(lang="sv_SE").name = "Skrivbordslampa"
        order = self.env["sale.order"].create({"partner_id": session.partner_id.id, "order_line": [
            Command.create({"product_id": product.id, "product_uom_qty": 1})]})
        cart = session.with_context(lang="en_US")._punchout_cart(order)
        self.assertEqual((cart.language, [line.description for line in cart.lines]),
                         ("sv-SE", ["[SV-LAMP] Skrivbordslampa"]))
        root = cxml.parse(session._punchout_protocol().cart_return(cart).payload)
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        self.assertEqual([(d.text, d.get(lang)) for d in root.iter("Description")],
                         [("[SV-LAMP] Skrivbordslampa", "sv-SE")])
