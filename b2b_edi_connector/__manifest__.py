{
    "name": "B2B EDI Connector (DICO)",
    "summary": "Purchase orders to wholesalers as DICO (INSBOU003 / SALES005) EDI messages; order "
    "responses, despatch advices and invoices back onto the order, receipt and bill",
    "version": "19.0.1.2.0",
    "category": "Inventory/Purchase",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "purchase_stock", "account"],
    "external_dependencies": {"python": ["lxml", "requests", "zeep"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_edi_connector_security.xml",
        "data/b2b_edi_profile_data.xml",
        "data/ir_cron_data.xml",
        "views/b2b_edi_profile_views.xml",
        "data/b2b_exchange_type_data.xml",
        "views/res_partner_views.xml",
        "views/res_company_views.xml",
        "views/purchase_order_views.xml",
        "views/stock_picking_views.xml",
    ],
    "demo": ["demo/edi_demo.xml"],
    "assets": {
        "web.assets_tests": ["b2b_edi_connector/static/tests/tours/*.js"],
    },
    "installable": True,
}
