from . import test_baselinker_backend
