"""Our side of the parcel carriers: the neutral shipment (``model``), the adapter interface every carrier
implements and its registry (``base``). No Odoo import: each carrier addon registers its adapter from its own
``protocol/`` package."""

from . import base, model  # noqa: F401
