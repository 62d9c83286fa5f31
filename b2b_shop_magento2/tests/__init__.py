from . import test_magento2_round_trip
