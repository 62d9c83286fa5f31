from markupsafe import Markup, escape

from odoo import api, fields, models

from ..tools import MANAGER_GROUP, secret_key_status

KEY_STATES = [
    ("ok", "Set"),
    ("missing", "Missing"),
    ("invalid", "Not a valid key"),
]


def _hours(value):
    hours, minutes = divmod(round((value or 0.0) * 60), 60)
    return f"{hours:02d}:{minutes:02d}"


class ResConfigSettings(models.TransientModel):
    """The B2B section of Settings: whether the credentials' key is there, the schedules each kind of
    backend starts with, and links to every list of backends. Nothing of it is stored: the key lives in
    odoo.conf, the schedules are each backend's own (B2B > Configuration > Schedules)."""

    _inherit = "res.config.settings"

    b2b_secret_key_state = fields.Selection(
        KEY_STATES, "Credentials Key", compute="_compute_b2b_overview", groups=MANAGER_GROUP,
        help="The key that encrypts stored passwords and API keys: [b2b_connector] secret_key in odoo.conf or the "
             "B2B_SECRET_KEY environment variable (never the database)")
    b2b_secret_key_count = fields.Integer("Keys", compute="_compute_b2b_overview", groups=MANAGER_GROUP,
                                          help="More than one during a rotation: the first encrypts, all decrypt")
    b2b_default_schedules = fields.Html("Default Schedules", compute="_compute_b2b_overview", groups=MANAGER_GROUP,
                                        sanitize=False)
    b2b_backend_links = fields.Html("Backends", compute="_compute_b2b_overview", groups=MANAGER_GROUP,
                                    sanitize=False)

    @api.depends_context("uid")
    def _compute_b2b_overview(self):
        state, count = secret_key_status()
        schedules = self._b2b_default_schedules_html()
        links = self._b2b_backend_links_html()
        for settings in self:
            settings.b2b_secret_key_state = state
            settings.b2b_secret_key_count = count
            settings.b2b_default_schedules = schedules
            settings.b2b_backend_links = links

    @api.model
    def _b2b_default_schedules_html(self):
        rows = []
        for name, model in sorted(self.env.registry.items()):
            if model._abstract or not hasattr(model, "_b2b_default_schedules"):
                continue
            defaults = self.env[name].browse()._b2b_default_schedules()
            if not defaults:
                continue
            label = self.env["ir.model"]._get(name).name or name
            items = Markup("").join(
                Markup("<li>%s</li>") % self.env._(
                    "%(flow)s: every %(minutes)s min, %(start)s–%(end)s",
                    flow=flow_label, minutes=minutes, start=_hours(hour_from), end=_hours(hour_to))
                for _flow, flow_label, minutes, hour_from, hour_to in defaults)
            rows.append(Markup("<div><strong>%s</strong><ul class='mb-1'>%s</ul></div>") % (label, items))
        if not rows:
            return escape(self.env._("No installed backend runs by schedule."))
        return Markup("").join(rows)

    @api.model
    def _b2b_backend_links_html(self):
        Sources = self.env["b2b.overview.source"]
        links = []
        for source in sorted(Sources._b2b_overview_sources(), key=lambda s: (s.get("sequence", 50), s["category"])):
            action = Sources._b2b_list_action(source)
            if action:
                links.append((source["category"], action))
        for xmlid in ("b2b_connector_base.action_b2b_schedule", "b2b_connector_base.action_b2b_exchange_type"):
            action = self.env.ref(xmlid, raise_if_not_found=False)
            if action:
                links.append((action.name, action))
        return Markup("").join(
            Markup("<div><a href='/odoo/action-%s' class='o_b2b_backend_link'>%s</a></div>") % (action.id, label)
            for label, action in links)

    def action_b2b_open_overview(self):
        return self.env["b2b.overview.card"].action_b2b_overview()
