def unit_price(line):
    """What one unit of a sale order line costs the buyer, discount included, taxes excluded: the price of
    the cart we send and the price an incoming order is compared with."""
    return line.currency_id.round(line.price_reduce_taxexcl)
