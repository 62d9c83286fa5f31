from . import test_access_matrix, test_colissimo, test_security, test_translations
