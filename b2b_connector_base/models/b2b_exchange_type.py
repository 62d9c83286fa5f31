import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

DIRECTIONS = [("in", "Incoming"), ("out", "Outgoing"), ("internal", "Operation")]
_CHANNEL_RE = re.compile(r"root(\.[A-Za-z0-9_-]+)*")
# the type of exchanges logged before exchange types whose code no installed addon declares (see migrations/)
UNDECLARED_CODE = "b2b.undeclared"


class B2bExchangeType(models.Model):
    """What an exchange is (an order to a wholesaler, the stock sent to a shop...), declared by the addon that
    logs it in its ``data/b2b_exchange_type_data.xml``. The code is what that addon's code logs (an unknown
    code is a programming error); the name is what users read in the log; the retry policy and the job
    channel apply to every exchange of the type."""

    _name = "b2b.exchange.type"
    _description = "B2B Exchange Type"
    _order = "code"
    _rec_names_search = ["name", "code"]

    code = fields.Char(required=True, index=True, help="What the code logs, e.g. dico.order, shop.stock")
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True, help="What an exchange of this type is, for the people reading the log")
    direction = fields.Selection(DIRECTIONS, required=True, default="out",
                                 help="The direction of the exchanges of this type (unless the code says otherwise)")
    module = fields.Char("Declared by", compute="_compute_module",
                         help="The addon whose data declares the type (and whose code logs its exchanges)")
    active = fields.Boolean(default=True)
    job_channel = fields.Char(
        help="The queue_job channel exchanges of this type are processed on (e.g. root.b2b.edi, to give them "
             "their own capacity in the job runner's configuration); empty: the backend's channel")
    max_attempts = fields.Integer(
        "Max. Attempts", default=5, required=True,
        help="Transient failures (network, 5xx, rate limits) are retried until an exchange was tried this many "
             "times; taken by each new exchange of the type")
    retry_backoff_minutes = fields.Integer(
        "Retry After (minutes)", default=5, required=True,
        help="The first automatic retry waits this long; each further one twice as long as the one before")
    retry_max_delay_minutes = fields.Integer(
        "Max. Retry Delay (minutes)", default=1440,
        help="No automatic retry waits longer than this (0: no limit), unless the peer asked for more "
             "(Retry-After)")
    exchange_count = fields.Integer("Exchanges", compute="_compute_exchange_count")

    _code_unique = models.Constraint("UNIQUE(code)", "An exchange type code is declared once.")
    _retry_positive = models.Constraint(
        "CHECK(max_attempts >= 0 AND retry_backoff_minutes > 0 AND retry_max_delay_minutes >= 0)",
        "Attempts, backoff and maximum delay cannot be negative; the backoff is at least one minute.")

    # what the addon's code relies on: only the addon (its data, as superuser) changes them
    _b2b_declared_fields = ("code", "direction")

    @api.constrains("job_channel")
    def _check_job_channel(self):
        for rec in self.filtered("job_channel"):
            if not _CHANNEL_RE.fullmatch(rec.job_channel):
                raise ValidationError(self.env._(
                    "Job channel %(channel)s: a channel is root or a dotted path below it, e.g. root.b2b.edi.",
                    channel=rec.job_channel))

    def _compute_module(self):
        data = self.env["ir.model.data"].sudo().search_read(
            [("model", "=", self._name), ("res_id", "in", self.ids)], ["module", "res_id"], order="id")
        modules = {row["res_id"]: row["module"] for row in data}
        for rec in self:
            rec.module = modules.get(rec.id, False)

    def _compute_exchange_count(self):
        groups = self.env["b2b.exchange"]._read_group([("type_id", "in", self.ids)], ["type_id"], ["__count"])
        counts = {type_.id: count for type_, count in groups}
        for rec in self:
            rec.exchange_count = counts.get(rec.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        # exchanges logged before their type was declared (a database from before exchange types, an addon
        # installed again) get it now
        self.env["b2b.exchange"].flush_model(["type_id", "kind"])
        undeclared = self.sudo().with_context(active_test=False).search([("code", "=", UNDECLARED_CODE)])
        for rec in types:
            self.env.cr.execute(
                "UPDATE b2b_exchange SET type_id = %s WHERE kind = %s AND (type_id IS NULL OR type_id = %s)",
                [rec.id, rec.code, undeclared.id or None])
        self.env["b2b.exchange"].invalidate_model(["type_id"])
        return types

    @api.ondelete(at_uninstall=True)
    def _unlink_except_logged(self):
        """A type whose exchanges are in the log stays, also when its addon is uninstalled: the log outlives the
        addon, which finds its type again by its external id when installed again. Refused in words before the
        foreign key refuses it, which logged a failed query for each batch Odoo's uninstall tried."""
        self.env["b2b.exchange"].flush_model(["type_id"])
        self.env.cr.execute(SQL("SELECT DISTINCT type_id FROM b2b_exchange WHERE type_id = ANY(%s)", self.ids))
        logged = self.browse(row[0] for row in self.env.cr.fetchall())
        if logged:
            raise UserError(self.env._(
                "%(types)s: the log holds exchanges of this type, which stays as long as they do.",
                types=", ".join(logged.mapped("display_name"))))

    def write(self, vals):
        if not self.env.su:
            declared = [name for name in self._b2b_declared_fields if name in vals]
            for rec in self:
                if any(rec[name] != vals[name] for name in declared):
                    raise UserError(self.env._(
                        "%(type)s: the code and direction of an exchange type are declared by its addon and "
                        "cannot be changed.", type=rec.display_name))
        result = super().write(vals)
        if "code" in vals:  # an addon renamed its code (data update, as superuser): its exchanges follow
            self.env["b2b.exchange"].flush_model(["type_id", "kind"])
            self.env.cr.execute("UPDATE b2b_exchange SET kind = %s WHERE type_id IN %s AND kind != %s",
                                [vals["code"], tuple(self.ids), vals["code"]])
            self.env["b2b.exchange"].invalidate_model(["kind"])
        return result

    def _b2b_backoff(self, attempt_count):
        """How long to wait before retrying after ``attempt_count`` attempts: the backoff doubled at each
        attempt, at most the maximum delay."""
        self.ensure_one()
        delay = timedelta(minutes=self.retry_backoff_minutes * 2 ** min(max(0, attempt_count - 1), 20))
        if self.retry_max_delay_minutes:
            delay = min(delay, timedelta(minutes=self.retry_max_delay_minutes))
        return delay

    @api.model
    def _b2b_get(self, codes):
        """{code: type} for ``codes``; an undeclared code is a programming error, refused loudly."""
        codes = set(codes)
        if not codes:
            return {}
        types = self.sudo().with_context(active_test=False).search([("code", "in", list(codes))])
        by_code = {t.code: t for t in types}
        missing = codes - set(by_code)
        if missing:
            raise ValueError(
                f"Unknown B2B exchange type(s) {', '.join(sorted(missing))}: declare each code an addon logs as a "
                f"b2b.exchange.type record in that addon's data/b2b_exchange_type_data.xml")
        return by_code

    @api.model
    def _b2b_undeclared(self):
        """The type of exchanges whose code no installed addon declares (created when first needed)."""
        Type = self.sudo().with_context(active_test=False)
        return Type.search([("code", "=", UNDECLARED_CODE)]) or Type.create({
            "code": UNDECLARED_CODE, "name": "Undeclared type", "direction": "internal",
            "description": "Exchanges logged before exchange types existed, of a code no installed addon declares "
                           "(their Type Code says which); an addon declaring it takes them over when installed."})

    def action_view_exchanges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_exchange")
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {}
        action["name"] = self.env._("Exchanges: %(name)s", name=self.name)
        return action
