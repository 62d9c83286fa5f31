{
    "name": "B2B E-commerce Sync",
    "summary": "WooCommerce, PrestaShop, Magento 2 and Shopify backends: catalogue, prices, stock and "
    "customers out; orders in as sale orders; status, tracking and invoices back",
    "version": "19.0.0.1.0",
    "category": "Sales/Sales",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "sale_stock", "sale_management", "account"],
    "data": [],
    "application": True,
    "installable": True,
}
