from odoo import api, models


class B2bOverviewSource(models.AbstractModel):
    """Procurement systems on the B2B overview: the customers that punch out into the shop."""

    _inherit = "b2b.overview.source"

    @api.model
    def _b2b_overview_sources(self):
        return super()._b2b_overview_sources() + [{
            "model": "res.partner",
            "domain": [("punchout_enabled", "=", True)],
            "category": self.env._("Procurement system (punch-out)"),
            "sequence": 30,
            "action": "b2b_punchout.action_punchout_customers",
        }]
