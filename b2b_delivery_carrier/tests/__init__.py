# the shared flow is tested through each carrier addon (tests/common.py holds what they share)
from . import test_access_matrix
from . import test_translations
