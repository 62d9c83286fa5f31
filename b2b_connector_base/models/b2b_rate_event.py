from odoo import fields, models


class B2bRateEvent(models.Model):
    """One call counted against a backend's request budget (``tools.DbRequestBudget``, which writes and
    prunes the rows with plain SQL)."""

    _name = "b2b.rate.event"
    _description = "B2B Request Budget Event"
    _log_access = False

    key = fields.Char(required=True, index=True)
    ts = fields.Datetime(required=True, index=True)
