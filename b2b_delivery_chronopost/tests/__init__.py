from . import test_chronopost
