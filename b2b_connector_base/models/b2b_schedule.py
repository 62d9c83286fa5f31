import logging

import pytz

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import UserError, ValidationError

from ..lib.schedule import Schedule
from ..tools import check_manager, user_message

_logger = logging.getLogger(__name__)

WEEKDAY_FIELDS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class B2bSchedule(models.Model):
    """When a backend's flow runs by itself: every N minutes, within active hours, on chosen weekdays.

    One row per backend and flow (e.g. a shop's "stock" flow). The cron "B2B: run due schedules"
    calls ``backend._b2b_run_flow(flow)`` for each due row, which queues the real work as jobs.
    """

    _name = "b2b.schedule"
    _description = "B2B Schedule"
    _order = "res_model, res_id, sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    res_model = fields.Char("Backend Model", required=True, index=True)
    res_id = fields.Many2oneReference("Backend ID", model_field="res_model", required=True, index=True)
    flow = fields.Char(required=True, help="Technical name of the flow the backend runs, e.g. stock, orders")
    interval_minutes = fields.Integer("Every (minutes)", default=60, required=True)
    hour_from = fields.Float("Active From", default=0.0,
                             help="In the schedule's time zone, e.g. 8.5 for 08:30")
    hour_to = fields.Float("Active Until", default=24.0,
                           help="In the schedule's time zone; earlier than 'from' for overnight windows")
    mon = fields.Boolean("Mon", default=True)
    tue = fields.Boolean("Tue", default=True)
    wed = fields.Boolean("Wed", default=True)
    thu = fields.Boolean("Thu", default=True)
    fri = fields.Boolean("Fri", default=True)
    sat = fields.Boolean("Sat", default=True)
    sun = fields.Boolean("Sun", default=True)
    tz = fields.Selection(_tz_get, string="Timezone", default=lambda self: self.env.user.tz or "UTC", required=True)
    last_run = fields.Datetime(readonly=True, copy=False)
    last_result = fields.Char(readonly=True, copy=False)
    next_run = fields.Datetime(compute="_compute_next_run")
    description = fields.Char(compute="_compute_next_run", string="Schedule")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    backend_name = fields.Char("Backend", compute="_compute_backend_name")

    _flow_unique = models.Constraint("UNIQUE(res_model, res_id, flow)", "A backend has one schedule per flow.")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_backend_access()
        return records

    def write(self, vals):
        result = super().write(vals)
        if {"res_model", "res_id", "company_id"} & vals.keys():
            self._check_backend_access()
        return result

    def _check_backend_access(self):
        """The cron runs a schedule's flow as superuser: a user schedules only a backend they may see, in the
        backend's company (else a manager of company A could make company B's backend call its peer)."""
        if self.env.su:
            return
        for rec in self:
            backend = rec._backend()
            if backend is None:
                raise ValidationError(self.env._("Schedule %(name)s: its backend does not exist.", name=rec.name))
            backend.check_access("read")
            company = backend.sudo().company_id if "company_id" in backend._fields else None
            if company and rec.company_id != company:
                raise ValidationError(self.env._(
                    "Schedule %(name)s belongs to the company of its backend, %(company)s.",
                    name=rec.name, company=company.name))

    def _schedule(self):
        self.ensure_one()
        days = {i for i, f in enumerate(WEEKDAY_FIELDS) if self[f]}
        try:
            return Schedule(self.interval_minutes, self.hour_from, self.hour_to, frozenset(days))
        except ValueError as exc:
            raise ValidationError(self.env._("Schedule %(name)s: %(error)s", name=self.name, error=exc)) from None

    @api.constrains("interval_minutes", "hour_from", "hour_to", *WEEKDAY_FIELDS)
    def _check_schedule(self):
        for rec in self:
            rec._schedule()

    def _local_now(self, now=None):
        now = now or fields.Datetime.now()
        tz = pytz.timezone(self.tz or "UTC")
        return pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)

    def _to_utc(self, local):
        tz = pytz.timezone(self.tz or "UTC")
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @api.depends("interval_minutes", "hour_from", "hour_to", "last_run", "tz", "active", *WEEKDAY_FIELDS)
    def _compute_next_run(self):
        for rec in self:
            try:
                sched = rec._schedule()
            except ValidationError:
                rec.next_run = rec.description = False
                continue
            rec.description = sched.describe()
            if not rec.active:
                rec.next_run = False
                continue
            last = rec._local_now(rec.last_run) if rec.last_run else None
            nxt = sched.next_run(rec._local_now(), last)
            rec.next_run = rec._to_utc(nxt) if nxt else False

    def _compute_backend_name(self):
        for rec in self:
            backend = rec._backend()
            if backend is None:
                rec.backend_name = False
            elif backend.has_access("read"):
                rec.backend_name = self.env._("%(backend)s (%(kind)s)", backend=backend.display_name,
                                              kind=backend._description)
            else:  # a backend of another company: say what it is, not its name
                rec.backend_name = backend._description

    def _is_due(self, now=None):
        self.ensure_one()
        last = self._local_now(self.last_run) if self.last_run else None
        return self._schedule().is_due(self._local_now(now), last)

    def _backend(self):
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        backend = self.env[self.res_model].browse(self.res_id).exists()
        return backend or None

    def action_run_now(self):
        check_manager(self.env)  # starts a flow that reaches the peer
        for rec in self:
            rec._run(manual=True)
        return True

    def _run(self, manual=False):
        self.ensure_one()
        backend = self._backend()
        if backend is None:
            raise UserError(self.env._("The backend of schedule %(schedule)s no longer exists.", schedule=self.name))
        try:
            result = backend._b2b_run_flow(self.flow)
        except Exception as exc:  # noqa: BLE001 - one broken backend must not stop the others
            if manual:
                raise
            self.write({"last_run": fields.Datetime.now(), "last_result": user_message(exc, env=self.env)[:250]})
            _logger.warning("B2B schedule %s failed: %s", self.name, user_message(exc))
            return False
        result = result if isinstance(result, str) else self.env._("queued")
        if manual:
            # a run by hand is extra: the schedule keeps its rhythm (the nightly run still happens that night)
            self.write({"last_result": self.env._("By hand: %(result)s", result=result)[:250]})
        else:
            self.write({"last_run": fields.Datetime.now(), "last_result": result[:250]})
        return True

    @api.model
    def _cron_run_due(self, now=None):
        """Run every active schedule that is due now (called every few minutes by a cron)."""
        ran = 0
        for rec in self.sudo().search([("active", "=", True)]):
            backend = rec._backend()
            if backend is None or ("active" in backend._fields and not backend.active):
                continue
            if rec._is_due(now):
                with self.env.cr.savepoint():
                    rec._run()
                ran += 1
        return ran
