from decimal import Decimal

from odoo.tools import float_repr, float_round


def unit_price(line):
    """What one unit of a sale order line costs the buyer, discount included, taxes excluded, at the
    'Product Price' decimal precision (0.333 EUR/m stays 0.333, where the line's subtotal would round it
    to cents): the price of the cart we send and the price an incoming order is compared with. A Decimal."""
    digits = line.env["decimal.precision"].precision_get("Product Price")
    price = line._get_discounted_price()
    included = line.tax_ids.filtered("price_include")
    if included:
        # the price includes taxes: take them out without rounding the base to the currency
        price = line.tax_ids.with_context(round_base=False).compute_all(
            price, currency=line.currency_id, quantity=1.0, product=line.product_id,
            partner=line.order_id.partner_shipping_id)["total_excluded"]
    return Decimal(float_repr(float_round(price, precision_digits=digits), digits))
