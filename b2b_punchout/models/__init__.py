from . import res_partner
from . import res_users
from . import punchout
from . import punchout_throttle
from . import ir_http
