"""Plain-Python protocol packages of b2b_punchout (no Odoo import)."""
