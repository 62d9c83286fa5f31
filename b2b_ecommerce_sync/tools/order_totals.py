"""Imported shop orders whose total in Odoo is not the shop's: a note on each, logged for a page at once."""

from odoo.tools import float_compare, plaintext2html


def note_total_mismatches(sales, orders):
    """A note on each of ``sales`` whose Odoo total differs from its shop order's (``orders``, in the same
    order): taxes configured differently."""
    env = sales.env
    bodies = {}
    for sale, order in zip(sales, orders, strict=False):
        if order.total and float_compare(sale.amount_total, float(order.total), precision_digits=2):
            bodies[sale.id] = plaintext2html(env._(
                "The shop's total is %(shop)s %(cur)s, Odoo computes %(odoo)s: check the taxes and the special "
                "products of the shop.", shop=order.total, cur=order.currency, odoo=round(sale.amount_total, 2)))
    if bodies:  # logged together: a page of 100 orders is one insert, not 100 message_post
        sales.browse(list(bodies))._message_log_batch(bodies=bodies)
