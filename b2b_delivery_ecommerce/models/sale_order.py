from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _b2b_shop_progress(self, event, record=None):
        # "shipped" of a delivery whose label is still being booked waits for the label: the shop gets the tracking
        # number and link with it (stock.picking._b2b_carrier_booking_finished sends it)
        if event == "shipped" and record and record._name == "stock.picking" and record._b2b_carrier_awaits_label():
            return self.env["b2b.exchange"]
        return super()._b2b_shop_progress(event, record=record)
