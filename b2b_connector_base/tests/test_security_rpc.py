"""The exchange log attacked as its users would: over JSON-RPC and /web/content, logged in as a B2B User
(or a plain internal user), never through the ORM of the test."""

from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from .common import JsonRpcMixin, declare_exchange_type, patch_processor

MUTE = ("odoo.http", "odoo.addons.b2b_connector_base.models.b2b_exchange")


@tagged("post_install", "-at_install")
class TestExchangeAttacks(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "B2B Attack Company B"})
        cls.attacker = new_test_user(
            cls.env, "b2b_attacker", password="b2b_attacker_pw", groups="b2b_connector_base.group_b2b_user",
            company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        cls.plain = new_test_user(cls.env, "b2b_plain", password="b2b_plain_pw", groups="base.group_user",
                                  company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        cls.manager = new_test_user(
            cls.env, "b2b_boss", password="b2b_boss_pw", groups="b2b_connector_base.group_b2b_manager",
            company_id=cls.company_a.id, company_ids=[cls.company_a.id, cls.company_b.id])
        # what the attacker may not read: a customer of company B and its document
        cls.customer_b = cls.env["res.partner"].create({"name": "Customer of B", "company_id": cls.company_b.id})
        cls.secret = cls.env["ir.attachment"].create({
            "name": "contract.txt", "raw": b"TOP SECRET contract", "mimetype": "text/plain",
            "res_model": "res.partner", "res_id": cls.customer_b.id,
        })
        Exchange = cls.env["b2b.exchange"]
        declare_exchange_type(cls.env, "attack.kind")
        cls.exchange = Exchange._b2b_log("attack.kind", summary="A failed call", payload=b"<Order>mine</Order>",
                                         filename="order.xml", company_id=cls.company_a.id,
                                         process=("res.partner", "_b2b_attack_target"))
        cls.exchange.write({"state": "failed", "error": "Remote server error"})

    def _read(self, exchange, *fnames):
        return self._call("b2b.exchange", "read", [exchange.id], list(fnames))[0]

    # ------------------------------------------------------------------ writing exchanges
    def test_user_cannot_point_the_payload_at_another_attachment(self):
        self.authenticate("b2b_attacker", "b2b_attacker_pw")
        self.assertRefused("b2b.exchange", "write", [self.exchange.id], {"payload_attachment_id": self.secret.id})
        self.assertRefused("b2b.exchange", "write", [self.exchange.id], {"response_attachment_id": self.secret.id})
        self.assertIn("mine", self._read(self.exchange, "payload_preview")["payload_preview"])
        # even an attachment that code put there is never previewed unless it is the exchange's own
        self.exchange.sudo().payload_attachment_id = self.secret
        self.assertNotIn("TOP SECRET", self._read(self.exchange, "payload_preview")["payload_preview"] or "")

    def test_user_cannot_create_or_rewire_an_exchange(self):
        self.authenticate("b2b_attacker", "b2b_attacker_pw")
        self.assertRefused("b2b.exchange", "create", [{
            "kind": "attack.kind", "process_model": "res.partner", "process_method": "_b2b_attack_target"}])
        self.assertRefused("b2b.exchange", "write", [self.exchange.id],
                           {"process_model": "b2b.exchange", "process_method": "_b2b_cron_cleanup"})
        self.assertRefused("b2b.exchange", "write", [self.exchange.id], {"state": "done"})
        self.assertRefused("b2b.exchange.call", "create", [{"exchange_id": self.exchange.id, "method": "GET"}])
        self.assertEqual(self.exchange.state, "failed")

    def test_user_cannot_change_how_exchanges_are_retried(self):
        """B2B Users read the exchange types; their retry policy and job channel are the managers', and the
        code the addons log is nobody's to change."""
        type_ = self.exchange.type_id
        self.authenticate("b2b_attacker", "b2b_attacker_pw")
        self.assertEqual(self._call("b2b.exchange.type", "read", [type_.id], ["name"])[0]["name"], type_.name)
        self.assertRefused("b2b.exchange.type", "write", [type_.id], {"max_attempts": 1000, "retry_backoff_minutes": 1})
        self.assertRefused("b2b.exchange.type", "write", [type_.id], {"job_channel": "root"})
        self.assertRefused("b2b.exchange.type", "create", [{"code": "attack.new", "name": "mine"}])
        self.assertRefused("b2b.exchange.type", "unlink", [type_.id])
        self.authenticate("b2b_boss", "b2b_boss_pw")
        self._call("b2b.exchange.type", "write", [type_.id], {"max_attempts": 2})
        with self.assertRaises(JsonRpcException) as refused, mute_logger(*MUTE):
            self._call("b2b.exchange.type", "write", [type_.id], {"code": "attack.renamed"})
        self.assertEqual(str(refused.exception), "odoo.exceptions.UserError")
        self.assertRefused("b2b.exchange.type", "unlink", [type_.id])
        type_.invalidate_recordset()
        self.assertEqual((type_.code, type_.max_attempts), ("attack.kind", 2))

    def test_retry_runs_only_declared_processors(self):
        """Retry is the users' right; what it runs (as superuser, in a job) is what an addon declared."""
        ran = []
        self.authenticate("b2b_attacker", "b2b_attacker_pw")
        action = self._call("b2b.exchange", "action_retry", [self.exchange.id])
        self.assertEqual(action["tag"], "display_notification")
        self.exchange.invalidate_recordset()
        self.assertEqual(self.exchange.state, "pending")
        message = self.exchange.message_ids.filtered(lambda m: "Retry requested" in str(m.body))
        self.assertEqual(message.author_id, self.attacker.partner_id, "the Retry message is the user's")
        # the method exists, but no addon declared it a processor: refused, said on the exchange
        PartnerCls = type(self.env["res.partner"])
        patcher = patch.object(PartnerCls, "_b2b_attack_target", lambda s, e: ran.append(e), create=True)
        patcher.start()
        self.addCleanup(patcher.stop)
        with mute_logger(*MUTE):
            Job.load(self.env, self.exchange.job_uuid).perform()
        self.assertFalse(ran)
        self.assertEqual(self.exchange.state, "failed")
        self.assertIn("res.partner._b2b_attack_target is not a declared processor", self.exchange.error)
        # declared, the same Retry runs it
        self._call("b2b.exchange", "action_retry", [self.exchange.id])
        self.exchange.invalidate_recordset()
        with patch_processor(PartnerCls, "_b2b_attack_target", lambda s, e: "applied"):
            Job.load(self.env, self.exchange.job_uuid).perform()
        self.assertEqual(self.exchange.state, "done")

    def test_retry_and_cancel_only_on_visible_exchanges(self):
        other = self.env["b2b.exchange"]._b2b_log("attack.kind", company_id=self.company_b.id,
                                                  process=("res.partner", "_b2b_attack_target"))
        other.write({"state": "failed"})
        self.authenticate("b2b_attacker", "b2b_attacker_pw")
        self.assertRefused("b2b.exchange", "action_retry", [other.id])
        self.assertRefused("b2b.exchange", "action_cancel", [other.id])
        self.assertEqual(other.state, "failed")
        self._call("b2b.exchange", "action_cancel", [self.exchange.id])
        self.assertEqual(self.exchange.state, "cancelled")

    # ------------------------------------------------------------------ reading payloads
    def test_payload_follows_the_rights_on_the_related_record(self):
        exchange = self.env["b2b.exchange"]._b2b_log(
            "attack.kind", record=self.customer_b, company_id=self.company_a.id,
            payload=b"<Customer>private data of B</Customer>", filename="customer.xml")
        attachment = exchange.payload_attachment_id
        self.authenticate("b2b_attacker", "b2b_attacker_pw")
        values = self._read(exchange, "payload_preview", "payload_access")
        self.assertFalse(values["payload_access"])
        self.assertFalse(values["payload_preview"])
        self.assertRefused("b2b.exchange", "action_download_payload", [exchange.id])
        self.assertRefused("ir.attachment", "read", [attachment.id], ["raw"])
        with mute_logger(*MUTE):
            response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"private data", response.content)
        # the chatter does not list it either (and still opens)
        store = self.make_jsonrpc_request("/mail/data", {"fetch_params": [["mail.thread", {
            "thread_model": "b2b.exchange", "thread_id": exchange.id, "request_list": ["attachments"]}]]})
        self.assertNotIn(attachment.id, [a["id"] for a in store.get("ir.attachment", [])])
        # the exchange's own, unrelated payload stays readable
        own = self.exchange.payload_attachment_id
        self.assertTrue(self._read(self.exchange, "payload_access")["payload_access"])
        self.assertEqual(self.url_open(f"/web/content/{own.id}").content, b"<Order>mine</Order>")
        store = self.make_jsonrpc_request("/mail/data", {"fetch_params": [["mail.thread", {
            "thread_model": "b2b.exchange", "thread_id": self.exchange.id, "request_list": ["attachments"]}]]})
        self.assertIn(own.id, [a["id"] for a in store.get("ir.attachment", [])])

        # a user who may read the customer (both companies) sees and downloads it
        self.authenticate("b2b_boss", "b2b_boss_pw")
        self.assertTrue(self._read(exchange, "payload_access")["payload_access"])
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"private data of B", response.content)

    def test_exchange_attachments_need_the_exchange(self):
        own = self.exchange.payload_attachment_id
        self.authenticate("b2b_plain", "b2b_plain_pw")
        with mute_logger(*MUTE):
            response = self.url_open(f"/web/content/{own.id}?download=true")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"mine", response.content)
