from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _b2b_carrier_wants_tracking_email(self):
        backend = self.sudo().sale_id.b2b_shop_backend_id
        if backend:
            return backend.b2b_tracking_email
        return super()._b2b_carrier_wants_tracking_email()

    def _b2b_carrier_booking_finished(self):
        result = super()._b2b_carrier_booking_finished()
        picking = self.sudo()  # a stock user need not read sale orders: the message is queued in their name
        if picking.carrier_tracking_ref and picking.state == "done" and picking.picking_type_code == "outgoing" \
                and picking.sale_id.b2b_shop_backend_id:
            picking.sale_id._b2b_shop_progress("shipped", record=picking)
        return result
