from odoo import api, models


class B2bOverviewSource(models.AbstractModel):
    """Wholesalers on the B2B overview: the suppliers that receive orders by EDI."""

    _inherit = "b2b.overview.source"

    @api.model
    def _b2b_overview_sources(self):
        return super()._b2b_overview_sources() + [{
            "model": "res.partner",
            "domain": [("edi_enabled", "=", True)],
            "category": self.env._("Wholesaler (EDI)"),
            "sequence": 10,
            "action": "b2b_edi_connector.action_edi_suppliers",
        }]
