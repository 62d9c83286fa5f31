# Installed by itself when b2b_ecommerce_sync and b2b_invoice_attach both are. Neither addon knows the other:
# both hand a posted invoice's PDF to their peers with b2b_connector_base's invoice_pdf(), Odoo's stored invoice
# PDF, so together they need no code of their own; this addon holds what the pair promises, in its tests.
