"""What the Shopify adapter reads (credentials, options) and the order status codes it derives."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from odoo.addons.b2b_connector_base.lib.errors import _lt
from odoo.addons.b2b_ecommerce_sync.protocol.options import Credential, Option, choice

# The Admin API versions a shop may be set to: supported by Shopify (a retired version is not refused,
# Shopify silently serves the oldest supported one instead) and new enough for the documents we send
# (inventorySetQuantities needs its @idempotent key from 2026-04 on). The default is the version whose
# published schema every document is validated against in the tests; a new version comes with its schema.
DEFAULT_API_VERSION = "2026-07"
API_VERSIONS = (
    choice("2026-07", _lt("2026-07 (latest stable)")),
    choice("2026-10", _lt("2026-10 (release candidate)")),
)


# the access scopes the flows use (Shopify grants read_x with write_x); read_locales and read_all_orders are
# optional (the customers' language, orders older than 60 days)
NEEDED_SCOPES = ("read_products", "write_products", "read_inventory", "write_inventory", "read_customers",
                 "write_customers", "read_orders", "write_orders", "write_merchant_managed_fulfillment_orders",
                 "write_files", "read_locations")


class ShopifyDeclarations:
    """What the Shopify adapter declares (class attributes of ``ShopAdapter``): the secrets it reads, its
    options, the order statuses it knows and their defaults."""

    credential_specs = (
        Credential("key", _lt("Admin API access token"),
                   help=_lt("the access token of a custom app installed on the shop (shpat_...), sent as "
                        "X-Shopify-Access-Token; scopes read/write_products, read/write_inventory, "
                        "read/write_customers, read/write_orders, write_merchant_managed_fulfillment_orders, "
                        "write_files and read_locations "
                        "(read_all_orders for orders older than 60 days; read_locales to give the customers sent "
                        "their language)")),
    )

    sends_customer_lang = True  # a customer's locale, among the shop's published ones

    option_specs = (
        Option("api_version", _lt("Admin API version"), "selection", DEFAULT_API_VERSION, selection=API_VERSIONS,
               help=_lt("the version in the URL; the adapter's queries are written for the default one")),
        Option("location_id", _lt("Stock location"),
               help=_lt("GID of the location whose stock is synchronised (gid://shopify/Location/...; the connection "
                        "test "
                    "lists the shop's locations); required for stock")),
        Option("money", _lt("Order amounts"), "selection", "shop", selection=(
            choice("shop", _lt("Shop currency (shopMoney)")), choice("presentment", _lt("What the customer saw "
                                                                                        "(presentmentMoney)")))),
        Option("coupon_lines", _lt("Discount codes"), "selection", "separate", selection=(
            choice("separate", _lt("Own coupon line, left out of the lines' discount")),
            choice("allocated", _lt("In the lines' discount, as Shopify allocates it (coupon line at 0)")))),
        Option("confirmed_tag", _lt("Tag of confirmed orders"), default="odoo-confirmed",
               help=_lt("tag added to an order for the confirmed event")),
        Option("invoice_namespace", _lt("Invoice metafield namespace"), default="b2b",
               help=_lt("namespace of the invoice_pdf / invoice_number metafields")),
        Option("attribute_namespace", _lt("Attribute metafield namespace"), default="custom",
               help=_lt("metafield namespace of the product attributes")),
        Option("inactive_status", _lt("Status of inactive products"), "selection", "DRAFT",
               selection=(choice("DRAFT", _lt("Draft")), choice("ARCHIVED", _lt("Archived")))),
        Option("cancel_restock", _lt("Restock cancelled orders"), "bool", True, help=_lt("orderCancel's restock "
                                                                                         "argument")),
        Option("cancel_reason", _lt("Cancellation reason"), "selection", "OTHER", selection=(
            choice("CUSTOMER", _lt("Customer")), choice("DECLINED", _lt("Payment declined")), choice("FRAUD",
                                                                                                     _lt("Fraud")),
            choice("INVENTORY", _lt("Inventory")), choice("OTHER", _lt("Other")), choice("STAFF", _lt("Staff error")))),
        Option("throttle_retries", _lt("Throttled retries"), "int", 5, help=_lt("THROTTLED answers waited for and "
                                                                                "sent again")),
        Option("max_throttle_wait", _lt("Longest throttle wait"), "float", 60.0,
               help=_lt("seconds; a longer wait fails the call as retryable")),
        Option("lookup_chunk", _lt("Search chunk"), "int", 50, help=_lt("SKUs / e-mails per search query")),
    )

    order_statuses = (
        ("pending", "Payment pending"),
        ("authorized", "Payment authorized"),
        ("partially_paid", "Partially paid"),
        ("paid", "Paid"),
        ("fulfilled", "Paid and fulfilled"),
        ("partially_refunded", "Partially refunded"),
        ("refunded", "Refunded"),
        ("voided", "Voided"),
        ("expired", "Payment expired"),
        ("cancelled", "Cancelled"),
    )
    default_status_map = {"confirmed": "paid", "shipped": "fulfilled", "delivered": "fulfilled",
                          "cancelled": "cancelled"}
    default_import_statuses = ("authorized", "paid", "fulfilled")  # fulfilled: paid and shipped from Shopify
    default_cancel_statuses = ("cancelled", "refunded", "voided")


# our order status codes -> the Shopify search terms that find (a superset of) them
STATUS_SEARCH = {
    "pending": "financial_status:pending",
    "authorized": "financial_status:authorized",
    "partially_paid": "financial_status:partially_paid",
    "paid": "financial_status:paid",
    "fulfilled": "fulfillment_status:shipped",
    "partially_refunded": "financial_status:partially_refunded",
    "refunded": "financial_status:refunded",
    "voided": "financial_status:voided",
    "expired": "financial_status:expired",
    "cancelled": "status:cancelled",
}
