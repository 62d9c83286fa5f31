from . import test_access_matrix, test_chronopost, test_security, test_translations
