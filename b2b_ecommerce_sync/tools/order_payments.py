"""The payments of imported shop orders, registered for a page of sale orders at once."""

from odoo import fields
from odoo.tools import float_is_zero, plaintext2html


def register_payments(sales, backend, orders):
    """The payments the shop took for ``sales`` (``orders``: their shop orders, in the same order), created
    and posted together; each sale order links its payment and says so in its chatter."""
    env = sales.env
    journal = backend.payment_journal_id
    sales.write({"b2b_shop_paid": True})
    todo = []
    for sale, order in zip(sales, orders, strict=False):
        amount = float(order.paid_amount or order.total or 0)
        if not journal or float_is_zero(amount, precision_digits=2):
            continue
        todo.append((sale, amount, {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": sale.partner_invoice_id.commercial_partner_id.id,
            "amount": amount,
            "currency_id": sale.currency_id.id,
            "journal_id": journal.id,
            "company_id": sale.company_id.id,
            "date": (order.created_at or fields.Datetime.now()).date(),
            "memo": " ".join(p for p in (f"{backend.name} #{order.number}", order.payment_method,
                                         order.transaction_id) if p),
        }))
    if not todo:
        return env["account.payment"]
    payments = env["account.payment"].sudo().create([vals for _s, _a, vals in todo])
    payments.action_post()
    bodies = {}
    for (sale, amount, _vals), payment in zip(todo, payments, strict=False):
        sale.b2b_shop_payment_id = payment
        bodies[sale.id] = plaintext2html(env._("Payment %(p)s of %(a)s %(c)s registered (paid in the shop).",
                                               p=payment.name, a=amount, c=sale.currency_id.name))
    # one insert for the page's notes (message_post per order costs more than the payment itself)
    sales.browse(list(bodies))._message_log_batch(bodies=bodies)
    return payments
