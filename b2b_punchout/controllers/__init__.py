from . import common
from . import cxml
from . import oci
from . import peppol
