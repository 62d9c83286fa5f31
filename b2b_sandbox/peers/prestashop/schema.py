"""The sandbox PrestaShop's webservice schema: resources, their fields and PrestaShop's ``Validate`` rules, and the
reference data of a fresh install (order states, countries)."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    "languages": Res("language", "Language", [
        F("name", required=True, size=32), F("iso_code", required=True, size=2), F("locale", size=5),
        F("language_code", size=5), F("active", "bool", default="1"), F("is_rtl", "bool"),
        F("date_format_lite", size=32), F("date_format_full", size=32),
    ], methods=READ_ONLY),
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
# the shop's languages by id: (name, ISO code, locale), as a PrestaShop 8 installation has them
LANGUAGES = {"1": ("English (English)", "en", "en-US"), "2": ("Français (French)", "fr", "fr-FR"),
             "3": ("Nederlands (Dutch)", "nl", "nl-NL"), "4": ("Svenska (Swedish)", "sv", "sv-SE"),
             "5": ("Polski (Polish)", "pl", "pl-PL")}


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


def lang_value(value, lang="1"):
    return value.get(lang, next(iter(value.values()), "")) if isinstance(value, dict) else str(value)
