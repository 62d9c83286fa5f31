"""Plain-Python protocol packages of b2b_invoice_attach (no Odoo import)."""
