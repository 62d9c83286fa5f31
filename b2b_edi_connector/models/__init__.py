from . import res_partner
from . import res_company
from . import purchase_order
from . import stock_picking
