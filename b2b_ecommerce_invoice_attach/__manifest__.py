{
    "name": "B2B E-commerce Sync + Invoice Attach (bridge)",
    "summary": "Shop orders that are BaseLinker orders too: one invoice PDF, Odoo's stored one, to the shop once "
    "and to BaseLinker",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "b2b_ecommerce_sync", "b2b_invoice_attach"],
    "data": [],
    "auto_install": True,
    "application": False,
    "installable": True,
}
