from . import test_baselinker_backend
from . import test_baselinker_access
from . import test_baselinker_concurrency
from . import test_access_matrix
from . import test_translations
