{
    "name": "B2B Delivery Colissimo",
    "summary": "Colissimo (La Poste) delivery methods: labels (PDF or ZPL) per parcel, home delivery with or "
    "without signature, pickup points, tracking",
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
