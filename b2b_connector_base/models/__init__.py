from . import b2b_secret_mixin
from . import b2b_exchange_type
from . import b2b_exchange
from . import b2b_exchange_consumer_mixin
from . import b2b_backend_mixin
from . import b2b_schedule
from . import ir_attachment
