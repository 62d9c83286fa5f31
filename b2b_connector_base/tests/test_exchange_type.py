import importlib.util
import pathlib
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
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
        by_type = self.Exchange.sudo().create([{"type_id": self.type.id}])
        self.assertEqual((by_type.kind, by_type.direction), ("test.typed", "in"))
        with self.assertRaisesRegex(ValueError, "given with the code"):
            self.Exchange.sudo().create([{"type_id": self.type.id, "kind": "test_connection"}])

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

    def test_exchanges_logged_before_their_type_get_it_when_it_is_declared(self):
        """A database from before exchange types: its exchanges have their code and no type until the upgrade
        loads the addon's data, which declares it."""
        self.env.cr.execute("ALTER TABLE b2b_exchange ALTER COLUMN type_id DROP NOT NULL")
        self.env.cr.execute("INSERT INTO b2b_exchange (name, kind, direction, state, company_id) VALUES "
                            "('OLD/1', 'test.legacy', 'in', 'done', %(c)s), "
                            "('OLD/2', 'test.gone', 'out', 'done', %(c)s) RETURNING id", {"c": self.env.company.id})
        old, gone = self.Exchange.browse(row[0] for row in self.env.cr.fetchall())
        self.assertFalse(old.type_id)
        legacy = declare_exchange_type(self.env, "test.legacy", "Legacy message", direction="in")
        self.assertEqual(old.type_id, legacy)
        self.assertEqual(self.Exchange.search([("type_id", "=", legacy.id)]), old)
        # the end of the upgrade: what no addon declares gets the undeclared type, until an addon declares it
        path = pathlib.Path(__file__).parent.parent / "migrations" / "19.0.1.1.0" / "end-migrate.py"
        spec = importlib.util.spec_from_file_location("b2b_end_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.Exchange.invalidate_model(["type_id"])
        self.assertEqual((gone.type_id.code, gone.kind, old.type_id), ("b2b.undeclared", "test.gone", legacy))
        self.env.cr.execute("SELECT count(*) FROM b2b_exchange WHERE type_id IS NULL")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        gone_type = declare_exchange_type(self.env, "test.gone")
        self.assertEqual(gone.type_id, gone_type)
        # the addon renames its code in a later version (its data, as superuser): the exchanges follow
        legacy.code = "test.legacy.v2"
        self.assertEqual(old.kind, "test.legacy.v2")
        self.assertEqual(self.Exchange._b2b_find("test.legacy.v2", False) | old, old)

    def test_a_logged_type_outlives_its_addon(self):
        """Uninstalling an addon deletes its types: one the log holds exchanges of is refused in words and stays
        (Odoo keeps its external id for the addon installed again); one never logged goes."""
        self.Exchange._b2b_log("test.typed")
        unused = declare_exchange_type(self.env, "test.never.logged")
        uninstalling = {MODULE_UNINSTALL_FLAG: True}
        with self.assertRaisesRegex(UserError, r"^Typed test message: the log holds exchanges of this type"):
            (self.type | unused).with_context(**uninstalling).unlink()
        unused.with_context(**uninstalling).unlink()
        self.assertFalse(unused.exists())
        self.assertTrue(self.type.exists())

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
