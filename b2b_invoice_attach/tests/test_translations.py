import time
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_connector_base.tools import errors as errors_tools
from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.b2b_baselinker_backend import RUN_KIND
from .common import BaseLinkerTestMixin

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
TOKEN = "bl-pl-T0ken-31"


@tagged("post_install", "-at_install")
class TestBaseLinkerTranslations(TranslationMixin, TransactionCase):
    def test_backend_form_in_the_users_language(self):
        catalogues = self._b2b_load_languages("b2b_invoice_attach", "b2b_connector_base")
        self.assertScreenTranslated(catalogues, "b2b.baselinker.backend", {
            "Upload now": "Envoyer maintenant", "Window": "Fenêtre", "Statuses": "Statuts",
            "Days Back": "Jours en arrière",
        }, fields=("days_back",))


@tagged("post_install", "-at_install")
class TestBaseLinkerErrorsTranslated(BaseLinkerTestMixin, TranslationMixin, B2BTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._baselinker_peer(TOKEN)
        cls.backend = cls._baselinker_backend(name="BL pl", invoice_series_id=15, b2b_retries=1,
                                              no_invoice_after_hours=0)

    def test_a_baselinker_refusal_reaches_the_exchange_in_polish_with_its_code_in_the_log(self):
        self._b2b_load_languages("b2b_invoice_attach", "b2b_connector_base")
        polish = new_test_user(self.env, "bl_pl_manager", lang="pl_PL",
                               groups="base.group_user,b2b_connector_base.group_b2b_manager")
        self.peer.blocked_until = time.time() + 600
        # what the Polish manager starts runs in their language
        backend = self.backend.with_user(polish).with_context(lang=polish.lang)
        with trap_jobs():
            backend.action_run_now()
        run = backend.env["b2b.exchange"].search([("kind", "=", RUN_KIND)], order="id desc", limit=1)
        self.assertEqual(run.state, "pending")
        with mute_logger(MUTE), patch.object(errors_tools, "_logger") as logger:
            run._b2b_process()
        self.assertEqual(run.state, "failed")
        self.assertRegex(run.error, r"^BaseLinker odrzucił \w+: .+ \(ERROR_USER_ACCOUNT_BLOCKED\)$")
        # the log keeps the code and the English text besides the Polish one
        logged = "\n".join(call.args[0] % call.args[1:] for call in logger.info.call_args_list)
        self.assertIn("protocol error ERROR_USER_ACCOUNT_BLOCKED: BaseLinker refused ", logged)
        self.assertIn("(shown as: BaseLinker odrzucił ", logged)
