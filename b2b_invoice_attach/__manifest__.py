{
    "name": "B2B Invoice Attach (BaseLinker)",
    "summary": "Posted customer invoices' PDFs attached to the matching BaseLinker and shop orders",
    "version": "19.0.0.1.0",
    "category": "Accounting/Accounting",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "sale", "account"],
    "data": [],
    "application": True,
    "installable": True,
}
