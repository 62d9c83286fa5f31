from . import test_punchout
