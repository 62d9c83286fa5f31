{
    "name": "B2B Delivery Carriers for Web Shops",
    "summary": "Bridge of b2b_delivery_carrier and b2b_ecommerce_sync: the carrier's tracking number and link go back "
    "to the shop order once the label is booked; the tracking e-mail is the shop's choice",
    "version": "19.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "b2b_delivery_carrier", "b2b_ecommerce_sync"],
    "data": [
        "views/b2b_shop_backend_views.xml",
        "views/stock_picking_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
