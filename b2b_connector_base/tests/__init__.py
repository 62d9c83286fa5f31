from . import test_exchange
from . import test_exchange_type
from . import test_security
from . import test_ui
from . import test_security_rpc
from . import test_access_matrix
from . import test_matrix_attacks
from . import test_translations
