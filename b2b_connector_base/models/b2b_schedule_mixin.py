from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import MANAGER_GROUP, check_manager


class B2bScheduleMixin(models.AbstractModel):
    """Backends with scheduled flows: ``_b2b_default_schedules`` creates the rows, ``_b2b_run_flow``
    (to implement) starts a flow and returns quickly (queue jobs, do not call peers here)."""

    _name = "b2b.schedule.mixin"
    _description = "B2B Scheduled Backend"

    b2b_schedule_ids = fields.One2many(
        "b2b.schedule", "res_id", string="Schedules",
        domain=lambda self: [("res_model", "=", self._name)],
        context={"active_test": False},
        groups=MANAGER_GROUP,  # when a backend talks to its peer is configuration
    )

    def _b2b_default_schedules(self):
        """[(flow, label, interval_minutes, hour_from, hour_to)] created with each new backend."""
        return []

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for rec in records:
            existing = set(rec.b2b_schedule_ids.mapped("flow"))
            self.env["b2b.schedule"].create([{
                "name": label,
                "res_model": rec._name,
                "res_id": rec.id,
                "flow": flow,
                "interval_minutes": interval,
                "hour_from": hour_from,
                "hour_to": hour_to,
                "sequence": seq,
                "company_id": rec.company_id.id if "company_id" in rec._fields else self.env.company.id,
            } for seq, (flow, label, interval, hour_from, hour_to) in enumerate(rec._b2b_default_schedules())
                if flow not in existing])
        return records

    def unlink(self):
        self.env["b2b.schedule"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)]).unlink()
        return super().unlink()

    def _b2b_run_flow(self, flow):
        raise NotImplementedError(f"{self._name} does not implement flow {flow}")

    def action_b2b_run_flow(self):
        """Button "Sync now": the flow name comes from the button's context (``b2b_flow``). B2B Managers only."""
        check_manager(self.env)
        flow = self.env.context.get("b2b_flow")
        if not flow:
            raise UserError(self.env._("No flow given."))
        for rec in self:
            schedule = rec.b2b_schedule_ids.filtered(lambda s: s.flow == flow)[:1]
            if schedule:
                schedule._run(manual=True)
            else:
                rec._b2b_run_flow(flow)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "info", "message": self.env._("Queued: %(flow)s", flow=flow),
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }
