"""What the PrestaShop adapter writes for people reads in the user's language in Odoo (issue 17): a record it refuses
(on its exchange and its binding), what it was doing when PrestaShop refused, what it did for an Odoo progress event
and the answer of "Test connection"."""

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_ecommerce_sync.tests.common import MUTE
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import PrestaShopMixin


@tagged("post_install", "-at_install")
class TestPrestaShopInTheUsersLanguage(PrestaShopMixin, TranslationMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._prestashop_shop()

    def _stock_of_a_product_deleted_in_the_shop(self, lang):
        """The desk sold and sent, then deleted in PrestaShop; the stock run that follows, in ``lang``."""
        self._sell(self.backend, self.desk)
        run, _children = self._run(self.backend, "catalogue")
        self.assertEqual(run.state, "done", run.error)
        binding = self.desk.b2b_shop_binding_ids
        self.assertTrue(binding.remote_id)
        del self.peer.db["products"][int(binding.remote_id)]
        self._stock(self.desk, 4)
        self.env.user.lang = lang
        with mute_logger(MUTE):
            run, children = self._run(self.backend.with_context(lang=lang), "stock")
        self.assertEqual(len(children), 1)
        self.assertEqual(children.state, "failed")
        self.assertEqual(binding.state, "error")
        return children, binding

    def test_a_refused_record_reads_in_french(self):
        self._b2b_load_languages("b2b_shop_prestashop", "b2b_ecommerce_sync", "b2b_connector_base")
        child, binding = self._stock_of_a_product_deleted_in_the_shop("fr_FR")
        french = "PrestaShop n'a aucun produit de référence 'SHOP-DESK'"
        self.assertEqual(child.error, french)
        self.assertIn(french, child.summary)
        self.assertEqual(binding.last_error, french)

    def test_the_same_refusal_stays_english_for_an_english_user(self):
        child, binding = self._stock_of_a_product_deleted_in_the_shop("en_US")
        self.assertEqual(child.error, "PrestaShop has no product with reference 'SHOP-DESK'")
        self.assertEqual(binding.last_error, "PrestaShop has no product with reference 'SHOP-DESK'")

    def test_what_was_being_done_reads_in_french_too(self):
        """PrestaShop's refusal of a product is wrapped in our words ("refused creating product X"): all of them
        in French, PrestaShop's own text as it wrote it."""
        self._b2b_load_languages("b2b_shop_prestashop", "b2b_ecommerce_sync", "b2b_connector_base")
        self.lamp.name = "Desk lamp <LED>"  # PrestaShop refuses a catalogue name with < > ; = # { }
        self._sell(self.backend, self.lamp)
        self.env.user.lang = "fr_FR"
        with mute_logger(MUTE):
            _run, children = self._run(self.backend.with_context(lang="fr_FR"), "catalogue")
        child = children.filtered(lambda c: c.res_model == "product.product")
        self.assertEqual(child.state, "failed")
        self.assertTrue(child.error.startswith("PrestaShop a refusé la création du produit SHOP-LAMP : "), child.error)
        self.assertNotIn("creating", child.error)
        self.assertEqual(self.lamp.b2b_shop_binding_ids.last_error, child.error)

    def test_what_odoo_told_the_shop_reads_in_french(self):
        """A sale order cancelled by a French user: the status exchange says what Odoo told and what PrestaShop
        did in French (the adapter's summary is a Phrase too)."""
        self._b2b_load_languages("b2b_shop_prestashop", "b2b_ecommerce_sync", "b2b_connector_base")
        self._sell(self.backend, self.desk)
        self._run(self.backend, "catalogue")
        product = self.peer.products_with_reference("SHOP-DESK")[0]
        remote = str(self.peer.add_order([{"reference": "SHOP-DESK", "quantity": 1, "price": product["price"]}],
                                         state=2, reference="RFR1", transaction_id="txfr1"))
        run, _new = self._run(self.backend, "orders")
        self.assertEqual(run.state, "done", run.error)
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id),
                                              ("b2b_shop_order_id", "=", remote)])
        self.env.user.lang = "fr_FR"
        with trap_jobs() as trap:
            sale.with_context(lang="fr_FR").action_cancel()
            trap.perform_enqueued_jobs()
        status = self.env["b2b.exchange"].search([("kind", "=", "shop.status"), ("res_model", "=", "sale.order"),
                                                  ("res_id", "=", sale.id)])
        self.assertEqual(status.state, "done", status.error)
        self.assertEqual(status.summary, f"{sale.name} : commande boutique RFR1 annulée (commande PrestaShop "
                                         f"{remote} : état 6 (client prévenu par e-mail si l'état le prévoit))")
        self.assertIn(f"Boutique {self.backend.name} informée : annulée.", sale.message_ids.mapped("preview"))

    def test_test_connection_answers_in_french(self):
        self._b2b_load_languages("b2b_shop_prestashop", "b2b_ecommerce_sync", "b2b_connector_base")
        self.env.user.lang = "fr_FR"
        action = self.backend.with_context(lang="fr_FR").action_test_connection()
        message = action["params"]["message"]
        self.assertEqual(action["params"]["type"], "success", message)
        self.assertTrue(message.startswith("Connecté à la boutique PrestaShop "), message)
        self.assertIn("la clé du webservice a toutes les permissions nécessaires", message)

    def test_a_customer_who_ordered_in_french_is_french_and_reads_french_lines(self):
        """PrestaShop says the order's language (id_lang, its languages resource): the new customer is French and
        our words on their order - gift wrapping, the gift message - are French, while the user is English."""
        self._b2b_load_languages("b2b_shop_prestashop", "b2b_ecommerce_sync", "b2b_connector_base")
        self.env.user.lang = "en_US"
        self._sell(self.backend, self.desk)
        self._run(self.backend, "catalogue")
        product = self.peer.products_with_reference("SHOP-DESK")[0]
        remote = str(self.peer.add_order([{"reference": "SHOP-DESK", "quantity": 1, "price": product["price"]}],
                                         state=2, reference="RFR2", transaction_id="txfr2", lang="2", wrapping="2",
                                         gift_message="Joyeux anniversaire"))
        run, _new = self._run(self.backend.with_context(lang="en_US"), "orders")
        self.assertEqual(run.state, "done", run.error)
        sale = self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id),
                                              ("b2b_shop_order_id", "=", remote)])
        self.assertEqual(sale.partner_id.lang, "fr_FR")
        self.assertIn("Emballage cadeau", sale.order_line.mapped("name"))
        self.assertIn("Message cadeau : Joyeux anniversaire", sale.note)
        self.assertNotIn("Gift", sale.note)
