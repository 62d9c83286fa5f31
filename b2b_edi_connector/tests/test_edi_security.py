"""Who may configure and call an EDI wholesaler, tried over JSON-RPC as the users themselves.

The attack this guards against: an internal user allowed to edit contacts points a wholesaler's endpoint
(or override URL) at a server of their own and makes Odoo call it; the WS-Security username and password
of the wholesaler account go with the call. Only B2B Managers configure or call a wholesaler; a purchase
user confirming an order still has it sent over the configured connection."""

from lxml import etree

from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.b2b_sandbox.peers.dico_wholesaler import DicoWholesalerPeer
from odoo.addons.b2b_sandbox.peers.server import ScriptedPeer
from odoo.addons.queue_job.job import Job

PASSWORD = "sandbox-edi"
MANAGER_ONLY = "B2B Managers"
# every field that configures the connection or the identity we send under
CONFIG_FIELDS = ("edi_enabled", "edi_url", "edi_test_url", "edi_override_url", "edi_relation_id", "edi_username",
                 "edi_password", "edi_format", "edi_profile_id", "edi_test_mode", "b2b_gln", "b2b_timeout",
                 "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit", "b2b_rate_period")


@tagged("post_install", "-at_install")
class TestEdiSecurity(B2BTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = cls.enterClassContext(DicoWholesalerPeer())
        # the attacker's server: records whatever reaches it
        cls.attacker = cls.enterClassContext(ScriptedPeer())
        cls.attacker_url = f"{cls.attacker.url}/MessageService/3.1"
        cls.env.company.b2b_gln = "8714231774051"
        cls.supplier = cls.env["res.partner"].create({
            "name": "Secure Groothandel", "is_company": True, "b2b_gln": "8713473000010", "edi_enabled": True,
            "edi_url": f"{cls.peer.url}/MessageService/3.1", "edi_relation_id": "100234",
            "edi_username": "buyer", "edi_password": PASSWORD, "b2b_retries": 1,
        })
        cls.product = cls.env["product.product"].create({
            "name": "Frame", "is_storable": True, "barcode": "4011377309456",
            "seller_ids": [Command.create({"partner_id": cls.supplier.id, "product_code": "SBX-100", "price": 4.95})]})
        cls.contact_user = new_test_user(cls.env, "edi_contact", password="edi_contact",
                                         groups="base.group_user,base.group_partner_manager")
        cls.b2b_user = new_test_user(cls.env, "edi_b2b_user", password="edi_b2b_user",
                                     groups="base.group_partner_manager,b2b_connector_base.group_b2b_user")
        cls.buyer = new_test_user(cls.env, "edi_buyer", password="edi_buyer", groups="purchase.group_purchase_user")
        cls.manager = new_test_user(cls.env, "edi_manager", password="edi_manager",
                                    groups="base.group_partner_manager,b2b_connector_base.group_b2b_manager")

    def setUp(self):
        super().setUp()
        self.peer.reset()
        self.attacker.reset()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM queue_job")
        self.last_job_id = self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------ helpers
    def _call(self, model, method, *args, **kwargs):
        """``call_kw`` over JSON-RPC as the authenticated user: (result, error data or None)."""
        with mute_logger("odoo.http"):
            response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", json={
                "jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs}}, timeout=60)
        response.raise_for_status()
        body = response.json()
        return body.get("result"), (body.get("error") or {}).get("data")

    def _run_queued_jobs(self):
        """What the job runner would do next with every job queued since the test started."""
        jobs = self.env["queue.job"].search([("id", ">", self.last_job_id), ("state", "=", "pending")])
        for job in jobs:
            job_ = Job.load(self.env, job.uuid)
            job_.perform()
            job_.set_done()
            job_.store()
        self.env.invalidate_all()
        return jobs

    def _assert_refused(self, outcome, what, message=None):
        result, error = outcome
        self.assertTrue(error, f"{what}: not refused (answered {result!r})")
        self.assertEqual(error["name"], "odoo.exceptions.AccessError", f"{what}: {error.get('message')}")
        if message:
            self.assertIn(message, error["message"], what)

    @staticmethod
    def _form_fields(views):
        """The fields the web client reads to show the form of ``get_views``' answer."""
        arch = etree.fromstring(views["views"]["form"]["arch"])
        return {node.get("name") for node in arch.xpath("//field[not(ancestor::field)]")}

    def _po(self, user=None):
        form = Form(self.env["purchase.order"].with_user(user or self.env.user))
        form.partner_id = self.supplier
        with form.order_line.new() as line:
            line.product_id = self.product
            line.product_qty = 3
        return form.save()

    # ------------------------------------------------------------------ the attack
    def test_non_manager_cannot_send_the_wholesaler_password_elsewhere(self):
        for user in (self.contact_user, self.b2b_user):
            with self.subTest(user=user.login):
                self.attacker.reset()
                self.authenticate(user.login, user.login)
                supplier = [self.supplier.id]
                outcomes = {
                    "write override URL": self._call("res.partner", "write", supplier,
                                                     {"edi_override_url": self.attacker_url}),
                    "write test URL": self._call("res.partner", "write", supplier,
                                                 {"edi_test_url": self.attacker_url, "edi_test_mode": True}),
                    # every supplier of a profile without an address of its own calls the profile's
                    "write a profile's address": self._call("b2b.edi.profile", "write",
                                                            [self.supplier.edi_profile_id.id],
                                                            {"endpoint_production": self.attacker_url}),
                    "write endpoint URL": self._call("res.partner", "write", supplier,
                                                     {"edi_url": self.attacker_url}),
                    "test connection": self._call("res.partner", "action_edi_test_connection", supplier),
                    "poll": self._call("res.partner", "action_edi_poll", supplier),
                }
                self._run_queued_jobs()
                received = "".join(r.text for r in self.attacker.requests)
                self.assertNotIn(PASSWORD, received, "the wholesaler's password reached the attacker's server")
                self.assertFalse(self.attacker.requests, "a request reached the attacker's server")
                self.assertFalse(self.peer.requests, "a non-manager made Odoo call the wholesaler")
                self.assertEqual(self.supplier.edi_url, f"{self.peer.url}/MessageService/3.1")
                self.assertFalse(self.supplier.edi_override_url)
                for what in ("write override URL", "write test URL", "write endpoint URL", "write a profile's address"):
                    self._assert_refused(outcomes[what], what)
                self.assertFalse(self.supplier.edi_profile_id.endpoint_production)
                for what in ("test connection", "poll"):
                    self._assert_refused(outcomes[what], what, MANAGER_ONLY)
                self.assertFalse(self.env["b2b.exchange"].search([("kind", "in", ("dico.poll", "test_connection")),
                                                                  ("user_id", "=", user.id)]))

    def test_non_manager_can_neither_read_nor_set_the_configuration(self):
        self.authenticate(self.b2b_user.login, self.b2b_user.login)
        values = {
            "edi_enabled": False, "edi_relation_id": "999", "edi_username": "me", "edi_password": "x",
            "edi_test_url": self.attacker_url,
            "edi_format": "SALES005", "edi_test_mode": True,
            "edi_profile_id": self.env.ref("b2b_edi_connector.edi_profile_article_code").id,
            "b2b_gln": "8712345678906", "b2b_timeout": 1, "b2b_connect_timeout": 1, "b2b_retries": 50,
            "b2b_rate_limit": 1, "b2b_rate_period": 1,
        }
        for name, value in values.items():
            self._assert_refused(self._call("res.partner", "write", [self.supplier.id], {name: value}), f"write {name}")
            self._assert_refused(self._call("res.partner", "read", [self.supplier.id], [name]), f"read {name}")
        # nor as a new wholesaler of their own
        self._assert_refused(self._call("res.partner", "create", [{
            "name": "My wholesaler", "is_company": True, "edi_enabled": True, "edi_url": self.attacker_url,
            "edi_relation_id": "100234"}]), "create an EDI supplier")
        self._assert_refused(self._call("res.company", "read", [self.env.company.id], ["b2b_gln"]), "company GLN")
        # resending a purchase order is calling the wholesaler too
        po = self._po()
        po.button_confirm()
        self._run_queued_jobs()
        self.peer.reset()
        self._assert_refused(self._call("purchase.order", "action_edi_send", [po.id]), "send", MANAGER_ONLY)
        # the scheduled poll is no public method, its cron is for administrators
        self._assert_refused(self._call("res.partner", "_cron_edi_poll"), "cron method")
        cron = self.env.ref("b2b_edi_connector.ir_cron_edi_poll")
        self._assert_refused(self._call("ir.cron", "method_direct_trigger", [cron.id]), "run the cron")
        self._run_queued_jobs()
        self.assertFalse(self.peer.requests)
        self.supplier.invalidate_recordset()
        self.assertEqual((self.supplier.edi_format, self.supplier.edi_relation_id, self.supplier.b2b_retries),
                         ("INSBOU003", "100234", 1))
        # the form still opens, without the configuration
        views, error = self._call("res.partner", "get_views", [[False, "form"]], options={})
        self.assertIsNone(error)
        shown = views["models"]["res.partner"]["fields"]
        self.assertFalse(set(CONFIG_FIELDS) & set(shown), "configuration fields in a non-manager's form")
        self.assertIn("action_b2b_view_exchanges", views["views"]["form"]["arch"])
        self.assertNotIn("action_edi_test_connection", views["views"]["form"]["arch"])
        _result, error = self._call("res.partner", "web_read", [self.supplier.id],
                                    specification={name: {} for name in self._form_fields(views)})
        self.assertIsNone(error, error and error["message"])

    def test_copy_keeps_no_credentials_nor_connection(self):
        for user in (self.manager, self.contact_user):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                copy_id, error = self._call("res.partner", "copy", [self.supplier.id])
                self.assertIsNone(error)
                copy = self.env["res.partner"].browse(copy_id)
                self.assertFalse(copy.edi_password_enc)
                self.assertEqual(
                    [copy[name] for name in ("edi_enabled", "edi_url", "edi_test_url", "edi_override_url",
                                             "edi_relation_id", "edi_username", "b2b_gln")],
                    [False] * 7)

    def test_profiles_are_configured_by_managers_only(self):
        profile = self.env.ref("b2b_edi_connector.edi_profile_gtin14")
        for user in (self.contact_user, self.buyer, self.b2b_user):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                self._assert_refused(self._call("b2b.edi.profile", "write", [profile.id], {"gtin14": False}),
                                     "write a profile")
                self._assert_refused(self._call("b2b.edi.profile", "create", [{"name": "Mine", "code": "mine"}]),
                                     "create a profile")
                self._assert_refused(self._call("b2b.edi.profile", "unlink", [profile.id]), "delete a profile")
        _result, error = self._call("b2b.edi.profile", "read", [profile.id], ["code"])
        self.assertIsNone(error, "B2B users see the profiles")
        self.authenticate(self.contact_user.login, self.contact_user.login)
        self._assert_refused(self._call("b2b.edi.profile", "read", [profile.id], ["code"]), "read as a contact user")
        self.assertTrue(profile.gtin14)
        self.authenticate(self.manager.login, self.manager.login)
        created, error = self._call("b2b.edi.profile", "create", [{"name": "Rexel-like", "code": "rexel_like",
                                                                    "supplier_code_only": True}])
        self.assertIsNone(error)
        _result, error = self._call("res.partner", "write", [self.supplier.id], {"edi_profile_id": created[0]})
        self.assertIsNone(error)
        self.assertEqual(self.supplier.edi_profile_id.code, "rexel_like")

    # ------------------------------------------------------------------ what still works
    def test_purchase_user_confirms_and_the_order_is_sent(self):
        self.authenticate(self.buyer.login, self.buyer.login)
        shown, arch = {}, {}
        for model in ("purchase.order", "res.partner"):
            views, error = self._call(model, "get_views", [[False, "list"], [False, "form"]], options={})
            self.assertIsNone(error, model)
            shown[model] = views["models"][model]["fields"]
            arch[model] = self._form_fields(views)
        self.assertFalse(set(CONFIG_FIELDS) & set(shown["res.partner"]))
        self.assertNotIn("edi_enabled", shown["purchase.order"])
        self.assertIn("edi_state", arch["purchase.order"])
        po = self._po(self.buyer)  # the purchase order form as the buyer sees it
        # what the web client reads to show the order and its supplier
        for model, rec in (("purchase.order", po), ("res.partner", self.supplier)):
            _result, error = self._call(model, "web_read", [rec.id], specification={name: {} for name in arch[model]})
            self.assertIsNone(error, error and error["message"])
        _result, error = self._call("purchase.order", "button_confirm", [po.id])
        self.assertIsNone(error)
        po.invalidate_recordset()
        self.assertEqual((po.state, po.edi_state), ("purchase", "pending"))
        jobs = self._run_queued_jobs()
        self.assertEqual(len(jobs), 1)
        self.assertEqual(po.edi_state, "sent")
        received = self.peer.orders[0]
        self.assertEqual((received.account, received.order.number), ("100234", po.name))
        self.assertFalse(self.attacker.requests)

    def test_manager_configures_and_calls_the_wholesaler(self):
        self.authenticate(self.manager.login, self.manager.login)
        acceptance = self.enterContext(DicoWholesalerPeer())
        _result, error = self._call("res.partner", "write", [self.supplier.id], {
            "edi_override_url": f"{acceptance.url}/MessageService/3.1", "edi_test_mode": True, "b2b_retries": 2})
        self.assertIsNone(error)
        notification, error = self._call("res.partner", "action_edi_test_connection", [self.supplier.id])
        self.assertIsNone(error)
        self.assertEqual(notification["params"]["type"], "success", notification["params"]["message"])
        _result, error = self._call("res.partner", "action_edi_poll", [self.supplier.id])
        self.assertIsNone(error)
        self.assertEqual(len(self._run_queued_jobs()), 1)
        self.assertEqual(len(acceptance.requests), 2, "test connection and poll went to the acceptance server")
        self.assertFalse(self.peer.requests)
        views, error = self._call("res.partner", "get_views", [[False, "form"]], options={})
        self.assertIsNone(error)
        self.assertLessEqual(set(CONFIG_FIELDS) - {"b2b_rate_limit", "b2b_rate_period"},
                             set(views["models"]["res.partner"]["fields"]))
        values, error = self._call("res.partner", "read", [self.supplier.id], ["edi_password", "edi_override_url"])
        self.assertIsNone(error)
        self.assertEqual(values[0]["edi_password"], "********")
