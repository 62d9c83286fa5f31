"""What the Magento 2 adapter reads (credentials, options) and the order statuses it knows."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from odoo.addons.b2b_connector_base.lib.errors import _lt
from odoo.addons.b2b_ecommerce_sync.protocol.options import Credential, Option, choice


class Magento2Declarations:
    """What the Magento 2 adapter declares (class attributes of ``ShopAdapter``): the secrets it reads, its
    options, the order statuses it knows and their defaults."""

    sends_customer_lang = True  # a customer's store view, the one of their locale in their website

    credential_specs = (
        Credential("key", _lt("Access token"),
                   help=_lt("the integration's access token (System > Integrations > Access Token; the integration "
                        "needs the Catalog, Inventory, Customers and Sales resources)")),
    )

    # Magento ids are options of type text (validated as whole numbers), as the store codes are
    option_specs = (
        Option("store", _lt("Store view code"), default="default",
               help=_lt("store code of the order, customer and invoice calls (/rest/<store>/V1)")),
        Option("catalog_store", _lt("Catalogue store code"), default="all",
               help=_lt('store code of the catalogue calls ("all" writes global values, a store view code '
                        'that view\'s)')),
        Option("api_prefix", _lt("REST entry point"), default="rest",
               help=_lt('"index.php/rest" without URL rewrites')),
        Option("attribute_set_id", _lt("Attribute set id"), default="4", help=_lt("attribute set of new products")),
        Option("visibility", _lt("Visibility of new products"), "selection", "4", selection=(
            choice("1", _lt("Not visible individually")), choice("2", _lt("Catalog")), choice("3", _lt("Search")),
            choice("4", _lt("Catalog, Search")))),
        Option("product_website_ids", _lt("Website ids of new products"), default="1", help=_lt("comma-separated")),
        Option("root_category_id", _lt("Root category id"), default="2", help=_lt("parent of top-level categories")),
        Option("source_code", _lt("MSI source"), default="default", help=_lt("the inventory source the stock goes to")),
        Option("price_store_id", _lt("Price store id"), default="0",
               help=_lt("store id of base and special prices (0: all stores)")),
        Option("customer_website_id", _lt("Website id of new customers"), default="1"),
        Option("customer_group_id", _lt("Group id of new customers"), default="1",
               help=_lt("1: General; a customer's own group wins when set")),
        Option("barcode_attribute", _lt("Barcode attribute"),
               help=_lt('attribute code receiving the barcode (e.g. "ean"; empty: not sent)')),
        Option("batch_size", _lt("Batch size"), "int", 20,
               help=_lt("items per batch call (Magento's default input list limit is 20 once input limits are on)")),
        Option("page_size", _lt("Orders per page"), "int", 100, help=_lt("at most 300")),
        Option("order_store_ids", _lt("Store ids of the imported orders"), help=_lt("comma-separated; empty: all")),
        Option("use_base_currency", _lt("Base currency"), "bool", False,
               help=_lt("read orders in the base currency (base_* amounts) instead of the order currency")),
        Option("create_invoice", _lt("Create the Magento invoice"), "bool", True,
               help=_lt("create the Magento invoice (not captured) when attaching an Odoo invoice to an order that "
                    "has none")),
        Option("invoice_notify", _lt("E-mail the invoice"), "bool", True, help=_lt("have Magento e-mail the customer "
                                                                                   "about it")),
        Option("carrier_codes", _lt("Carrier codes"), default="ups,usps,fedex,dhl",
               help=_lt('carriers sent with their own code; any other is sent as "custom" with its name as title')),
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
