from odoo import api, models


class B2bOverviewSource(models.AbstractModel):
    """Where the B2B overview finds its backends: every model inheriting ``b2b.backend.mixin`` (all its
    records). A partner is a contact first: the addons that make some partners backends (EDI wholesalers,
    punch-out customers) extend ``_b2b_overview_sources`` with theirs. An abstract model: nothing stored,
    a hook each addon extends."""

    _name = "b2b.overview.source"
    _description = "B2B Overview Sources"

    @api.model
    def _b2b_overview_sources(self):
        """What the overview shows: a list of dicts ``model``, ``domain`` (the records of the model that are
        backends), ``category`` (what they are, for people), ``sequence`` and ``action`` (XML id of their
        list, for the Settings' links). Addons whose backends are records of a shared model (partners) add
        theirs by extending this method."""
        sources = []
        for name, model in self.env.registry.items():
            if not getattr(model, "_b2b_backend", False) or model._abstract or name == "res.partner":
                continue
            sources.append({
                "model": name,
                "domain": [],
                "category": self.env["ir.model"]._get(name).name or model._description,
                "sequence": 50,
                "action": None,
            })
        return sources

    @api.model
    def _b2b_list_action(self, source):
        """The window action listing a source's backends: the one it names, else one a menu opens."""
        if source.get("action"):
            action = self.env.ref(source["action"], raise_if_not_found=False)
            if action:
                return action
        actions = self.env["ir.actions.act_window"].sudo().search([("res_model", "=", source["model"])])
        menus = self.env["ir.ui.menu"].sudo().search([
            ("action", "in", [f"ir.actions.act_window,{a.id}" for a in actions])], limit=1)
        return menus.action if menus else actions[:1]
