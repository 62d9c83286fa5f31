"""Holes the access matrix revealed in the shared base, attacked over JSON-RPC as the attacker would."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcMixin, declare_exchange_type


@tagged("post_install", "-at_install")
class TestMatrixAttacks(JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        declare_exchange_type(cls.env, "matrix.kind")
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Matrix Attack Company B"})
        new_test_user(cls.env, "mx_attacker", password="mx_attacker_pw", groups="b2b_connector_base.group_b2b_user",
                      company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        cls.manager = new_test_user(
            cls.env, "mx_boss", password="mx_boss_pw", groups="b2b_connector_base.group_b2b_manager",
            company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        # an exchange of company A about a record the attacker cannot read, and the HTTP call that carried it
        cls.customer_b = cls.env["res.partner"].create({"name": "Private customer", "company_id": cls.company_b.id})
        cls.exchange = cls.env["b2b.exchange"]._b2b_log(
            "matrix.kind", record=cls.customer_b, company_id=cls.company_a.id,
            payload=b"<Customer>private data of B</Customer>", filename="customer.xml")
        cls.call = cls.env["b2b.exchange.call"].create({
            "exchange_id": cls.exchange.id, "method": "POST", "url": "http://127.0.0.1/customers", "status": 200,
            "request_headers": '{"X-Customer": "private data of B"}',
            "request_body": "<Customer>private data of B</Customer>", "response_body": "<Ack>private data of B</Ack>"})

    def test_http_calls_do_not_leak_a_hidden_payload(self):
        """The payload of an exchange follows the rights on its record: the HTTP call that carried it may not
        hand it out instead. Its headers and bodies are for B2B Managers (like the traceback)."""
        self.authenticate("mx_attacker", "mx_attacker_pw")
        self.assertFalse(self._call("b2b.exchange", "read", [self.exchange.id], ["payload_preview"])[0]
                         ["payload_preview"], "the payload itself is hidden")
        for name in ("request_headers", "request_body", "response_body"):
            self.assertRefused("b2b.exchange.call", "read", [self.call.id], [name])
            self.assertRefused("b2b.exchange.call", "search_read", [("exchange_id", "=", self.exchange.id)], [name])
            self.assertRefused("b2b.exchange.call", "search", [(name, "ilike", "private")])
        self.assertRefused("b2b.exchange", "web_read", [self.exchange.id], specification={
            "call_ids": {"fields": {"status": {}, "request_body": {}}}})
        # what the user still sees of the call: that it was made, and how it went
        views = self._call("b2b.exchange", "get_views", [[False, "form"]])
        self.assertNotIn("request_body", views["views"]["form"]["arch"])
        shown = self._call("b2b.exchange", "web_read", [self.exchange.id], specification={
            "call_ids": {"fields": {"status": {}, "url": {}, "method": {}}}})[0]["call_ids"]
        self.assertEqual([(c["method"], c["status"]) for c in shown], [("POST", 200)])
        text = str(shown)
        self.assertNotIn("private data", text)
        # a manager reads them (managers configure where the calls go, so they may see what went there)
        self.authenticate("mx_boss", "mx_boss_pw")
        values = self._call("b2b.exchange.call", "read", [self.call.id], ["request_body"])[0]
        self.assertIn("private data of B", values["request_body"])
