"""Plain-Python protocol packages of b2b_punchout (no Odoo import): one module per punch-out protocol,
each registering its :class:`~.base.PunchoutProtocol` (imported here, so the built-in ones are always
known), and the input guards they share."""

from . import cxml, oci, peppol  # noqa: F401
