from . import res_partner
from . import res_users
from . import product_category
from . import product_template
from . import sale_order
from . import b2b_punchout_session
from . import b2b_punchout_throttle
from . import ir_http
