"""Sandbox Shopify store: the Admin GraphQL API as Shopify's public documentation describes it.

* endpoint ``POST /admin/api/<version>/graphql.json`` (version like ``2025-01`` or ``unstable``; any
  other path answers 404 ``{"errors": "Not Found"}``), body ``{query, variables, operationName}``;
* auth: header ``X-Shopify-Access-Token``; a wrong or missing token answers HTTP 401
  ``{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}``;
  an operation outside the token's ``scopes`` answers an ``ACCESS_DENIED`` error;
* the peer does not parse GraphQL: it dispatches on ``operationName`` (the query text must declare that
  operation, else ``No operation named ...``), validates ``variables`` as the real query or mutation
  would (required arguments and enums -> ``INVALID_VARIABLE``, input arrays over 250 items ->
  ``MAX_INPUT_SIZE_EXCEEDED``, ``first`` over 250) and answers the documented response shape of the
  fields the b2b-connect adapter selects (more fields than selected may come back);
* cost: every answer carries ``extensions.cost`` (requested/actual cost and the leaky bucket
  ``maximumAvailable`` / ``currentlyAvailable`` / ``restoreRate``). Costs are approximated per
  operation: mutations 10; a connection 2 + first x 1 per node; a query over 1000 points answers
  ``MAX_COST_EXCEEDED``. When the bucket cannot pay, the answer is HTTP 200 with
  ``errors[{message: "Throttled", extensions: {code: "THROTTLED"}}]`` and ``actualQueryCost`` null;
* paging: connections take ``first`` / ``after`` and answer ``pageInfo {hasNextPage endCursor}`` with
  opaque base64 cursors; ``orders`` sorts by ``UPDATED_AT`` (then id), oldest first;
* search: ``query`` strings use Shopify's search syntax (``field:value``, ``field:>=value``, quotes,
  ``AND`` / ``OR`` / ``NOT`` / ``-``, parentheses, ``*`` suffix) on the fields each query documents;
* refused records: ``userErrors [{field, message, code}]`` with HTTP 200 (``code`` only where the
  real payload type has one), e.g. "Email is invalid", "Email has already been taken", "Title can't be
  blank", ``INVALID_INVENTORY_ITEM``; ``inventorySetQuantities`` and ``metafieldsSet`` apply all or
  nothing. Shopify does not refuse duplicate SKUs, so neither does the peer;
* file uploads: ``stagedUploadsCreate`` hands out a form upload target on this server (playing the
  storage bucket): ``POST /staged-uploads`` multipart with the returned parameters and ``file`` last;
  answers 201 with an XML ``PostResponse``, or 403/400 with an XML ``Error`` (bad signature, size).

Operations: ShopInfo, CollectionsByTitle, CollectionCreate, CollectionUpdate, VariantsBySku, ProductById,
ProductSet, VariantPrices, InventorySet, InventoryItemTracking, CustomersByEmail, CustomerCreate,
CustomerUpdate, Orders, OrderLineItems, OrderForUpdate, OrderTagsAdd, FulfillmentCreate,
FulfillmentTrackingUpdate, FulfillmentEventCreate, OrderCancel, OrderInvoice, StagedUploadsCreate,
FileCreate, MetafieldsSet.

Simplified: one shop currency (presentment amounts use a fixed rate), no bulk operations or webhooks,
one variant per seeded product, customer addresses are replaced on update, fileCreate answers FAILED at
once for a source it cannot fetch (Shopify does that asynchronously), orders older than 60 days need no
extra scope. The clock is injectable (``clock=``) so tests run the bucket on simulated time.

Demo (``demo_peers``): ``http://127.0.0.1:8075``, shop ``b2b-connect-demo.myshopify.com``, Admin API
access token ``shpat_sandbox_b2b_connect_demo``, location ``gid://shopify/Location/64000000001``.
"""

import base64
import binascii
import collections
import email.parser
import email.policy
import hashlib
import hmac
import itertools
import json
import math
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.sax.saxutils import escape

from .server import PeerServer, Response

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
MAX_INPUT_ITEMS = 250
MAX_FIRST = 250
MAX_QUERY_COST = 1000
MUTATION_COST = 10
PRIMARY_LOCATION = "gid://shopify/Location/64000000001"
WAREHOUSE_LOCATION = "gid://shopify/Location/64000000002"
UPLOAD_PATH = "/staged-uploads"
DEMO_TOKEN = "shpat_sandbox_b2b_connect_demo"
DEMO_DOMAIN = "b2b-connect-demo.myshopify.com"

ALL_SCOPES = frozenset({
    "read_products", "write_products", "read_inventory", "write_inventory", "read_customers",
    "write_customers", "read_orders", "write_orders", "write_merchant_managed_fulfillment_orders",
    "read_files", "write_files", "read_locations",
})

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_RE = re.compile(r"^\+?[1-9]\d{6,14}$")
_GID_RE = re.compile(r"^gid://shopify/([A-Za-z]+)/(\d+)$")
_METAFIELD_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{2,64}$")
_VERSION_RE = re.compile(r"^(\d{4}-(01|04|07|10)|unstable)$")
TWO = Decimal("0.01")

INVENTORY_REASONS = {
    "correction", "cycle_count_available", "damaged", "movement_created", "movement_updated",
    "movement_received", "movement_canceled", "other", "promotion", "quality_control", "received",
    "reservation_created", "reservation_deleted", "reservation_updated", "restock", "safety_stock", "shrinkage",
}
FULFILLMENT_EVENT_STATUSES = {
    "ATTEMPTED_DELIVERY", "CARRIER_PICKED_UP", "CONFIRMED", "DELAYED", "DELIVERED", "FAILURE", "IN_TRANSIT",
    "LABEL_PRINTED", "LABEL_PURCHASED", "OUT_FOR_DELIVERY", "PICKED_UP", "READY_FOR_PICKUP",
}
CANCEL_REASONS = {"CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"}
METAFIELD_TYPES = {
    "single_line_text_field", "multi_line_text_field", "number_integer", "number_decimal", "boolean", "date",
    "date_time", "url", "json", "file_reference", "product_reference", "list.single_line_text_field",
}
GATEWAY_NAMES = {"shopify_payments": "Shopify Payments", "gift_card": "Gift card", "bank_deposit": "Bank Deposit",
                 "manual": "Manual", "paypal": "PayPal"}


class GraphQLError(Exception):
    """A top-level error: the whole operation is refused (HTTP 200, ``errors`` and no data)."""

    def __init__(self, message, code=None, **extra):
        super().__init__(message)
        self.payload = {"message": message}
        if code:
            self.payload["extensions"] = dict(extra, code=code)


def _d(value):
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def _amount(value):
    return str(_d(value).quantize(TWO, ROUND_HALF_UP))


def _iso(dt):
    return dt.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value):
    text = str(value).strip().strip("'\"")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T00:00:00+00:00"
    dt = datetime.fromisoformat(text)
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _cursor(data):
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _uncursor(text):
    try:
        padded = text + "=" * (-len(text) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise GraphQLError(f"Invalid cursor for current pagination sort. Cursor: {text}", "BAD_REQUEST") from None
    if not isinstance(data, dict):
        raise GraphQLError("Invalid cursor for current pagination sort.", "BAD_REQUEST")
    return data


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "item"


# ---------------------------------------------------------------------------- search syntax
def _tokenize(text):
    """Tokens of Shopify's search syntax: (value, quoted) pairs and parentheses."""
    tokens, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            tokens.append((c, False))
            i += 1
            continue
        buf, quoted = [], False
        while i < n and not text[i].isspace() and text[i] not in "()":
            if text[i] in "'\"":
                quote, quoted = text[i], True
                i += 1
                while i < n and text[i] != quote:
                    if text[i] == "\\" and i + 1 < n:
                        i += 1
                    buf.append(text[i])
                    i += 1
                i += 1
                continue
            buf.append(text[i])
            i += 1
        tokens.append(("".join(buf), quoted))
    return tokens


class SearchQuery:
    """A parsed search string; ``matches(fields)`` with ``fields`` = name -> value or list of values."""

    def __init__(self, text):
        self.tokens = _tokenize(text or "")
        self.pos = 0
        self.tree = self._or() if self.tokens else None
        if self.pos < len(self.tokens):
            raise GraphQLError(f"Invalid search query: unexpected {self.tokens[self.pos][0]!r}", "BAD_REQUEST")

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, False)

    def _or(self):
        nodes = [self._and()]
        while self._peek() == ("OR", False):
            self.pos += 1
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else ("or", nodes)

    def _and(self):
        nodes = [self._not()]
        while self.pos < len(self.tokens) and self._peek() not in ((")", False), ("OR", False)):
            if self._peek() == ("AND", False):
                self.pos += 1
            nodes.append(self._not())
        return nodes[0] if len(nodes) == 1 else ("and", nodes)

    def _not(self):
        token, quoted = self._peek()
        if token is None:
            raise GraphQLError("Invalid search query: unexpected end", "BAD_REQUEST")
        if token == "NOT" and not quoted:
            self.pos += 1
            return ("not", self._not())
        if token == "(" and not quoted:
            self.pos += 1
            node = self._or()
            if self._peek() != (")", False):
                raise GraphQLError("Invalid search query: missing )", "BAD_REQUEST")
            self.pos += 1
            return node
        self.pos += 1
        if token.startswith("-") and len(token) > 1 and not quoted:
            return ("not", self._term(token[1:]))
        return self._term(token)

    @staticmethod
    def _term(token):
        if ":" not in token:
            return ("text", token.lower())
        name, value = token.split(":", 1)
        op = "="
        for candidate in (">=", "<=", ">", "<"):
            if value.startswith(candidate):
                op, value = candidate, value[len(candidate):]
                break
        return ("term", name.lower(), op, value)

    def matches(self, fields):
        return True if self.tree is None else self._eval(self.tree, fields)

    def _eval(self, node, fields):
        kind = node[0]
        if kind == "or":
            return any(self._eval(n, fields) for n in node[1])
        if kind == "and":
            return all(self._eval(n, fields) for n in node[1])
        if kind == "not":
            return not self._eval(node[1], fields)
        if kind == "text":
            return any(node[1] in str(v).lower() for vals in fields.values() for v in _listify(vals) if v)
        _, name, op, value = node
        if name not in fields:
            return False
        return any(_compare(v, op, value) for v in _listify(fields[name]) if v is not None)


def _listify(value):
    return value if isinstance(value, (list, tuple, set)) else [value]


def _compare(actual, op, wanted):
    if op == "=":
        actual, wanted = str(actual).lower(), wanted.lower()
        return actual.startswith(wanted[:-1]) if wanted.endswith("*") else actual == wanted
    try:
        left, right = _parse_time(actual), _parse_time(wanted)
    except ValueError:
        try:
            left, right = _d(actual), _d(wanted)
        except ValueError:
            left, right = str(actual), wanted
    return {">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right}[op]


# ---------------------------------------------------------------------------- the peer
def _conn_cost(node_cost=1, first_default=MAX_FIRST, extra=1):
    return lambda v: extra + 2 + int(v.get("first") or first_default) * node_cost


OPERATIONS = {
    # name: (kind, handler, scope, requested cost(variables))
    "ShopInfo": ("query", "_q_shop", None, lambda v: 13),
    "CollectionsByTitle": ("query", "_q_collections", "read_products", lambda v: 2 + MAX_FIRST),
    "CollectionCreate": ("mutation", "_m_collection_create", "write_products", None),
    "CollectionUpdate": ("mutation", "_m_collection_update", "write_products", None),
    "VariantsBySku": ("query", "_q_variants", "read_products", lambda v: 2 + MAX_FIRST),
    "ProductById": ("query", "_q_product", "read_products", lambda v: 4),
    "ProductSet": ("mutation", "_m_product_set", "write_products", None),
    "VariantPrices": ("mutation", "_m_variant_prices", "write_products", None),
    "InventorySet": ("mutation", "_m_inventory_set", "write_inventory", None),
    "InventoryItemTracking": ("mutation", "_m_inventory_item_update", "write_inventory", None),
    "CustomersByEmail": ("query", "_q_customers", "read_customers", lambda v: 2 + MAX_FIRST),
    "CustomerCreate": ("mutation", "_m_customer_create", "write_customers", None),
    "CustomerUpdate": ("mutation", "_m_customer_update", "write_customers", None),
    "Orders": ("query", "_q_orders", "read_orders",
               lambda v: 2 + int(v.get("first") or 0) * (42 + int(v.get("lineFirst") or 0))),
    "OrderLineItems": ("query", "_q_order_line_items", "read_orders", lambda v: 3 + MAX_FIRST),
    "OrderForUpdate": ("query", "_q_order_for_update", "read_orders", lambda v: 43),
    "OrderTagsAdd": ("mutation", "_m_tags_add", "write_orders", None),
    "FulfillmentCreate": ("mutation", "_m_fulfillment_create", "write_merchant_managed_fulfillment_orders", None),
    "FulfillmentTrackingUpdate": ("mutation", "_m_fulfillment_tracking", "write_merchant_managed_fulfillment_orders",
                                  None),
    "FulfillmentEventCreate": ("mutation", "_m_fulfillment_event", "write_merchant_managed_fulfillment_orders", None),
    "OrderCancel": ("mutation", "_m_order_cancel", "write_orders", None),
    "OrderInvoice": ("query", "_q_order_invoice", "read_orders", lambda v: 13),
    "StagedUploadsCreate": ("mutation", "_m_staged_uploads", "write_files", None),
    "FileCreate": ("mutation", "_m_file_create", "write_files", None),
    "MetafieldsSet": ("mutation", "_m_metafields_set", "write_orders", None),
}


class ShopifyPeer(PeerServer):
    name = "shopify"

    def __init__(self, token="shpat_sandbox_token", shop_name="B2B Sandbox Shop", domain="sandbox-shop.myshopify.com",
                 currency="EUR", scopes=ALL_SCOPES, maximum_available=2000.0, restore_rate=100.0,
                 clock=time.time, **kw):
        super().__init__(**kw)
        self.token = token
        self.shop_name = shop_name
        self.domain = domain
        self.currency = currency
        self.scopes = set(scopes)
        self.maximum_available = float(maximum_available)
        self.restore_rate = float(restore_rate)
        self.clock = clock
        self._secret = uuid.uuid4().hex.encode()
        self._init_state()

    def _init_state(self):
        self.locations = {
            PRIMARY_LOCATION: {"id": PRIMARY_LOCATION, "name": "Main warehouse", "isActive": True},
            WAREHOUSE_LOCATION: {"id": WAREHOUSE_LOCATION, "name": "Overflow warehouse", "isActive": True},
        }
        self.collections = {}
        self.products = {}
        self.variants = {}
        self.inventory_items = {}
        self.customers = {}
        self.orders = {}
        self.files = {}
        self.uploads = {}  # staged key -> {"filename", "mimeType", "size", "data", "signature"}
        self.shipments = []  # {"order", "fulfillment", "tracking", "notify"}
        self.fulfillment_events = []
        self.cancellations = []
        self.notes = []  # (order gid, staff note)
        self.calls = collections.Counter()
        self.throttled_calls = 0
        self.available = self.maximum_available
        self._bucket_time = self.clock()
        self._ids = itertools.count(7_000_000_001)
        self._order_numbers = itertools.count(1001)
        self._actual_cost = None

    def reset(self):
        super().reset()
        with self.lock:
            self._init_state()

    # ------------------------------------------------------------------ inspection helpers
    @property
    def categories(self):
        return self.collections

    @property
    def invoices(self):
        """order gid -> {"number", "file", "pdf"} from the order's b2b metafields."""
        found = {}
        for order in self.orders.values():
            fields = {key: m["value"] for (ns, key), m in order["metafields"].items() if ns == "b2b"}
            if "invoice_number" in fields:
                file = self.files.get(fields.get("invoice_pdf")) or {}
                found[order["id"]] = {"number": fields["invoice_number"], "file": fields.get("invoice_pdf"),
                                      "pdf": file.get("data")}
        return found

    def operations(self):
        """operationName of every GraphQL request received, in order."""
        names = []
        for request in self.requests:
            if request.path.endswith("/graphql.json"):
                try:
                    names.append(json.loads(request.body or b"{}").get("operationName"))
                except ValueError:
                    names.append(None)
        return names

    def variant_by_sku(self, sku):
        for variant in self.variants.values():
            if variant["sku"] == sku:
                return variant
        return None

    def product_by_sku(self, sku):
        variant = self.variant_by_sku(sku)
        return self.products.get(variant["product"]) if variant else None

    def stock(self, sku, location=PRIMARY_LOCATION):
        variant = self.variant_by_sku(sku)
        item = self.inventory_items[variant["inventoryItem"]] if variant else None
        return item["levels"].get(location, {}).get("available") if item else None

    def set_bucket(self, available=None, maximum=None, restore_rate=None):
        with self.lock:
            if maximum is not None:
                self.maximum_available = float(maximum)
            if restore_rate is not None:
                self.restore_rate = float(restore_rate)
            self.available = float(self.maximum_available if available is None else available)
            self._bucket_time = self.clock()

    # ------------------------------------------------------------------ seeding
    def _gid(self, kind):
        return f"gid://shopify/{kind}/{next(self._ids)}"

    def _now(self):
        return datetime.fromtimestamp(self.clock(), timezone.utc).replace(microsecond=0)

    def _bag(self, amount, rate=Decimal(1), presentment=None):
        amount = _d(amount)
        return {"shopMoney": {"amount": _amount(amount), "currencyCode": self.currency},
                "presentmentMoney": {"amount": _amount(amount * rate), "currencyCode": presentment or self.currency}}

    def add_collection(self, title, description=""):
        with self.lock:
            gid = self._gid("Collection")
            self.collections[gid] = {"id": gid, "title": title, "handle": self._unique_handle(title),
                                     "descriptionHtml": description, "collectionType": "custom"}
            return gid

    def _unique_handle(self, title):
        base = handle = _slug(title)
        used = {c["handle"] for c in self.collections.values()} | {p["handle"] for p in self.products.values()}
        for n in itertools.count(1):
            if handle not in used:
                return handle
            handle = f"{base}-{n}"

    def add_product(self, sku, title=None, price="10.00", quantity=0, barcode="", status="ACTIVE",
                    tracked=True, location=PRIMARY_LOCATION, compare_at_price=None):
        """Seed a single-variant product; returns the product GID."""
        with self.lock:
            product_id = self._gid("Product")
            self.products[product_id] = {
                "id": product_id, "title": title or sku, "handle": self._unique_handle(title or sku),
                "descriptionHtml": "", "status": status, "collections": [], "files": [], "metafields": {},
                "variants": [],
            }
            self._create_variant(product_id, {"sku": sku, "price": price, "barcode": barcode,
                                              "compareAtPrice": compare_at_price,
                                              "inventoryItem": {"tracked": tracked}})
            if quantity:
                item = self.inventory_items[self.variants[self.products[product_id]["variants"][0]]["inventoryItem"]]
                item["levels"][location]["available"] = int(quantity)
            return product_id

    def delete_product(self, product_id):
        """Delete a product with its variants and inventory items (as the merchant would in the admin)."""
        with self.lock:
            product = self.products.pop(product_id)
            for variant_id in product["variants"]:
                variant = self.variants.pop(variant_id)
                self.inventory_items.pop(variant["inventoryItem"], None)

    def _create_variant(self, product_id, data):
        variant_id = self._gid("ProductVariant")
        item_id = self._gid("InventoryItem")
        self.inventory_items[item_id] = {"id": item_id, "sku": data.get("sku") or "", "tracked": True, "weight": None,
                                         "levels": {loc: {"available": 0} for loc in self.locations}}
        self.variants[variant_id] = {"id": variant_id, "sku": "", "price": "0.00", "compareAtPrice": None,
                                     "barcode": "", "taxable": True, "product": product_id, "inventoryItem": item_id}
        self.products[product_id]["variants"].append(variant_id)
        self._update_variant(variant_id, data)
        return variant_id

    def _update_variant(self, variant_id, data):
        variant = self.variants[variant_id]
        for key in ("sku", "barcode", "taxable"):
            if key in data and data[key] is not None:
                variant[key] = data[key]
        if data.get("price") is not None:
            variant["price"] = _amount(data["price"])
        if "compareAtPrice" in data:
            variant["compareAtPrice"] = _amount(data["compareAtPrice"]) if data["compareAtPrice"] is not None else None
        item = self.inventory_items[variant["inventoryItem"]]
        item["sku"] = variant["sku"]
        item_input = data.get("inventoryItem") or {}
        if "tracked" in item_input:
            item["tracked"] = bool(item_input["tracked"])
        weight = ((item_input.get("measurement") or {}).get("weight"))
        if weight:
            item["weight"] = {"unit": weight.get("unit"), "value": weight.get("value")}

    def add_customer(self, email, first_name="", last_name="", phone=None):
        with self.lock:
            gid = self._gid("Customer")
            self.customers[gid] = {"id": gid, "email": email, "firstName": first_name, "lastName": last_name,
                                   "phone": phone, "addresses": [], "tags": [], "note": ""}
            return gid

    def add_order(self, lines, *, number=None, email="buyer@example.com", customer=None, financial_status="PAID",
                  fulfillment_status="UNFULFILLED", cancelled=False, cancel_reason="CUSTOMER", shipping=(), fees=(),
                  gift_card=None, gateway="shopify_payments", taxes_included=True, tax_rate="21",
                  presentment_currency=None, presentment_rate="1", created_at=None, updated_at=None,
                  billing=None, shipping_address=None, note="", tags=(), refund_amount=None,
                  location=PRIMARY_LOCATION):
        """Seed an order; returns its GID.

        ``lines``: dicts with ``sku``, ``title``, ``quantity``, ``price`` (unit, as the shop shows prices),
        optional ``discount`` (amount for the line) with ``code`` (a discount code) or ``automatic`` (the
        title of an automatic discount). ``shipping``: dicts with ``title``, ``price``, optional ``code``,
        ``discount`` and ``discount_code``. ``fees``: dicts with ``name`` and ``price``. ``gift_card``: the
        amount paid with a gift card. ``financial_status`` / ``fulfillment_status``: Shopify's display
        statuses (PAID, PENDING, AUTHORIZED, PARTIALLY_PAID, PARTIALLY_REFUNDED, REFUNDED, VOIDED, EXPIRED /
        UNFULFILLED, FULFILLED)."""
        with self.lock:
            rate = _d(presentment_rate)
            tax_rate = _d(tax_rate)
            now = self._now()
            created = (_parse_time(created_at) if created_at else now).replace(microsecond=0)
            updated = (_parse_time(updated_at) if updated_at else created).replace(microsecond=0)
            gid = self._gid("Order")
            applications = []

            def application(kind, label, target):
                for app in applications:
                    if app["_key"] == (kind, label):
                        return app["index"]
                app = {"_key": (kind, label), "index": len(applications), "allocationMethod": "ACROSS",
                       "targetType": target}
                if kind == "code":
                    app.update({"__typename": "DiscountCodeApplication", "code": label})
                else:
                    app.update({"__typename": "AutomaticDiscountApplication", "title": label})
                applications.append(app)
                return app["index"]

            def taxed(amount):
                tax = amount * tax_rate / (100 + tax_rate) if taxes_included else amount * tax_rate / 100
                tax = tax.quantize(TWO, ROUND_HALF_UP)
                return tax, ([{"title": "VAT", "rate": float(tax_rate / 100), "ratePercentage": float(tax_rate),
                               "priceSet": self._bag(tax, rate, presentment_currency)}] if tax_rate else [])

            total_tax = Decimal(0)
            subtotal = Decimal(0)
            line_items = []
            for line in lines:
                quantity = int(line.get("quantity", 1))
                price = _d(line.get("price"))
                discount = _d(line.get("discount"))
                allocations = []
                if discount:
                    kind, label = ("code", line["code"]) if line.get("code") else (
                        "automatic", line.get("automatic") or "Automatic discount")
                    allocations.append({"allocatedAmountSet": self._bag(discount, rate, presentment_currency),
                                        "discountApplication": {"index": application(kind, label, "LINE_ITEM")}})
                amount = quantity * price - discount
                tax, tax_lines = taxed(amount)
                total_tax += tax
                subtotal += amount
                variant = self.variant_by_sku(line.get("sku")) if line.get("sku") else None
                line_items.append({
                    "id": self._gid("LineItem"), "name": line.get("title") or line.get("sku") or "Item",
                    "sku": line.get("sku"), "quantity": quantity,
                    "originalUnitPriceSet": self._bag(price, rate, presentment_currency),
                    "discountAllocations": allocations, "taxLines": tax_lines,
                    "product": {"id": variant["product"]} if variant else None,
                    "variant": {"id": variant["id"]} if variant else None,
                })
            shipping_lines = []
            for ship in shipping:
                price = _d(ship.get("price"))
                discount = _d(ship.get("discount"))
                allocations = []
                if discount:
                    kind, label = ("code", ship["discount_code"]) if ship.get("discount_code") else (
                        "automatic", ship.get("automatic") or "Free shipping")
                    allocations.append({"allocatedAmountSet": self._bag(discount, rate, presentment_currency),
                                        "discountApplication": {"index": application(kind, label, "SHIPPING_LINE")}})
                tax, tax_lines = taxed(price - discount)
                total_tax += tax
                subtotal += price - discount
                shipping_lines.append({"id": self._gid("ShippingLine"), "title": ship.get("title") or "Shipping",
                                       "code": ship.get("code") or _slug(ship.get("title") or "shipping"),
                                       "originalPriceSet": self._bag(price, rate, presentment_currency),
                                       "discountAllocations": allocations, "taxLines": tax_lines})
            additional_fees = []
            for fee in fees:
                price = _d(fee.get("price"))
                tax, tax_lines = taxed(price)
                total_tax += tax
                subtotal += price
                additional_fees.append({"id": self._gid("AdditionalFee"), "name": fee.get("name") or "Fee",
                                        "price": self._bag(price, rate, presentment_currency), "taxLines": tax_lines})
            total = subtotal if taxes_included else subtotal + total_tax
            gift = _d(gift_card)
            rest = total - gift
            transactions = []

            def tx(kind, status, amount, gw=gateway):
                if amount <= 0 and kind not in ("VOID",):
                    return
                transactions.append({
                    "id": self._gid("OrderTransaction"), "kind": kind, "status": status, "gateway": gw,
                    "formattedGateway": GATEWAY_NAMES.get(gw, gw.replace("_", " ").title()),
                    "paymentId": f"r{uuid.uuid4().hex[:20]}" if gw != "gift_card" else None,
                    "authorizationCode": f"{next(self._ids) % 1000000:06d}" if gw == "shopify_payments" else None,
                    "amountSet": self._bag(amount, rate, presentment_currency),
                })

            if gift:
                tx("SALE", "SUCCESS", gift, "gift_card")
            status = financial_status.upper()
            if status in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED"):
                tx("SALE", "SUCCESS", rest)
                if status != "PAID":
                    refund = rest if status == "REFUNDED" else _d(refund_amount or (rest / 10).quantize(TWO))
                    tx("REFUND", "SUCCESS", refund)
            elif status == "PARTIALLY_PAID":
                tx("SALE", "SUCCESS", (rest / 2).quantize(TWO))
            elif status in ("AUTHORIZED", "EXPIRED", "VOIDED"):
                tx("AUTHORIZATION", "SUCCESS", rest)
                if status == "VOIDED":
                    tx("VOID", "SUCCESS", rest)
            else:
                tx("SALE", "PENDING", rest)
            fulfilled = fulfillment_status.upper() == "FULFILLED"
            fo_status = "CANCELLED" if cancelled else "CLOSED" if fulfilled else "OPEN"
            fulfillments = []
            if fulfilled:
                fulfillments.append({"id": self._gid("Fulfillment"), "status": "SUCCESS", "displayStatus": "FULFILLED",
                                     "trackingInfo": [], "createdAt": _iso(updated)})
            default_address = {"firstName": "Anna", "lastName": "de Vries", "company": "De Vries Interieur BV",
                               "address1": "Keizersgracht 123", "address2": "", "city": "Amsterdam", "zip": "1015 CJ",
                               "provinceCode": "NH", "countryCodeV2": "NL", "phone": "+31201234567"}
            customer_node = None
            if customer:
                found = self.customers.get(customer)
                customer_node = {"id": customer, "email": (found or {}).get("email") or email}
            self.orders[gid] = {
                "id": gid, "name": f"#{number or next(self._order_numbers)}", "_created": created,
                "_updated": updated, "createdAt": _iso(created), "updatedAt": _iso(updated),
                "cancelledAt": _iso(updated) if cancelled else None,
                "cancelReason": cancel_reason if cancelled else None,
                "closedAt": None, "note": note or None, "email": email, "currencyCode": self.currency,
                "presentmentCurrencyCode": presentment_currency or self.currency, "taxesIncluded": bool(taxes_included),
                "displayFinancialStatus": status,
                "displayFulfillmentStatus": "FULFILLED" if fulfilled else "UNFULFILLED",
                "paymentGatewayNames": sorted({t["gateway"] for t in transactions}) or [gateway],
                "tags": list(tags), "customer": customer_node,
                "billingAddress": dict(default_address, **(billing or {})),
                "shippingAddress": dict(default_address, **(shipping_address or billing or {})),
                "totalPriceSet": self._bag(total, rate, presentment_currency),
                "totalTaxSet": self._bag(total_tax, rate, presentment_currency),
                "lineItems": line_items, "shippingLines": shipping_lines, "additionalFees": additional_fees,
                "discountApplications": [{k: v for k, v in a.items() if k != "_key"} for a in applications],
                "transactions": transactions,
                "fulfillmentOrders": [{"id": self._gid("FulfillmentOrder"), "status": fo_status,
                                       "assignedLocation": {"location": {"id": location}}}],
                "fulfillments": fulfillments, "metafields": {},
            }
            return gid

    def _touch(self, order):
        now = self._now()
        # updatedAt only moves forward (one second per change at the least, like a real timestamp column)
        order["_updated"] = max(now, order["_updated"] + timedelta(seconds=1)) if now <= order["_updated"] else now
        order["updatedAt"] = _iso(order["_updated"])

    # ------------------------------------------------------------------ protocol
    def handle(self, request):
        if request.path.rstrip("/") == UPLOAD_PATH:
            return self._upload(request)
        match = re.fullmatch(r"/admin/api/([^/]+)/graphql\.json", request.path)
        if not match or not _VERSION_RE.match(match.group(1)):
            return Response.json({"errors": "Not Found"}, status=404)
        if request.header("X-Shopify-Access-Token") != self.token:
            return Response.json({"errors": INVALID_TOKEN}, status=401)
        if request.method != "POST":
            return Response.json({"errors": {"query": "Required parameter missing or invalid"}}, status=400)
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return Response.json({"errors": {"query": "Required parameter missing or invalid"}}, status=400)
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return Response.json({"errors": {"query": "Required parameter missing or invalid"}}, status=400)
        name = body.get("operationName") or ""
        variables = body.get("variables") or {}
        with self.lock:
            self.calls[name] += 1
            operation = OPERATIONS.get(name)
            if operation is None or not re.search(rf"\b{operation[0]}\s+{re.escape(name)}\b", body["query"]):
                return self._answer(errors=[{"message": f'No operation named "{name}"'}])
            kind, handler, scope, cost_fn = operation
            if scope and scope not in self.scopes:
                return self._answer(errors=[{
                    "message": f"Access denied for {name}. Required access: `{scope}` access scope.",
                    "extensions": {"code": "ACCESS_DENIED", "requiredAccess": f"`{scope}` access scope.",
                                   "documentation": "https://shopify.dev/api/usage/access-scopes"}}])
            if not isinstance(variables, dict):
                return self._answer(errors=[{"message": "Variables must be an object",
                                             "extensions": {"code": "INVALID_VARIABLE"}}])
            too_big = _largest_list(variables)
            if too_big > MAX_INPUT_ITEMS:
                return self._answer(errors=[{
                    "message": f"The input array size of {too_big} is greater than the maximum allowed of "
                               f"{MAX_INPUT_ITEMS}.", "extensions": {"code": "MAX_INPUT_SIZE_EXCEEDED"}}])
            for arg in ("first", "lineFirst"):
                if arg in variables and (not isinstance(variables[arg], int) or variables[arg] > MAX_FIRST
                                         or variables[arg] < 0):
                    return self._answer(errors=[{"message": f"{arg} cannot exceed {MAX_FIRST}. To query larger "
                                                            "amounts of data, use bulk operations instead."}])
            requested = cost_fn(variables) if cost_fn else MUTATION_COST
            if requested > MAX_QUERY_COST:
                return self._answer(errors=[{
                    "message": f"Query cost is {requested}, which exceeds the single query max cost limit "
                               f"({MAX_QUERY_COST}).",
                    "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": MAX_QUERY_COST}}])
            self._refill()
            if requested > self.available:
                self.throttled_calls += 1
                return self._answer(errors=[{"message": "Throttled", "extensions": {
                    "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                    requested=requested, actual=None)
            self.available -= requested
            self._actual_cost = None
            try:
                data = getattr(self, handler)(variables)
            except GraphQLError as exc:
                self.available += requested
                return self._answer(errors=[exc.payload], requested=requested, actual=0)
            actual = requested if self._actual_cost is None else min(requested, self._actual_cost)
            self.available = min(self.maximum_available, self.available + (requested - actual))
            return self._answer(data=data, requested=requested, actual=actual)

    def _refill(self):
        now = self.clock()
        refill = max(0.0, now - self._bucket_time) * self.restore_rate
        self.available = min(self.maximum_available, self.available + refill)
        self._bucket_time = now

    def _answer(self, data=None, errors=None, requested=0, actual=0):
        body = {}
        if errors:
            body["errors"] = errors
        if data is not None:
            body["data"] = data
        body["extensions"] = {"cost": {
            "requestedQueryCost": requested, "actualQueryCost": actual,
            "throttleStatus": {"maximumAvailable": self.maximum_available,
                               "currentlyAvailable": math.floor(self.available * 1000) / 1000,
                               "restoreRate": self.restore_rate}}}
        return Response.json(body)

    # ------------------------------------------------------------------ argument helpers
    @staticmethod
    def _required(variables, name, type_name):
        value = variables.get(name)
        if value is None:
            raise GraphQLError(f"Variable ${name} of type {type_name} was provided invalid value", "INVALID_VARIABLE",
                               problems=[{"path": [], "explanation": "Expected value to not be null"}])
        return value

    @staticmethod
    def _enum(value, allowed, name, type_name):
        if value not in allowed:
            raise GraphQLError(f"Variable ${name} of type {type_name} was provided invalid value", "INVALID_VARIABLE",
                               problems=[{"path": [], "explanation":
                                          f"Expected \"{value}\" to be one of: {', '.join(sorted(allowed))}"}])
        return value

    @staticmethod
    def _gid_of(value, kind, name="id"):
        match = _GID_RE.match(str(value or ""))
        if not match:
            raise GraphQLError(f"Invalid global id '{value}'", "argumentLiteralsIncompatible", argumentName=name)
        if match.group(1) != kind:
            return None
        return value

    # ------------------------------------------------------------------ shop
    def _q_shop(self, v):
        return {"shop": {"name": self.shop_name, "myshopifyDomain": self.domain, "currencyCode": self.currency},
                "locations": {"nodes": [dict(loc) for loc in self.locations.values()]}}

    # ------------------------------------------------------------------ collections
    def _q_collections(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        nodes = [{"id": c["id"], "title": c["title"], "handle": c["handle"]} for c in self.collections.values()
                 if search.matches({"title": c["title"], "handle": c["handle"],
                                    "collection_type": c["collectionType"]})]
        self._actual_cost = 2 + len(nodes[:first])
        return {"collections": {"nodes": nodes[:first]}}

    def _m_collection_create(self, v):
        data = self._required(v, "input", "CollectionInput!")
        title = str(data.get("title") or "").strip()
        if not title:
            return {"collectionCreate": {"collection": None,
                                         "userErrors": [{"field": ["title"], "message": "Title can't be blank"}]}}
        if len(title) > 255:
            return {"collectionCreate": {"collection": None, "userErrors": [
                {"field": ["title"], "message": "Title is too long (maximum is 255 characters)"}]}}
        gid = self.add_collection(title, data.get("descriptionHtml") or "")
        return {"collectionCreate": {"collection": self._collection_node(gid), "userErrors": []}}

    def _m_collection_update(self, v):
        data = self._required(v, "input", "CollectionInput!")
        gid = self._gid_of(data.get("id"), "Collection")
        collection = self.collections.get(gid)
        if not collection:
            return {"collectionUpdate": {"collection": None,
                                         "userErrors": [{"field": ["id"], "message": "Collection does not exist"}]}}
        if "title" in data and not str(data.get("title") or "").strip():
            return {"collectionUpdate": {"collection": None,
                                         "userErrors": [{"field": ["title"], "message": "Title can't be blank"}]}}
        if data.get("title"):
            collection["title"] = data["title"].strip()
        if "descriptionHtml" in data:
            collection["descriptionHtml"] = data["descriptionHtml"] or ""
        return {"collectionUpdate": {"collection": self._collection_node(gid), "userErrors": []}}

    def _collection_node(self, gid):
        c = self.collections[gid]
        return {"id": c["id"], "title": c["title"], "handle": c["handle"]}

    # ------------------------------------------------------------------ products
    def _variant_node(self, variant_id):
        variant = self.variants[variant_id]
        item = self.inventory_items[variant["inventoryItem"]]
        return {"id": variant["id"], "sku": variant["sku"], "price": variant["price"],
                "compareAtPrice": variant["compareAtPrice"], "product": {"id": variant["product"]},
                "inventoryItem": {"id": item["id"], "tracked": item["tracked"]}}

    def _paged(self, items, first, after, key):
        """Slice ``items`` (sorted by ``key``) after the cursor; return (page, pageInfo)."""
        start = 0
        if after:
            last = _uncursor(after).get("last_id")
            if not isinstance(last, int):
                raise GraphQLError("Invalid cursor for current pagination sort.", "BAD_REQUEST")
            start = next((n for n, item in enumerate(items) if key(item) > last), len(items))
        page = items[start:start + first]
        info = {"hasNextPage": start + first < len(items),
                "endCursor": _cursor({"last_id": key(page[-1])}) if page else None}
        return page, info

    def _q_variants(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        matching = [self.variants[k] for k in sorted(self.variants, key=lambda g: int(g.rsplit("/", 1)[1]))]
        matching = [var for var in matching if search.matches({
            "sku": var["sku"], "barcode": var["barcode"], "title": self.products[var["product"]]["title"],
            "product_id": var["product"].rsplit("/", 1)[1]})]
        page, info = self._paged(matching, first, v.get("after"), lambda var: int(var["id"].rsplit("/", 1)[1]))
        self._actual_cost = 2 + len(page)
        return {"productVariants": {"pageInfo": info, "nodes": [self._variant_node(var["id"]) for var in page]}}

    def _q_product(self, v):
        gid = self._gid_of(self._required(v, "id", "ID!"), "Product")
        product = self.products.get(gid)
        if not product:
            return {"product": None}
        return {"product": {"id": gid, "variants": {"nodes": [self._variant_node(x) for x in product["variants"][:1]]}}}

    def _m_product_set(self, v):
        data = self._required(v, "input", "ProductSetInput!")
        if "synchronous" in v and not isinstance(v["synchronous"], bool):
            raise GraphQLError("Variable $synchronous of type Boolean! was provided invalid value", "INVALID_VARIABLE")

        def refused(field, message, code):
            return {"productSet": {"product": None, "productSetOperation": None,
                                   "userErrors": [{"field": field, "message": message, "code": code}]}}

        product_id = None
        if data.get("id"):
            product_id = self._gid_of(data["id"], "Product")
            if product_id not in self.products:
                return refused(["input", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        if "status" in data:
            self._enum(data["status"], {"ACTIVE", "ARCHIVED", "DRAFT"}, "input", "ProductSetInput!")
        title = data.get("title")
        if (not product_id or "title" in data) and not str(title or "").strip():
            return refused(["input", "title"], "Title can't be blank", "BLANK")
        if title and len(title) > 255:
            return refused(["input", "title"], "Title is too long (maximum is 255 characters)", "TOO_LONG")
        variants = data.get("variants")
        if variants is not None and not data.get("productOptions"):
            return refused(["input", "productOptions"], "Product options input is required when updating variants",
                           "PRODUCT_OPTIONS_INPUT_MISSING")
        existing = self.products[product_id]["variants"] if product_id else []
        for n, variant in enumerate(variants or []):
            if not variant.get("optionValues"):
                raise GraphQLError("Variable $input of type ProductSetInput! was provided invalid value",
                                   "INVALID_VARIABLE", problems=[{"path": ["variants", n, "optionValues"],
                                                                  "explanation": "Expected value to not be null"}])
            if variant.get("id") and variant["id"] not in existing:
                return refused(["input", "variants", str(n), "id"], "Product variant does not exist",
                               "PRODUCT_VARIANT_DOES_NOT_EXIST")
            try:
                price = _d(variant.get("price"))
            except ValueError:
                return refused(["input", "variants", str(n), "price"], "Price is invalid", "INVALID_VARIANT")
            if price < 0:
                return refused(["input", "variants", str(n), "price"], "Price must be greater than or equal to 0",
                               "INVALID_VARIANT")
        for collection in data.get("collections") or []:
            if self._gid_of(collection, "Collection", "collections") not in self.collections:
                return refused(["input", "collections"], f"Collection {collection} does not exist",
                               "COLLECTION_DOES_NOT_EXIST")
        for n, field in enumerate(data.get("metafields") or []):
            if not _METAFIELD_KEY_RE.match(str(field.get("key") or "")):
                return refused(["input", "metafields", str(n), "key"], "Key is invalid", "INVALID_METAFIELD")

        if not product_id:
            product_id = self._gid("Product")
            self.products[product_id] = {"id": product_id, "title": "", "handle": self._unique_handle(title),
                                         "descriptionHtml": "", "status": "ACTIVE", "collections": [], "files": [],
                                         "metafields": {}, "variants": []}
        product = self.products[product_id]
        for key in ("title", "descriptionHtml", "status", "vendor", "productType"):
            if key in data:
                product[key] = data[key]
        if "collections" in data:
            product["collections"] = list(data["collections"] or [])
        if "files" in data:
            product["files"] = [dict(f) for f in data["files"] or []]
        if "metafields" in data:
            product["metafields"] = {(m.get("namespace"), m.get("key")): dict(m) for m in data["metafields"] or []}
        if variants is not None:
            keep = []
            for variant in variants:
                if variant.get("id"):
                    self._update_variant(variant["id"], variant)
                    keep.append(variant["id"])
                else:
                    keep.append(self._create_variant(product_id, variant))
            for old in [x for x in product["variants"] if x not in keep]:
                self.inventory_items.pop(self.variants[old]["inventoryItem"], None)
                self.variants.pop(old, None)
            product["variants"] = keep
        return {"productSet": {"product": {"id": product_id, "variants": {"nodes": [
            {"id": x, "sku": self.variants[x]["sku"], "inventoryItem": {"id": self.variants[x]["inventoryItem"]}}
            for x in product["variants"][:1]]}}, "productSetOperation": None, "userErrors": []}}

    def _m_variant_prices(self, v):
        product_id = self._gid_of(self._required(v, "productId", "ID!"), "Product", "productId")
        entries = self._required(v, "variants", "[ProductVariantsBulkInput!]!")
        product = self.products.get(product_id)
        if not product:
            return {"productVariantsBulkUpdate": {"productVariants": None, "userErrors": [
                {"field": ["productId"], "message": "Product does not exist", "code": "PRODUCT_DOES_NOT_EXIST"}]}}
        errors = []
        for n, entry in enumerate(entries):
            if entry.get("id") not in product["variants"]:
                errors.append({"field": ["variants", str(n), "id"], "message": "Product variant does not exist",
                               "code": "PRODUCT_VARIANT_DOES_NOT_EXIST"})
                continue
            for key in ("price", "compareAtPrice"):
                if entry.get(key) is None:
                    continue
                try:
                    value = _d(entry[key])
                except ValueError:
                    errors.append({"field": ["variants", str(n), key], "message": f"{key} is invalid",
                                   "code": "INVALID"})
                    continue
                if value < 0:
                    errors.append({"field": ["variants", str(n), key],
                                   "message": "Price must be greater than or equal to 0",
                                   "code": "GREATER_THAN_OR_EQUAL_TO"})
        if errors:
            return {"productVariantsBulkUpdate": {"productVariants": None, "userErrors": errors}}
        for entry in entries:
            self._update_variant(entry["id"], entry)
        return {"productVariantsBulkUpdate": {"productVariants": [
            {"id": e["id"], "price": self.variants[e["id"]]["price"],
             "compareAtPrice": self.variants[e["id"]]["compareAtPrice"]} for e in entries], "userErrors": []}}

    # ------------------------------------------------------------------ inventory
    def _m_inventory_set(self, v):
        data = self._required(v, "input", "InventorySetQuantitiesInput!")
        quantities = data.get("quantities")
        if not isinstance(quantities, list) or data.get("name") is None or data.get("reason") is None:
            raise GraphQLError("Variable $input of type InventorySetQuantitiesInput! was provided invalid value",
                               "INVALID_VARIABLE")

        def refused(errors):
            return {"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": errors}}

        if data["name"] not in ("available", "on_hand"):
            return refused([{"field": ["input", "name"], "message": "The quantity name must be either 'available' or "
                                                                    "'on_hand'.", "code": "INVALID_NAME"}])
        if data["reason"] not in INVENTORY_REASONS:
            return refused([{"field": ["input", "reason"], "message": "The specified reason is invalid.",
                             "code": "INVALID_REASON"}])
        errors = []
        for n, q in enumerate(quantities):
            path = ["input", "quantities", str(n)]
            item = self.inventory_items.get(q.get("inventoryItemId"))
            if not item:
                errors.append({"field": path + ["inventoryItemId"], "code": "INVALID_INVENTORY_ITEM",
                               "message": "The specified inventory item could not be found."})
            elif q.get("locationId") not in self.locations:
                errors.append({"field": path + ["locationId"], "code": "INVALID_LOCATION",
                               "message": "The specified location could not be found."})
            elif not isinstance(q.get("quantity"), int):
                raise GraphQLError("Variable $input of type InventorySetQuantitiesInput! was provided invalid value",
                                   "INVALID_VARIABLE", problems=[{"path": ["quantities", n, "quantity"],
                                                                  "explanation": "Could not coerce value to Int"}])
            elif q["quantity"] < 0:
                errors.append({"field": path + ["quantity"], "code": "INVALID_QUANTITY_NEGATIVE",
                               "message": "The quantity can't be negative."})
            elif q["quantity"] > 1_000_000_000:
                errors.append({"field": path + ["quantity"], "code": "INVALID_QUANTITY_TOO_HIGH",
                               "message": "The total quantity can't be higher than 1,000,000,000."})
            elif not data.get("ignoreCompareQuantity") and "compareQuantity" not in q:
                errors.append({"field": path + ["compareQuantity"], "code": "COMPARE_QUANTITY_REQUIRED",
                               "message": "The compareQuantity argument must be given to each quantity or ignored "
                                          "using ignoreCompareQuantity."})
            elif not data.get("ignoreCompareQuantity") and q.get("compareQuantity") != item["levels"][
                    q["locationId"]].get(data["name"], 0):
                errors.append({"field": path + ["compareQuantity"], "code": "COMPARE_QUANTITY_STALE",
                               "message": "The compareQuantity value does not match persisted value."})
        if errors:
            return refused(errors)  # all or nothing
        changes = []
        for q in quantities:
            level = self.inventory_items[q["inventoryItemId"]]["levels"][q["locationId"]]
            delta = q["quantity"] - level.get(data["name"], 0)
            level[data["name"]] = q["quantity"]
            changes.append({"name": data["name"], "delta": delta})
        return {"inventorySetQuantities": {"inventoryAdjustmentGroup": {"reason": data["reason"], "changes": changes},
                                           "userErrors": []}}

    def _m_inventory_item_update(self, v):
        gid = self._gid_of(self._required(v, "id", "ID!"), "InventoryItem")
        data = self._required(v, "input", "InventoryItemInput!")
        item = self.inventory_items.get(gid)
        if not item:
            return {"inventoryItemUpdate": {"inventoryItem": None, "userErrors": [
                {"field": ["id"], "message": "Inventory item does not exist"}]}}
        if "tracked" in data:
            item["tracked"] = bool(data["tracked"])
        return {"inventoryItemUpdate": {"inventoryItem": {"id": gid, "tracked": item["tracked"]}, "userErrors": []}}

    # ------------------------------------------------------------------ customers
    def _q_customers(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        nodes = [{"id": c["id"], "email": c["email"]} for c in self.customers.values()
                 if search.matches({"email": c["email"], "first_name": c["firstName"], "last_name": c["lastName"],
                                    "phone": c["phone"], "tag": c["tags"]})]
        self._actual_cost = 2 + len(nodes[:first])
        return {"customers": {"nodes": nodes[:first]}}

    def _customer_errors(self, data, own_id=None):
        errors = []
        email = data.get("email")
        if email is not None and email != "":
            if not _EMAIL_RE.match(email):
                errors.append({"field": ["email"], "message": "Email is invalid"})
            elif any(c["email"] and c["email"].lower() == email.lower() and c["id"] != own_id
                     for c in self.customers.values()):
                errors.append({"field": ["email"], "message": "Email has already been taken"})
        phone = data.get("phone")
        if phone:
            if not _PHONE_RE.match(phone):
                errors.append({"field": ["phone"], "message": "Phone is invalid"})
            elif any(c["phone"] == phone and c["id"] != own_id for c in self.customers.values()):
                errors.append({"field": ["phone"], "message": "Phone has already been taken"})
        for n, address in enumerate(data.get("addresses") or []):
            code = address.get("countryCode")
            if code is not None and not re.fullmatch(r"[A-Z]{2}", str(code)):
                errors.append({"field": ["addresses", str(n), "countryCode"], "message": "Country is invalid"})
        return errors

    def _apply_customer(self, customer, data):
        for key in ("email", "firstName", "lastName", "phone", "note"):
            if key in data:
                customer[key] = data[key]
        if "tags" in data:
            customer["tags"] = list(data["tags"] or [])
        if "addresses" in data:
            customer["addresses"] = [dict(a) for a in data["addresses"] or []]

    def _m_customer_create(self, v):
        data = self._required(v, "input", "CustomerInput!")
        errors = self._customer_errors(data)
        if not errors and not any(data.get(k) for k in ("email", "phone", "firstName", "lastName")):
            errors.append({"field": ["customer"], "message": "A name, phone number, or email address must be present"})
        if errors:
            return {"customerCreate": {"customer": None, "userErrors": errors}}
        gid = self.add_customer(data.get("email") or "", data.get("firstName") or "", data.get("lastName") or "")
        self._apply_customer(self.customers[gid], data)
        return {"customerCreate": {"customer": {"id": gid, "email": self.customers[gid]["email"]}, "userErrors": []}}

    def _m_customer_update(self, v):
        data = self._required(v, "input", "CustomerInput!")
        gid = self._gid_of(data.get("id"), "Customer")
        customer = self.customers.get(gid)
        if not customer:
            return {"customerUpdate": {"customer": None,
                                       "userErrors": [{"field": ["id"], "message": "Customer does not exist"}]}}
        errors = self._customer_errors(data, own_id=gid)
        if errors:
            return {"customerUpdate": {"customer": None, "userErrors": errors}}
        self._apply_customer(customer, data)
        return {"customerUpdate": {"customer": {"id": gid, "email": customer["email"]}, "userErrors": []}}

    # ------------------------------------------------------------------ orders
    @staticmethod
    def _order_search_fields(order):
        fulfillment = {"FULFILLED": ["shipped", "fulfilled"], "UNFULFILLED": ["unshipped", "unfulfilled"],
                       "PARTIALLY_FULFILLED": ["partial"]}.get(order["displayFulfillmentStatus"], [])
        status = "cancelled" if order["cancelledAt"] else "closed" if order["closedAt"] else "open"
        return {"updated_at": order["updatedAt"], "created_at": order["createdAt"],
                "financial_status": order["displayFinancialStatus"].lower(), "fulfillment_status": fulfillment,
                "status": status, "email": order["email"], "name": [order["name"], order["name"].lstrip("#")],
                "tag": order["tags"], "id": order["id"].rsplit("/", 1)[1]}

    def _line_page(self, order, first, after=None):
        items = order["lineItems"]
        start = 0
        if after:
            start = int(_uncursor(after).get("offset") or 0)
        page = items[start:start + first]
        return {"pageInfo": {"hasNextPage": start + first < len(items),
                             "endCursor": _cursor({"offset": start + len(page)}) if page else None},
                "nodes": page}

    def _order_node(self, order, line_first):
        node = {k: v for k, v in order.items() if not k.startswith("_") and k not in (
            "lineItems", "shippingLines", "discountApplications", "fulfillmentOrders", "metafields")}
        node["lineItems"] = self._line_page(order, line_first)
        node["shippingLines"] = {"nodes": order["shippingLines"][:10]}
        node["discountApplications"] = {"nodes": order["discountApplications"][:20]}
        node["transactions"] = order["transactions"][:20]
        return json.loads(json.dumps(node))  # a copy: the client must never hold our state

    def _q_orders(self, v):
        first = self._required(v, "first", "Int!")
        line_first = self._required(v, "lineFirst", "Int!")
        search = SearchQuery(v.get("query"))
        orders = sorted(self.orders.values(), key=lambda o: (o["_updated"], int(o["id"].rsplit("/", 1)[1])))
        orders = [o for o in orders if search.matches(self._order_search_fields(o))]
        start = 0
        if v.get("after"):
            last = _uncursor(v["after"])
            try:
                last_key = (_parse_time(last.get("last_value")), int(last.get("last_id")))
            except (TypeError, ValueError):
                raise GraphQLError("Invalid cursor for current pagination sort.", "BAD_REQUEST") from None
            start = next((n for n, o in enumerate(orders)
                          if (o["_updated"], int(o["id"].rsplit("/", 1)[1])) > last_key),
                         len(orders))
        page = orders[start:start + first]
        end = None
        if page:
            end = _cursor({"last_id": int(page[-1]["id"].rsplit("/", 1)[1]), "last_value": page[-1]["updatedAt"]})
        self._actual_cost = 2 + sum(42 + min(line_first, len(o["lineItems"])) for o in page)
        return {"orders": {"pageInfo": {"hasNextPage": start + first < len(orders), "endCursor": end},
                           "nodes": [self._order_node(o, line_first) for o in page]}}

    def _order(self, v, name="id"):
        return self.orders.get(self._gid_of(self._required(v, name, "ID!"), "Order", name))

    def _q_order_line_items(self, v):
        order = self._order(v)
        if not order:
            return {"order": None}
        return {"order": {"lineItems": json.loads(json.dumps(self._line_page(order, MAX_FIRST, v.get("after"))))}}

    def _q_order_for_update(self, v):
        order = self._order(v)
        if not order:
            return {"order": None}
        return {"order": json.loads(json.dumps({
            "id": order["id"], "name": order["name"], "cancelledAt": order["cancelledAt"], "tags": order["tags"],
            "displayFulfillmentStatus": order["displayFulfillmentStatus"],
            "fulfillmentOrders": {"nodes": order["fulfillmentOrders"][:20]},
            "fulfillments": order["fulfillments"][:20]}))}

    def _m_tags_add(self, v):
        gid = self._required(v, "id", "ID!")
        tags = self._required(v, "tags", "[String!]!")
        order = self.orders.get(self._gid_of(gid, "Order"))
        if not order:
            return {"tagsAdd": {"node": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}}
        for tag in tags:
            if tag not in order["tags"]:
                order["tags"].append(tag)
        self._touch(order)
        return {"tagsAdd": {"node": {"id": order["id"]}, "userErrors": []}}

    def _find_fulfillment_order(self, fo_id):
        for order in self.orders.values():
            for fo in order["fulfillmentOrders"]:
                if fo["id"] == fo_id:
                    return order, fo
        return None, None

    def _find_fulfillment(self, fulfillment_id):
        for order in self.orders.values():
            for fulfillment in order["fulfillments"]:
                if fulfillment["id"] == fulfillment_id:
                    return order, fulfillment
        return None, None

    @staticmethod
    def _tracking_errors(tracking):
        url = (tracking or {}).get("url")
        if url and not re.match(r"^https?://", url):
            return [{"field": ["fulfillment", "trackingInfo", "url"], "message": "Tracking url is invalid"}]
        return []

    def _m_fulfillment_create(self, v):
        data = self._required(v, "fulfillment", "FulfillmentInput!")
        groups = data.get("lineItemsByFulfillmentOrder")
        if not groups:
            raise GraphQLError("Variable $fulfillment of type FulfillmentInput! was provided invalid value",
                               "INVALID_VARIABLE", problems=[{"path": ["lineItemsByFulfillmentOrder"],
                                                              "explanation": "Expected value to not be null"}])

        def refused(message):
            return {"fulfillmentCreate": {"fulfillment": None,
                                          "userErrors": [{"field": ["fulfillment"], "message": message}]}}

        targets = []
        for group in groups:
            order, fo = self._find_fulfillment_order(group.get("fulfillmentOrderId"))
            if not fo:
                return refused("Invalid fulfillment order line items. Fulfillment order "
                               f"{group.get('fulfillmentOrderId')} does not exist.")
            if fo["status"] not in ("OPEN", "IN_PROGRESS"):
                return refused(f"Fulfillment order {fo['id']} has an unfulfillable status= {fo['status'].lower()}.")
            targets.append((order, fo))
        if len({o["id"] for o, _ in targets}) > 1:
            return refused("All fulfillment orders must belong to the same order.")
        if len({fo["assignedLocation"]["location"]["id"] for _, fo in targets}) > 1:
            return refused("All fulfillment orders must be assigned to the same location.")
        errors = self._tracking_errors(data.get("trackingInfo"))
        if errors:
            return {"fulfillmentCreate": {"fulfillment": None, "userErrors": errors}}
        order = targets[0][0]
        for _, fo in targets:
            fo["status"] = "CLOSED"
        tracking = [dict(data["trackingInfo"])] if data.get("trackingInfo") else []
        fulfillment = {"id": self._gid("Fulfillment"), "status": "SUCCESS", "displayStatus": "FULFILLED",
                       "trackingInfo": tracking, "createdAt": _iso(self._now())}
        order["fulfillments"].append(fulfillment)
        remaining = [fo for fo in order["fulfillmentOrders"] if fo["status"] in ("OPEN", "IN_PROGRESS")]
        order["displayFulfillmentStatus"] = "PARTIALLY_FULFILLED" if remaining else "FULFILLED"
        self._touch(order)
        self.shipments.append({"order": order["id"], "fulfillment": fulfillment["id"], "tracking": tracking,
                               "notify": bool(data.get("notifyCustomer")), "message": v.get("message")})
        return {"fulfillmentCreate": {"fulfillment": {k: fulfillment[k] for k in ("id", "status", "trackingInfo")},
                                      "userErrors": []}}

    def _m_fulfillment_tracking(self, v):
        fulfillment_id = self._required(v, "fulfillmentId", "ID!")
        tracking = self._required(v, "trackingInfoInput", "FulfillmentTrackingInput!")
        order, fulfillment = self._find_fulfillment(fulfillment_id)
        if not fulfillment:
            return {"fulfillmentTrackingInfoUpdate": {"fulfillment": None, "userErrors": [
                {"field": ["fulfillmentId"], "message": "Fulfillment does not exist."}]}}
        errors = self._tracking_errors(tracking)
        if errors:
            return {"fulfillmentTrackingInfoUpdate": {"fulfillment": None, "userErrors": errors}}
        fulfillment["trackingInfo"] = [dict(tracking)]
        self._touch(order)
        self.shipments.append({"order": order["id"], "fulfillment": fulfillment["id"], "tracking": [dict(tracking)],
                               "notify": bool(v.get("notifyCustomer")), "message": None})
        return {"fulfillmentTrackingInfoUpdate": {"fulfillment": {"id": fulfillment["id"],
                                                                  "trackingInfo": fulfillment["trackingInfo"]},
                                                  "userErrors": []}}

    def _m_fulfillment_event(self, v):
        data = self._required(v, "fulfillmentEvent", "FulfillmentEventInput!")
        self._enum(data.get("status"), FULFILLMENT_EVENT_STATUSES, "fulfillmentEvent", "FulfillmentEventInput!")
        order, fulfillment = self._find_fulfillment(data.get("fulfillmentId"))
        if not fulfillment:
            return {"fulfillmentEventCreate": {"fulfillmentEvent": None, "userErrors": [
                {"field": ["fulfillmentEvent", "fulfillmentId"], "message": "Fulfillment does not exist."}]}}
        event = {"id": self._gid("FulfillmentEvent"), "status": data["status"], "fulfillment": fulfillment["id"],
                 "order": order["id"]}
        fulfillment["displayStatus"] = data["status"]
        self.fulfillment_events.append(event)
        self._touch(order)
        return {"fulfillmentEventCreate": {"fulfillmentEvent": {"id": event["id"], "status": event["status"]},
                                           "userErrors": []}}

    def _m_order_cancel(self, v):
        reason = self._enum(self._required(v, "reason", "OrderCancelReason!"), CANCEL_REASONS, "reason",
                            "OrderCancelReason!")
        for name in ("refund", "restock"):
            if not isinstance(v.get(name), bool):
                raise GraphQLError(f"Variable ${name} of type Boolean! was provided invalid value", "INVALID_VARIABLE")
        order = self._order(v, "orderId")

        def refused(message, code):
            return {"orderCancel": {"job": None, "orderCancelUserErrors": [
                {"field": ["orderId"], "message": message, "code": code}], "userErrors": []}}

        if not order:
            return refused("Order does not exist", "NOT_FOUND")
        if order["cancelledAt"]:
            return refused("Cannot cancel an order that has already been cancelled", "INVALID")
        if any(f["status"] == "SUCCESS" for f in order["fulfillments"]):
            return refused("Cannot cancel an order with fulfilled items. Cancel the fulfillments first.", "INVALID")
        order["cancelledAt"] = _iso(self._now())
        order["cancelReason"] = reason
        for fo in order["fulfillmentOrders"]:
            fo["status"] = "CANCELLED"
        if v["refund"] and order["displayFinancialStatus"] in ("PAID", "PARTIALLY_PAID"):
            order["displayFinancialStatus"] = "REFUNDED"
        elif order["displayFinancialStatus"] == "AUTHORIZED":
            order["displayFinancialStatus"] = "VOIDED"
        self._touch(order)
        self.cancellations.append({"order": order["id"], "reason": reason, "refund": v["refund"],
                                   "restock": v["restock"], "notify": bool(v.get("notifyCustomer")),
                                   "staffNote": v.get("staffNote")})
        if v.get("staffNote"):
            self.notes.append((order["id"], v["staffNote"]))
        return {"orderCancel": {"job": {"id": self._gid("Job"), "done": False}, "orderCancelUserErrors": [],
                                "userErrors": []}}

    def _q_order_invoice(self, v):
        order = self._order(v)
        namespace = self._required(v, "namespace", "String!")
        if not order:
            return {"order": None}
        nodes = [{"key": key, "type": m["type"], "value": m["value"]}
                 for (ns, key), m in order["metafields"].items() if ns == namespace]
        return {"order": {"id": order["id"], "name": order["name"], "metafields": {"nodes": nodes[:10]}}}

    # ------------------------------------------------------------------ files
    def _signature(self, key, mime_type, size):
        return hmac.new(self._secret, f"{key}|{mime_type}|{size}".encode(), hashlib.sha256).hexdigest()

    def _m_staged_uploads(self, v):
        inputs = self._required(v, "input", "[StagedUploadInput!]!")
        targets, errors = [], []
        for n, entry in enumerate(inputs):
            self._enum(entry.get("resource"), {"BULK_MUTATION_VARIABLES", "COLLECTION_IMAGE", "FILE", "IMAGE",
                                               "MODEL_3D", "PRODUCT_IMAGE", "RETURN_LABEL", "SHOP_IMAGE",
                                               "URL_REDIRECT_IMPORT", "VIDEO"}, "input", "[StagedUploadInput!]!")
            if not entry.get("filename") or not entry.get("mimeType"):
                raise GraphQLError("Variable $input of type [StagedUploadInput!]! was provided invalid value",
                                   "INVALID_VARIABLE")
            if entry.get("httpMethod", "PUT") not in ("POST", "PUT"):
                raise GraphQLError("Variable $input of type [StagedUploadInput!]! was provided invalid value",
                                   "INVALID_VARIABLE")
            try:
                size = int(entry.get("fileSize") or 0)
            except (TypeError, ValueError):
                errors.append({"field": ["input", str(n), "fileSize"], "message": "File size is invalid"})
                continue
            key = f"tmp/64000000/files/{uuid.uuid4()}/{entry['filename']}"
            signature = self._signature(key, entry["mimeType"], size)
            self.uploads[key] = {"filename": entry["filename"], "mimeType": entry["mimeType"], "size": size,
                                 "data": None, "signature": signature}
            url = f"{self.url}{UPLOAD_PATH}"
            now = self._now().strftime("%Y%m%dT%H%M%SZ")
            targets.append({"url": url, "resourceUrl": f"{url}/{key}", "parameters": [
                {"name": "Content-Type", "value": entry["mimeType"]},
                {"name": "success_action_status", "value": "201"},
                {"name": "acl", "value": "private"},
                {"name": "key", "value": key},
                {"name": "x-goog-date", "value": now},
                {"name": "x-goog-credential", "value": f"sandbox-uploads/{now[:8]}/auto/storage/goog4_request"},
                {"name": "x-goog-algorithm", "value": "GOOG4-RSA-SHA256"},
                {"name": "x-goog-signature", "value": signature},
                {"name": "policy", "value": base64.b64encode(json.dumps(
                    {"conditions": [["content-length-range", 0, size or MAX_UPLOAD_SIZE]]}).encode()).decode()},
            ]})
        return {"stagedUploadsCreate": {"stagedTargets": targets if not errors else None, "userErrors": errors}}

    def _upload(self, request):
        def xml_error(status, code, message):
            body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{escape(code)}</Code>'
                    f"<Message>{escape(message)}</Message></Error>")
            return Response.xml(body, status=status, content_type="application/xml; charset=UTF-8")

        if request.method != "POST":
            return xml_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
        content_type = request.header("Content-Type") or ""
        if "multipart/form-data" not in content_type:
            return xml_error(400, "InvalidArgument", "POST requires multipart/form-data.")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + request.body)
        fields, file_part, after_file = {}, None, []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if file_part is not None:
                after_file.append(name)
            if name == "file":
                file_part = part
            else:
                fields[name] = part.get_content() if part.get_content_maintype() == "text" else \
                    part.get_payload(decode=True).decode("utf-8", "replace")
        if file_part is None:
            return xml_error(400, "InvalidArgument", "POST requires a file field.")
        if after_file:
            return xml_error(400, "InvalidArgument", "The file field must be the last field of the form.")
        with self.lock:
            staged = self.uploads.get(fields.get("key") or "")
            if not staged or not hmac.compare_digest(staged["signature"], fields.get("x-goog-signature") or ""):
                return xml_error(403, "SignatureDoesNotMatch", "Access denied: the request signature does not match.")
            if fields.get("Content-Type") != staged["mimeType"]:
                return xml_error(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: "
                                                      "[\"eq\", \"$Content-Type\", \"" + staged["mimeType"] + "\"]")
            data = file_part.get_payload(decode=True) or b""
            limit = staged["size"] or MAX_UPLOAD_SIZE
            if len(data) > limit:
                return xml_error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.")
            staged["data"] = data
            key = fields["key"]
        location = escape(f"{self.url}{UPLOAD_PATH}/{key}")
        body = (f'<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>{location}'
                f"</Location><Bucket>sandbox-uploads</Bucket><Key>{escape(key)}</Key>"
                f"<ETag>\"{hashlib.md5(data).hexdigest()}\"</ETag></PostResponse>")
        return Response.xml(body, status=201, content_type="application/xml; charset=UTF-8")

    def _m_file_create(self, v):
        files = self._required(v, "files", "[FileCreateInput!]!")
        created = []
        prefix = f"{self.url}{UPLOAD_PATH}/"
        for entry in files:
            source = entry.get("originalSource")
            if not source:
                raise GraphQLError("Variable $files of type [FileCreateInput!]! was provided invalid value",
                                   "INVALID_VARIABLE")
            if entry.get("contentType") is not None:
                self._enum(entry["contentType"], {"EXTERNAL_VIDEO", "FILE", "IMAGE", "MODEL_3D", "VIDEO"}, "files",
                           "[FileCreateInput!]!")
            staged = self.uploads.get(source[len(prefix):]) if source.startswith(prefix) else None
            gid = self._gid("GenericFile" if entry.get("contentType") in (None, "FILE") else "MediaImage")
            ok = bool(staged and staged["data"] is not None)
            self.files[gid] = {"id": gid, "fileStatus": "READY" if ok else "FAILED", "alt": entry.get("alt") or "",
                               "filename": entry.get("filename") or (staged or {}).get("filename"),
                               "data": staged["data"] if ok else None, "source": source}
            created.append({"id": gid, "fileStatus": "UPLOADED" if ok else "FAILED", "alt": entry.get("alt") or ""})
        return {"fileCreate": {"files": created, "userErrors": []}}

    def _m_metafields_set(self, v):
        entries = self._required(v, "metafields", "[MetafieldsSetInput!]!")
        if len(entries) > 25:
            return {"metafieldsSet": {"metafields": None, "userErrors": [
                {"field": ["metafields"], "message": "Exceeded the maximum metafields input limit of 25.",
                 "code": "LESS_THAN_OR_EQUAL_TO"}]}}
        errors = []
        owners = {}
        for n, entry in enumerate(entries):
            path = ["metafields", str(n)]
            owner = self.orders.get(entry.get("ownerId")) or self.products.get(entry.get("ownerId")) or \
                self.customers.get(entry.get("ownerId"))
            value = entry.get("value")
            if owner is None:
                errors.append({"field": path + ["ownerId"], "message": "Owner does not exist.", "code": "INVALID"})
            elif not _METAFIELD_KEY_RE.match(str(entry.get("key") or "")):
                errors.append({"field": path + ["key"], "message": "Key is invalid", "code": "INVALID"})
            elif not 3 <= len(str(entry.get("namespace") or "")) <= 255:
                errors.append({"field": path + ["namespace"], "message": "Namespace is too short (minimum is 3 "
                                                                         "characters)", "code": "TOO_SHORT"})
            elif entry.get("type") not in METAFIELD_TYPES:
                errors.append({"field": path + ["type"], "message": "Type is invalid", "code": "INVALID_TYPE"})
            elif not isinstance(value, str):
                errors.append({"field": path + ["value"], "message": "Value can't be blank", "code": "BLANK"})
            elif entry["type"] == "file_reference" and value not in self.files:
                errors.append({"field": path + ["value"], "message": "Value must be a file reference string.",
                               "code": "INVALID_VALUE"})
            elif entry["type"] == "single_line_text_field" and "\n" in value:
                errors.append({"field": path + ["value"], "message": "Value must be a single line text string.",
                               "code": "INVALID_VALUE"})
            else:
                owners[n] = owner
        if errors:
            return {"metafieldsSet": {"metafields": None, "userErrors": errors}}  # all or nothing
        result = []
        for n, entry in enumerate(entries):
            owner = owners[n]
            key = (entry["namespace"], entry["key"])
            existing = owner["metafields"].get(key) or {"id": self._gid("Metafield")}
            existing.update({"namespace": entry["namespace"], "key": entry["key"], "type": entry["type"],
                             "value": entry["value"]})
            owner["metafields"][key] = existing
            result.append({k: existing[k] for k in ("id", "namespace", "key", "value")})
            if owner.get("id", "").startswith("gid://shopify/Order/"):
                self._touch(owner)
        return {"metafieldsSet": {"metafields": result, "userErrors": []}}


MAX_UPLOAD_SIZE = 20 * 1024 * 1024


def _largest_list(value):
    if isinstance(value, list):
        return max([len(value)] + [_largest_list(v) for v in value])
    if isinstance(value, dict):
        return max([0] + [_largest_list(v) for v in value.values()])
    return 0


def demo_peers():
    """The demo Shopify store on port 8075 (token ``shpat_sandbox_b2b_connect_demo``, location
    ``gid://shopify/Location/64000000001``): products SHOP-DESK, SHOP-CHAIR, SHOP-LAMP, and three
    orders: a paid one with shipping, a coupon and a gift card, a pending bank transfer, a cancelled one."""
    peer = ShopifyPeer(port=8075, token=DEMO_TOKEN, shop_name="B2B Connect Demo", domain=DEMO_DOMAIN)
    peer.add_product("SHOP-DESK", "Standing desk", price="499.00", quantity=12, barcode="8712345000017")
    peer.add_product("SHOP-CHAIR", "Ergonomic office chair", price="299.00", quantity=25, barcode="8712345000024")
    peer.add_product("SHOP-LAMP", "LED desk lamp", price="49.90", quantity=80, barcode="8712345000031")
    buyer = peer.add_customer("inkoop@devries-interieur.example", "Anna", "de Vries", phone="+31201234567")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    peer.add_order(
        [{"sku": "SHOP-DESK", "title": "Standing desk", "quantity": 2, "price": "499.00", "discount": "99.80",
          "code": "WELCOME10"},
         {"sku": "SHOP-LAMP", "title": "LED desk lamp", "quantity": 2, "price": "49.90"}],
        email="inkoop@devries-interieur.example", customer=buyer, financial_status="PAID",
        shipping=[{"title": "DHL Parcel", "price": "14.95", "code": "DHL-STANDARD"}], gift_card="50.00",
        created_at=now - timedelta(hours=5), note="Please deliver to the loading dock.")
    peer.add_order(
        [{"sku": "SHOP-CHAIR", "title": "Ergonomic office chair", "quantity": 4, "price": "299.00"}],
        email="facilitair@kantoorplein.example", financial_status="PENDING", gateway="bank_deposit",
        shipping=[{"title": "Freight", "price": "45.00", "code": "FREIGHT"}],
        billing={"firstName": "Joris", "lastName": "Bakker", "company": "Kantoorplein BV", "address1": "Stationsweg 8",
                 "city": "Utrecht", "zip": "3511 ED", "provinceCode": "UT", "countryCodeV2": "NL"},
        created_at=now - timedelta(hours=3))
    peer.add_order(
        [{"sku": "SHOP-LAMP", "title": "LED desk lamp", "quantity": 10, "price": "49.90"}],
        email="orders@studio-noord.example", financial_status="VOIDED", cancelled=True, cancel_reason="CUSTOMER",
        shipping=[{"title": "DHL Parcel", "price": "9.95", "code": "DHL-STANDARD"}],
        created_at=now - timedelta(hours=2))
    return [peer]
