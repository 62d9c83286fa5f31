"""What the Magento 2 adapter reads (credentials, options) and the order statuses it knows."""

from odoo.addons.b2b_ecommerce_sync.protocol.options import Credential, Option


class Magento2Declarations:
    """What the Magento 2 adapter declares (class attributes of ``ShopAdapter``): the secrets it reads, its
    options, the order statuses it knows and their defaults."""

    credential_specs = (
        Credential("key", "Access token",
                   help="the integration's access token (System > Integrations > Access Token; the integration "
                        "needs the Catalog, Inventory, Customers and Sales resources)"),
    )

    # Magento ids are options of type text (validated as whole numbers), as the store codes are
    option_specs = (
        Option("store", "Store view code", default="default",
               help="store code of the order, customer and invoice calls (/rest/<store>/V1)"),
        Option("catalog_store", "Catalogue store code", default="all",
               help='store code of the catalogue calls ("all" writes global values, a store view code that view\'s)'),
        Option("api_prefix", "REST entry point", default="rest", help='"index.php/rest" without URL rewrites'),
        Option("attribute_set_id", "Attribute set id", default="4", help="attribute set of new products"),
        Option("visibility", "Visibility of new products", "selection", "4", selection=(
            ("1", "Not visible individually"), ("2", "Catalog"), ("3", "Search"), ("4", "Catalog, Search"))),
        Option("product_website_ids", "Website ids of new products", default="1", help="comma-separated"),
        Option("root_category_id", "Root category id", default="2", help="parent of top-level categories"),
        Option("source_code", "MSI source", default="default", help="the inventory source the stock goes to"),
        Option("price_store_id", "Price store id", default="0",
               help="store id of base and special prices (0: all stores)"),
        Option("customer_website_id", "Website id of new customers", default="1"),
        Option("customer_group_id", "Group id of new customers", default="1",
               help="1: General; a customer's own group wins when set"),
        Option("barcode_attribute", "Barcode attribute",
               help='attribute code receiving the barcode (e.g. "ean"; empty: not sent)'),
        Option("batch_size", "Batch size", "int", 20,
               help="items per batch call (Magento's default input list limit is 20 once input limits are on)"),
        Option("page_size", "Orders per page", "int", 100, help="at most 300"),
        Option("order_store_ids", "Store ids of the imported orders", help="comma-separated; empty: all"),
        Option("use_base_currency", "Base currency", "bool", False,
               help="read orders in the base currency (base_* amounts) instead of the order currency"),
        Option("create_invoice", "Create the Magento invoice", "bool", True,
               help="create the Magento invoice (not captured) when attaching an Odoo invoice to an order that "
                    "has none"),
        Option("invoice_notify", "E-mail the invoice", "bool", True, help="have Magento e-mail the customer about it"),
        Option("carrier_codes", "Carrier codes", default="ups,usps,fedex,dhl",
               help='carriers sent with their own code; any other is sent as "custom" with its name as title'),
    )

    order_statuses = (
        ("pending", "Pending"),
        ("pending_payment", "Pending Payment"),
        ("payment_review", "Payment Review"),
        ("fraud", "Suspected Fraud"),
        ("processing", "Processing"),
        ("holded", "On Hold"),
        ("complete", "Complete"),
        ("closed", "Closed"),
        ("canceled", "Canceled"),
    )
    default_status_map = {
        "confirmed": "processing",
        "shipped": "complete",
        "delivered": "complete",
        "cancelled": "canceled",
    }
    default_import_statuses = ("pending", "processing")
    default_cancel_statuses = ("canceled",)
