"""Sandbox PrestaShop 8: an in-memory shop behind the webservice (``/api``), as PrestaShop documents it.

* auth: HTTP Basic with the webservice key as user name and no password (or ``?ws_key=``). No key:
  401 code 16, empty key 17, not 32 characters 18, unknown or disabled key 20 + 21, always with
  ``WWW-Authenticate: Basic realm="Welcome to PrestaShop Webservice, ..."``; a resource the key may not
  use: 401 code 26, a method it may not use: 405 code 25; ``enabled = False``: 503 code 22;
* answers in XML unless ``output_format=JSON`` (or the ``Output-Format``/``Io-Format`` header); JSON
  lists are ``{"products": [...]}``, an empty list ``[]``, one record ``{"product": {...}}``, errors
  ``{"errors": [{"code", "message"}]}``; XML errors ``<prestashop><errors><error><code/><message/>``;
* lists: ``display`` (absent: ids only; ``full``; ``[a,b]``), ``filter[field]=`` with PrestaShop's syntax
  (``[a|b]`` OR, ``[1,10]`` interval, ``[x]%`` / ``%[x]%`` LIKE, ``>[x]``, ``<[x]``, ``![x]``, plain
  value; case-insensitive like MySQL), ``date=1`` required to filter or sort on ``date_add``/``date_upd``,
  ``sort=[field_ASC,...]``, ``limit=count`` or ``offset,count`` (no paging headers, no maximum),
  ``language`` (one id: multilingual fields as strings; else ``[{"id", "value"}]``);
* writes: XML bodies (``<prestashop><product>...``); POST (201; an ``id`` is refused: 400 code 91), PUT
  (optional fields left out are blanked), PATCH (only the fields sent; ``id`` required: 400 code 90;
  unknown id 404 code 92), DELETE (unknown id 404 code 87); required field missing: 400 code 41;
  read-only field: 400 code 93; validation as PrestaShop's ``Validate`` class (e-mail, customer names,
  references, prices, EAN-13, link rewrite, clean HTML...): 400 code 85 (84 for multilingual fields),
  ``Validation error: "Property Customer->email is not valid"``; malformed XML: 500 code 127.
  Like PrestaShop, duplicate product references and customer e-mails are accepted (nothing in the
  webservice prevents them): the adapter has to avoid creating them;
* ``POST /api/order_histories[?sendemail=1]`` changes an order's state (``current_state``, ``valid``,
  ``date_upd``); with ``sendemail=1`` and a state that has ``send_email``, the e-mail PrestaShop would
  send is recorded in ``emails``;
* ``POST /api/images/products/<id>`` (multipart ``image``), ``POST /api/attachments/file`` (multipart
  ``file`` + form field ``name``, at most ``max_attachment_bytes``), ``GET /api/attachments/file/<id>``;
* no throttling in PrestaShop itself; ``throttle=(requests, seconds)`` makes the peer answer like a front
  proxy under load: 503 + ``Retry-After`` (``retry_after`` seconds) with an HTML page. Request lines
  over ``max_uri`` bytes get 414 and bodies over ``max_body`` 413, as from Apache/nginx in front of the
  shop (PrestaShop has no batch endpoints, so these are the size limits a client meets). Dates are
  local time in ``timezone`` (PS_TIMEZONE).

Simplifications: orders, order details, cart rules and reference data (countries, currencies,
carriers, taxes, order states) are seeded with helpers, not created through the webservice (they answer
405 code 101 to writes); no combinations, carts, multistore data or stock movements; PUT/PATCH on
products replace the category association as PrestaShop does, without position handling.

Demo: :func:`demo_peers` starts one on port 8073 with the webservice key ``B2BCONNECTPRESTASHOPDEMO00000000``
(shop URL ``http://127.0.0.1:8073``, time zone Europe/Amsterdam), products SHOP-DESK, SHOP-CHAIR and
SHOP-LAMP and three orders: paid with shipping and a coupon, awaiting bank wire, cancelled.
"""

import base64
import difflib
import email.parser
import email.policy
import hashlib
import json
import random
import re
import string
import time
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from .server import PeerServer, Response

DEMO_KEY = "B2BCONNECTPRESTASHOPDEMO00000000"
XLINK = "http://www.w3.org/1999/xlink"
WWW_AUTHENTICATE = ('Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the '
                    'login. No password required."')
ALL_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
ZERO_DATE = "0000-00-00 00:00:00"

# ---------------------------------------------------------------------------- PrestaShop's Validate
_V = {
    "isEmail": re.compile(r"^[\w!#$%&'*+/=?^`{}|~-]+(?:\.[\w!#$%&'*+/=?^`{}|~-]+)*@[^\W_](?:[\w-]*[^\W_])?"
                          r"(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,}$", re.I),
    "isCustomerName": re.compile(r"^(?!\s*$)(?:[^0-9!<>,;?=+()/\\@#\"°*`{}_^$%:¤\[\]|.。]|[.。](?:\s|$))*$"),
    "isName": re.compile(r"^(?!\s*$)(?:[^0-9!<>,;?=+()/\\@#\"°*`{}_^$%:¤\[\]|.。]|[.。](?:\s|$))*$"),
    "isCatalogName": re.compile(r"^[^<>;=#{}]*$"),
    "isGenericName": re.compile(r"^[^<>={}]*$"),
    "isReference": re.compile(r"^[^<>;={}]*$"),
    "isPrice": re.compile(r"^[0-9]{1,10}(\.[0-9]{1,9})?$"),
    "isNegativePrice": re.compile(r"^[-]?[0-9]{1,10}(\.[0-9]{1,9})?$"),
    "isUnsignedFloat": re.compile(r"^[0-9]+(\.[0-9]+)?$"),
    "isFloat": re.compile(r"^-?[0-9]+(\.[0-9]+)?$"),
    "isUnsignedId": re.compile(r"^[0-9]{1,10}$"),
    "isInt": re.compile(r"^-?[0-9]+$"),
    "isBool": re.compile(r"^[01]$"),
    "isEan13": re.compile(r"^[0-9]{0,13}$"),
    "isUpc": re.compile(r"^[0-9]{0,12}$"),
    "isMpn": re.compile(r"^[^<>;={}]*$"),
    "isLinkRewrite": re.compile(r"^[\w-]+$"),
    "isAddress": re.compile(r"^[^!<>?=+@{}_$%]*$"),
    "isCityName": re.compile(r"^[^!<>;?=+@#\"°{}_$%]*$"),
    "isPostCode": re.compile(r"^[a-zA-Z 0-9-]*$"),
    "isPhoneNumber": re.compile(r"^[+0-9. ()/-]*$"),
    "isDate": re.compile(r"^(\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?)?$"),
    "isTrackingNumber": re.compile(r"^[~:#,%&_=()\[\].? +\-@/a-zA-Z0-9]*$"),
    "isReductionType": re.compile(r"^(amount|percentage)$"),
    "isProductVisibility": re.compile(r"^(both|catalog|search|none)$"),
    "isColor": re.compile(r"^(#[0-9a-fA-F]{6}|[a-zA-Z]*)$"),
}
_UNCLEAN_HTML = re.compile(r"<\s*(script|iframe|form|input|embed|object)\b|\bon\w+\s*=|javascript\s*:", re.I)


def _valid(validator, value):
    if validator is None or value in (None, ""):
        return True
    if validator == "isCleanHtml":
        return not _UNCLEAN_HTML.search(value)
    if validator == "isPasswd":
        return 5 <= len(value) <= 255
    return bool(_V[validator].match(value))


class F:
    """One field of a resource: type (int, bool, float, str, html, date), Validate method, flags."""

    def __init__(self, name, type="str", validate=None, required=False, i18n=False, size=None, readonly=False,
                 default=None):
        self.name, self.type, self.validate, self.required = name, type, validate, required
        self.i18n, self.size, self.readonly = i18n, size, readonly
        if default is None:
            default = {"int": "0", "bool": "0", "float": "0.000000", "date": ZERO_DATE}.get(type, "")
        self.default = default


def _ints(*names):
    return [F(n, "int", "isUnsignedId") for n in names]


class Res:
    def __init__(self, node, cls, fields, assoc=None, methods=ALL_METHODS, hidden=()):
        self.node, self.cls, self.methods, self.hidden = node, cls, frozenset(methods), set(hidden)
        self.fields = {f.name: f for f in fields}
        # association name -> (item node, item fields, writable)
        self.assoc = assoc or {}


READ_ONLY = {"GET", "HEAD"}
SCHEMA = {
    "categories": Res("category", "Category", [
        F("id_parent", "int", "isUnsignedId"), F("level_depth", "int", readonly=True),
        F("nb_products_recursive", "int", readonly=True), F("active", "bool", "isBool", required=True, default="1"),
        F("id_shop_default", "int", "isUnsignedId", default="1"), F("is_root_category", "bool", "isBool"),
        F("position", "int", "isInt"), F("date_add", "date", "isDate"), F("date_upd", "date", "isDate"),
        F("name", validate="isCatalogName", required=True, i18n=True, size=128),
        F("link_rewrite", validate="isLinkRewrite", required=True, i18n=True, size=128),
        F("description", "html", "isCleanHtml", i18n=True),
        F("meta_title", validate="isGenericName", i18n=True, size=255),
    ]),
    "products": Res("product", "Product", [
        *_ints("id_manufacturer", "id_supplier", "id_category_default"), F("id_default_image", "int", readonly=True),
        F("id_tax_rules_group", "int", "isUnsignedId", default="1"), F("reference", validate="isReference", size=64),
        F("supplier_reference", validate="isReference", size=64), F("ean13", validate="isEan13", size=13),
        F("upc", validate="isUpc", size=12), F("mpn", validate="isMpn", size=40),
        F("width", "float", "isUnsignedFloat"), F("height", "float", "isUnsignedFloat"),
        F("depth", "float", "isUnsignedFloat"), F("weight", "float", "isUnsignedFloat"),
        F("quantity", "int", readonly=True), F("minimal_quantity", "int", "isUnsignedId", default="1"),
        F("price", "float", "isPrice", required=True), F("wholesale_price", "float", "isPrice"),
        F("unity", validate="isGenericName", size=255), F("active", "bool", "isBool", default="1"),
        F("state", "int", "isUnsignedId", default="1"), F("available_for_order", "bool", "isBool", default="1"),
        F("available_date", "date", "isDate", default="0000-00-00"), F("condition", default="new"),
        F("show_price", "bool", "isBool", default="1"), F("visibility", validate="isProductVisibility", default="both"),
        F("date_add", "date", "isDate"), F("date_upd", "date", "isDate"),
        F("name", validate="isCatalogName", required=True, i18n=True, size=128),
        F("link_rewrite", validate="isLinkRewrite", i18n=True, size=128),
        F("description", "html", "isCleanHtml", i18n=True), F("description_short", "html", "isCleanHtml", i18n=True),
        F("meta_title", validate="isGenericName", i18n=True, size=255),
    ], assoc={"categories": ("category", ("id",), True), "images": ("image", ("id",), False),
              "stock_availables": ("stock_available", ("id", "id_product_attribute"), False)}),
    "stock_availables": Res("stock_available", "StockAvailable", [
        F("id_product", "int", "isUnsignedId", required=True),
        F("id_product_attribute", "int", "isUnsignedId", required=True),
        F("id_shop", "int", "isUnsignedId", default="1"), F("id_shop_group", "int", "isUnsignedId"),
        F("quantity", "int", "isInt", required=True), F("depends_on_stock", "bool", "isBool", required=True),
        F("out_of_stock", "int", "isInt", required=True, default="2"), F("location", validate="isString", size=255),
    ], methods={"GET", "HEAD", "PUT", "PATCH"}),
    "specific_prices": Res("specific_price", "SpecificPrice", [
        F("id_shop_group", "int", "isUnsignedId"), F("id_shop", "int", "isUnsignedId", required=True),
        F("id_cart", "int", "isUnsignedId", required=True), F("id_product", "int", "isUnsignedId", required=True),
        F("id_product_attribute", "int", "isUnsignedId"), F("id_currency", "int", "isUnsignedId", required=True),
        F("id_specific_price_rule", "int", "isUnsignedId"), F("id_country", "int", "isUnsignedId", required=True),
        F("id_group", "int", "isUnsignedId", required=True), F("id_customer", "int", "isUnsignedId", required=True),
        F("price", "float", "isNegativePrice", required=True), F("from_quantity", "int", "isUnsignedId", required=True),
        F("reduction", "float", "isPrice", required=True), F("reduction_tax", "bool", "isBool", required=True),
        F("reduction_type", validate="isReductionType", required=True), F("from", "date", "isDate", required=True),
        F("to", "date", "isDate", required=True),
    ]),
    "customers": Res("customer", "Customer", [
        F("id_default_group", "int", "isUnsignedId", default="3"), F("id_lang", "int", "isUnsignedId", default="1"),
        F("newsletter_date_add", "date", "isDate"), F("ip_registration_newsletter"),
        F("last_passwd_gen", "date", readonly=True), F("secure_key", readonly=True), F("deleted", "bool", "isBool"),
        F("passwd", validate="isPasswd", required=True, size=255),
        F("lastname", validate="isCustomerName", required=True, size=255),
        F("firstname", validate="isCustomerName", required=True, size=255),
        F("email", validate="isEmail", required=True, size=255), F("id_gender", "int", "isUnsignedId"),
        F("birthday", "date", "isDate", default="0000-00-00"), F("newsletter", "bool", "isBool"),
        F("optin", "bool", "isBool"),
        F("website"), F("company", validate="isGenericName", size=255), F("siret", size=14), F("ape", size=5),
        F("outstanding_allow_amount", "float", "isFloat"), F("show_public_prices", "bool", "isBool"),
        F("id_risk", "int", "isUnsignedId"), F("max_payment_days", "int", "isUnsignedId"),
        F("active", "bool", "isBool", default="1"), F("note", "html", "isCleanHtml"), F("is_guest", "bool", "isBool"),
        F("id_shop", "int", "isUnsignedId", default="1"), F("id_shop_group", "int", "isUnsignedId", default="1"),
        F("date_add", "date", "isDate"), F("date_upd", "date", "isDate"),
    ], assoc={"groups": ("group", ("id",), True)}, hidden=("passwd",)),
    "addresses": Res("address", "Address", [
        *_ints("id_customer", "id_manufacturer", "id_supplier", "id_warehouse"),
        F("id_country", "int", "isUnsignedId", required=True), F("id_state", "int", "isUnsignedId"),
        F("alias", validate="isGenericName", required=True, size=32), F("company", validate="isGenericName", size=255),
        F("lastname", validate="isName", required=True, size=255),
        F("firstname", validate="isName", required=True, size=255),
        F("vat_number", validate="isGenericName"), F("address1", validate="isAddress", required=True, size=128),
        F("address2", validate="isAddress", size=128), F("postcode", validate="isPostCode", size=12),
        F("city", validate="isCityName", required=True, size=64), F("other", "html", "isCleanHtml"),
        F("phone", validate="isPhoneNumber", size=32), F("phone_mobile", validate="isPhoneNumber", size=32),
        F("dni", size=16), F("deleted", "bool", "isBool"), F("date_add", "date", "isDate"),
        F("date_upd", "date", "isDate"),
    ]),
    "countries": Res("country", "Country", [
        F("id_zone", "int"), F("id_currency", "int"), F("call_prefix", "int"), F("iso_code", required=True),
        F("active", "bool", default="1"), F("contains_states", "bool"), F("need_identification_number", "bool"),
        F("need_zip_code", "bool", default="1"), F("zip_code_format"), F("display_tax_label", "bool", default="1"),
        F("name", required=True, i18n=True),
    ], methods=READ_ONLY),
    "states": Res("state", "State", [F("id_zone", "int"), F("id_country", "int"), F("iso_code"), F("name"),
                                     F("active", "bool", default="1")], methods=READ_ONLY),
    "currencies": Res("currency", "Currency", [F("iso_code"), F("conversion_rate", "float"), F("deleted", "bool"),
                                               F("active", "bool", default="1"), F("name", i18n=True)],
                      methods=READ_ONLY),
    "carriers": Res("carrier", "Carrier", [
        F("deleted", "bool"), F("is_module", "bool"), F("id_tax_rules_group", "int"), F("id_reference", "int"),
        F("name"), F("active", "bool", default="1"), F("is_free", "bool"), F("url"), F("delay", i18n=True),
    ], methods=READ_ONLY),
    "taxes": Res("tax", "Tax", [F("rate", "float"), F("active", "bool", default="1"), F("deleted", "bool"),
                                F("name", i18n=True)], methods=READ_ONLY),
    "cart_rules": Res("cart_rule", "CartRule", [
        F("id_customer", "int"), F("date_from", "date"), F("date_to", "date"), F("description"), F("quantity", "int"),
        F("code"), F("free_shipping", "bool"), F("reduction_percent", "float"), F("reduction_amount", "float"),
        F("active", "bool", default="1"), F("name", i18n=True),
    ], methods=READ_ONLY),
    "order_states": Res("order_state", "OrderState", [
        F("unremovable", "bool"), F("delivery", "bool"), F("hidden", "bool"), F("send_email", "bool"),
        F("module_name"), F("invoice", "bool"), F("color"), F("logable", "bool"), F("shipped", "bool"),
        F("paid", "bool"), F("pdf_delivery", "bool"), F("pdf_invoice", "bool"), F("deleted", "bool"),
        F("name", i18n=True), F("template", i18n=True),
    ], methods=READ_ONLY),
    "orders": Res("order", "Order", [
        *_ints("id_address_delivery", "id_address_invoice", "id_cart", "id_currency", "id_lang", "id_customer",
               "id_carrier"), F("current_state", "int"), F("module", required=True), F("invoice_number", "int"),
        F("invoice_date", "date"), F("delivery_number", "int"), F("delivery_date", "date"), F("valid", "bool"),
        F("date_add", "date"), F("date_upd", "date"), F("shipping_number"), F("note", "html"),
        F("id_shop_group", "int", default="1"), F("id_shop", "int", default="1"), F("secure_key"),
        F("payment", required=True), F("recyclable", "bool"), F("gift", "bool"), F("gift_message", "html"),
        F("mobile_theme", "bool"), F("total_discounts", "float"), F("total_discounts_tax_incl", "float"),
        F("total_discounts_tax_excl", "float"), F("total_paid", "float"), F("total_paid_tax_incl", "float"),
        F("total_paid_tax_excl", "float"), F("total_paid_real", "float"), F("total_products", "float"),
        F("total_products_wt", "float"), F("total_shipping", "float"), F("total_shipping_tax_incl", "float"),
        F("total_shipping_tax_excl", "float"), F("carrier_tax_rate", "float"), F("total_wrapping", "float"),
        F("total_wrapping_tax_incl", "float"), F("total_wrapping_tax_excl", "float"),
        F("round_mode", "int", default="2"),
        F("round_type", "int", default="2"), F("conversion_rate", "float", default="1.000000"), F("reference"),
    ], assoc={"order_rows": ("order_row", (
        "id", "product_id", "product_attribute_id", "product_quantity", "product_name", "product_reference",
        "product_ean13", "product_isbn", "product_upc", "product_price", "id_customization", "unit_price_tax_incl",
        "unit_price_tax_excl"), False)}, methods=READ_ONLY),
    "order_details": Res("order_detail", "OrderDetail", [
        *_ints("id_order", "product_id", "product_attribute_id", "id_order_invoice", "id_warehouse", "id_shop",
               "id_customization"), F("product_name"), F("product_quantity", "int"),
        F("product_quantity_refunded", "int"), F("product_price", "float"), F("reduction_percent", "float"),
        F("reduction_amount", "float"), F("reduction_amount_tax_incl", "float"),
        F("reduction_amount_tax_excl", "float"),
        F("group_reduction", "float"), F("product_ean13"), F("product_upc"), F("product_reference"),
        F("product_weight", "float"), F("id_tax_rules_group", "int"), F("unit_price_tax_incl", "float"),
        F("unit_price_tax_excl", "float"), F("total_price_tax_incl", "float"), F("total_price_tax_excl", "float"),
        F("original_product_price", "float"), F("tax_rate", "float"), F("tax_name"),
    ], assoc={"taxes": ("tax", ("id",), False)}, methods=READ_ONLY, hidden=("tax_rate", "tax_name")),
    "order_cart_rules": Res("order_cart_rule", "OrderCartRule", [
        *_ints("id_order", "id_cart_rule", "id_order_invoice"), F("name"), F("value", "float"),
        F("value_tax_excl", "float"), F("free_shipping", "bool"), F("deleted", "bool"),
    ], methods=READ_ONLY),
    "order_carriers": Res("order_carrier", "OrderCarrier", [
        F("id_order", "int", "isUnsignedId", required=True), F("id_carrier", "int", "isUnsignedId", required=True),
        F("id_order_invoice", "int", "isUnsignedId"), F("weight", "float", "isFloat"),
        F("shipping_cost_tax_excl", "float", "isFloat"), F("shipping_cost_tax_incl", "float", "isFloat"),
        F("tracking_number", validate="isTrackingNumber", size=64), F("date_add", "date", "isDate"),
    ], methods={"GET", "HEAD", "PUT", "PATCH"}),
    "order_payments": Res("order_payment", "OrderPayment", [
        F("order_reference"), F("id_currency", "int"), F("amount", "float"), F("payment_method"),
        F("conversion_rate", "float", default="1.000000"), F("transaction_id"), F("card_number"), F("card_brand"),
        F("card_expiration"), F("card_holder"), F("date_add", "date"),
    ], methods=READ_ONLY),
    "order_histories": Res("order_history", "OrderHistory", [
        F("id_employee", "int", "isUnsignedId"), F("id_order_state", "int", "isUnsignedId", required=True),
        F("id_order", "int", "isUnsignedId", required=True), F("date_add", "date", "isDate"),
    ], methods={"GET", "HEAD", "POST"}),
    "customer_threads": Res("customer_thread", "CustomerThread", [
        F("id_lang", "int", "isUnsignedId", required=True), F("id_shop", "int", "isUnsignedId"),
        F("id_customer", "int", "isUnsignedId"), F("id_order", "int", "isUnsignedId"),
        F("id_product", "int", "isUnsignedId"), F("id_contact", "int", "isUnsignedId", required=True),
        F("email", validate="isEmail", required=True, size=255), F("token", validate="isGenericName", required=True),
        F("status", default="open"), F("date_add", "date", "isDate"), F("date_upd", "date", "isDate"),
    ], assoc={"customer_messages": ("customer_message", ("id",), False)},
        methods={"GET", "HEAD", "POST", "PUT", "PATCH"}),
    "customer_messages": Res("customer_message", "CustomerMessage", [
        F("id_employee", "int", "isUnsignedId"), F("id_customer_thread", "int"), F("ip_address", size=16),
        F("message", "html", "isCleanHtml", required=True, size=65000), F("file_name", size=18),
        F("user_agent", size=128),
        F("private", "bool", "isBool"), F("date_add", "date", "isDate"), F("date_upd", "date", "isDate"),
        F("read", "bool", "isBool"),
    ], methods={"GET", "HEAD", "POST"}),
    "attachments": Res("attachment", "Attachment", [
        F("file", readonly=True), F("file_name", validate="isGenericName", size=128),
        F("file_size", "int", readonly=True), F("mime", validate="isCleanHtml", size=128),
        F("name", validate="isGenericName", required=True, i18n=True, size=32),
        F("description", "html", "isCleanHtml", i18n=True),
    ]),
}
SPECIFIC = {"images": "The images", "attachments": "The product Attachments"}

ORDER_STATES = [
    # id, name, paid, shipped, delivery, logable, send_email, template, color
    (1, "Awaiting check payment", 0, 0, 0, 0, 1, "cheque", "#34209E"),
    (2, "Payment accepted", 1, 0, 0, 1, 1, "payment", "#3498D8"),
    (3, "Processing in progress", 1, 0, 1, 1, 1, "preparation", "#3498D8"),
    (4, "Shipped", 1, 1, 1, 1, 1, "shipped", "#01b887"),
    (5, "Delivered", 1, 1, 1, 1, 0, "", "#01b887"),
    (6, "Canceled", 0, 0, 0, 0, 1, "order_canceled", "#2C3E50"),
    (7, "Refunded", 1, 0, 0, 0, 1, "refund", "#ec2e15"),
    (8, "Payment error", 0, 0, 0, 0, 1, "payment_error", "#ec2e15"),
    (9, "On backorder (paid)", 1, 0, 0, 1, 1, "outofstock", "#3498D8"),
    (10, "Awaiting bank wire payment", 0, 0, 0, 0, 1, "bankwire", "#34209E"),
    (11, "Remote payment accepted", 1, 0, 0, 1, 1, "payment", "#3498D8"),
    (12, "On backorder (not paid)", 0, 0, 0, 0, 1, "outofstock", "#34209E"),
    (13, "Awaiting Cash On Delivery validation", 0, 0, 0, 0, 1, "cashondelivery", "#34209E"),
]
COUNTRIES = [(1, "DE", "Germany"), (2, "AT", "Austria"), (3, "BE", "Belgium"), (6, "ES", "Spain"),
             (8, "FR", "France"), (10, "IT", "Italy"), (12, "LU", "Luxemburg"), (13, "NL", "Netherlands"),
             (17, "GB", "United Kingdom"), (19, "CH", "Switzerland"), (21, "US", "United States")]
US_STATES = [(4, "CA", "California"), (32, "NY", "New York"), (43, "TX", "Texas")]


def _money(value, places="0.000001"):
    return Decimal(str(value or 0)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _f6(value):
    return f"{_money(value):f}"


def _cents(value):
    return _money(value, "0.01")


def _num(value):
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


class PrestaShopPeer(PeerServer):
    name = "prestashop"

    def __init__(self, key=DEMO_KEY, shop_name="B2B Sandbox Shop", version="8.1.7", timezone="UTC",
                 languages=("1", "2"), throttle=None, retry_after=2, max_uri=8190, max_body=64 * 1024 * 1024,
                 max_attachment_bytes=8 * 1024 * 1024, clock=time.time, **kw):
        super().__init__(**kw)
        self.key = key
        self.shop_name = shop_name
        self.version = version
        self.zone = ZoneInfo(timezone)
        self.languages = [str(lang) for lang in languages]
        self.throttle = throttle  # (requests, seconds) or None
        self.retry_after = retry_after
        self.max_uri = max_uri
        self.max_body = max_body
        self.max_attachment_bytes = max_attachment_bytes
        self.clock = clock
        self._init_state()

    # ------------------------------------------------------------------ state
    def _init_state(self):
        self.enabled = True
        self.key_active = True
        self.permissions = {name: set(ALL_METHODS) for name in list(SCHEMA) + ["images"]}
        self.db = {name: {} for name in SCHEMA}
        self.next_id = {name: 1 for name in SCHEMA}
        self.images = {}  # product id -> [{"id", "filename", "mime", "data"}]
        self.attachment_files = {}  # attachment id -> bytes
        self.emails = []  # e-mails PrestaShop would have sent: {"order", "state", "template", "to"}
        self.throttled = 0
        self._window = []
        self._next_image = 1
        self._rng = random.Random(42)
        self._seed_reference_data()

    def reset(self):
        super().reset()
        with self.lock:
            self._init_state()

    def _now(self):
        return datetime.fromtimestamp(self.clock(), timezone.utc).astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")

    def _i18n(self, text):
        return {lang: str(text) for lang in self.languages}

    def _insert(self, resource, values, rid=None):
        res = SCHEMA[resource]
        rid = int(rid or self.next_id[resource])
        self.next_id[resource] = max(self.next_id[resource], rid + 1)
        record = {"id": rid}
        for field in res.fields.values():
            value = values.get(field.name, field.default)
            if field.i18n and not isinstance(value, dict):
                value = self._i18n(value)
            record[field.name] = value if field.i18n else self._cast(field, value)
        record["associations"] = {name: [dict(i) for i in values.get("associations", {}).get(name, [])]
                                  for name in res.assoc}
        if "date_add" in res.fields and record["date_add"] == ZERO_DATE:
            record["date_add"] = self._now()
        if "date_upd" in res.fields and record["date_upd"] == ZERO_DATE:
            record["date_upd"] = record.get("date_add") or self._now()
        self.db[resource][rid] = record
        return record

    @staticmethod
    def _cast(field, value):
        value = "" if value is None else str(value)
        if field.type == "float":
            number = _num(value)
            return _f6(number) if number is not None else value
        if field.type in ("int", "bool"):
            number = _num(value)
            return str(int(number)) if number is not None and number == number.to_integral_value() else value
        return value

    def _seed_reference_data(self):
        for rid, iso, name in COUNTRIES:
            self._insert("countries", {"iso_code": iso, "name": name, "id_zone": "1", "need_zip_code": "1",
                                       "contains_states": "1" if iso == "US" else "0"}, rid)
        for rid, iso, name in US_STATES:
            self._insert("states", {"id_country": "21", "iso_code": iso, "name": name, "id_zone": "2"}, rid)
        self._insert("currencies", {"iso_code": "EUR", "conversion_rate": "1", "name": "Euro"}, 1)
        self._insert("currencies", {"iso_code": "USD", "conversion_rate": "1.08", "name": "US Dollar"}, 2)
        self._insert("carriers", {"name": "Click and collect", "id_reference": "1", "is_free": "1",
                                  "delay": "Pick up in-store"}, 1)
        self._insert("carriers", {"name": "PostNL", "id_reference": "2", "delay": "Delivery next day!",
                                  "url": "https://jouw.postnl.nl/track-and-trace/@"}, 2)
        for rid, name, paid, shipped, delivery, logable, send_email, template, color in ORDER_STATES:
            self._insert("order_states", {"name": name, "paid": paid, "shipped": shipped, "delivery": delivery,
                                          "logable": logable, "send_email": send_email, "template": template,
                                          "color": color, "unremovable": "1"}, rid)
        self._insert("categories", {"id_parent": "0", "level_depth": "0", "is_root_category": "0", "name": "Root",
                                    "link_rewrite": "root"}, 1)
        self._insert("categories", {"id_parent": "1", "level_depth": "1", "is_root_category": "1", "name": "Home",
                                    "link_rewrite": "home"}, 2)

    # views for tests and the demo
    def __getattr__(self, name):
        if name in SCHEMA and "db" in self.__dict__:
            return self.__dict__["db"][name]
        raise AttributeError(name)

    def notes_for(self, order_id):
        """Texts of the messages on an order's customer-service threads, oldest first."""
        threads = {t["id"] for t in self.db["customer_threads"].values() if t["id_order"] == str(order_id)}
        return [m["message"] for m in sorted(self.db["customer_messages"].values(), key=lambda m: m["id"])
                if int(m["id_customer_thread"] or 0) in threads]

    def shipments(self, order_id):
        return [dict(c) for c in self.db["order_carriers"].values() if c["id_order"] == str(order_id)]

    def products_with_reference(self, reference):
        return [p for p in self.db["products"].values() if p["reference"].casefold() == reference.casefold()]

    def customers_with_email(self, email):
        return [c for c in self.db["customers"].values() if c["email"].casefold() == email.casefold()]

    def stock_of(self, product_id):
        return next((int(s["quantity"]) for s in self.db["stock_availables"].values()
                     if s["id_product"] == str(product_id) and s["id_product_attribute"] == "0"), None)

    # ------------------------------------------------------------------ seeding
    def add_category(self, name, parent=2, **values):
        with self.lock:
            return self._insert("categories", {"name": name, "link_rewrite": _slug(name), "id_parent": str(parent),
                                               "level_depth": "2", **values})["id"]

    def add_product(self, reference, name, price, quantity=0, categories=(2,), tax_rules_group=1, **values):
        with self.lock:
            record = self._insert("products", {
                "reference": reference, "name": name, "price": price, "id_category_default": str(categories[0]),
                "id_tax_rules_group": str(tax_rules_group), "link_rewrite": _slug(name),
                "associations": {"categories": [{"id": str(c)} for c in categories]}, **values})
            self._after_product_created(record, quantity)
            return record["id"]

    def _after_product_created(self, product, quantity=0):
        stock = self._insert("stock_availables", {
            "id_product": str(product["id"]), "id_product_attribute": "0", "quantity": str(quantity),
            "depends_on_stock": "0", "out_of_stock": "2"})
        product["associations"]["stock_availables"] = [{"id": str(stock["id"]), "id_product_attribute": "0"}]
        product["quantity"] = str(quantity)

    def add_customer(self, email, firstname="Jane", lastname="Doe", is_guest=False, **values):
        with self.lock:
            return self._insert("customers", {"email": email, "firstname": firstname, "lastname": lastname,
                                              "is_guest": "1" if is_guest else "0", "passwd": self._hash("x"),
                                              "secure_key": self._token(32),
                                              "associations": {"groups": [{"id": values.get("id_default_group", "3")}]},
                                              **values})["id"]

    def add_address(self, customer_id, country="NL", alias="My address", **values):
        with self.lock:
            country_id = next(c["id"] for c in self.db["countries"].values() if c["iso_code"] == country)
            base = {"id_customer": str(customer_id), "alias": alias, "id_country": str(country_id), "firstname": "Jane",
                    "lastname": "Doe", "address1": "Damrak 1", "postcode": "1012 LG", "city": "Amsterdam"}
            base.update(values)
            return self._insert("addresses", base)["id"]

    def _tax_for(self, rate):
        rate = _money(rate, "0.001")
        for tax in self.db["taxes"].values():
            if _num(tax["rate"]) == rate:
                return tax["id"]
        return self._insert("taxes", {"rate": rate, "name": f"VAT {rate.normalize()}%"})["id"]

    def add_order(self, lines, customer=None, state=2, carrier=2, shipping="0", shipping_tax_rate="21",
                  cart_rules=(), wrapping="0", wrapping_tax_rate="21", payment="Bank transfer", module="ps_wirepayment",
                  transaction_id="", paid_amount=None, currency="EUR", date_add=None, date_upd=None, reference=None,
                  gift_message="", note="", invoice_address=None, delivery_address=None, messages=()):
        """Seed an order the way PrestaShop's checkout would leave it.

        ``lines``: [{"reference" (of a seeded product) or "name", "quantity", "price" (unit, tax excl, before
        reductions; default: the product's price), "reduction" (per unit, tax excl), "reduction_percent",
        "tax_rate" (default 21)}]; ``customer``: a customer id (default: a new one); ``cart_rules``:
        [{"name", "code", "value" (tax incl), "value_tax_excl", "free_shipping"}]; ``messages``: texts the
        customer left at checkout. Totals are computed as PrestaShop stores them."""
        with self.lock:
            if customer is None:
                customer = self.add_customer(f"buyer{self.next_id['customers']}@example.com")
            customer = int(customer)
            addresses = [a["id"] for a in self.db["addresses"].values() if a["id_customer"] == str(customer)]
            invoice = invoice_address or (addresses[0] if addresses else self.add_address(customer))
            delivery = delivery_address or invoice
            now = self._now()
            date_add = date_add or now
            oid = self.next_id["orders"]
            reference = reference or "".join(self._rng.choice(string.ascii_uppercase) for _ in range(9))
            currency_id = next(c["id"] for c in self.db["currencies"].values() if c["iso_code"] == currency)
            rows, details = [], []
            total_excl = total_incl = Decimal(0)
            for line in lines:
                product = None
                if line.get("reference"):
                    product = next((p for p in self.db["products"].values()
                                    if p["reference"] == line["reference"]), None)
                price = _money(line.get("price", product["price"] if product else 0))
                qty = int(line.get("quantity", 1))
                rate = _money(line.get("tax_rate", "21"), "0.001")
                unit_excl = _money(price - _money(line.get("reduction", 0))
                                   - price * _money(line.get("reduction_percent", 0)) / 100)
                unit_incl = _money(unit_excl * (1 + rate / 100))
                line_excl, line_incl = _cents(unit_excl * qty), _cents(unit_incl * qty)
                total_excl += line_excl
                total_incl += line_incl
                name = line.get("name") or (lang_value(product["name"]) if product else "Product")
                detail = self._insert("order_details", {
                    "id_order": str(oid), "product_id": str(product["id"]) if product else "0",
                    "product_attribute_id": "0", "id_shop": "1", "product_name": name, "product_quantity": str(qty),
                    "product_price": price, "original_product_price": price,
                    "reduction_percent": line.get("reduction_percent", 0), "reduction_amount": line.get("reduction", 0),
                    "reduction_amount_tax_excl": line.get("reduction", 0),
                    "reduction_amount_tax_incl": _money(_money(line.get("reduction", 0)) * (1 + rate / 100)),
                    "product_reference": line.get("reference") or "",
                    "product_ean13": product["ean13"] if product else "",
                    "unit_price_tax_excl": unit_excl, "unit_price_tax_incl": unit_incl,
                    "total_price_tax_excl": line_excl, "total_price_tax_incl": line_incl, "tax_rate": rate,
                    "tax_name": f"VAT {rate.normalize()}%", "id_tax_rules_group": "1",
                    "associations": {"taxes": [{"id": str(self._tax_for(rate))}] if rate else []},
                })
                details.append(detail)
                rows.append({"id": str(detail["id"]), "product_id": detail["product_id"], "product_attribute_id": "0",
                             "product_quantity": str(qty), "product_name": name,
                             "product_reference": detail["product_reference"], "product_ean13": detail["product_ean13"],
                             "product_isbn": "", "product_upc": "", "product_price": detail["product_price"],
                             "id_customization": "0", "unit_price_tax_incl": detail["unit_price_tax_incl"],
                             "unit_price_tax_excl": detail["unit_price_tax_excl"]})
            ship_excl = _cents(shipping)
            ship_rate = _money(shipping_tax_rate, "0.001")
            ship_incl = _cents(ship_excl * (1 + ship_rate / 100))
            wrap_excl = _cents(wrapping)
            wrap_incl = _cents(wrap_excl * (1 + _money(wrapping_tax_rate, "0.001") / 100))
            disc_incl = disc_excl = Decimal(0)
            for rule in cart_rules:
                value = _cents(rule["value"])
                value_excl = _cents(rule.get("value_tax_excl", value / Decimal("1.21")))
                definition = self._insert("cart_rules", {"name": rule["name"], "code": rule.get("code", ""),
                                                         "reduction_amount": value, "quantity": "1",
                                                         "free_shipping": "1" if rule.get("free_shipping") else "0"})
                self._insert("order_cart_rules", {"id_order": str(oid), "id_cart_rule": str(definition["id"]),
                                                  "name": rule["name"], "value": value, "value_tax_excl": value_excl,
                                                  "free_shipping": "1" if rule.get("free_shipping") else "0"})
                disc_incl += value
                disc_excl += value_excl
            paid_incl = total_incl + ship_incl + wrap_incl - disc_incl
            paid_excl = total_excl + ship_excl + wrap_excl - disc_excl
            state_rec = self.db["order_states"][int(state)]
            if paid_amount is None:
                paid_amount = paid_incl if state_rec["paid"] == "1" else 0
            order = self._insert("orders", {
                "id_address_delivery": str(delivery), "id_address_invoice": str(invoice), "id_cart": str(oid),
                "id_currency": str(currency_id), "id_lang": "1", "id_customer": str(customer),
                "id_carrier": str(carrier or 0),
                "current_state": str(state), "module": module, "valid": state_rec["logable"], "date_add": date_add,
                "date_upd": date_upd or date_add, "secure_key": self._token(32), "payment": payment,
                "gift": "1" if gift_message else "0", "gift_message": gift_message, "note": note,
                "total_discounts": disc_incl, "total_discounts_tax_incl": disc_incl,
                "total_discounts_tax_excl": disc_excl,
                "total_paid": paid_incl, "total_paid_tax_incl": paid_incl, "total_paid_tax_excl": paid_excl,
                "total_paid_real": paid_amount, "total_products": total_excl, "total_products_wt": total_incl,
                "total_shipping": ship_incl, "total_shipping_tax_incl": ship_incl, "total_shipping_tax_excl": ship_excl,
                "carrier_tax_rate": ship_rate, "total_wrapping": wrap_incl, "total_wrapping_tax_incl": wrap_incl,
                "total_wrapping_tax_excl": wrap_excl, "reference": reference, "associations": {"order_rows": rows},
            }, oid)
            if carrier:
                self._insert("order_carriers", {
                    "id_order": str(oid), "id_carrier": str(carrier), "weight": "0", "date_add": date_add,
                    "shipping_cost_tax_excl": ship_excl, "shipping_cost_tax_incl": ship_incl})
            if _money(paid_amount) > 0:
                self._insert("order_payments", {"order_reference": reference, "id_currency": str(currency_id),
                                                "amount": paid_amount, "payment_method": payment,
                                                "transaction_id": transaction_id, "date_add": date_add})
            self._insert("order_histories", {"id_order": str(oid), "id_order_state": str(state), "date_add": date_add})
            if messages:
                email = self.db["customers"][customer]["email"]
                thread = self._insert("customer_threads", {"id_lang": "1", "id_shop": "1", "id_customer": str(customer),
                                                           "id_order": str(oid), "id_contact": "0", "email": email,
                                                           "token": self._token(12), "date_add": date_add})
                for text in messages:
                    self._insert("customer_messages", {"id_customer_thread": str(thread["id"]), "id_employee": "0",
                                                       "message": text, "private": "0", "date_add": date_add})
            return order["id"]

    def _token(self, size):
        return "".join(self._rng.choice("0123456789abcdef") for _ in range(size))

    @staticmethod
    def _hash(password):
        return "$2y$10$" + hashlib.sha256(password.encode()).hexdigest()[:53]

    # ------------------------------------------------------------------ protocol
    def handle(self, request):
        if request.path.rstrip("/") != "/api" and not request.path.startswith("/api/"):
            return Response.text("Not Found", status=404, content_type="text/html")
        with self.lock:
            now = self.clock()
            if self.throttle:
                limit, period = self.throttle
                self._window = [t for t in self._window if now - t < period]
                if len(self._window) >= limit:
                    self.throttled += 1
                    return Response.text("<html><head><title>503 Service Unavailable</title></head><body>"
                                         "<h1>Service Unavailable</h1><p>The server is temporarily unable to service "
                                         "your request. Please try again later.</p></body></html>", status=503,
                                         headers={"Retry-After": str(self.retry_after)}, content_type="text/html")
                self._window.append(now)
            if len(request.path) + len(urlencode(request.query)) > self.max_uri:
                return Response.text("<html><body><h1>Request-URI Too Long</h1></body></html>", status=414,
                                     content_type="text/html")
            if len(request.body) > self.max_body:
                return Response.text("<html><body><h1>Request Entity Too Large</h1></body></html>", status=413,
                                     content_type="text/html")
            fmt = (request.header("Io-Format") or request.header("Output-Format") or request.query.get("output_format")
                   or request.query.get("io_format") or "XML").upper()
            ctx = _Ctx(self, request, "JSON" if fmt == "JSON" else "XML")
            try:
                return self._dispatch(ctx)
            except _Error as err:
                return ctx.errors(err.status, err.errors, headers=err.headers)

    def _dispatch(self, ctx):
        request = ctx.request
        if not self.enabled:
            raise _Error(503, 22, "The PrestaShop webservice is disabled. "
                                  "Please activate it in the PrestaShop Back Office")
        key = _key_of(request)
        auth_errors = []
        if key is None:
            auth_errors = [(16, "Please enter the authentication key as the login. No password required")]
        elif key.strip() == "":
            auth_errors = [(17, "Authentication key is empty")]
        elif len(key.strip()) != 32:
            auth_errors = [(18, "Invalid authentication key format")]
        elif key.strip() != self.key or not self.key_active:
            auth_errors = [(20, "Authentification key is not active"),
                           (21, "No permission for this authentication key")]
        if auth_errors:
            raise _Error(401, errors=auth_errors, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
        ctx.authenticated = True
        shop = request.query.get("id_shop")
        if shop not in (None, "", "1", "all"):
            raise _Error(404, 999, "This shop id does not exist")
        ctx.set_languages(request.query.get("language"))
        method = (request.query.get("ps_method") or request.method).upper()
        segments = [s for s in request.path[len("/api"):].split("/") if s]
        if not segments:
            if method not in ("GET", "HEAD"):
                raise _Error(405, 23, f"Method {method} is not valid")
            return ctx.resource_list()
        resource = segments[0]
        if resource not in SCHEMA and resource not in SPECIFIC:
            names = sorted(set(SCHEMA) | set(SPECIFIC))
            raise _Error(400, 27, _did_you_mean(f'Resource of type "{resource}" does not exists', resource, names))
        if resource not in self.permissions:
            raise _Error(401, 26, f'Resource of type "{resource}" is not allowed with this authentication key')
        if method not in ALL_METHODS:
            raise _Error(405, 23, f"Method {method} is not valid")
        res = SCHEMA.get(resource)
        file_upload = resource == "attachments" and segments[1:2] == ["file"]
        if res is not None and method not in res.methods and not file_upload:
            raise _Error(405, 101, f"Method {method} is not allowed for the resource {resource}")
        if method not in self.permissions[resource]:
            raise _Error(405, 25, f"Method {method} is not allowed for the resource {resource} "
                                  "with this authentication key")
        if resource == "images":
            return self._images(ctx, method, segments)
        if resource == "attachments" and segments[1:2] == ["file"]:
            return self._attachment_file(ctx, method, segments)
        rid = segments[1] if len(segments) > 1 else None
        if method in ("GET", "HEAD"):
            return ctx.detail(resource, rid) if rid else ctx.listing(resource)
        if method == "DELETE":
            return self._delete(ctx, resource, rid)
        return self._save(ctx, resource, method, rid)

    # ------------------------------------------------------------------ writes
    def _entities(self, ctx):
        body = ctx.request.body
        if (ctx.request.header("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            body = ctx.request.form().get("xml", "").encode("utf-8")
        try:
            root = safe_xml.parse_xml(body, what="the XML body")
        except safe_xml.XMLInputError as exc:
            raise _Error(500, 127, f"XML error : {exc}\nXML length : {len(body)}\nOriginal XML : "
                                   f"{body[:2000].decode('utf-8', 'replace')}") from None
        entities = []
        for element in root:
            if not isinstance(element.tag, str):
                continue
            values, associations = {}, None
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "associations":
                    associations = {}
                    for assoc in child:
                        if isinstance(assoc.tag, str):
                            associations[assoc.tag] = [{f.tag: (f.text or "") for f in item if isinstance(f.tag, str)}
                                                       for item in assoc if isinstance(item.tag, str)]
                    continue
                languages = [c for c in child if c.tag == "language"]
                if languages:
                    values[child.tag] = {str(c.get("id")): (c.text or "") for c in languages}
                else:
                    values[child.tag] = child.text or ""
            entities.append((values, associations))
        return entities

    def _save(self, ctx, resource, method, url_id):
        res = SCHEMA[resource]
        entities = self._entities(ctx)
        ids = [str(v.get("id", "")).strip() for v, _a in entities if str(v.get("id", "")).strip()]
        if method in ("PUT", "PATCH"):
            if len(set(ids)) != len(ids):
                raise _Error(400, 89, "id is duplicate in request")
            if len(ids) != len(entities):
                raise _Error(400, 90, "id is required when modifying a resource")
        elif ids:
            raise _Error(400, 91, "id is forbidden when adding a new resource")
        saved = None
        for values, associations in entities:
            if method == "POST":
                record, existing = {"id": None, "associations": {n: [] for n in res.assoc}}, False
                for field in res.fields.values():
                    record[field.name] = self._i18n(field.default) if field.i18n else field.default
            else:
                current = self.db[resource].get(int(values["id"])) if values["id"].isdigit() else None
                if current is None:
                    raise _Error(404, 92, "Invalid ID")
                record, existing = json.loads(json.dumps(current)), True
            for field in res.fields.values():
                present = field.name in values
                if method == "PATCH" and not present:
                    continue
                if present and not field.i18n:
                    if field.readonly:
                        raise _Error(400, 93, f'parameter "{field.name}" not writable. '
                                              "Please remove this attribute of this XML")
                    value = values[field.name]
                    record[field.name] = value if not isinstance(value, dict) else next(iter(value.values()), "")
                elif field.required and not field.i18n:
                    raise _Error(400, 41, f'parameter "{field.name}" required')
                elif not field.i18n and not field.readonly and method == "PUT":
                    record[field.name] = field.default
                if field.i18n and present:
                    value = values[field.name]
                    if isinstance(value, dict):
                        record[field.name].update({k: v for k, v in value.items() if k in self.languages})
                    else:
                        record[field.name] = self._i18n(value)
                elif field.i18n and method == "PUT":
                    record[field.name] = self._i18n("")
            if associations:
                for name, items in associations.items():
                    if name not in res.assoc:
                        raise _Error(400, 86, f'The association "{name}" does not exists')
                    if res.assoc[name][2]:
                        record["associations"][name] = [{"id": i.get("id", "")} for i in items]
            self._validate(resource, res, record, existing)
            for field in res.fields.values():
                if not field.i18n:
                    record[field.name] = self._cast(field, record[field.name])
            saved = self._store(resource, record, existing, ctx)
        return ctx.single(resource, saved, status=201 if method == "POST" else 200)

    def _validate(self, resource, res, record, existing):
        default_lang = self.languages[0]
        for field in res.fields.values():
            if not field.i18n:
                continue
            values = record[field.name]
            # PrestaShop fills the languages left out with the default language's value
            for lang in self.languages:
                if not values.get(lang):
                    values[lang] = values.get(default_lang, "")
            for lang, text in values.items():
                if field.required and lang == default_lang and not str(text).strip():
                    raise _Error(400, 84, f'Validation error: "Property {res.cls}->{field.name} is empty."')
                if field.size and len(text) > field.size:
                    raise _Error(400, 84, f'Validation error: "Property {res.cls}->{field.name} is too long '
                                          f'({field.size} chars max)."')
                if not _valid(field.validate, text):
                    raise _Error(400, 84, f'Validation error: "Property {res.cls}->{field.name} is not valid"')
        for field in res.fields.values():
            if field.i18n or field.readonly:
                continue
            value = str(record[field.name] if record[field.name] is not None else "")
            if field.required and value.strip() == "" and not (field.type in ("int", "bool", "float") and value == "0"):
                raise _Error(400, 85, f'Validation error: "Property {res.cls}->{field.name} is empty."')
            if field.size and len(value) > field.size:
                raise _Error(400, 85, f'Validation error: "Property {res.cls}->{field.name} is too long '
                                      f'({field.size} chars max)."')
            validator = field.validate or {"int": "isInt", "bool": "isBool", "float": "isFloat"}.get(field.type)
            if field.type == "date" and value in (ZERO_DATE, "0000-00-00"):
                continue
            if validator and validator != "isString" and not _valid(validator, value):
                raise _Error(400, 85, f'Validation error: "Property {res.cls}->{field.name} is not valid"')
        # what the objects' own add()/update() check
        if resource == "addresses" and int(record["id_country"] or 0) not in self.db["countries"]:
            raise _Error(400, 85, 'Validation error: "Property Address->id_country is not valid"')
        if resource == "order_histories":
            if int(record["id_order"] or 0) not in self.db["orders"]:
                raise _Error(400, 85, 'Validation error: "Property OrderHistory->id_order is not valid"')
            if int(record["id_order_state"] or 0) not in self.db["order_states"]:
                raise _Error(400, 85, 'Validation error: "Property OrderHistory->id_order_state is not valid"')
        thread = int(record.get("id_customer_thread") or 0)
        if resource == "customer_messages" and thread not in self.db["customer_threads"]:
            raise _Error(500, 46, "Unable to save resource")
        product = int(record.get("id_product") or 0)
        if resource in ("stock_availables", "specific_prices") and product not in self.db["products"]:
            raise _Error(400, 85, f'Validation error: "Property {res.cls}->id_product is not valid"')

    def _store(self, resource, record, existing, ctx):
        now = self._now()
        fields = SCHEMA[resource].fields
        if "date_upd" in fields:
            record["date_upd"] = now
        if not existing:
            record["id"] = self.next_id[resource]
            self.next_id[resource] += 1
            if "date_add" in fields and record["date_add"] in ("", ZERO_DATE):
                record["date_add"] = now
        if resource == "customers":
            if not existing or record["passwd"] != self.db[resource][record["id"]]["passwd"]:
                record["passwd"] = self._hash(record["passwd"])
            record["secure_key"] = record["secure_key"] or self._token(32)
        if resource == "categories" and not existing:
            parent = self.db["categories"].get(int(record["id_parent"] or 2))
            record["level_depth"] = str(int(parent["level_depth"]) + 1 if parent else 2)
        self.db[resource][record["id"]] = record
        if resource == "products" and not existing:
            self._after_product_created(record)
        if resource == "stock_availables":
            product = self.db["products"].get(int(record["id_product"]))
            if product and record["id_product_attribute"] == "0":
                product["quantity"] = record["quantity"]
        if resource == "order_histories":
            order = self.db["orders"][int(record["id_order"])]
            state = self.db["order_states"][int(record["id_order_state"])]
            order.update(current_state=record["id_order_state"], valid=state["logable"], date_upd=now)
            if state["paid"] == "1" and _money(order["total_paid_real"]) == 0:
                order["total_paid_real"] = order["total_paid_tax_incl"]
            if ctx.request.query.get("sendemail") in ("1", "true") and state["send_email"] == "1":
                customer = self.db["customers"].get(int(order["id_customer"]), {})
                self.emails.append({"order": order["id"], "state": state["id"], "to": customer.get("email", ""),
                                    "template": lang_value(state["template"], self.languages[0])})
        if resource == "customer_messages":
            thread = self.db["customer_threads"][int(record["id_customer_thread"])]
            thread["date_upd"] = now
            thread["associations"]["customer_messages"].append({"id": str(record["id"])})
        return record

    def _delete(self, ctx, resource, rid):
        ids = []
        if ctx.request.query.get("id"):
            match = re.match(r"^\[(.*)\]$", ctx.request.query["id"])
            ids = match.group(1).split(",") if match else []
        elif rid:
            ids = [rid]
        missing = [i for i in ids if not i.isdigit() or int(i) not in self.db[resource]]
        if missing or not ids:
            raise _Error(404, 87, "Id(s) not exists: " + ", ".join(missing))
        for i in ids:
            del self.db[resource][int(i)]
        return Response(200, b"", {"X-Powered-By": "PrestaShop Webservice", "PSWS-Version": self.version})

    # ------------------------------------------------------------------ specific management
    def _images(self, ctx, method, segments):
        if len(segments) < 3 or segments[1] != "products" or not segments[2].isdigit():
            raise _Error(400, 66, "This image type does not exist")
        product = self.db["products"].get(int(segments[2]))
        if product is None:
            raise _Error(400, 66, "Product not found")
        if method in ("GET", "HEAD"):
            root = etree.Element("prestashop", nsmap={"xlink": XLINK})
            image = etree.SubElement(root, "image", id=str(product["id"]))
            for item in self.images.get(product["id"], []):
                etree.SubElement(image, "declination", id=str(item["id"]))
            return ctx.xml(root)
        if method != "POST":
            raise _Error(405, 23, f"Method {method} is not valid")
        parts = _multipart(ctx.request)
        upload = parts.get("image")
        if not upload or not upload["data"]:
            raise _Error(400, 69, "Please set an \"image\" parameter with image data for value")
        data = upload["data"]
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8") or data.startswith(b"GIF8")
                or data[8:12] == b"WEBP"):
            raise _Error(400, 73, "Image format not recognized, allowed formats are: .gif, .jpg, .png, .webp")
        image_id = self._next_image
        self._next_image += 1
        self.images.setdefault(product["id"], []).append({"id": image_id, "filename": upload["filename"],
                                                          "mime": upload["type"], "data": data})
        product["associations"]["images"].append({"id": str(image_id)})
        if product["id_default_image"] in ("", "0"):
            product["id_default_image"] = str(image_id)
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        image = etree.SubElement(root, "image")
        etree.SubElement(image, "id").text = str(image_id)
        etree.SubElement(image, "id_product").text = str(product["id"])
        return ctx.xml(root)

    def _attachment_file(self, ctx, method, segments):
        if method in ("GET", "HEAD"):
            rid = segments[2] if len(segments) > 2 else ""
            record = self.db["attachments"].get(int(rid)) if rid.isdigit() else None
            if record is None:
                raise _Error(500, 1, f"Attachment {rid or 0} not found")
            return Response(200, self.attachment_files[record["id"]], {
                "Content-Type": record["mime"], "Content-Disposition": f'attachment; filename="{record["file_name"]}"'})
        if method not in ("POST", "PUT"):
            raise _Error(405, 23, f"Method {method} is not valid")
        parts = _multipart(ctx.request)
        upload = parts.get("file")
        if not upload or not upload["filename"]:
            raise _Error(400, 0, "No file was uploaded (form field \"file\")")
        if len(upload["data"]) > self.max_attachment_bytes:
            raise _Error(400, 0, "The file is too large. Maximum size allowed is: "
                                 f"{self.max_attachment_bytes // 1024} kB. The file you are trying to upload is "
                                 f"{len(upload['data']) / 1024:.2f} kB.")
        name = (parts.get("name") or {}).get("value") or upload["filename"]
        record = {"id": None, "file": hashlib.sha1(upload["data"] + str(self.clock()).encode()).hexdigest(),
                  "file_name": upload["filename"], "file_size": str(len(upload["data"])), "mime": upload["type"],
                  "name": self._i18n(name[:32]), "description": self._i18n(""), "associations": {}}
        record = self._store("attachments", record, False, ctx)
        self.attachment_files[record["id"]] = upload["data"]
        return ctx.single("attachments", record, status=200)


# ---------------------------------------------------------------------------- request context / rendering
class _Error(Exception):
    def __init__(self, status, code=None, message=None, errors=None, headers=None):
        super().__init__(message)
        self.status = status
        self.errors = errors or [(code, message)]
        self.headers = headers or {}


def _did_you_mean(label, value, choices):
    closest = difflib.get_close_matches(value, choices, n=1, cutoff=0) or [""]
    return f'{label}. Did you mean: "{closest[0]}"? The full list is: "' + '", "'.join(choices) + '"'


def _key_of(request):
    auth = request.header("Authorization")
    if auth and auth.lower().startswith("basic "):
        try:
            return base64.b64decode(auth[6:].strip()).decode("utf-8").split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            return ""
    return request.query.get("ws_key")


def _multipart(request):
    content_type = request.header("Content-Type") or ""
    if not content_type.startswith("multipart/form-data"):
        return {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + request.body)
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        parts[name] = {"filename": part.get_filename() or "", "type": part.get_content_type(), "data": data,
                       "value": data.decode("utf-8", "replace")}
    return parts


def _slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "item"


def lang_value(value, lang="1"):
    return value.get(lang, next(iter(value.values()), "")) if isinstance(value, dict) else str(value)


_FILTER = re.compile(r"^(.*)\[(.*)\](.*)$", re.S)
_INTERVAL = re.compile(r"^([\d.:\-\s]+),([\d.:\-\s]+)$")


def _cmp_key(value):
    number = _num(value)
    return (0, number, "") if number is not None else (1, Decimal(0), str(value).casefold())


def _eq(actual, wanted):
    a, w = _num(actual), _num(wanted)
    if a is not None and w is not None:
        return a == w
    return str(actual).casefold().rstrip() == str(wanted).casefold().rstrip()


def _like(actual, pattern):
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, str(actual), re.I | re.S) is not None


def _matches(spec, actual):
    """PrestaShop's filter syntax (SQLUtils::getSQLRetrieveFilter) applied to one value."""
    m = _FILTER.match(spec)
    if not m:
        return _eq(actual, spec)
    pre, inner, post = m.groups()
    if pre == "%" or post == "%":
        return _like(actual, pre + inner + post)
    if pre == "" and post == "":
        if inner.find("|") > 0:
            return any(_eq(actual, v) for v in inner.split("|"))
        interval = _INTERVAL.match(inner)
        if interval:
            low, high = sorted(interval.groups(), key=_cmp_key)
            return _cmp_key(low) <= _cmp_key(actual) <= _cmp_key(high)
        return _eq(actual, inner)
    if pre == ">":
        return _cmp_key(actual) > _cmp_key(inner)
    if pre == "<":
        return _cmp_key(actual) < _cmp_key(inner)
    if pre == "!":
        return not any(_eq(actual, v) for v in inner.split("|"))
    return True  # PrestaShop adds no condition for other shapes


class _Ctx:
    def __init__(self, peer, request, fmt):
        self.peer, self.request, self.fmt = peer, request, fmt
        self.authenticated = False
        self.langs = list(peer.languages)

    def set_languages(self, value):
        if value is None:
            return
        if value.isdigit():
            langs = [value]
        elif re.fullmatch(r"\[[\d|]+\]", value):
            langs = value[1:-1].split("|")
        elif re.fullmatch(r"\[\d+,\d+\]", value):
            low, high = (int(v) for v in value[1:-1].split(","))
            langs = [str(i) for i in range(low, high + 1)]
        else:
            raise _Error(400, 79, "language value is wrong")
        self.langs = [lang for lang in langs if lang in self.peer.languages]
        if not self.langs:
            raise _Error(400, 81, "language is not available")

    # -- answers
    def _headers(self, extra=None):
        headers = {"X-Powered-By": "PrestaShop Webservice", "Access-Time": str(int(time.time())),
                   "Execution-Time": "0.004"}
        if self.authenticated:
            headers["PSWS-Version"] = self.peer.version
        headers.update(extra or {})
        return headers

    def json(self, data, status=200):
        return Response.json(data, status=status, headers=self._headers())

    def xml(self, root, status=200):
        return Response.xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), status=status,
                            headers=self._headers(), content_type="text/xml;charset=utf-8")

    def errors(self, status, errors, headers=None):
        if self.fmt == "JSON":
            body = json.dumps({"errors": [{"code": code, "message": message} for code, message in errors]})
            return Response(status, body.encode(),
                            self._headers({"Content-Type": "application/json", **(headers or {})}))
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        errors_el = etree.SubElement(root, "errors")
        for code, message in errors:
            error = etree.SubElement(errors_el, "error")
            etree.SubElement(error, "code").text = etree.CDATA(str(code))
            etree.SubElement(error, "message").text = etree.CDATA(str(message))
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return Response(status, body, self._headers({"Content-Type": "text/xml;charset=utf-8", **(headers or {})}))

    def resource_list(self):
        base = f"http://{self.peer.host}:{self.peer.port}/api/"
        names = sorted(set(SCHEMA) | set(SPECIFIC))
        allowed = [n for n in names if n in self.peer.permissions]
        if self.fmt == "JSON":
            return self.json({"api": {"shopName": self.peer.shop_name, "resources": allowed}})
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        api = etree.SubElement(root, "api", shopName=self.peer.shop_name)
        for name in allowed:
            methods = self.peer.permissions[name]
            element = etree.SubElement(api, name, {f"{{{XLINK}}}href": base + name})
            for method in ("get", "put", "post", "patch", "delete", "head"):
                element.set(method, "true" if method.upper() in methods else "false")
            description = SPECIFIC.get(name) or f"The {name.replace('_', ' ')}"
            etree.SubElement(element, "description", {f"{{{XLINK}}}href": base + name}).text = description
            if name not in SPECIFIC:
                etree.SubElement(element, "schema",
                                 {f"{{{XLINK}}}href": base + name + "?schema=blank", "type": "blank"})
        return self.xml(root)

    # -- reads
    def _fields_to_display(self, res):
        display = self.request.query.get("display")
        if display is None or display == "minimum":
            return None
        if display == "full":
            return "full"
        m = re.fullmatch(r"\[(.*)\]", display)
        if not m:
            raise _Error(400, 36, "The 'display' syntax is wrong. You can set 'full' or "
                                  "'[field_1,field_2,field_3,...]'. These are available: "
                                  + ", ".join(["id", *res.fields]))
        fields = [f.strip() for f in m.group(1).split(",") if f.strip()]
        for field in fields:
            if field != "id" and field not in res.fields:
                raise _Error(400, 35, f'Unable to display this field "{field}". However, these are available: '
                                      + ", ".join(["id", *res.fields]))
        return fields

    def _available_filters(self, res, i18n):
        names = ([] if i18n else ["id"]) + [n for n, f in res.fields.items() if f.i18n == i18n and n not in res.hidden]
        if not i18n:
            if self.request.query.get("date") in ("1", "true"):
                names += [n for n in ("date_add", "date_upd") if n not in names]
            else:
                names = [n for n in names if n not in ("date_add", "date_upd")]
        return names

    def listing(self, resource):
        res = SCHEMA[resource]
        rows = list(self.peer.db[resource].values())
        plain, i18n = self._available_filters(res, False), self._available_filters(res, True)
        for key, spec in self.request.query.items():
            m = re.fullmatch(r"filter\[(\w+)\]", key)
            if not m:
                continue
            field = m.group(1)
            if field not in plain and field not in i18n:
                raise _Error(400, 32, _did_you_mean("This filter does not exist", field, plain))
            if spec == "":
                raise _Error(400, 33, f'The filter "{field}" is malformed.')
            if field in i18n:
                rows = [r for r in rows if any(_matches(spec, r[field].get(lang, "")) for lang in self.langs)]
            else:
                rows = [r for r in rows if _matches(spec, r[field])]
        sort = self.request.query.get("sort")
        if sort:
            m = re.fullmatch(r"\[(.*)\]", sort)
            for part in reversed((m.group(1) if m else sort).split(",")):
                field, _sep, direction = part.rpartition("_")
                if not field or direction.upper() not in ("ASC", "DESC"):
                    raise _Error(400, 37, 'The "sort" value has to be formed as this example: "field_ASC" or '
                                          "'[field_1_DESC,field_2_ASC,field_3_ASC,...]' "
                                          '("field" has to be an available field)')
                if field not in plain and field not in i18n:
                    raise _Error(400, 38, "Unable to filter by this field. However, these are available: "
                                          + ", ".join(plain) + ", for i18n fields:" + ", ".join(i18n))
                lang = self.langs[0]
                rows.sort(key=lambda r: _cmp_key(r[field].get(lang, "") if field in i18n else r[field]),
                          reverse=direction.upper() == "DESC")
        else:
            rows.sort(key=lambda r: r["id"])
        limit = self.request.query.get("limit")
        if limit:
            parts = limit.split(",")
            if len(parts) > 2:
                raise _Error(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
            numbers = [int(p) if p.strip().isdigit() else 0 for p in parts]
            offset, count = (0, numbers[0]) if len(numbers) == 1 else numbers
            rows = rows[offset:offset + count]
        display = self._fields_to_display(res)
        if self.fmt == "JSON":
            if not rows:
                return Response(200, b"[]", self._headers({"Content-Type": "application/json"}))
            if display is None:
                return self.json({resource: [{"id": r["id"]} for r in rows]})
            return self.json({resource: [self.render(resource, r, display) for r in rows]})
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        plural = etree.SubElement(root, resource)
        for r in rows:
            if display is None:
                etree.SubElement(plural, res.node,
                                 {"id": str(r["id"]), f"{{{XLINK}}}href": self._href(resource, r["id"])})
            else:
                plural.append(self.render_xml(resource, r, display))
        return self.xml(root)

    def detail(self, resource, rid):
        record = self.peer.db[resource].get(int(rid)) if rid.isdigit() else None
        if record is None:
            # PrestaShop answers an unknown id with an empty 404
            return Response(404, b"", self._headers({"Content-Type": ""}))
        return self.single(resource, record)

    def single(self, resource, record, status=200):
        res = SCHEMA[resource]
        if self.fmt == "JSON":
            return self.json({res.node: self.render(resource, record, "full")}, status=status)
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        root.append(self.render_xml(resource, record, "full"))
        return self.xml(root, status=status)

    def _href(self, resource, rid):
        return f"http://{self.peer.host}:{self.peer.port}/api/{resource}/{rid}"

    def _lang_out(self, value):
        if len(self.langs) == 1:
            return value.get(self.langs[0], "")
        return [{"id": lang, "value": value.get(lang, "")} for lang in self.langs]

    def render(self, resource, record, display):
        res = SCHEMA[resource]
        out = {"id": record["id"]}
        for name, field in res.fields.items():
            if name in res.hidden or (display != "full" and name not in display):
                continue
            value = record[name]
            out[name] = self._lang_out(value) if field.i18n else value
        if display == "full":
            associations = {n: [dict(i) for i in items] for n, items in record["associations"].items() if items}
            if associations:
                out["associations"] = associations
        return out

    def render_xml(self, resource, record, display):
        res = SCHEMA[resource]
        element = etree.Element(res.node)
        etree.SubElement(element, "id").text = etree.CDATA(str(record["id"]))
        for name, field in res.fields.items():
            if name in res.hidden or (display != "full" and name not in display):
                continue
            child = etree.SubElement(element, name)
            if field.i18n:
                for lang in self.langs:
                    etree.SubElement(child, "language", id=lang).text = etree.CDATA(record[name].get(lang, ""))
            else:
                child.text = etree.CDATA(str(record[name]))
        if display == "full" and res.assoc:
            associations = etree.SubElement(element, "associations")
            for name, (node, _fields, _writable) in res.assoc.items():
                assoc = etree.SubElement(associations, name, nodeType=node, api=name)
                for item in record["associations"].get(name, []):
                    item_el = etree.SubElement(assoc, node)
                    for key, value in item.items():
                        etree.SubElement(item_el, key).text = etree.CDATA(str(value))
        return element


# ---------------------------------------------------------------------------- demo
def demo_peers():
    """The demo PrestaShop on port 8073, webservice key ``B2BCONNECTPRESTASHOPDEMO00000000``, time zone
    Europe/Amsterdam: products SHOP-DESK / SHOP-CHAIR / SHOP-LAMP in an "Office" category; orders: a paid one
    with shipping and a coupon (state 2), one awaiting bank wire (10) and a cancelled one (6)."""
    peer = PrestaShopPeer(port=8073, timezone="Europe/Amsterdam", shop_name="B2B Demo Office Store")
    office = peer.add_category("Office")
    peer.add_product("SHOP-DESK", "Standing desk", "499.00", quantity=12, categories=(office,), weight="32.5",
                     ean13="8712345000014")
    peer.add_product("SHOP-CHAIR", "Ergonomic office chair", "249.00", quantity=30, categories=(office,), weight="14")
    peer.add_product("SHOP-LAMP", "LED desk lamp", "39.90", quantity=80, categories=(office,), weight="1.2")
    anna = peer.add_customer("anna.jansen@example.com", "Anna", "Jansen", company="Jansen Architecten")
    peer.add_address(anna, "NL", alias="Office", firstname="Anna", lastname="Jansen", company="Jansen Architecten",
                     address1="Keizersgracht 100", postcode="1015 AA", city="Amsterdam", vat_number="NL123456789B01",
                     phone="+31 20 555 0100")
    lukas = peer.add_customer("lukas.peeters@example.be", "Lukas", "Peeters")
    peer.add_address(lukas, "BE", alias="Home", firstname="Lukas", lastname="Peeters", address1="Meir 12",
                     postcode="2000", city="Antwerpen")
    guest = peer.add_customer("guest.buyer@example.com", "Sam", "Smit", is_guest=True)
    peer.add_address(guest, "NL", firstname="Sam", lastname="Smit", address1="Oudegracht 5", postcode="3511 AB",
                     city="Utrecht")
    now = time.time()

    def local(hours_ago):
        moment = datetime.fromtimestamp(now - hours_ago * 3600, timezone.utc).astimezone(peer.zone)
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    peer.add_order([{"reference": "SHOP-DESK", "quantity": 1},
                    {"reference": "SHOP-LAMP", "quantity": 2, "reduction": "4.00"}],
                   customer=anna, state=2, shipping="6.95",
                   cart_rules=[{"name": "Welcome discount", "code": "WELCOME10", "value": "10.00"}],
                   payment="Payments by check", module="ps_checkpayment", transaction_id="CHK-000117",
                   date_add=local(30), messages=["Please deliver to the reception desk."])
    peer.add_order([{"reference": "SHOP-CHAIR", "quantity": 4}], customer=lukas, state=10, shipping="12.50",
                   payment="Bank transfer", module="ps_wirepayment", date_add=local(20))
    peer.add_order([{"reference": "SHOP-LAMP", "quantity": 1}], customer=guest, state=6, shipping="4.95",
                   payment="Bank transfer", module="ps_wirepayment", date_add=local(10))
    return [peer]
