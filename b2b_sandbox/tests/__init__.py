from . import test_sandbox_backend
from . import test_backend_security
from . import test_matrix_attacks
from . import test_access_matrix
from . import test_translations
