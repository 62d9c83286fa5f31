"""Plain-Python protocol packages of b2b_edi_connector (no Odoo import)."""
