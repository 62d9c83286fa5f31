{
    "name": "B2B Delivery DHL Parcel",
    "summary": "DHL Parcel (Iberia) delivery methods over DHL's B2B_B2C web service: B2B, B2C and ServicePoint "
    "shipments, one label (PDF or ZPL) per package, cancellation, tracking",
    "version": "19.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "b2b_delivery_carrier"],
    "data": ["views/delivery_carrier_views.xml"],
    "demo": ["demo/delivery_carrier_demo.xml"],
    "installable": True,
}
