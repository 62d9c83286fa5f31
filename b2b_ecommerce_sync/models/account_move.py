"""Invoices of shop orders go back to their shop (their PDF), and settle the payments the shop took."""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _b2b_shop_sale_orders(self):
        self.ensure_one()
        return self.sudo().line_ids.sale_line_ids.order_id.filtered(
            lambda o: o.b2b_shop_backend_id and o.b2b_shop_backend_id.send_invoices)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted.filtered(lambda m: m.move_type in ("out_invoice", "out_refund")):
            orders = move._b2b_shop_sale_orders()
            if not orders:
                continue
            move._b2b_shop_reconcile_payments(orders)
            move.with_delay(channel="root.b2b", description=f"Invoice {move.name} to its shop orders",
                            identity_key=f"b2b.shop_invoice:{move.id}")._b2b_shop_push_invoice()
        return posted

    def _b2b_shop_push_invoice(self):
        """queue_job: the invoice PDF to each of its shop orders (logged as one exchange per order)."""
        results = []
        for move in self.filtered(lambda m: m.state == "posted"):
            for order in move._b2b_shop_sale_orders():
                result = order._b2b_shop_attach_invoice(move)
                results.append(f"{order.name}: {getattr(result, 'state', result)}")
        return "; ".join(results) or "no shop order"

    def _b2b_shop_reconcile_payments(self, orders):
        """Payments registered for paid shop orders are matched with the invoice."""
        if self.move_type != "out_invoice":
            return
        receivable = self.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable"
                                            and not line.reconciled)
        if not receivable:
            return
        for payment in orders.b2b_shop_payment_id.filtered(lambda p: p.state not in ("draft", "canceled")):
            lines = payment.move_id.line_ids.filtered(
                lambda line: line.account_id == receivable[0].account_id and not line.reconciled)
            for line in lines:
                if self.amount_residual > 0:
                    self.js_assign_outstanding_line(line.id)
