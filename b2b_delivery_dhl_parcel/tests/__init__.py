from . import test_dhl_parcel
