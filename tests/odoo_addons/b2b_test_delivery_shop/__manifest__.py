{
    "name": "B2B Test Delivery + Shop (tests only)",
    "summary": "Tests of the carriers' bridge to the shops (b2b_delivery_ecommerce) against a real shop platform "
    "(the sandbox WooCommerce) and a real carrier (the sandbox Colissimo): the bridge itself knows no platform",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "b2b_delivery_ecommerce", "b2b_delivery_colissimo", "b2b_shop_woocommerce",
                "b2b_sandbox"],
    "data": [],
    "application": False,
    "installable": True,
}
