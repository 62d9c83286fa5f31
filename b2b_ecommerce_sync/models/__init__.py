from . import shop_backend
from . import shop_binding
from . import shop_catalogue
from . import shop_customers
from . import sale_order
from . import stock_account
from . import product_partner
