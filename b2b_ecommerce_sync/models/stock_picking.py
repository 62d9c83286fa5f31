"""Shipments of shop orders go back to their shop."""

from odoo import models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "b2b.exchange.consumer.mixin"]  # its shipment messages to the shop

    def _action_done(self):
        result = super()._action_done()
        for picking in self.sudo().filtered(lambda p: p.state == "done" and p.picking_type_code == "outgoing"
                                            and p.sale_id.b2b_shop_backend_id):
            # a stock user need not read sale orders: the message is queued as superuser, in their name
            picking.sale_id._b2b_shop_progress("shipped", record=picking)
        return result
