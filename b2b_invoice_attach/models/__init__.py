from . import b2b_baselinker_status
from . import b2b_baselinker_backend
from . import account_move
