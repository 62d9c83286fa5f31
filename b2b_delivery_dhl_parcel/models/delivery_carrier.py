from odoo import fields, models

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP

from ..protocol import DhlParcelAdapter

CODE = DhlParcelAdapter.code


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(selection_add=[(CODE, DhlParcelAdapter.label)], ondelete={CODE: "set default"})
    b2b_dhl_parcel_service = fields.Selection(
        list(DhlParcelAdapter.services), "DHL Parcel Product", default="B2B", groups=MANAGER_GROUP,
        help="B2B (the standard product), B2C, or B2C delivered to a DHL ServicePoint (the delivery then needs its "
             "Pickup Point: \"Keyword,harmonisedId,psfKey\" as DHL's servicepoint search gives them)")
    b2b_dhl_parcel_customer_code = fields.Char(
        "DHL Parcel Customer Code", groups=MANAGER_GROUP, copy=False,
        help="The customer code DHL Parcel gave, xx-xxxxxx (your UID with a dash, without the letters at its end)")
    b2b_dhl_parcel_incoterm = fields.Selection(
        [("CPT", "CPT - paid by the sender"), ("EXW", "EXW - paid by the recipient"),
         ("DAP", "DAP - customs destinations"), ("DDP", "DDP - customs destinations, all paid by the sender")],
        "DHL Parcel Incoterm", default="CPT", groups=MANAGER_GROUP)

    def _b2b_carrier_options(self):
        if self.delivery_type != CODE:
            return super()._b2b_carrier_options()
        settings = self.sudo()
        return {"service": settings.b2b_dhl_parcel_service, "customer_code": settings.b2b_dhl_parcel_customer_code,
                "incoterm": settings.b2b_dhl_parcel_incoterm}

    def b2b_dhl_parcel_rate_shipment(self, order):
        return self._b2b_carrier_rate(order)

    def b2b_dhl_parcel_send_shipping(self, pickings):
        return self._b2b_carrier_send_shipping(pickings)

    def b2b_dhl_parcel_get_tracking_link(self, picking):
        return self._b2b_carrier_tracking_link(picking)

    def b2b_dhl_parcel_cancel_shipment(self, pickings):
        return self._b2b_carrier_cancel_shipment(pickings)
