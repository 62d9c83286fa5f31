from odoo import fields, models

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP

from ..protocol import ColissimoAdapter

CODE = ColissimoAdapter.code


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(selection_add=[(CODE, ColissimoAdapter.label)], ondelete={CODE: "set default"})
    b2b_colissimo_service = fields.Selection(
        list(ColissimoAdapter.services), "Colissimo Service", default="DOS", groups=MANAGER_GROUP,
        help="Domicile with or without signature, or a pickup point (the delivery then needs its Pickup Point)")

    def _b2b_carrier_options(self):
        if self.delivery_type != CODE:
            return super()._b2b_carrier_options()
        settings = self.sudo()
        options = {"service": settings.b2b_colissimo_service}
        if not settings.prod_environment and settings.b2b_carrier_test_url:
            options["tracking_url"] = settings.b2b_carrier_test_url.rstrip("/") + "/suivi/v2"
        return options

    def b2b_colissimo_rate_shipment(self, order):
        return self._b2b_carrier_rate(order)

    def b2b_colissimo_send_shipping(self, pickings):
        return self._b2b_carrier_send_shipping(pickings)

    def b2b_colissimo_get_tracking_link(self, picking):
        return self._b2b_carrier_tracking_link(picking)

    def b2b_colissimo_cancel_shipment(self, pickings):
        return self._b2b_carrier_cancel_shipment(pickings)
