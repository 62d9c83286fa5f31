from . import b2b_edi_profile
from . import res_partner
from . import res_company
from . import purchase_order
from . import purchase_order_line
from . import stock_picking
from . import b2b_overview_source
