from . import test_prestashop_round_trip
