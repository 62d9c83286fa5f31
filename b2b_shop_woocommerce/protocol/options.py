"""What the WooCommerce adapter reads (credentials, options) and the order statuses it knows."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from odoo.addons.b2b_connector_base.lib.errors import _lt
from odoo.addons.b2b_ecommerce_sync.protocol.options import Credential, Option, choice


class WooCommerceDeclarations:
    """What the WooCommerce adapter declares (class attributes of ``ShopAdapter``): the secrets it reads, its
    options, the order statuses it knows and their defaults."""

    credential_specs = (
        Credential("key", _lt("Consumer key"),
                   help=_lt("the REST API consumer key (ck_..., WooCommerce > Settings > Advanced > REST API, "
                        "permission Read/Write)")),
        Credential("secret", _lt("Consumer secret"), help=_lt("the consumer secret of that key (cs_...)")),
        Credential("extra", _lt("Application password"), required=False,
                   help=_lt("a WordPress application password of the user in option wp_user (Users > Profile > "
                        "Application Passwords); only needed to upload invoice PDFs to the media library")),
    )

    option_specs = (
        Option("api_root", _lt("REST root"), default="/wp-json",
               help=_lt("the WordPress REST root under the shop URL")),
        Option("query_string_auth", _lt("Keys in the query string"), "bool", False,
               help=_lt("send the keys as consumer_key / consumer_secret parameters instead of a Basic header (for "
                    "servers that drop the Authorization header)")),
        Option("batch_size", _lt("Batch size"), "int", 100,
               help=_lt("objects per batch request (WooCommerce's limit is 100 unless a site lowers it)")),
        Option("restock_meta_key", _lt("Restock date meta key"), default="_b2b_restock_date",
               help=_lt("product meta key for the expected restock date of products out of stock")),
        Option("barcode_field", _lt("Barcode field"), default="global_unique_id",
               help=_lt("product field for the barcode (WooCommerce 9.2+ GTIN field), or a meta key (e.g. _ean)")),
        Option("inactive_status", _lt("Status of inactive products"), "selection", "draft",
               selection=(choice("draft", _lt("Draft")), choice("pending", _lt("Pending review")), choice("private",
                                                                                                          _lt("Private")))),
        Option("vat_meta_key", _lt("VAT number meta key"),
               help=_lt("order/customer meta key holding the VAT number (depends on the VAT plugin; empty: none)")),
        Option("customer_group_meta_key", _lt("Customer group meta key"),
               help=_lt("customer meta key for the customer group (roles cannot be written through the REST API)")),
        Option("gift_card_pattern", _lt("Gift card names"),
               default=r"gift[\s_-]*card|gift\s*(certificate|voucher)|cadeau\s*(kaart|bon)|gutschein"
                       r"|carte[\s-]*cadeau|tarjeta\s*regalo|buono\s*regalo",
               help=_lt("regular expression: a negative fee whose name matches is a gift card")),
        Option("shipment_tracking", _lt("Shipment Tracking extension"), "bool", True,
               help=_lt("use the Shipment Tracking extension when it is installed (else the tracking number only goes "
                    "into an order note)")),
        Option("wp_user", _lt("WordPress user"), help=_lt("user name for the media upload (with the application "
                                                          "password)")),
        Option("invoice_note_to_customer", _lt("Invoice note to the customer"), "bool", True,
               help=_lt("the invoice note is a customer note (WooCommerce e-mails it)")),
    )

    order_statuses = (
        ("pending", "Pending payment"),
        ("processing", "Processing"),
        ("on-hold", "On hold"),
        ("completed", "Completed"),
        ("cancelled", "Cancelled"),
        ("refunded", "Refunded"),
        ("failed", "Failed"),
        ("checkout-draft", "Draft"),
    )
    default_status_map = {
        "confirmed": "processing",
        "shipped": "completed",
        "delivered": "completed",
        "cancelled": "cancelled",
    }
    default_import_statuses = ("processing", "on-hold")
    default_cancel_statuses = ("cancelled", "refunded", "failed")
