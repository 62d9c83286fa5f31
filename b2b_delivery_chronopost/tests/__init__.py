from . import test_chronopost, test_security
