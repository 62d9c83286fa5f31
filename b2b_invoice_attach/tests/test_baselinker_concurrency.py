"""Two upload runs of one BaseLinker account at the same moment, in two real, separately committed transactions
(as two job runner workers would run them): the second ends cleanly as "already running"."""

import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin, CommittedRunsMixin

from ..models.b2b_baselinker_backend import RUN_KIND
from .common import BaseLinkerTestMixin

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
TOKEN = "bl-concurrent-T0ken"


@tagged("post_install", "-at_install")
class TestBaseLinkerConcurrentRuns(BaseLinkerTestMixin, B2BTestMixin, CommittedRunsMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._baselinker_peer(TOKEN)

    def setUp(self):
        super().setUp()
        self.peer.reset()
        with self.registry.cursor() as cr:  # committed: the two transactions below must see it
            env = api.Environment(cr, SUPERUSER_ID, {})
            backend = self._baselinker_backend(env, name=f"BL concurrent {self.peer.port}", b2b_retries=0,
                                               setup_date=fields.Datetime.now() - timedelta(days=3))
            self.backend_id = backend.id
            self.run_ids = [backend._b2b_exchange(RUN_KIND, direction="out", protocol="BaseLinker",
                                                  process=(backend._name, "_b2b_process_run")).id for _n in (1, 2)]
        self.addCleanup(self._remove_committed, "b2b.baselinker.backend", self.backend_id)

    def test_a_second_run_while_the_first_reads_baselinker_ends_as_already_running(self):
        first, second = self.run_ids
        results = {}
        arrived, release = threading.Event(), threading.Event()
        real_handle = self.peer.handle

        def slow_orders(request):  # the first run holds the lock while it waits for getOrders
            if b"getOrders" in request.body and not arrived.is_set():
                arrived.set()
                release.wait(20)
            return real_handle(request)

        with patch.object(self.peer, "handle", slow_orders), mute_logger(MUTE):
            one = self._thread(first, results)
            self.assertTrue(arrived.wait(10), f"the first run reads BaseLinker: {results}")
            two = self._thread(second, results)
            two.join(5)
            release.set()
            one.join(30)
            two.join(30)
        self.assertEqual(results[first][0], "done", results[first])
        state, summary, error = results[second]
        self.assertEqual((state, error), ("cancelled", ""), summary)
        self.assertRegex(summary, r"^Already running: another run is under way; this upload run of .* did nothing\.$")
        self.assertEqual(self.peer.calls["getOrders"], 1, "the second run did not read BaseLinker")

    def test_a_run_whose_snapshot_predates_a_run_that_just_ended_does_nothing(self):
        first, second = self.run_ids
        with mute_logger(MUTE):
            results = self._second_run_with_an_older_snapshot(first, second)
        self.assertEqual(results[first][0], "done", results[first])
        state, summary, error = results[second]
        self.assertEqual((state, error), ("cancelled", ""), summary)
        self.assertRegex(summary, r"^Already running: \S+ ran meanwhile; this upload run of .* did nothing\.$")
        self.assertEqual(self.peer.calls["getOrders"], 1)
