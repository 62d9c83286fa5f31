from . import test_punchout
from . import test_security
from . import test_fuzz
from . import test_protocols
from . import test_access_matrix
from . import test_orders
from . import test_translations
