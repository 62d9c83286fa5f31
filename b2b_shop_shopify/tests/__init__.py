from . import test_shopify_round_trip
