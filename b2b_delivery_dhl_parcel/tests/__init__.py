from . import test_access_matrix, test_dhl_parcel, test_translations
