from odoo import fields, models


class B2bExchangeCall(models.Model):
    """One HTTP request (one attempt) made while processing an exchange; secrets masked."""

    _name = "b2b.exchange.call"
    _description = "B2B HTTP Call"
    _order = "id"

    exchange_id = fields.Many2one("b2b.exchange", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="exchange_id.company_id", store=True)
    method = fields.Char()
    url = fields.Char("URL")
    attempt = fields.Integer()
    status = fields.Integer("HTTP Status")
    kind = fields.Char("Result")
    duration = fields.Float("Duration (s)", digits=(16, 3))
    waited = fields.Float("Waited for budget (s)", digits=(16, 3))
    error = fields.Text()
    # what went over the wire carries the data of the exchange's record (an order, a customer), whose payload
    # users only see with the rights on that record: for B2B Managers, like the traceback
    request_headers = fields.Text(groups="b2b_connector_base.group_b2b_manager")
    request_body = fields.Text(groups="b2b_connector_base.group_b2b_manager")
    response_body = fields.Text(groups="b2b_connector_base.group_b2b_manager")
