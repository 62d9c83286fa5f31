from . import test_colissimo, test_security
