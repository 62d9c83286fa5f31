"""A refusal of the sandbox Shopify, raised by the adapter as a coded ShopError, read in the user's language on
the exchange while the log keeps its code and English text (issue 17)."""

import logging

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_ecommerce_sync.tests.common import MUTE, ShopTestMixin
from odoo.addons.b2b_sandbox.peers import shopify
from odoo.addons.b2b_sandbox.peers.shopify.store import ALL_SCOPES


class _Records(logging.Handler):
    """The messages of the INFO records that reach the root logger."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@tagged("post_install", "-at_install")
class TestShopifyErrorsInFrench(ShopTestMixin, TranslationMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a token that may not read orders: Shopify answers ACCESS_DENIED
        cls.peer = cls.enterClassContext(
            shopify.ShopifyPeer(token=shopify.DEMO_TOKEN, scopes=ALL_SCOPES - {"read_orders"}))
        cls._shop_catalogue()
        cls.backend = cls._shop_backend("shopify", cls.peer.url, shopify.DEMO_TOKEN,
                                        options={"location_id": shopify.PRIMARY_LOCATION})

    def test_a_refused_order_import_reads_in_french_and_logs_its_code(self):
        self._b2b_load_languages("b2b_shop_shopify", "b2b_ecommerce_sync", "b2b_connector_base")
        self.env.user.lang = "fr_FR"
        self.backend = self.backend.with_context(lang="fr_FR")
        logs = _Records()
        # on the root logger (assertLogs sees nothing under the test runner's logging set-up)
        logging.getLogger().addHandler(logs)
        self.addCleanup(logging.getLogger().removeHandler, logs)
        with mute_logger(MUTE):
            run, _children = self._run(self.backend, "orders")
        self.assertEqual(run.state, "failed")
        self.assertTrue(run.error.startswith(
            "le jeton d'accès Shopify n'a pas le droit d'exécuter la liste des commandes (Orders) : "), run.error)
        self.assertIn("Access denied for Orders", run.error)  # Shopify's own words, as it wrote them
        self.assertNotIn("may not run", run.error)
        # the log keeps the code and the English text besides the French one
        line = next((m for m in logs.messages if "protocol error shop.shopify.access_denied" in m), "")
        self.assertIn("the Shopify access token may not run the order list (Orders): Access denied for Orders", line)
        self.assertIn(run.error, line)
        # the traceback kept for managers is the English one
        self.assertIn("the Shopify access token may not run the order list (Orders)", run.error_detail)

    def test_the_same_refusal_stays_english_for_an_english_user(self):
        self.env.user.lang = "en_US"
        with mute_logger(MUTE):
            run, _children = self._run(self.backend.with_context(lang="en_US"), "orders")
        self.assertEqual(run.state, "failed")
        self.assertTrue(run.error.startswith("the Shopify access token may not run the order list (Orders): Access "
                                             "denied"), run.error)
