from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib.http import TransportError

from .common import B2BTestMixin, declare_exchange_type, patch_processor

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"


@tagged("post_install", "-at_install")
class TestExchangeType(B2BTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Exchange = cls.env["b2b.exchange"]
        cls.type = declare_exchange_type(cls.env, "test.typed", "Typed test message", direction="in",
                                         max_attempts=3, retry_backoff_minutes=30, retry_max_delay_minutes=45)
        cls.partner = cls.env["res.partner"].create({"name": "Typed wholesaler"})
        cls.PartnerCls = type(cls.env["res.partner"])

    def test_an_undeclared_code_is_refused_loudly(self):
        before = self.Exchange.search_count([])
        with self.assertRaisesRegex(ValueError, r"Unknown B2B exchange type\(s\) no\.such\.kind: declare"):
            self.Exchange._b2b_log("no.such.kind")
        with self.assertRaisesRegex(ValueError, "no.such.kind"):
            self.Exchange.sudo().create([{"kind": "no.such.kind", "summary": "a child of a run"}])
        self.assertEqual(self.Exchange.search_count([]), before)

    def test_the_type_gives_code_direction_and_attempts(self):
        exchange = self.Exchange._b2b_log("test.typed", backend=self.partner)
        self.assertEqual(exchange.type_id, self.type)
        self.assertEqual(exchange.kind, "test.typed")
        self.assertEqual(exchange.direction, "in")
        self.assertEqual(exchange.max_attempts, 3)
        self.assertEqual(self.Exchange.search([("kind", "=", "test.typed")]), exchange)
        # the code says otherwise: it wins
        other = self.Exchange._b2b_log("test.typed", direction="out", max_attempts=9)
        self.assertEqual((other.direction, other.max_attempts), ("out", 9))
        # bulk creation with the code (children of a run) resolves the type too
        child = self.Exchange.sudo().create([{"kind": "test.typed", "parent_id": exchange.id}])
        self.assertEqual((child.type_id, child.direction), (self.type, "in"))

    def test_backoff_and_maximum_delay_come_from_the_type(self):
        def down(self, exchange):
            raise TransportError("timeout", kind="timeout")

        exchange = self.Exchange._b2b_log("test.typed", backend=self.partner, process=("res.partner", "_b2b_t_down"))
        with patch_processor(self.PartnerCls, "_b2b_t_down", down), mute_logger(MUTE):
            before = fields.Datetime.now()
            exchange._b2b_process()
            self.assertTrue(exchange.auto_retry)
            self.assertGreaterEqual(exchange.next_retry_at, before + timedelta(minutes=30))
            self.assertLess(exchange.next_retry_at, before + timedelta(minutes=31))
            exchange.state = "pending"
            before = fields.Datetime.now()
            exchange._b2b_process()
            # doubled, 60 minutes, but at most 45
            self.assertGreaterEqual(exchange.next_retry_at, before + timedelta(minutes=45))
            self.assertLess(exchange.next_retry_at, before + timedelta(minutes=46))
            exchange.state = "pending"
            exchange._b2b_process()
        self.assertEqual(exchange.attempt_count, 3)
        self.assertFalse(exchange.auto_retry, "the type allows three attempts")

    def test_the_type_channel_wins_over_the_backend_channel(self):
        alone = self.Exchange._b2b_log("test.typed")
        self.assertEqual(alone._b2b_job_channel(), "root.b2b")
        exchange = self.Exchange._b2b_log("test.typed", backend=self.partner)
        backend_channel = exchange._b2b_job_channel()  # root.b2b.edi_<id> when b2b_edi_connector is installed
        self.type.job_channel = "root.b2b.typed"
        self.assertEqual(alone._b2b_job_channel(), "root.b2b.typed")
        self.assertNotEqual(backend_channel, "root.b2b.typed")
        with trap_jobs() as trap:
            exchange._b2b_enqueue()
            trap.assert_jobs_count(1)
            self.assertEqual(trap.enqueued_jobs[0].channel, "root.b2b.typed")
            self.assertIn("Typed test message", trap.enqueued_jobs[0].description)
        with self.assertRaises(ValidationError):
            self.type.job_channel = "b2b typed"

    def test_managers_tune_the_policy_but_not_the_code(self):
        manager = new_test_user(self.env, "b2b_type_boss", groups="b2b_connector_base.group_b2b_manager")
        as_manager = self.type.with_user(manager)
        as_manager.write({"max_attempts": 7, "retry_backoff_minutes": 1, "job_channel": "root.b2b"})
        self.assertEqual(self.type.max_attempts, 7)
        for vals in ({"code": "test.renamed"}, {"direction": "out"}):
            with self.assertRaises(UserError):
                as_manager.write(vals)
        as_manager.write({"code": "test.typed", "name": "Same code, new name"})  # what a form sends back
        self.assertEqual(self.type.code, "test.typed")

    def test_declared_types_name_their_addon(self):
        test_connection = self.env.ref("b2b_connector_base.exchange_type_test_connection")
        self.assertEqual((test_connection.code, test_connection.module), ("test_connection", "b2b_connector_base"))
        self.assertFalse(self.type.module)

    def test_the_log_shows_the_type_name(self):
        views = self.Exchange.get_views([(False, "list"), (False, "form"), (False, "search")])["views"]
        for view_type in ("list", "form", "search"):
            self.assertIn('name="type_id"', views[view_type]["arch"], view_type)
        self.assertNotIn('name="kind"', views["list"]["arch"])
        self.assertIn("'group_by': 'type_id'", views["search"]["arch"])
        self.Exchange._b2b_log("test.typed")
        groups = self.Exchange._read_group([("kind", "=", "test.typed")], ["type_id"], ["__count"])
        self.assertEqual([(t.display_name, n) for t, n in groups], [("Typed test message", 1)])
