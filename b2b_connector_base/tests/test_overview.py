"""The B2B overview (one card per backend with its health), the graph of exchanges per day, the Settings
section and the exchange log's list and form."""

import contextlib
import os
from datetime import timedelta
from unittest.mock import patch

from cryptography.fernet import Fernet
from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import config

from ..lib.crypto import CONFIG_KEY, ENV_VAR
from ..lib.http import TransportError
from ..tools import secret_key
from .common import declare_exchange_type


@contextlib.contextmanager
def partner_backends(env, partners, category="Test wholesaler"):
    """``partners`` are the backends the overview knows (as EDI or punch-out make partners backends)."""
    def sources(self):
        return [{"model": "res.partner", "domain": [("id", "in", partners.ids)], "category": category,
                 "sequence": 5, "action": "base.action_partner_form"}]

    with patch.object(type(env["b2b.overview.source"]), "_b2b_overview_sources", sources):
        yield


class OverviewCase:
    @classmethod
    def _exchanges(cls):
        """A backend with exchanges of every kind and age, another one with one failure of its own."""
        env = cls.env
        declare_exchange_type(env, "overview.kind", "Overview order")
        cls.backend, cls.other, cls.quiet = env["res.partner"].create([
            {"name": "Overview Wholesaler", "is_company": True},
            {"name": "Overview Shop", "is_company": True},
            {"name": "Overview Newcomer", "is_company": True},
        ])
        Exchange = env["b2b.exchange"]
        now = fields.Datetime.now()

        def log(backend, state, summary, **vals):
            return Exchange._b2b_log("overview.kind", backend=backend, state=state, summary=summary, **vals)

        cls.done_old = log(cls.backend, "done", "Overview: done 3 days ago", date_done=now - timedelta(days=3))
        cls.done_last = log(cls.backend, "done", "Overview: done a minute ago", date_done=now - timedelta(minutes=1))
        cls.failed_now = log(cls.backend, "failed", "Overview: failed order", error="Connection failed")
        cls.failed_old = log(cls.backend, "failed", "Overview: failed last week", error="Timeout")
        cls.pending = log(cls.backend, "pending", "Overview: queued 1") | log(cls.backend, "pending",
                                                                             "Overview: queued 2")
        log(cls.backend, "sent", "Overview: awaiting an answer")  # sent: not in the queue any more
        log(cls.backend, "cancelled", "Overview: cancelled")
        cls.failed_other = log(cls.other, "failed", "Overview: failed of the shop", error="Timeout")
        log(cls.other, "done", "Overview: done of the shop", date_done=now - timedelta(days=1))
        # a failure of another company is not counted for the users of this one
        company_b = env["res.company"].create({"name": "Overview Company B"})
        log(cls.backend, "failed", "Overview: failed in company B", company_id=company_b.id)
        log(cls.backend, "done", "Overview: done in company B", company_id=company_b.id, date_done=now)
        env.flush_all()
        # the failure of last week happened last week
        env.cr.execute("UPDATE b2b_exchange SET write_date = %s WHERE id = %s",
                       [now - timedelta(days=6), cls.failed_old.id])
        env.invalidate_all()


@tagged("post_install", "-at_install")
class TestOverview(OverviewCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._exchanges()
        cls.user = new_test_user(cls.env, "overview_user", groups="b2b_connector_base.group_b2b_user")

    def _cards(self, partners=None):
        partners = partners or (self.backend | self.other | self.quiet)
        with partner_backends(self.env, partners):
            action = self.env["b2b.overview.card"].with_user(self.user).action_b2b_overview()
        cards = self.env["b2b.overview.card"].with_user(self.user).search(action.get("domain") or [])
        return action, {card.res_id: card for card in cards}

    def test_figures_of_each_card(self):
        action, cards = self._cards()
        self.assertEqual(action["res_model"], "b2b.overview.card")
        self.assertEqual(action["view_mode"], "kanban")
        self.assertEqual(set(cards), {self.backend.id, self.other.id, self.quiet.id})
        card = cards[self.backend.id]
        self.assertEqual((card.name, card.category), ("Overview Wholesaler", "Test wholesaler"))
        self.assertEqual(card.last_success, self.done_last.date_done)
        self.assertEqual(card.failed_24h, 1, "the failure of last week and that of company B are not counted")
        self.assertEqual(card.failed_count, 2)
        self.assertEqual(card.queue_count, 2, "pending exchanges; a sent one awaits its answer, it is not queued")
        self.assertEqual(card.health, "failing")
        other = cards[self.other.id]
        self.assertEqual((other.failed_24h, other.failed_count, other.queue_count), (1, 1, 0))
        quiet = cards[self.quiet.id]
        self.assertEqual((quiet.last_success, quiet.failed_24h, quiet.queue_count, quiet.health),
                         (False, 0, 0, "idle"))
        # a retried failure that ended well: the card works again
        self.failed_now.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
        self.failed_other.sudo().write({"state": "pending"})
        self.env.invalidate_all()
        self.assertEqual((card.failed_24h, card.health), (0, "ok"))
        self.assertEqual(card.last_success, self.failed_now.date_done)
        self.assertEqual((other.failed_count, other.queue_count, other.health), (0, 1, "ok"))

    def test_figures_cost_the_same_for_one_card_and_for_many(self):
        _action, cards = self._cards()
        Card = self.env["b2b.overview.card"].with_user(self.user)

        def queries(records):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            records.read(["last_success", "failed_24h", "failed_count", "queue_count", "health"])
            return self.cr.sql_log_count - before

        one = queries(Card.browse(cards[self.backend.id].id))
        self.assertEqual(queries(Card.browse([c.id for c in cards.values()])), one, "grouped queries, not per card")

    def test_failed_button_opens_the_failed_exchanges_of_its_backend(self):
        _action, cards = self._cards()
        action = cards[self.backend.id].action_open_failed()
        self.assertEqual(action["res_model"], "b2b.exchange")
        found = self.env["b2b.exchange"].with_user(self.user).search(action["domain"])
        self.assertEqual(found, self.failed_now | self.failed_old)
        queue = cards[self.backend.id].action_open_queue()
        self.assertEqual(self.env["b2b.exchange"].with_user(self.user).search(queue["domain"]), self.pending)
        graph = cards[self.other.id].action_open_graph()
        self.assertEqual(graph["views"][0][1], "graph")
        self.assertEqual(set(self.env["b2b.exchange"].search(graph["domain"]).mapped("summary")),
                         {"Overview: failed of the shop", "Overview: done of the shop"})
        opened = cards[self.quiet.id].action_open_backend()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("res.partner", self.quiet.id))

    def test_cards_follow_the_backends(self):
        _action, cards = self._cards()
        self.backend.name = "Overview Wholesaler (renamed)"
        _action, cards = self._cards(self.backend | self.quiet)
        self.assertEqual(set(cards), {self.backend.id, self.quiet.id}, "no card for what is no backend any more")
        self.assertEqual(cards[self.backend.id].name, "Overview Wholesaler (renamed)")
        self.assertEqual(self.env["b2b.overview.card"].sudo().search_count(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.backend.id)]), 1)

    def test_graph_of_exchanges_per_day_by_state(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_exchange_graph")
        self.assertEqual(action["res_model"], "b2b.exchange")
        self.assertEqual(action["views"][0][1], "graph")
        arch = etree.fromstring(self.env["b2b.exchange"].with_user(self.user).get_views(
            [(action["views"][0][0], "graph")])["views"]["graph"]["arch"])
        self.assertEqual(arch.get("type"), "bar")
        self.assertEqual(arch.get("stacked"), "1")
        rows = arch.xpath("//field[not(@type)]")
        self.assertEqual([(f.get("name"), f.get("interval")) for f in rows], [("create_date", "day")])
        self.assertEqual([f.get("name") for f in arch.xpath("//field[@type='col']")], ["state"])

    def test_the_app_opens_on_the_overview(self):
        root = self.env.ref("b2b_connector_base.menu_b2b_root")
        self.assertEqual(root.action, self.env.ref("b2b_connector_base.action_b2b_overview"))
        with partner_backends(self.env, self.backend):
            result = root.action.with_user(self.user).run()
        self.assertEqual(result["res_model"], "b2b.overview.card")

    def test_exchange_log_has_no_new_button_and_a_readonly_backend(self):
        # as superuser, whom the access rights would not stop: the views themselves say so
        Exchange = self.env["b2b.exchange"].sudo()
        views = Exchange.get_views([(False, "list"), (False, "form")])["views"]
        list_arch = etree.fromstring(views["list"]["arch"])
        self.assertIn(list_arch.get("create"), ("0", "false"))
        form_arch = etree.fromstring(views["form"]["arch"])
        self.assertIn(form_arch.get("create"), ("0", "false"))
        for name in ("backend_ref", "partner_id", "record_ref"):
            node = form_arch.xpath(f"//sheet//field[@name='{name}']")[0]
            self.assertIn(node.get("readonly"), ("1", "True"), name)
        self.assertTrue(Exchange.fields_get(["backend_ref"])["backend_ref"]["readonly"])
        # the summary keeps the width: the other columns of the list are few or fixed
        shown = [f.get("name") for f in list_arch.xpath("/list/field")
                 if f.get("optional") not in ("hide",) and f.get("column_invisible") not in ("1", "True")]
        self.assertEqual(shown, ["light", "create_date", "name", "type_id", "summary", "backend_ref", "state"])

    def test_failure_in_plain_words_on_the_exchange(self):
        exchange = self.env["b2b.exchange"]._b2b_log("overview.kind", backend=self.backend)
        exc = TransportError("cannot connect to https://edi.wholesaler.example:8443/ms: [Errno 111] Connection "
                             "refused (after 4 attempts)", kind="connection",
                             url="https://edi.wholesaler.example:8443/ms", attempts=4)
        exchange._b2b_fail(exc)
        self.assertTrue(exchange.error.startswith(
            "Connection failed: the server of Overview Wholesaler at edi.wholesaler.example:8443 did not answer "
            "(4 attempts)."), exchange.error)
        self.assertNotIn("Errno", exchange.error)
        self.assertIn("[Errno 111] Connection refused", exchange.sudo().error_detail, "the detail stays for managers")
        page = TransportError("https://shop.example/wp-json answered HTTP 404 Not Found: <!DOCTYPE html><html>...",
                              kind="not_found", status=404, body="<!DOCTYPE html><html><body>Not Found</body></html>",
                              url="https://shop.example/wp-json/wc/v3/orders")
        exchange._b2b_fail(page)
        self.assertEqual(exchange.error, "Not found: check the URL (the server of Overview Wholesaler at "
                                         "shop.example answered HTTP 404).")


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    def _arch(self, user):
        return etree.fromstring(self.env["res.config.settings"].with_user(user).get_views(
            [(False, "form")])["views"]["form"]["arch"])

    def test_b2b_section_for_managers_with_the_key_status(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("b2b_connector_base.group_b2b_manager"))
        arch = self._arch(admin)
        section = arch.xpath("//app[@name='b2b_connector_base']")
        self.assertTrue(section, "the B2B section is in Settings")
        for name in ("b2b_secret_key_state", "b2b_backend_links", "b2b_default_schedules"):
            self.assertTrue(section[0].xpath(f".//field[@name='{name}']"), name)
        # an administrator who is no B2B Manager does not get it
        system_only = new_test_user(self.env, "settings_admin", groups="base.group_system")
        self.assertFalse(self._arch(system_only).xpath("//app[@name='b2b_connector_base']"))
        self.assertFalse(self._arch(system_only).xpath("//field[@name='b2b_secret_key_state']"))

        settings = self.env["res.config.settings"].with_user(admin).create({})
        self.assertEqual(settings.b2b_secret_key_state, "ok", "the test configuration has a key")
        self.assertEqual(settings.b2b_secret_key_count, 1)
        schedule_action = self.env.ref("b2b_connector_base.action_b2b_schedule")
        self.assertIn(f"/odoo/action-{schedule_action.id}", settings.b2b_backend_links)
        two_keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
        for value, state, count in (("", "missing", 0), ("not-a-fernet-key", "invalid", 1), (two_keys, "ok", 2)):
            with self.subTest(state=state, count=count), \
                    patch.object(secret_key, "_read_key", lambda *args, v=value: v):
                settings = self.env["res.config.settings"].with_user(admin).create({})
                self.assertEqual((settings.b2b_secret_key_state, settings.b2b_secret_key_count), (state, count))
        # the status, never the key
        key = secret_key._read_key(config.get("config"), config.get(CONFIG_KEY), os.environ.get(ENV_VAR))
        settings = self.env["res.config.settings"].with_user(admin).create({})
        values = settings.read(["b2b_secret_key_state", "b2b_backend_links", "b2b_default_schedules"])[0]
        self.assertTrue(key)
        self.assertNotIn(key.split(",")[0], repr(values))

    def test_default_schedules_of_every_scheduled_backend(self):
        settings = self.env["res.config.settings"].create({})
        shown = 0
        for name, model in self.registry.items():
            if model._abstract or not hasattr(model, "_b2b_default_schedules"):
                continue
            for _flow, label, minutes, _start, _end in self.env[name].browse()._b2b_default_schedules():
                self.assertIn(f"{label}: every {minutes} min", settings.b2b_default_schedules)
                shown += 1
        if not shown:  # b2b_connector_base tested alone: no installed backend has a schedule, and it says so
            self.assertIn("No installed backend runs by schedule.", settings.b2b_default_schedules)

    def test_backend_links_name_every_source(self):
        partners = self.env["res.partner"].create({"name": "Settings backend"})
        with partner_backends(self.env, partners, category="Settings wholesalers"):
            settings = self.env["res.config.settings"].create({})
            links = settings.b2b_backend_links
        self.assertIn("Settings wholesalers", links)
        self.assertIn(f"/odoo/action-{self.env.ref('base.action_partner_form').id}", links)


@tagged("post_install", "-at_install")
class TestOverviewTour(OverviewCase, HttpCase):
    def test_overview_tour(self):
        self._exchanges()
        new_test_user(self.env, "overview_tour", groups="b2b_connector_base.group_b2b_user",
                      password="overview_tour_pw")
        with partner_backends(self.env, self.backend | self.other | self.quiet):
            self.start_tour("/odoo/action-b2b_connector_base.action_b2b_overview", "b2b_overview_tour",
                            login="overview_tour")
