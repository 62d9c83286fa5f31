from . import b2b_shop_backend, sale_order, stock_picking
