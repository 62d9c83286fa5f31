{
    "name": "B2B Shop Platform: WooCommerce",
    "summary": "WooCommerce (WordPress, REST API v3, Shipment Tracking, media uploads) as a platform of the B2B web "
               "shop backends",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "b2b_ecommerce_sync"],
    "external_dependencies": {"python": ["requests"]},
    "data": [],
    "demo": ["demo/b2b_shop_backend_demo.xml"],
    "application": False,
    "installable": True,
}
