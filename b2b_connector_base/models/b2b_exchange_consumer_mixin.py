from odoo import fields, models


class B2bExchangeConsumerMixin(models.AbstractModel):
    """Records with exchanges (a purchase order sent to a wholesaler, a shop's sale order, an invoice sent
    to BaseLinker...): how many, how many failed, and a smart button listing them.

    By default the exchanges of a record are those logged with ``record=`` it (``res_model``/``res_id``);
    the backend mixin counts those of a backend instead (``backend_ref``). Put on a form::

        <button name="action_b2b_view_exchanges" type="object" class="oe_stat_button" icon="fa-exchange"
                groups="b2b_connector_base.group_b2b_user">
            <field name="b2b_exchange_count" widget="statinfo" string="Exchanges"/>
        </button>
    """

    _name = "b2b.exchange.consumer.mixin"
    _description = "B2B Exchange Consumer"
    _b2b_exchange_link = "res_id"  # the exchange field that points to the record

    b2b_exchange_count = fields.Integer("Exchanges", compute="_compute_b2b_exchange_count")
    b2b_failed_count = fields.Integer("Failed Exchanges", compute="_compute_b2b_exchange_count")

    def _b2b_exchange_domain(self):
        return [("res_model", "=", self._name), ("res_id", "in", self.ids)]

    def _b2b_exchange_owner_id(self, value):
        """The record id of a ``_b2b_exchange_link`` group value."""
        return value

    def _compute_b2b_exchange_count(self):
        if not self.ids:
            self.b2b_exchange_count = self.b2b_failed_count = 0
            return
        # counted as superuser (whoever sees the record sees how many exchanges it has), in the allowed companies
        Exchange = self.env["b2b.exchange"].sudo()
        domain = self._b2b_exchange_domain() + [("company_id", "in", self.env.companies.ids)]
        total, failed = {}, {}
        for value, state, count in Exchange._read_group(domain, [self._b2b_exchange_link, "state"], ["__count"]):
            if not value:
                continue
            owner = self._b2b_exchange_owner_id(value)
            total[owner] = total.get(owner, 0) + count
            if state == "failed":
                failed[owner] = failed.get(owner, 0) + count
        for rec in self:
            rec.b2b_exchange_count = total.get(rec.id, 0)
            rec.b2b_failed_count = failed.get(rec.id, 0)

    def action_b2b_view_exchanges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_exchange")
        action["domain"] = self._b2b_exchange_domain()
        action["context"] = {}
        action["name"] = self.env._("Exchanges of %(name)s", name=self.display_name)
        return action
