{
    "name": "B2B Punch-out",
    "summary": "Supplier-side punch-out for procurement systems: cXML, SAP OCI and PEPPOL BIS Punch Out 3 "
    "into the Odoo shop, carts returned, final orders as sale orders",
    "version": "19.0.0.1.0",
    "category": "Website/Website",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "website_sale"],
    "data": [],
    "application": True,
    "installable": True,
}
