from . import punchout
from . import ir_http
