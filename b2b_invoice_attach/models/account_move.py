import logging

from odoo import fields, models

from odoo.addons.b2b_connector_base.tools.invoice_pdf import invoice_pdf

_logger = logging.getLogger(__name__)

SHOP_HOOK = "_b2b_shop_attach_invoice"
SHOP_FILTER = "_b2b_shop_wants_invoice"


class AccountMove(models.Model):
    _inherit = "account.move"

    b2b_baselinker_order_id = fields.Char("BaseLinker Order", copy=False, readonly=True)
    b2b_baselinker_invoice_id = fields.Integer("BaseLinker Invoice", copy=False, readonly=True)
    b2b_baselinker_uploaded_at = fields.Datetime("PDF Sent to BaseLinker", copy=False, readonly=True)

    def _b2b_shop_orders(self):
        """Sale orders of this invoice that came from a web shop (b2b_ecommerce_sync provides the hook;
        without that addon there are none)."""
        self.ensure_one()
        orders = self.sudo().line_ids.sale_line_ids.order_id
        if not hasattr(type(orders), SHOP_HOOK):
            return orders.browse()
        if hasattr(type(orders), SHOP_FILTER):  # the shop addon says which orders came from a shop
            orders = orders.filtered(lambda order: getattr(order, SHOP_FILTER)())
        return orders

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted.filtered(lambda m: m.move_type in ("out_invoice", "out_refund")):
            if move._b2b_shop_orders():
                move.with_delay(channel="root.b2b", description=f"Invoice PDF of {move.name} to its shop orders",
                                identity_key=f"b2b.shop_pdf:{move.id}")._b2b_push_shop_pdf()
        return posted

    def _b2b_push_shop_pdf(self):
        """queue_job: render the invoice PDF once and hand it to every shop order of the invoice
        (``sale.order._b2b_shop_attach_invoice(invoice, pdf_bytes, filename)`` is idempotent and
        logs its own exchange)."""
        results = []
        for move in self:
            orders = move._b2b_shop_orders()
            if not orders or move.state != "posted":
                continue
            attachment = invoice_pdf(move)
            pdf, filename = attachment.raw, attachment.name
            for order in orders:
                result = getattr(order, SHOP_HOOK)(move, pdf, filename)
                results.append(f"{order.name}: {getattr(result, 'name', result)}")
        return "; ".join(results) or "no shop order"
