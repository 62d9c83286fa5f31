"""The access matrix of the exchange log, its HTTP calls, the schedules and the request budget (see
access_matrix.py for how the table reads and how each cell is checked; docs/SECURITY.md prints it)."""

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .access_matrix import AccessMatrixMixin, Fixture
from .common import declare_exchange_type

MATRIX = {
    "addon": "b2b_connector_base",
    "title": "Exchange log, HTTP calls, schedules (b2b_connector_base)",
    "roles": ("internal", "b2b_user", "b2b_manager", "portal"),
    "models": (
        # model               companies         internal b2b_user b2b_manager portal
        ("b2b.exchange",      "company",        "----",  "r---",  "r--u",     "----"),
        ("b2b.exchange.call", "company",        "----",  "r---",  "r--u",     "----"),
        ("b2b.schedule",      "company+shared", "----",  "r---",  "rwcu",     "----"),
        ("b2b.rate.event",    "global",         "----",  "----",  "r---",     "----"),
        ("b2b.exchange.type", "global",         "----",  "r---",  "rw--",     "----"),
        ("b2b.overview.card", "company+shared", "----",  "r---",  "r---",     "----"),
    ),
    "fields": (
        # model, what, fields,                                       internal b2b_user b2b_manager portal
        ("b2b.exchange", "Payload and response (preview, download)", ("payload_preview",),
         "--", "f-", "f-", "--"),
        ("b2b.exchange", "Traceback of a failure", ("error_detail",),
         "--", "--", "r-", "--"),
        ("b2b.exchange.call", "HTTP headers and bodies", ("request_headers", "request_body", "response_body"),
         "--", "--", "r-", "--"),
        # Settings are for administrators (base.group_system); the B2B section for those who are B2B Managers too
        ("res.config.settings", "B2B section of Settings, for administrators who are B2B Managers (key status, "
         "default schedules, backend lists)",
         ("b2b_secret_key_state", "b2b_secret_key_count", "b2b_default_schedules", "b2b_backend_links"),
         "--", "--", "--", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestBaseAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        a, b = cls.company_a, cls.company_b
        Exchange = cls.env["b2b.exchange"]
        declare_exchange_type(cls.env, "matrix.kind")
        declare_exchange_type(cls.env, "matrix.new")
        cls.partner_b = cls.env["res.partner"].create({"name": "Matrix customer of B", "company_id": b.id})
        exchange_a = Exchange._b2b_log("matrix.kind", payload=b"<Order>ours</Order>", filename="order.xml",
                                       company_id=a.id)
        exchange_b = Exchange._b2b_log("matrix.kind", company_id=b.id)
        # an exchange of company A about a record its users cannot read: its payload is that record's data
        cls.exchange_foreign = Exchange._b2b_log("matrix.kind", record=cls.partner_b, company_id=a.id,
                                                 payload=b"<Customer>of B</Customer>", filename="customer.xml")
        Call = cls.env["b2b.exchange.call"]
        call = {"method": "POST", "url": "http://127.0.0.1/matrix", "status": 200, "request_headers": "{}",
                "request_body": "<Order>ours</Order>", "response_body": "<Ack/>"}
        call_a = Call.create(dict(call, exchange_id=exchange_a.id))
        call_b = Call.create(dict(call, exchange_id=exchange_b.id))
        partners = cls.env["res.partner"].create([{"name": f"Matrix backend {n}", "company_id": a.id} for n in (1, 2)])
        schedule = {"name": "Matrix", "res_model": "res.partner", "flow": "matrix", "interval_minutes": 60}
        Schedule = cls.env["b2b.schedule"]
        schedule_a = Schedule.create(dict(schedule, res_id=partners[0].id, company_id=a.id))
        schedule_b = Schedule.create(dict(schedule, res_id=cls.partner_b.id, company_id=b.id))
        shared_partner = cls.env["res.partner"].create({"name": "Matrix shared backend"})
        schedule_shared = Schedule.create(dict(schedule, res_id=shared_partner.id, company_id=False))
        event = cls.env["b2b.rate.event"].create({"key": "matrix", "ts": fields.Datetime.now()})
        Card = cls.env["b2b.overview.card"]
        card = {"name": "Matrix backend", "res_model": "res.partner"}
        card_a = Card.create(dict(card, res_id=partners[0].id, company_id=a.id))
        card_b = Card.create(dict(card, res_id=cls.partner_b.id, company_id=b.id))
        card_shared = Card.create(dict(card, res_id=shared_partner.id, company_id=False))
        return {
            "b2b.exchange": Fixture(exchange_a, write={"summary": "changed"}, create={"kind": "matrix.new"},
                                    b=exchange_b, create_b={"kind": "matrix.new", "company_id": b.id}),
            "b2b.exchange.call": Fixture(call_a, write={"status": 500}, create={"exchange_id": exchange_a.id},
                                         b=call_b, create_b={"exchange_id": exchange_b.id}),
            "b2b.schedule": Fixture(
                schedule_a, write={"interval_minutes": 30},
                create=dict(schedule, res_id=partners[1].id, company_id=a.id),
                b=schedule_b, create_b=dict(schedule, flow="matrix.b", res_id=cls.partner_b.id, company_id=b.id),
                shared=schedule_shared),
            "b2b.rate.event": Fixture(event, write={"key": "changed"},
                                      create={"key": "matrix.new", "ts": fields.Datetime.now()}),
            # managers tune a type's retry policy; types are declared by the addons' data, never created by hand
            "b2b.exchange.type": Fixture(exchange_a.type_id, write={"max_attempts": 3},
                                         create={"code": "matrix.type.new", "name": "Matrix", "direction": "out"}),
            # cards are made by the overview itself (as superuser), never by hand
            "b2b.overview.card": Fixture(card_a, write={"name": "changed"},
                                         create=dict(card, res_id=partners[1].id, company_id=a.id),
                                         b=card_b, create_b=dict(card, res_id=partners[1].id, company_id=b.id),
                                         shared=card_shared),
            "res.config.settings": Fixture(cls.env["res.config.settings"].create({}), create={}),
        }

    def _payload_code(self, user):
        """``f`` when the user reads the payload of an exchange of no record and not that of an exchange of a
        record they cannot read (neither the preview nor the attachment)."""
        own = self.fixtures["b2b.exchange"].a

        def preview(exchange):
            values = exchange.with_user(user).read(["payload_preview", "payload_access"])[0]
            return bool(values["payload_access"] and values["payload_preview"])

        def attachment(exchange):
            return self._allowed(lambda: exchange.payload_attachment_id.with_user(user).read(["raw"]))

        seen = (preview(own), attachment(own), preview(self.exchange_foreign), attachment(self.exchange_foreign))
        return {(True, True, False, False): "f", (True, True, True, True): "r"}.get(seen, "?")
