{
    "name": "B2B Test Shop Platform (tests only)",
    "summary": "A shop platform made for the tests, in an addon of its own as every platform is: proves that a "
    "platform is one module, with no change to b2b_ecommerce_sync",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "b2b_ecommerce_sync"],
    "data": [],
    "application": False,
    "installable": True,
}
