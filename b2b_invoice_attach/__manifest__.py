{
    "name": "B2B Invoice Attach (BaseLinker)",
    "summary": "Posted customer invoices' PDFs attached to the matching BaseLinker and shop orders",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "sale", "account"],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_invoice_attach_security.xml",
        "data/b2b_exchange_type_data.xml",
        "views/b2b_baselinker_views.xml",
    ],
    "demo": ["demo/b2b_invoice_attach_demo.xml"],
    "installable": True,
}
