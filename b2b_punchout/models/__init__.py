from . import res_partner
from . import res_users
from . import b2b_punchout_session
from . import b2b_punchout_throttle
from . import ir_http
