{
    "name": "B2B E-commerce Sync",
    "summary": "WooCommerce, PrestaShop, Magento 2 and Shopify backends: catalogue, prices, stock and "
    "customers out; orders in as sale orders; status, tracking and invoices back",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base", "sale_management", "sale_stock", "stock_delivery", "account"],
    "external_dependencies": {"python": ["requests", "lxml"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_ecommerce_security.xml",
        "data/shop_data.xml",
        "data/b2b_exchange_type_data.xml",
        "views/shop_backend_views.xml",
        "views/sale_product_views.xml",
    ],
    "demo": ["demo/shop_demo.xml"],
    "installable": True,
}
