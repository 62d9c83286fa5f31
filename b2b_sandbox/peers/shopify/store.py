"""The sandbox Shopify's base: state, clock and ids, and the GraphQL front (operations, scopes, the query cost
bucket, argument checks); the operations are in the modules next to this one."""

import base64
import binascii
import collections
import itertools
import json
import math
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ..server import Response
from ..shop import Sequences, ShopPeer
from ..shop import decimal as _d
from ..shop import money_text as _amount
from ..shop import slug as _slug

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
    "read_files", "write_files", "read_locations", "read_locales",
})

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE_RE = re.compile(r"^\+?[1-9]\d{6,14}$")
_GID_RE = re.compile(r"^gid://shopify/([A-Za-z]+)/(\d+)$")
_METAFIELD_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{2,64}$")
_VERSION_RE = re.compile(r"^(\d{4}-(01|04|07|10)|unstable)$")
# the Admin API versions Shopify supports (its published list, 2026-12); a well-formed version it no longer
# supports is not refused: Shopify answers with the oldest supported one and says so in X-Shopify-API-Version
SUPPORTED_VERSIONS = ("2025-10", "2026-01", "2026-04", "2026-07", "2026-10", "unstable")
# operations whose mutation requires the @idempotent(key:) directive (2026-04 on)
IDEMPOTENT_REQUIRED = {"InventorySet": "inventorySetQuantities"}
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
    "ShopLocales": ("query", "_q_shop_locales", "read_locales", lambda v: 2),
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




class ShopifyStore(ShopPeer):
    """The store's state, its clock and ids, and the GraphQL front: operations, scopes, the query cost bucket."""

    name = "shopify"

    def __init__(self, token="shpat_sandbox_token", shop_name="B2B Sandbox Shop", domain="sandbox-shop.myshopify.com",
                 currency="EUR", scopes=ALL_SCOPES, maximum_available=2000.0, restore_rate=100.0,
                 locales=("en",), clock=time.time, **kw):
        super().__init__(clock=clock, **kw)
        self.token = token
        self.shop_name = shop_name
        self.domain = domain
        self.currency = currency
        self.locales = [str(locale) for locale in locales]  # the published ones, the primary first
        self.scopes = set(scopes)
        self.maximum_available = float(maximum_available)
        self.restore_rate = float(restore_rate)
        self._secret = uuid.uuid4().hex.encode()
        self.supported_versions = SUPPORTED_VERSIONS  # the oldest first
        self.served_version = None  # the version of the answer being made (X-Shopify-API-Version)
        self._idempotency_key = None  # the @idempotent key of the request being answered
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
        self.idempotency = {}  # idempotency key -> (parameters, answer)
        self.throttled_calls = 0
        self.available = self.maximum_available
        self._bucket_time = self.clock()
        self._ids = Sequences(7_000_000_001, order_number=1001)
        self._actual_cost = None

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
        return f"gid://shopify/{kind}/{self._ids.next()}"

    def _now(self):
        return self.utcnow()

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
            requested_version = match.group(1)
            self.served_version = (requested_version if requested_version in self.supported_versions
                                   else self.supported_versions[0])
            self.calls[name] += 1
            operation = OPERATIONS.get(name)
            errors = self._operation_errors(name, operation, body["query"], variables)
            if errors:
                return self._answer(errors=errors)
            _kind, handler, _scope, cost_fn = operation
            self._idempotency_key = None
            if name in IDEMPOTENT_REQUIRED:
                try:
                    self._idempotency_key = self._idempotency_key_of(IDEMPOTENT_REQUIRED[name], body["query"],
                                                                     variables)
                except GraphQLError as exc:
                    return self._answer(errors=[exc.payload])
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

    def _operation_errors(self, name, operation, query, variables):
        """What Shopify refuses before running an operation (none in the query, out of the token's scopes, variables
        that are no object, too long a list, too big a page), as the answer's errors; None when it may run."""
        if operation is None or not re.search(rf"\b{operation[0]}\s+{re.escape(name)}\b", query):
            return [{"message": f'No operation named "{name}"'}]
        scope = operation[2]
        if scope and scope not in self.scopes:
            return [{"message": f"Access denied for {name}. Required access: `{scope}` access scope.",
                     "extensions": {"code": "ACCESS_DENIED", "requiredAccess": f"`{scope}` access scope.",
                                    "documentation": "https://shopify.dev/api/usage/access-scopes"}}]
        if not isinstance(variables, dict):
            return [{"message": "Variables must be an object", "extensions": {"code": "INVALID_VARIABLE"}}]
        too_big = _largest_list(variables)
        if too_big > MAX_INPUT_ITEMS:
            return [{"message": f"The input array size of {too_big} is greater than the maximum allowed of "
                                f"{MAX_INPUT_ITEMS}.", "extensions": {"code": "MAX_INPUT_SIZE_EXCEEDED"}}]
        for arg in ("first", "lineFirst"):
            if arg in variables and (not isinstance(variables[arg], int) or variables[arg] > MAX_FIRST
                                     or variables[arg] < 0):
                return [{"message": f"{arg} cannot exceed {MAX_FIRST}. To query larger "
                                    "amounts of data, use bulk operations instead."}]
        return None

    def _refill(self):
        now = self.clock()
        refill = max(0.0, now - self._bucket_time) * self.restore_rate
        self.available = min(self.maximum_available, self.available + refill)
        self._bucket_time = now

    @staticmethod
    def _idempotency_key_of(field, query, variables):
        """The key of the ``@idempotent(key: ...)`` directive on ``field`` (a literal or a variable);
        GraphQLError when the directive is missing or the key blank."""
        match = re.search(rf"\b{field}\s*\([^)]*\)\s*@idempotent\s*\(\s*key\s*:\s*(\$\w+|\"[^\"]*\")\s*\)", query)
        if not match:
            raise GraphQLError(f"The @idempotent directive is required for the {field} mutation.", "BAD_REQUEST")
        key = match.group(1)
        key = variables.get(key[1:]) if key.startswith("$") else key.strip('"')
        if not isinstance(key, str) or not key.strip():
            raise GraphQLError("The idempotency key cannot be an empty string or whitespace only.", "BAD_REQUEST")
        return key

    def _idempotent(self, field, params, apply):
        """Run ``apply()`` once per idempotency key: the same key and parameters answer the first result
        again without applying anything; the same key with other parameters is refused."""
        key = self._idempotency_key
        fingerprint = json.dumps(params, sort_keys=True)
        if key in self.idempotency:
            seen, answer = self.idempotency[key]
            if seen != fingerprint:
                return {field: {"userErrors": [{"field": None, "code": "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                                                "message": "The same idempotency key cannot be used with "
                                                           "different operation parameters."}]}}
            return answer
        answer = apply()
        self.idempotency[key] = (fingerprint, answer)
        return answer

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
        return Response.json(body, headers={"X-Shopify-API-Version": self.served_version})

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



def _largest_list(value):
    if isinstance(value, list):
        return max([len(value)] + [_largest_list(v) for v in value])
    if isinstance(value, dict):
        return max([0] + [_largest_list(v) for v in value.values()])
    return 0

