{
    "name": "B2B Punch-out (cXML, SAP OCI, PEPPOL)",
    "summary": "Buyers punch in from Ariba, Coupa, SAP SRM or Proceedo, fill a cart in the shop and send it "
    "back; their approved order becomes a sale order",
    "version": "19.0.1.3.0",
    "category": "Website/eCommerce",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "website_sale"],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_punchout_security.xml",
        "data/ir_cron_data.xml",
        "data/b2b_exchange_type_data.xml",
        "views/res_partner_views.xml",
        "views/b2b_punchout_session_views.xml",
        "views/product_template_views.xml",
        "views/product_category_views.xml",
        "views/sale_order_views.xml",
        "views/website_templates.xml",
    ],
    "demo": ["demo/punchout_demo.xml"],
    "assets": {
        "web.assets_tests": ["b2b_punchout/static/tests/tours/*.js"],
    },
    "installable": True,
}
