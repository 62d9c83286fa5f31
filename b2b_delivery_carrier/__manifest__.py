{
    "name": "B2B Delivery Carriers",
    "summary": "Shared base of the parcel carriers: encrypted carrier credentials, test/production endpoints, "
    "labels booked on validation, by button or in batch, one label per package, tracking number and URL, "
    "cancellation, the exchange log and the tracking e-mail",
    "version": "19.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "stock_delivery", "mail"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "data/b2b_exchange_type_data.xml",
        "data/mail_template_data.xml",
        "views/delivery_carrier_views.xml",
        "views/stock_picking_views.xml",
    ],
    "installable": True,
}
