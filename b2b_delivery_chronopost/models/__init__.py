from . import delivery_carrier
