"""What the PrestaShop adapter reads (credentials, options, the key's permissions) and the order states it knows."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from odoo.addons.b2b_connector_base.lib.errors import _lt
from odoo.addons.b2b_ecommerce_sync.protocol.options import Credential, Option, choice


class PrestaShopDeclarations:
    """What the PrestaShop adapter declares (class attributes of ``ShopAdapter``): the secrets it reads, its
    options, the order statuses it knows and their defaults."""

    sends_customer_lang = True  # a customer's id_lang

    credential_specs = (
        Credential("key", _lt("Webservice key"),
                   help=_lt("Advanced Parameters > Webservice (32 characters), sent as the HTTP Basic user name with "
                            "an "
                        "empty password; it needs the permissions of NEEDED_PERMISSIONS (test_connection names the "
                        "missing ones)")),
    )

    # PrestaShop ids are options of type text (validated as numbers), as PrestaShop's webservice writes them
    option_specs = (
        Option("api_path", _lt("Webservice path"), default="/api", help=_lt("the webservice path under the shop URL")),
        Option("language", _lt("Language id"), default="1", help=_lt("language of the multilingual fields written and "
                                                                     "read")),
        Option("shop", _lt("Shop id"), default="1", help=_lt("sent as id_shop (multistore)")),
        Option("timezone", _lt("Time zone"), default="UTC",
               help=_lt("the shop's time zone (PS_TIMEZONE); PrestaShop dates are local time")),
        Option("root_category", _lt("Root category id"), default="2",
               help=_lt("parent of top-level categories and default category of new products without categories "
                        "(Home)")),
        Option("default_group", _lt("Customer group id"), default="3",
               help=_lt("customer group of new customers without a group of their own (Customer)")),
        Option("visibility", _lt("Visibility of new products"), "selection", "both", selection=(
            choice("both", _lt("Everywhere")), choice("catalog", _lt("Catalog only")), choice("search",
                                                                                              _lt("Search only")),
                                                                                                choice("none",
                                                                                                       _lt("Nowhere")))),
        Option("billing_alias", _lt("Billing address alias"), default="Billing",
               help=_lt("alias of the billing address we keep for a customer (matched on update, so it is updated "
                    "instead of added again)")),
        Option("shipping_alias", _lt("Shipping address alias"), default="Shipping",
               help=_lt("the same, for the shipping address")),
        Option("gift_card_pattern", _lt("Gift card cart rules"),
               default=r"(?i)gift[\s_-]*(card|voucher|certificate)|cadeau(kaart|bon)|carte[\s-]cadeau|gutschein",
               help=_lt('regular expression on a cart rule\'s name or code that makes it a "gift_card" line '
                        '(PrestaShop '
                    'has no gift cards of its own; they are cart rules); others are "coupon" lines')),
        Option("upload_pdf", _lt("Upload invoice PDFs"), "bool", False,
               help=_lt("also upload the invoice PDF as a PrestaShop attachment (off by default: attachments are "
                        "product "
                    "downloads that the front office serves to anyone who knows the id)")),
        Option("employee", _lt("Employee id"), default="1", help=_lt("author of the messages we add to orders")),
        Option("contact", _lt("Contact id"), default="0", help=_lt("customer-service contact of the message threads "
                                                                   "we open")),
        Option("sync_images", _lt("Upload product images"), "bool", True,
               help=_lt("upload a product's images when the shop's product has none yet")),
        Option("tracking_email", _lt("Tracking e-mail"), "bool", True,
               help=_lt("on a notifying shipment, PrestaShop sends its \"in transit\" e-mail with the tracking link "
                    "(the order carrier is saved with sendemail=1; only carriers with a tracking URL send it)")),
        Option("tracking_message", _lt("Tracking message"), "bool", True,
               help=_lt("on a notifying shipment with a tracking URL, also add a customer-visible message with "
                        "carrier, "
                    "tracking number and URL (once per tracking number)")),
    )

    # PrestaShop 8's default order states (ids of a fresh install; a shop may add its own)
    order_statuses = (
        ("1", "Awaiting check payment"),
        ("2", "Payment accepted"),
        ("3", "Processing in progress"),
        ("4", "Shipped"),
        ("5", "Delivered"),
        ("6", "Canceled"),
        ("7", "Refunded"),
        ("8", "Payment error"),
        ("9", "On backorder (paid)"),
        ("10", "Awaiting bank wire payment"),
        ("11", "Remote payment accepted"),
        ("12", "On backorder (not paid)"),
        ("13", "Awaiting Cash On Delivery validation"),
    )

    default_status_map = {"confirmed": "3", "shipped": "4", "delivered": "5", "cancelled": "6"}
    default_import_statuses = ("2", "3", "9", "11")
    default_cancel_statuses = ("6",)


# what each flow needs from the webservice key (test_connection checks it): resource -> methods
NEEDED_PERMISSIONS = {
    "products": ("get", "post", "patch"),
    "categories": ("get", "post", "patch"),
    "stock_availables": ("get", "patch"),
    "specific_prices": ("get", "post", "patch", "delete"),
    "customers": ("get", "post", "patch"),
    "addresses": ("get", "post", "patch"),
    "countries": ("get",),
    "states": ("get",),
    "currencies": ("get",),
    "carriers": ("get",),
    "taxes": ("get",),
    "cart_rules": ("get",),
    "order_states": ("get",),
    "orders": ("get",),
    "order_details": ("get",),
    "order_cart_rules": ("get",),
    "order_payments": ("get",),
    "order_carriers": ("get", "put"),
    "order_histories": ("get", "post"),
    "customer_threads": ("get", "post"),
    "customer_messages": ("get", "post"),
}
