{
    "name": "B2B EDI Connector (DICO)",
    "summary": "Purchase orders to wholesalers as DICO (INSBOU003 / SALES005) EDI messages; order "
    "responses, despatch advices and invoices back onto the order, receipt and bill",
    "version": "19.0.1.0.0",
    "category": "Inventory/Purchase",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "purchase_stock", "account"],
    "external_dependencies": {"python": ["lxml", "requests"]},
    "data": [
        "data/edi_data.xml",
        "data/b2b_exchange_type_data.xml",
        "views/res_partner_views.xml",
        "views/purchase_views.xml",
    ],
    "demo": ["demo/edi_demo.xml"],
    "installable": True,
}
