from odoo import fields, models

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP

from ..protocol import ChronopostAdapter

CODE = ChronopostAdapter.code


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(selection_add=[(CODE, ChronopostAdapter.label)], ondelete={CODE: "set default"})
    b2b_chronopost_service = fields.Selection(
        list(ChronopostAdapter.services), "Chronopost Product", default="01", groups=MANAGER_GROUP,
        help="Chrono 13 / 18 delivered at home, Chrono Relais at a pickup point (the delivery then needs its Pickup "
             "Point)")

    def _b2b_carrier_options(self):
        if self.delivery_type != CODE:
            return super()._b2b_carrier_options()
        return {"service": self.sudo().b2b_chronopost_service}

    def b2b_chronopost_rate_shipment(self, order):
        return self._b2b_carrier_rate(order)

    def b2b_chronopost_send_shipping(self, pickings):
        return self._b2b_carrier_send_shipping(pickings)

    def b2b_chronopost_get_tracking_link(self, picking):
        return self._b2b_carrier_tracking_link(picking)

    def b2b_chronopost_cancel_shipment(self, pickings):
        return self._b2b_carrier_cancel_shipment(pickings)
