"""The sandbox Magento 2's base: state, clock and ids, and the REST API's front (routing, authentication,
searches); the resources are in the modules next to this one."""

import collections
import json
import math
import re
import time
from datetime import timezone
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote

from ..server import Response
from ..shop import RequestLimit, Sequences, ShopPeer
from .search import _field, _matches, _sort_key

DEMO_TOKEN = "sandbox-magento-token"
CENT = Decimal("0.01")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
STATE_STATUSES = {
    "new": ("pending",),
    "pending_payment": ("pending_payment",),
    "payment_review": ("payment_review", "fraud"),
    "processing": ("processing", "fraud"),
    "holded": ("holded",),
    "complete": ("complete",),
    "closed": ("closed",),
    "canceled": ("canceled",),
}
STATUS_STATE = {"pending": "new", "pending_payment": "pending_payment", "payment_review": "payment_review",
                "fraud": "processing", "processing": "processing", "holded": "holded", "complete": "complete",
                "closed": "closed", "canceled": "canceled"}
PAYMENT_TITLES = {"checkmo": "Check / Money order", "banktransfer": "Bank Transfer Payment",
                  "cashondelivery": "Cash On Delivery", "braintree": "Credit Card (Braintree)",
                  "paypal_express": "PayPal Express Checkout", "free": "No Payment Information Required"}
ALLOWED_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif")
RESOURCES = {"products": "Magento_Catalog::products", "categories": "Magento_Catalog::categories",
             "inventory": "Magento_InventoryApi::source_item", "customers": "Magento_Customer::manage",
             "orders": "Magento_Sales::actions_view", "order": "Magento_Sales::ship",
             "shipments": "Magento_Sales::shipment", "shipment": "Magento_Sales::ship",
             "invoices": "Magento_Sales::sales_invoice", "store": "Magento_Backend::store",
             "directory": "Magento_Backend::admin"}
NOT_FOUND_ORDER = "The entity that was requested doesn't exist. Verify the entity and try again."
NOT_FOUND_PRODUCT = "The product that was requested doesn't exist. Verify the product and try again."
NO_SUCH_ENTITY = "No such entity with %fieldName = %fieldValue"
REQUIRED = '"%fieldName" is required. Enter and try again.'
INVALID_VALUE = 'Invalid value of "%value" provided for the %fieldName field.'


def _money(value):
    return float(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _fmt(dt):
    if isinstance(dt, str):
        return dt
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


class _Refusal(Exception):
    def __init__(self, status, message, parameters=None, errors=None):
        super().__init__(message)
        self.status, self.message, self.parameters, self.errors = status, message, parameters, errors


class Magento2Store(ShopPeer):
    """The store's state, its clock and ids, and the REST API's front: routing, authentication, searches."""

    name = "magento2"

    def __init__(self, token=DEMO_TOKEN, stores=("default",), input_list_limit=20, max_page_size=300,
                 rate_limit=None, rate_period=60.0, clock=time.time, strict_status=False, locales=None, **kw):
        super().__init__(clock=clock, **kw)
        self.token = token
        self.locales = dict(locales or {})  # store view code -> its locale (general/locale/code), default en_US
        self.store_codes = {"all": 0, "admin": 0}
        for n, code in enumerate(stores, start=1):
            self.store_codes[code] = n
        self.input_list_limit = input_list_limit
        self.max_page_size = max_page_size
        self.rate_limit = rate_limit
        self.rate_period = rate_period
        self.strict_status = strict_status
        self._init_state()
        self._routes = [
            ("GET", r"store/storeConfigs", self._store_configs),
            ("GET", r"products", self._search_products),
            ("POST", r"products", self._post_product),
            ("POST", r"products/base-prices", self._base_prices),
            ("POST", r"products/special-price", self._special_price),
            ("POST", r"products/special-price-information", self._special_price_information),
            ("POST", r"products/special-price-delete", self._special_price_delete),
            ("GET", r"products/(?P<sku>[^/]+)/media", self._get_media),
            ("POST", r"products/(?P<sku>[^/]+)/media", self._post_media),
            ("GET", r"products/(?P<sku>[^/]+)", self._get_product),
            ("PUT", r"products/(?P<sku>[^/]+)", self._put_product),
            ("GET", r"categories/list", self._search_categories),
            ("GET", r"categories/(?P<id>\d+)", self._get_category),
            ("POST", r"categories", self._post_category),
            ("PUT", r"categories/(?P<id>\d+)", self._put_category),
            ("GET", r"inventory/source-items", self._search_source_items),
            ("POST", r"inventory/source-items", self._post_source_items),
            ("GET", r"customers/search", self._search_customers),
            ("GET", r"customers/(?P<id>\d+)", self._get_customer),
            ("POST", r"customers", self._post_customer),
            ("PUT", r"customers/(?P<id>\d+)", self._put_customer),
            ("GET", r"orders", self._search_orders),
            ("GET", r"orders/(?P<id>\d+)", self._get_order),
            ("GET", r"orders/(?P<id>\d+)/comments", self._get_comments),
            ("POST", r"orders/(?P<id>\d+)/comments", self._post_comment),
            ("POST", r"orders/(?P<id>\d+)/cancel", self._cancel),
            ("POST", r"order/(?P<id>\d+)/ship", self._ship),
            ("POST", r"order/(?P<id>\d+)/invoice", self._invoice),
            ("GET", r"shipments", self._search_shipments),
            ("POST", r"shipment/track", self._post_track),
            ("GET", r"invoices", self._search_invoices),
            ("GET", r"directory/countries/(?P<country>[A-Za-z]{2})", self._get_country),
        ]

    def _init_state(self):
        now = self._now()
        self.products = {}  # sku -> product
        self.categories = {
            1: {"id": 1, "parent_id": 0, "name": "Root Catalog", "is_active": True, "position": 0, "level": 0,
                "path": "1", "children": "2", "include_in_menu": True, "created_at": now, "updated_at": now},
            2: {"id": 2, "parent_id": 1, "name": "Default Category", "is_active": True, "position": 1, "level": 1,
                "path": "1/2", "children": "", "include_in_menu": True, "created_at": now, "updated_at": now},
        }
        self.customers = {}
        self.orders = {}
        self.source_items = {}  # (sku, source_code) -> item
        self.sources = {"default"}
        self.special_prices = {}  # (sku, store_id) -> {sku, store_id, price, price_from, price_to}
        self.shipments = {}
        self.invoices = {}
        self.notifications = []  # (kind, order entity id or customer id, detail)
        self.calls = collections.Counter()
        self.throttled = 0
        self.request_limit = RequestLimit(self.rate_limit, self.rate_period, self.clock)
        self._ids = Sequences(category=3)
        self._media_files = set()

    def _now(self):
        return self.utcnow().strftime("%Y-%m-%d %H:%M:%S")

    def _next(self, kind):
        return self._ids.next(kind)


    # ------------------------------------------------------------------ helpers for tests
    def comments(self, order_id):
        return list(self.orders[int(order_id)]["status_histories"])

    def invoice_comments(self, order_id):
        return [c for c in self.comments(order_id) if (c.get("comment") or "").startswith("Invoice ")]

    def shipments_of(self, order_id):
        return [s for s in self.shipments.values() if s["order_id"] == int(order_id)]

    def invoices_of(self, order_id):
        return [i for i in self.invoices.values() if i["order_id"] == int(order_id)]


    # ------------------------------------------------------------------ protocol
    def handle(self, request):
        match = re.match(r"^/(?:index\.php/)?rest(?:/(?P<store>[^/]+))?/V1/(?P<rest>.+?)/?$", request.path)
        with self.lock:  # a front proxy's limit (Fastly on Adobe Commerce Cloud)
            wait = self.request_limit.wait()
            if wait is not None:
                self.throttled += 1
                return Response.text("<html><body><h1>429 Too Many Requests</h1></body></html>", status=429,
                                     headers={"Retry-After": str(wait)}, content_type="text/html")
        if not match:
            return self._error(404, "Request does not match any route.")
        store = match.group("store") or "default"
        rest = match.group("rest")
        for route in self._routes:
            method, pattern, handler = route  # the handler of the route that matched, after the loop
            found = re.fullmatch(pattern, rest)
            if found and method == request.method:
                break
        else:
            return self._error(404, "Request does not match any route.")
        area = rest.split("/", 1)[0]
        if request.header("Authorization") != f"Bearer {self.token}":
            return self._error(401, "The consumer isn't authorized to access %resources.",
                               {"resources": RESOURCES.get(area, "Magento_Backend::admin")})
        if store not in self.store_codes:
            return self._error(404, "The store that was requested wasn't found. Verify the store and try again.")
        body = None
        if request.method in ("POST", "PUT"):
            try:
                body = request.json()
            except ValueError:
                return self._error(400, "Decoding error: \nSyntax error")
        with self.lock:
            self.calls[f"{request.method} {pattern}"] += 1
            try:
                args = {k: unquote(v) for k, v in found.groupdict().items()}
                result = handler(request=request, store=store, body=body, **args)
            except _Refusal as refusal:
                return self._error(refusal.status, refusal.message, refusal.parameters, refusal.errors)
        return result if isinstance(result, Response) else Response.json(result)

    @staticmethod
    def _error(status, message, parameters=None, errors=None):
        data = {"message": message}
        if parameters is not None:
            data["parameters"] = parameters
        if errors:
            data["errors"] = errors
        return Response.json(data, status=status)

    @staticmethod
    def _member(body, name):
        """The object ``name`` of the request body (400 "is required" when it is not one)."""
        data = body.get(name) if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": name})
        return data

    def _list_member(self, body, name, type_name):
        """The list ``name`` of the request body, within the input list limit."""
        items = body.get(name) if isinstance(body, dict) else None
        self._limit(items, type_name)
        return items

    @staticmethod
    def _entity(table, id, field="id"):
        """The record ``id`` of ``table`` (404 "No such entity" when there is none)."""
        record = table.get(int(id))
        if not record:
            raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": field, "fieldValue": id})
        return record

    def _limit(self, items, type_name):
        if not isinstance(items, list):
            raise _Refusal(400, REQUIRED, {"fieldName": type_name.rsplit("\\", 1)[-1]})
        if self.input_list_limit and len(items) > self.input_list_limit:
            raise _Refusal(400, 'Maximum items of type "%type" is %max',
                           {"type": type_name, "max": self.input_list_limit})

    # ------------------------------------------------------------------ search criteria
    def _criteria(self, query):
        groups, sorts = collections.defaultdict(dict), collections.defaultdict(dict)
        page_size = current = None
        present = False
        for key, value in query.items():
            if not key.startswith("searchCriteria"):
                continue
            present = True
            m = re.fullmatch(r"searchCriteria\[(?:filter_groups|filterGroups)\]\[(\d+)\]\[filters\]\[(\d+)\]"
                             r"\[(field|value|condition_type|conditionType)\]", key)
            if m:
                name = "condition_type" if m.group(3) == "conditionType" else m.group(3)
                groups[int(m.group(1))].setdefault(int(m.group(2)), {})[name] = value
                continue
            m = re.fullmatch(r"searchCriteria\[(?:sortOrders|sort_orders)\]\[(\d+)\]\[(field|direction)\]", key)
            if m:
                sorts[int(m.group(1))][m.group(2)] = value
            elif key in ("searchCriteria[pageSize]", "searchCriteria[page_size]"):
                page_size = value
            elif key in ("searchCriteria[currentPage]", "searchCriteria[current_page]"):
                current = value
        if not present:
            raise _Refusal(400, REQUIRED, {"fieldName": "searchCriteria"})
        try:
            page_size = int(page_size) if page_size not in (None, "") else None
            current = int(current) if current not in (None, "") else 1
        except ValueError:
            raise _Refusal(400, 'The "%value" value\'s type is invalid. The "%type" type was expected. '
                           'Verify and try again.', {"value": page_size, "type": "int"}) from None
        if page_size is not None and self.max_page_size and page_size > self.max_page_size:
            raise _Refusal(400, "Maximum SearchCriteria pageSize is %max", {"max": self.max_page_size})
        return ([[groups[g][f] for f in sorted(groups[g])] for g in sorted(groups)],
                [sorts[s] for s in sorted(sorts)], page_size, current)

    def _search(self, request, records):
        groups, sorts, page_size, current = self._criteria(request.query)
        items = [r for r in records if all(any(_matches(r, f) for f in group) for group in groups)]
        for sort in reversed(sorts):
            field = sort.get("field")
            items.sort(key=lambda r, f=field: _sort_key(_field(r, f)),
                       reverse=str(sort.get("direction", "ASC")).upper() == "DESC")
        total = len(items)
        if page_size:
            last_page = max(1, math.ceil(total / page_size))
            page = min(max(1, current), last_page)  # past the end: Magento answers the last page again
            items = items[(page - 1) * page_size: page * page_size]
        criteria = {"filter_groups": [{"filters": g} for g in groups], "sort_orders": sorts}
        if page_size:
            criteria.update(page_size=page_size, current_page=current)
        return {"items": [json.loads(json.dumps(i)) for i in items], "search_criteria": criteria, "total_count": total}

    # ------------------------------------------------------------------ store
    def _store_configs(self, request, store, body):
        base = f"http://{self.host}:{self.port}/"
        return [{"id": sid, "code": code, "website_id": 1, "locale": self.locales.get(code, "en_US"),
                 "base_currency_code": "EUR",
                 "default_display_currency_code": "EUR", "timezone": "Europe/Amsterdam", "weight_unit": "kgs",
                 "base_url": base, "base_link_url": base, "secure_base_url": base}
                for code, sid in sorted(self.store_codes.items(), key=lambda kv: kv[1]) if code not in ("all", "admin")]

