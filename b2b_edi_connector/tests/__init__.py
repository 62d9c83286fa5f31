from . import test_edi_round_trip
