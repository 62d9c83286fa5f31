from . import test_edi_round_trip
from . import test_backend_settings
from . import test_edi_security
from . import test_edi_profiles
from . import test_access_matrix
from . import test_edi_wholesalers
from . import test_translations
