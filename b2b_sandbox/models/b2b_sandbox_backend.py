from odoo import fields, models

from odoo.addons.b2b_connector_base.lib.safe_xml import parse_xml, to_bytes
from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, secret_fields


class B2bSandboxBackend(models.Model):
    """A backend talking to the sandbox ping peer (b2b_sandbox/peers/ping.py).

    It uses every shared piece of b2b_connector_base the real connectors use: encrypted API key,
    HTTP client with retries and request budget, safe XML parsing, exchange log, schedule and
    queued jobs, so those pieces are demonstrated and tested end to end in Odoo.
    """

    _name = "b2b.sandbox.backend"
    _inherit = ["b2b.backend.mixin", "b2b.schedule.mixin", "mail.thread"]
    _description = "B2B Sandbox Backend"
    _b2b_channel_prefix = "sandbox"
    _b2b_processors = ("_b2b_process_ping",)

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    # where the backend calls is configuration, like its credentials: B2B Managers only
    url = fields.Char("Peer URL", required=True, default="http://127.0.0.1:8070", groups=MANAGER_GROUP)
    api_key, api_key_enc = secret_fields("API Key")
    api_secret, api_secret_enc = secret_fields(
        "API Secret", help="Sent as X-Api-Secret when set (a peer may want a second credential)")
    last_pong = fields.Char(readonly=True)

    def _b2b_default_schedules(self):
        return [("ping", "Ping", 60, 0.0, 24.0)]

    def _b2b_run_flow(self, flow):
        if flow != "ping":
            return super()._b2b_run_flow(flow)
        for rec in self:
            exchange = rec._b2b_exchange(
                "sandbox.ping", direction="out", protocol="HTTP",
                process=("b2b.sandbox.backend", "_b2b_process_ping"), summary=self.env._("Ping"))
            exchange._b2b_enqueue()
        return self.env._("ping queued")

    def _ping(self, exchange):
        headers = {"X-Api-Key": self._b2b_secret("api_key") or ""}
        if self._b2b_secret("api_secret"):
            headers["X-Api-Secret"] = self._b2b_secret("api_secret")
        client = self._b2b_http(exchange, base_url=self.url, headers=headers)
        response = client.get("/ping")
        root = parse_xml(response.content, max_bytes=64 * 1024, what="ping answer")
        if root.tag != "pong":
            raise ValueError(f"unexpected answer <{root.tag}>")
        return root

    def _b2b_process_ping(self, exchange):
        backend = exchange.backend_ref
        root = backend._ping(exchange)
        exchange._b2b_set_payload(to_bytes(root), "pong.xml", field="response_attachment_id")
        backend.last_pong = f"#{root.get('seq')} at {root.get('time')}"
        return self.env._("pong #%(seq)s", seq=root.get("seq"))

    def action_test_connection(self):
        self.ensure_one()
        return self._b2b_test_connection(
            lambda exchange: self.env._("Peer answered pong #%(seq)s", seq=self._ping(exchange).get("seq")))

