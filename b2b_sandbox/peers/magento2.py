"""Sandbox Magento 2 / Adobe Commerce: the REST API (``/rest/<store code>/V1/...``) as its public
documentation describes it, in memory.

* auth: ``Authorization: Bearer <integration access token>``; a wrong or missing token answers HTTP 401
  ``{"message": "The consumer isn't authorized to access %resources.", "parameters": {"resources": ...}}``;
* store codes in the path: "all", "default" and those given to the constructor; an unknown one answers
  404; ``/index.php/rest/...`` works too; an unknown route answers 404 "Request does not match any route.";
* searches (``GET /V1/orders``, ``/V1/products``, ``/V1/customers/search``, ``/V1/categories/list``,
  ``/V1/shipments``, ``/V1/invoices``, ``/V1/inventory/source-items``) take ``searchCriteria[filter_groups]
  [i][filters][j][field|value|condition_type]`` (groups ANDed, filters ORed; eq, neq, in, nin, like, gt,
  gteq, lt, lteq, null, notnull), ``[sortOrders][k][field|direction]``, ``[pageSize]`` (at most
  ``max_page_size``: "Maximum SearchCriteria pageSize is %max"), ``[currentPage]`` (past the end: the last
  page again, as Magento does) and answer ``{items, search_criteria, total_count}``;
* input list limit: a batch body with more than ``input_list_limit`` entries answers 400
  'Maximum items of type "%type" is %max' (Magento's web API input limits, default 20);
* errors: ``{"message": "... %1 / %name", "parameters": [...] / {...}}`` with 400/404, validation
  failures of a batch as ``{"message": "Validation Failed", "errors": [...]}``;
* throttling: Magento has none of its own; a front proxy (Fastly on Adobe Commerce Cloud) answers
  429 with ``Retry-After``: ``rate_limit`` requests per ``rate_period`` seconds (off by default);
* behaviours kept from the real platform: POST /V1/products with an existing SKU updates it; the MSI
  source items are saved all or nothing; base/special price calls save the valid rows and list the
  others; an order comment without a status blanks the order's status (Magento < 2.4.7 bug);
  ``strict_status=True`` behaves like 2.4.7+, where a comment cannot give a status that is not
  assigned to the order's current state.

Demo (``demo_peers()``): port 8074, store code "default", access token ``sandbox-magento-token``.

Inspectable state: ``products`` (by SKU), ``categories``, ``customers``, ``orders`` (by entity id),
``source_items`` (by (sku, source_code)), ``special_prices`` (by (sku, store_id)), ``shipments``,
``invoices``, ``notifications`` (e-mails Magento would send); ``comments(order_id)`` lists an order's
comments (the "notes"), ``invoice_comments(order_id)`` those naming an invoice.
"""

import base64
import binascii
import collections
import json
import math
import re
import time
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote

from .server import PeerServer, Response

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
             "invoices": "Magento_Sales::sales_invoice", "store": "Magento_Backend::store"}
NOT_FOUND_ORDER = "The entity that was requested doesn't exist. Verify the entity and try again."
NOT_FOUND_PRODUCT = "The product that was requested doesn't exist. Verify the product and try again."
NO_SUCH_ENTITY = "No such entity with %fieldName = %fieldValue"
REQUIRED = '"%fieldName" is required. Enter and try again.'
INVALID_VALUE = 'Invalid value of "%value" provided for the %fieldName field.'


def _d(value):
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except Exception:
        raise ValueError(f"not a number: {value!r}") from None


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


class Magento2Peer(PeerServer):
    name = "magento2"

    def __init__(self, token=DEMO_TOKEN, stores=("default",), input_list_limit=20, max_page_size=300,
                 rate_limit=None, rate_period=60.0, clock=time.time, strict_status=False, **kw):
        super().__init__(**kw)
        self.token = token
        self.store_codes = {"all": 0, "admin": 0}
        for n, code in enumerate(stores, start=1):
            self.store_codes[code] = n
        self.input_list_limit = input_list_limit
        self.max_page_size = max_page_size
        self.rate_limit = rate_limit
        self.rate_period = rate_period
        self.clock = clock
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
        self._window = collections.deque()
        self.throttled = 0
        self._ids = collections.defaultdict(lambda: 1)
        self._ids["category"] = 3
        self._media_files = set()

    def reset(self):
        super().reset()
        with self.lock:
            self._init_state()

    def _now(self):
        return datetime.fromtimestamp(self.clock(), timezone.utc).strftime("%Y-%m-%d %H:%M:%S")

    def _next(self, kind):
        value = self._ids[kind]
        self._ids[kind] += 1
        return value

    # ------------------------------------------------------------------ seeding (tests and demo)
    def add_product(self, sku, name=None, price=0, status=1, qty=None, type_id="simple", **values):
        with self.lock:
            product = self._new_product({"sku": sku, "name": name or sku, "price": price, "status": status,
                                         "type_id": type_id, **values})
            self.products[sku] = product
            if qty is not None:
                self.source_items[(sku, "default")] = {"sku": sku, "source_code": "default",
                                                       "quantity": float(qty), "status": 1 if qty > 0 else 0}
        return product

    def add_category(self, name, parent_id=2, **values):
        with self.lock:
            return self._save_category({"name": name, "parent_id": parent_id, **values})

    def add_customer(self, email, firstname="Jane", lastname="Doe", website_id=1, addresses=(), **values):
        with self.lock:
            customer = self._save_customer({"email": email, "firstname": firstname, "lastname": lastname,
                                            "website_id": website_id, "addresses": list(addresses), **values})
        return customer

    def add_order(self, order_id=None, increment_id=None, status="pending", state=None, created_at=None,
                  updated_at=None, items=(), shipping_amount=0, shipping_tax_percent=0, shipping_discount=0,
                  shipping_method="flatrate_flatrate", shipping_description="Flat Rate - Fixed", coupon_code=None,
                  discount_description=None, gift_cards=(), store_credit=0, gift_wrapping=0, paid=None,
                  payment_method="checkmo", transaction_id="", currency="EUR", base_currency=None, rate=1,
                  customer_id=None, email="buyer@example.com", firstname="Jane", lastname="Doe", billing=None,
                  shipping_address=None, store_id=1, is_virtual=False, **extra):
        """A placed order with consistent totals. ``items``: dicts with sku, name, qty, price and optional
        tax_percent, discount (row amount), product_id, configurable (adds the child row Magento stores
        under a configurable parent), bundle_children (list of child item dicts of a dynamic bundle)."""
        with self.lock:
            order_id = int(order_id or self._next("order"))
            self._ids["order"] = max(self._ids["order"], order_id + 1)
            now = self._now()
            rate = Decimal(str(rate))
            base_currency = base_currency or currency
            state = state or STATUS_STATE.get(status, "new")
            rows, item_ids = [], iter(range(order_id * 100 + 1, order_id * 100 + 99))
            subtotal = tax = item_discount = qty_total = Decimal(0)

            def row_for(spec, parent_id=None, priced=True):
                nonlocal subtotal, tax, item_discount, qty_total
                q = _d(spec.get("qty", 1))
                price = _d(spec.get("price", 0)) if priced else Decimal(0)
                rate_pct = _d(spec.get("tax_percent", 0))
                discount = _d(spec.get("discount", 0)) if priced else Decimal(0)
                row_total = q * price
                row_tax = ((row_total - discount) * rate_pct / 100).quantize(CENT, ROUND_HALF_UP)
                if priced:
                    subtotal += row_total
                    tax += row_tax
                    item_discount += discount
                    if parent_id is None:
                        qty_total += q
                row = {
                    "item_id": next(item_ids), "order_id": order_id, "sku": spec["sku"],
                    "name": spec.get("name") or spec["sku"],
                    "product_id": spec.get("product_id") or (self.products.get(spec["sku"]) or {}).get("id"),
                    "product_type": spec.get("product_type", "simple"),
                    "qty_ordered": float(q), "qty_shipped": 0, "qty_invoiced": 0, "qty_canceled": 0,
                    "price": _money(price), "base_price": _money(price / rate),
                    "original_price": _money(price), "price_incl_tax": _money(price * (1 + rate_pct / 100)),
                    "row_total": _money(row_total), "base_row_total": _money(row_total / rate),
                    "row_total_incl_tax": _money(row_total * (1 + rate_pct / 100)),
                    "tax_percent": float(rate_pct), "tax_amount": _money(row_tax),
                    "base_tax_amount": _money(row_tax / rate), "discount_amount": _money(discount),
                    "base_discount_amount": _money(discount / rate), "discount_percent": 0,
                    "weight": spec.get("weight", 1), "created_at": now, "updated_at": now,
                }
                if parent_id is not None:
                    row["parent_item_id"] = parent_id
                rows.append(row)
                return row

            for spec in items:
                if spec.get("configurable"):
                    parent = row_for(dict(spec, product_type="configurable"))
                    row_for(dict(spec, name=spec.get("child_name") or spec.get("name")), parent["item_id"],
                            priced=False)
                elif spec.get("bundle_children"):
                    parent = row_for(dict(spec, product_type="bundle", price=0, discount=0))
                    for child in spec["bundle_children"]:
                        row_for(dict(child, qty=child.get("qty", 1)), parent["item_id"])
                else:
                    row_for(spec)
            shipping = _d(shipping_amount)
            ship_disc = _d(shipping_discount)
            ship_tax = ((shipping - ship_disc) * _d(shipping_tax_percent) / 100).quantize(CENT, ROUND_HALF_UP)
            tax += ship_tax
            cards = [dict(card, id=card.get("id", n + 1)) for n, card in enumerate(gift_cards)]
            cards_total = sum((_d(c["amount"]) for c in cards), Decimal(0))
            wrapping = _d(gift_wrapping)
            credit = _d(store_credit)
            discount_total = item_discount + ship_disc
            grand = subtotal - discount_total + shipping + tax + wrapping - cards_total - credit
            if paid is None:
                paid = state in ("processing", "complete", "closed")
            street = ["Keizersgracht 1"]
            billing = dict({"address_type": "billing", "firstname": firstname, "lastname": lastname,
                            "street": street, "city": "Amsterdam", "postcode": "1015 CJ", "country_id": "NL",
                            "telephone": "+31 20 555 0101", "email": email, "region": None, "region_code": None},
                           **(billing or {}))
            billing.update(entity_id=order_id * 10 + 1, parent_id=order_id)
            ship_addr = dict(billing, address_type="shipping", entity_id=order_id * 10 + 2, **(shipping_address or {}))
            ext = {}
            if not is_virtual:
                ext["shipping_assignments"] = [{"shipping": {"address": ship_addr, "method": shipping_method,
                                                             "total": {"shipping_amount": _money(shipping)}},
                                                "items": [dict(r) for r in rows]}]
            if cards:
                ext["gift_cards"] = [{"id": c["id"], "code": c["code"], "amount": _money(_d(c["amount"])),
                                      "base_amount": _money(_d(c["amount"]) / rate)} for c in cards]
                ext["gift_cards_amount"] = _money(cards_total)
                ext["base_gift_cards_amount"] = _money(cards_total / rate)
            if credit:
                ext["customer_balance_amount"] = _money(credit)
                ext["base_customer_balance_amount"] = _money(credit / rate)
            if wrapping:
                ext["gw_price"] = str(_money(wrapping))
                ext["gw_base_price"] = str(_money(wrapping / rate))
            order = {
                "entity_id": order_id, "increment_id": increment_id or f"{order_id:09d}",
                "state": state, "status": status, "store_id": store_id,
                "store_name": "Main Website\nMain Website Store\nDefault Store View",
                "created_at": _fmt(created_at) if created_at else now,
                "updated_at": _fmt(updated_at) if updated_at else (_fmt(created_at) if created_at else now),
                "customer_email": email, "customer_firstname": firstname, "customer_lastname": lastname,
                "customer_id": customer_id, "customer_is_guest": 0 if customer_id else 1,
                "customer_group_id": 1 if customer_id else 0,
                "order_currency_code": currency, "base_currency_code": base_currency,
                "global_currency_code": base_currency, "store_currency_code": base_currency,
                "base_to_order_rate": float(rate),
                "subtotal": _money(subtotal), "base_subtotal": _money(subtotal / rate),
                "discount_amount": -_money(discount_total), "base_discount_amount": -_money(discount_total / rate),
                "shipping_amount": _money(shipping), "base_shipping_amount": _money(shipping / rate),
                "shipping_tax_amount": _money(ship_tax), "base_shipping_tax_amount": _money(ship_tax / rate),
                "shipping_discount_amount": _money(ship_disc),
                "base_shipping_discount_amount": _money(ship_disc / rate),
                "shipping_incl_tax": _money(shipping + ship_tax),
                "shipping_description": None if is_virtual else shipping_description,
                "tax_amount": _money(tax), "base_tax_amount": _money(tax / rate),
                "grand_total": _money(grand), "base_grand_total": _money(grand / rate),
                "total_paid": _money(grand) if paid else 0, "base_total_paid": _money(grand / rate) if paid else 0,
                "total_due": 0 if paid else _money(grand),
                "total_item_count": len([r for r in rows if "parent_item_id" not in r]),
                "total_qty_ordered": float(qty_total), "is_virtual": 1 if is_virtual else 0,
                "items": rows, "billing_address": billing,
                "payment": {"method": payment_method,
                            "additional_information": [PAYMENT_TITLES.get(payment_method, payment_method)],
                            "last_trans_id": transaction_id or None, "amount_ordered": _money(grand),
                            "amount_paid": _money(grand) if paid else None, "parent_id": order_id},
                "status_histories": [], "extension_attributes": ext,
            }
            if coupon_code:
                order["coupon_code"] = coupon_code
                order["discount_description"] = discount_description or coupon_code
            elif discount_description:
                order["discount_description"] = discount_description
            order.update(extra)
            self.orders[order_id] = order
            if paid and state in ("processing", "complete", "closed"):
                self._create_invoice(order, capture=bool(transaction_id), notify=False)
        return order

    # ------------------------------------------------------------------ helpers for tests
    def comments(self, order_id):
        return list(self.orders[int(order_id)]["status_histories"])

    def invoice_comments(self, order_id):
        return [c for c in self.comments(order_id) if (c.get("comment") or "").startswith("Invoice ")]

    def shipments_of(self, order_id):
        return [s for s in self.shipments.values() if s["order_id"] == int(order_id)]

    def invoices_of(self, order_id):
        return [i for i in self.invoices.values() if i["order_id"] == int(order_id)]

    def calls_to(self, method, fragment):
        return [r for r in self.requests if r.method == method and fragment in r.path]

    # ------------------------------------------------------------------ protocol
    def handle(self, request):
        match = re.match(r"^/(?:index\.php/)?rest(?:/(?P<store>[^/]+))?/V1/(?P<rest>.+?)/?$", request.path)
        if self.rate_limit:
            with self.lock:
                now = self.clock()
                while self._window and now - self._window[0] >= self.rate_period:
                    self._window.popleft()
                if len(self._window) >= self.rate_limit:
                    self.throttled += 1
                    wait = max(1, math.ceil(self.rate_period - (now - self._window[0])))
                    return Response.text("<html><body><h1>429 Too Many Requests</h1></body></html>", status=429,
                                         headers={"Retry-After": str(wait)}, content_type="text/html")
                self._window.append(now)
        if not match:
            return self._error(404, "Request does not match any route.")
        store = match.group("store") or "default"
        rest = match.group("rest")
        for method, pattern, handler in self._routes:
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
                body = json.loads(request.body or b"null")
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
        return [{"id": sid, "code": code, "website_id": 1, "locale": "en_US", "base_currency_code": "EUR",
                 "default_display_currency_code": "EUR", "timezone": "Europe/Amsterdam", "weight_unit": "kgs",
                 "base_url": base, "base_link_url": base, "secure_base_url": base}
                for code, sid in sorted(self.store_codes.items(), key=lambda kv: kv[1]) if code not in ("all", "admin")]

    # ------------------------------------------------------------------ products
    def _new_product(self, data, existing=None):
        now = self._now()
        product = dict(existing or {})
        custom = {a["attribute_code"]: a.get("value") for a in (product.get("custom_attributes") or [])}
        for attr in data.get("custom_attributes") or []:
            if isinstance(attr, dict) and attr.get("attribute_code"):
                custom[attr["attribute_code"]] = attr.get("value")
        for key, value in data.items():
            if key not in ("custom_attributes", "media_gallery_entries", "extension_attributes", "id"):
                product[key] = value
        if not existing:
            product.setdefault("id", self._next("product"))
            product.setdefault("attribute_set_id", 4)
            product.setdefault("visibility", 4)
            product.setdefault("type_id", "simple")
            product.setdefault("status", 1)
            product["created_at"] = now
            product["media_gallery_entries"] = []
            product["extension_attributes"] = {"website_ids": [1], "category_links": []}
            custom.setdefault("url_key", _slug(product.get("name") or product["sku"]))
        if isinstance(data.get("extension_attributes"), dict):
            product["extension_attributes"] = dict(product.get("extension_attributes") or {},
                                                   **data["extension_attributes"])
        product["updated_at"] = now
        product["custom_attributes"] = [{"attribute_code": k, "value": v} for k, v in custom.items()]
        return product

    def _validate_product(self, data, sku, existing):
        if not sku:
            raise _Refusal(400, REQUIRED, {"fieldName": "sku"})
        if len(sku) > 64:
            raise _Refusal(400, "SKU length should be %1 characters maximum.", [64])
        if not existing and not (data.get("name") or "").strip():
            raise _Refusal(400, 'The "%1" attribute value is empty. Set the attribute and try again.', ["name"])
        if "price" in data:
            try:
                if _d(data["price"]) < 0:
                    raise ValueError
            except ValueError:
                raise _Refusal(400, INVALID_VALUE, {"fieldName": "price", "value": data["price"]}) from None
        url_key = next((a.get("value") for a in data.get("custom_attributes") or []
                        if isinstance(a, dict) and a.get("attribute_code") == "url_key"), None)
        if url_key is None and not existing:
            url_key = _slug(data.get("name") or sku)
        if url_key:
            for other in self.products.values():
                if other["sku"] != (existing or {}).get("sku") and _custom(other, "url_key") == url_key:
                    raise _Refusal(400, "URL key for specified store already exists.")
        for category_id in _custom_list(data, "category_ids"):
            if str(category_id).isdigit() and int(category_id) not in self.categories:
                raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "id", "fieldValue": category_id})

    def _save_product(self, data, sku, existing):
        self._validate_product(data, sku, existing)
        entries = data.get("media_gallery_entries")
        decoded = [self._decode_entry(e) for e in entries] if isinstance(entries, list) else None
        product = self._new_product(dict(data, sku=sku), existing)
        if decoded is not None:  # a gallery in the body replaces the product's gallery
            product["media_gallery_entries"] = [self._store_entry(e, n) for n, e in enumerate(decoded)]
        self.products[sku] = product
        return product

    def _search_products(self, request, store, body):
        return self._search(request, self.products.values())

    def _get_product(self, request, store, body, sku):
        product = self.products.get(sku)
        if not product:
            raise _Refusal(404, NOT_FOUND_PRODUCT)
        return product

    def _post_product(self, request, store, body):
        data = (body or {}).get("product") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "product"})
        sku = str(data.get("sku") or "").strip()
        return self._save_product(data, sku, self.products.get(sku))  # an existing SKU is updated

    def _put_product(self, request, store, body, sku):
        data = (body or {}).get("product") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "product"})
        return self._save_product(data, sku, self.products.get(sku))

    def _decode_entry(self, entry):
        if not isinstance(entry, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "entry"})
        content = entry.get("content") or {}
        if content.get("type") not in ALLOWED_IMAGE_TYPES:
            raise _Refusal(400, "The image MIME type is not valid or not supported.")
        try:
            data = base64.b64decode(content.get("base64_encoded_data") or "", validate=True)
        except (binascii.Error, ValueError):
            raise _Refusal(400, "The image content must be valid base64 encoded data.") from None
        if not data:
            raise _Refusal(400, "The image content must be valid base64 encoded data.")
        if not re.fullmatch(r"[\w .-]+", content.get("name") or ""):
            raise _Refusal(400, "Provided image name contains forbidden characters.")
        return dict(entry, _bytes=data)

    def _store_entry(self, entry, position):
        name = entry["content"]["name"].lower().replace(" ", "_")
        stem, _dot, ext = name.rpartition(".")
        path = f"/{stem[:1] or 'x'}/{stem[1:2] or 'x'}/{name}"
        n = 1
        while path in self._media_files:
            path = f"/{stem[:1] or 'x'}/{stem[1:2] or 'x'}/{stem}_{n}.{ext}"
            n += 1
        self._media_files.add(path)
        return {"id": self._next("media"), "media_type": entry.get("media_type", "image"), "label": entry.get("label"),
                "position": entry.get("position", position), "disabled": bool(entry.get("disabled")),
                "types": entry.get("types") or [], "file": path, "size": len(entry["_bytes"])}

    def _get_media(self, request, store, body, sku):
        return list(self._get_product(request, store, body, sku)["media_gallery_entries"])

    def _post_media(self, request, store, body, sku):
        product = self._get_product(request, store, body, sku)
        entry = self._decode_entry(body.get("entry") if isinstance(body, dict) else None)
        stored = self._store_entry(entry, len(product["media_gallery_entries"]))
        product["media_gallery_entries"].append(stored)
        return str(stored["id"])

    # ------------------------------------------------------------------ prices
    def _price_rows(self, body, key, type_name):
        rows = (body or {}).get(key) if isinstance(body, dict) else None
        self._limit(rows, type_name)
        return rows

    def _price_failures(self, rows, check_dates=False):
        failures, valid = [], []
        for row in rows:
            if not isinstance(row, dict):
                failures.append({"message": REQUIRED, "parameters": ["prices"]})
                continue
            sku = str(row.get("sku") or "")
            ok = True
            if not sku or sku not in self.products:
                failures.append({"message": "Invalid attribute %fieldName = %fieldValue.", "parameters": ["SKU", sku]})
                ok = False
            try:
                price = _d(row.get("price"))
                bad_price = row.get("price") is None or price < 0
            except ValueError:
                bad_price = True
            if bad_price:
                failures.append({"message": "Invalid attribute %fieldName = %fieldValue.",
                                 "parameters": ["Price", str(row.get("price"))]})
                ok = False
            store_id = row.get("store_id", 0)
            if str(store_id) not in {str(v) for v in self.store_codes.values()}:
                failures.append({"message": "Requested store is not found. Row ID: SKU = %SKU, Store ID: %storeId.",
                                 "parameters": [sku, str(store_id)]})
                ok = False
            if check_dates:
                for label, field in (("Price From", "price_from"), ("Price To", "price_to")):
                    value = row.get(field)
                    if value and not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", str(value)):
                        failures.append({"message": "Invalid attribute %fieldName = %fieldValue.",
                                         "parameters": [label, str(value)]})
                        ok = False
            if ok:
                valid.append(row)
        return failures, valid

    def _base_prices(self, request, store, body):
        rows = self._price_rows(body, "prices", "\\Magento\\Catalog\\Api\\Data\\BasePriceInterface")
        failures, valid = self._price_failures(rows)
        for row in valid:
            product = self.products[row["sku"]]
            if int(row.get("store_id", 0)) == 0:
                product["price"] = float(_d(row["price"]))
            else:
                product.setdefault("store_prices", {})[str(row["store_id"])] = float(_d(row["price"]))
            product["updated_at"] = self._now()
        return failures

    def _special_price(self, request, store, body):
        rows = self._price_rows(body, "prices", "\\Magento\\Catalog\\Api\\Data\\SpecialPriceInterface")
        failures, valid = self._price_failures(rows, check_dates=True)
        for row in valid:
            key = (row["sku"], int(row.get("store_id", 0)))
            self.special_prices[key] = {"sku": row["sku"], "store_id": key[1], "price": float(_d(row["price"])),
                                        "price_from": row.get("price_from") or self._now(),
                                        "price_to": row.get("price_to") or ""}
        return failures

    def _special_price_information(self, request, store, body):
        skus = (body or {}).get("skus") if isinstance(body, dict) else None
        self._limit(skus, "string")
        return [dict(v) for (sku, _store), v in sorted(self.special_prices.items()) if sku in skus]

    def _special_price_delete(self, request, store, body):
        rows = self._price_rows(body, "prices", "\\Magento\\Catalog\\Api\\Data\\SpecialPriceInterface")
        failures = []
        for row in rows:
            key = (str(row.get("sku")), int(row.get("store_id", 0) or 0))
            if not row.get("price_from"):
                failures.append({"message": "Invalid attribute %fieldName = %fieldValue.",
                                 "parameters": ["Price From", str(row.get("price_from"))]})
            elif key in self.special_prices:
                del self.special_prices[key]
        return failures

    # ------------------------------------------------------------------ inventory (MSI)
    def _search_source_items(self, request, store, body):
        return self._search(request, self.source_items.values())

    def _post_source_items(self, request, store, body):
        items = (body or {}).get("sourceItems") if isinstance(body, dict) else None
        self._limit(items, "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface")
        errors = []
        for item in items:
            if not isinstance(item, dict) or not str(item.get("sku") or "").strip():
                errors.append({"message": '"%field" can not be empty.', "parameters": {"field": "sku"}})
                continue
            if not item.get("source_code"):
                errors.append({"message": '"%field" can not be empty.', "parameters": {"field": "source_code"}})
            try:
                _d(item.get("quantity"))
            except ValueError:
                errors.append({"message": '"%field" should be numeric.', "parameters": {"field": "quantity"}})
            if item.get("status") not in (0, 1, None):
                errors.append({"message": '"%field" should a known status.', "parameters": {"field": "status"}})
        if errors:
            raise _Refusal(400, "Validation Failed", errors=errors)
        for item in items:  # all or nothing
            if item["source_code"] not in self.sources or item["sku"] not in self.products:
                raise _Refusal(400, "Could not save Source Item")
        for item in items:
            self.source_items[(item["sku"], item["source_code"])] = {
                "sku": item["sku"], "source_code": item["source_code"],
                "quantity": float(_d(item.get("quantity"))), "status": int(item.get("status") or 0)}
        return []

    # ------------------------------------------------------------------ categories
    def _save_category(self, data, existing=None):
        name = str(data.get("name") or (existing or {}).get("name") or "").strip()
        if not name:
            raise _Refusal(400, 'The "%1" attribute value is empty. Set the attribute and try again.', ["Name"])
        parent_id = int(data.get("parent_id") or (existing or {}).get("parent_id") or 2)
        if parent_id not in self.categories:
            raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "id", "fieldValue": parent_id})
        url_key = _slug(name)
        for other in self.categories.values():
            if (other["parent_id"] == parent_id and other["id"] != (existing or {}).get("id")
                    and _slug(other["name"]) == url_key):
                raise _Refusal(400, "URL key for specified store already exists.")
        now = self._now()
        category = dict(existing or {"id": self._next("category"), "created_at": now, "children": "",
                                     "position": 1, "include_in_menu": True})
        if existing and existing["parent_id"] != parent_id:
            parent_id = existing["parent_id"]  # PUT does not move a category (that is .../move)
        parent = self.categories[parent_id]
        category.update(name=name, parent_id=parent_id,
                        is_active=bool(data.get("is_active", category.get("is_active", True))),
                        level=parent["level"] + 1, path=f"{parent['path']}/{category['id']}", updated_at=now,
                        include_in_menu=bool(data.get("include_in_menu", category.get("include_in_menu", True))))
        if data.get("custom_attributes"):
            category["custom_attributes"] = data["custom_attributes"]
        self.categories[category["id"]] = category
        children = [str(c["id"]) for c in self.categories.values() if c["parent_id"] == parent_id]
        parent["children"] = ",".join(children)
        return category

    def _search_categories(self, request, store, body):
        return self._search(request, self.categories.values())

    def _get_category(self, request, store, body, id):
        category = self.categories.get(int(id))
        if not category:
            raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "id", "fieldValue": id})
        return category

    def _post_category(self, request, store, body):
        data = (body or {}).get("category") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "category"})
        return self._save_category(data)

    def _put_category(self, request, store, body, id):
        existing = self._get_category(request, store, body, id)
        data = (body or {}).get("category") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "category"})
        return self._save_category(data, existing)

    # ------------------------------------------------------------------ customers
    def _save_customer(self, data, existing=None):
        email = str(data.get("email") or "").strip()
        errors = []
        if not email:
            errors.append({"message": REQUIRED, "parameters": {"fieldName": "email"}})
        elif not EMAIL_RE.match(email):
            raise _Refusal(400, INVALID_VALUE, {"fieldName": "email", "value": email})
        for field in ("firstname", "lastname"):
            if not str(data.get(field) or "").strip():
                errors.append({"message": REQUIRED, "parameters": {"fieldName": field}})
        addresses = data.get("addresses")
        if addresses is not None:
            for address in addresses:
                for field in ("firstname", "lastname", "street", "city", "country_id", "telephone", "postcode"):
                    if not address.get(field):
                        errors.append({"message": REQUIRED, "parameters": {"fieldName": field}})
        if errors:
            if len(errors) == 1:
                raise _Refusal(400, errors[0]["message"], errors[0]["parameters"])
            raise _Refusal(400, "One or more input exceptions have occurred.", errors=errors)
        website_id = int(data.get("website_id") or (existing or {}).get("website_id") or 1)
        for other in self.customers.values():
            if (other["email"].lower() == email.lower() and other["website_id"] == website_id
                    and other["id"] != (existing or {}).get("id")):
                raise _Refusal(400, "A customer with the same email address already exists in an associated website.")
        now = self._now()
        customer = dict(existing or {"id": self._next("customer"), "created_at": now,
                                     "created_in": "Default Store View", "store_id": 1, "group_id": 1,
                                     "addresses": [], "disable_auto_group_change": 0})
        for key in ("email", "firstname", "lastname", "group_id", "taxvat", "dob", "gender", "middlename", "prefix"):
            if key in data:
                customer[key] = data[key]
        customer["email"] = email
        customer["website_id"] = website_id
        customer["updated_at"] = now
        if addresses is not None:  # the addresses given replace the customer's addresses
            old = {a["id"]: a for a in customer.get("addresses") or []}
            stored = []
            for address in addresses:
                address_id = address.get("id")
                if address_id is not None and int(address_id) not in old:
                    raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "addressId", "fieldValue": address_id})
                entry = dict(old.get(int(address_id), {}) if address_id is not None else {}, **address)
                entry["id"] = int(address_id) if address_id is not None else self._next("address")
                entry["customer_id"] = customer["id"]
                stored.append(entry)
            customer["addresses"] = stored
            billing = [a for a in stored if a.get("default_billing")]
            shipping = [a for a in stored if a.get("default_shipping")]
            customer["default_billing"] = str(billing[0]["id"]) if billing else None
            customer["default_shipping"] = str(shipping[0]["id"]) if shipping else None
        self.customers[customer["id"]] = customer
        return customer

    def _search_customers(self, request, store, body):
        return self._search(request, self.customers.values())

    def _get_customer(self, request, store, body, id):
        customer = self.customers.get(int(id))
        if not customer:
            raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "customerId", "fieldValue": id})
        return customer

    def _post_customer(self, request, store, body):
        data = (body or {}).get("customer") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "customer"})
        if data.get("id"):
            raise _Refusal(400, "A customer with the same email address already exists in an associated website.")
        return self._save_customer(data)

    def _put_customer(self, request, store, body, id):
        existing = self._get_customer(request, store, body, id)
        data = (body or {}).get("customer") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "customer"})
        return self._save_customer(data, existing)

    # ------------------------------------------------------------------ orders
    def _order(self, id):
        order = self.orders.get(int(id))
        if not order:
            raise _Refusal(404, NOT_FOUND_ORDER)
        return order

    def _touch(self, order):
        order["updated_at"] = self._now()

    def _set_state(self, order, state):
        order["state"] = state
        order["status"] = STATE_STATUSES[state][0]

    def _search_orders(self, request, store, body):
        return self._search(request, self.orders.values())

    def _get_order(self, request, store, body, id):
        return self._order(id)

    def _get_comments(self, request, store, body, id):
        items = self._order(id)["status_histories"]
        return {"items": [dict(c) for c in items], "search_criteria": {"filter_groups": []}, "total_count": len(items)}

    def _post_comment(self, request, store, body, id):
        order = self._order(id)
        history = (body or {}).get("statusHistory") if isinstance(body, dict) else None
        if not isinstance(history, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "statusHistory"})
        status = history.get("status")
        if not status:
            order["status"] = None  # what Magento < 2.4.7 does with a comment without status
        elif status != order["status"]:
            allowed = STATE_STATUSES.get(order["state"], ())
            if not self.strict_status or status in allowed:
                order["status"] = status
        comment = {"entity_id": self._next("comment"), "parent_id": order["entity_id"], "entity_name": "order",
                   "comment": history.get("comment") or "", "status": order["status"],
                   "is_customer_notified": int(bool(history.get("is_customer_notified"))),
                   "is_visible_on_front": int(bool(history.get("is_visible_on_front"))), "created_at": self._now()}
        order["status_histories"].insert(0, comment)
        if comment["is_customer_notified"]:
            self.notifications.append(("order_comment", order["entity_id"], comment["comment"]))
        self._touch(order)
        return True

    def _cancel(self, request, store, body, id):
        order = self._order(id)
        invoiced = any(r["qty_invoiced"] for r in order["items"])
        if order["state"] in ("canceled", "complete", "closed", "holded", "payment_review") or invoiced:
            return False
        for row in order["items"]:
            row["qty_canceled"] = row["qty_ordered"] - row["qty_shipped"]
        self._set_state(order, "canceled")
        self._touch(order)
        return True

    def _ship(self, request, store, body, id):
        order = self._order(id)
        body = body if isinstance(body, dict) else {}
        shippable = [r for r in order["items"] if "parent_item_id" not in r
                     and r["qty_ordered"] - r["qty_shipped"] - r["qty_canceled"] > 0]
        if order["state"] in ("canceled", "complete", "closed", "holded") or not shippable or order.get("is_virtual"):
            raise _Refusal(400, "Shipment Document Validation Error(s):\n"
                                "The order does not allow a shipment to be created.")
        tracks = body.get("tracks") or []
        for track in tracks:
            for field in ("track_number", "carrier_code"):
                if not str((track or {}).get(field) or "").strip():
                    raise _Refusal(400, "Shipment Document Validation Error(s):\n%1 is required.", [field])
        shipment_id = self._next("shipment")
        shipment = {"entity_id": shipment_id, "increment_id": f"{shipment_id:09d}", "order_id": order["entity_id"],
                    "created_at": self._now(), "total_qty": sum(r["qty_ordered"] - r["qty_shipped"] for r in shippable),
                    "items": [{"order_item_id": r["item_id"], "sku": r["sku"],
                               "qty": r["qty_ordered"] - r["qty_shipped"]} for r in shippable],
                    "tracks": [], "comments": []}
        for track in tracks:
            shipment["tracks"].append(self._track(shipment, track))
        comment = body.get("comment") if body.get("appendComment") else None
        if isinstance(comment, dict) and comment.get("comment"):
            shipment["comments"].append({"comment": comment["comment"],
                                         "is_visible_on_front": int(bool(comment.get("is_visible_on_front")))})
        for row in shippable:
            row["qty_shipped"] = row["qty_ordered"] - row["qty_canceled"]
        self.shipments[shipment_id] = shipment
        invoiced = all(r["qty_invoiced"] >= r["qty_ordered"] - r["qty_canceled"]
                       for r in order["items"] if "parent_item_id" not in r)
        self._set_state(order, "complete" if invoiced else "processing")
        self._touch(order)
        if body.get("notify"):
            self.notifications.append(("shipment", order["entity_id"], shipment["increment_id"]))
        return str(shipment_id)

    def _track(self, shipment, track):
        return {"entity_id": self._next("track"), "parent_id": shipment["entity_id"], "order_id": shipment["order_id"],
                "track_number": str(track.get("track_number")), "title": track.get("title") or "",
                "carrier_code": track.get("carrier_code"), "created_at": self._now()}

    def _search_shipments(self, request, store, body):
        return self._search(request, self.shipments.values())

    def _post_track(self, request, store, body):
        entity = (body or {}).get("entity") if isinstance(body, dict) else None
        if not isinstance(entity, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "entity"})
        shipment = self.shipments.get(int(entity.get("parent_id") or 0))
        if not shipment:
            raise _Refusal(404, "The entity that was requested doesn't exist. Verify the entity and try again.")
        for field in ("track_number", "carrier_code"):
            if not str(entity.get(field) or "").strip():
                raise _Refusal(400, REQUIRED, {"fieldName": field})
        track = self._track(shipment, entity)
        shipment["tracks"].append(track)
        return track

    def _create_invoice(self, order, capture, notify):
        rows = [r for r in order["items"] if "parent_item_id" not in r]
        invoice_id = self._next("invoice")
        invoice = {"entity_id": invoice_id, "increment_id": f"{invoice_id:09d}", "order_id": order["entity_id"],
                   "state": 2, "grand_total": order["grand_total"], "base_grand_total": order["base_grand_total"],
                   "order_currency_code": order["order_currency_code"], "created_at": self._now(),
                   "items": [{"order_item_id": r["item_id"], "sku": r["sku"], "qty": r["qty_ordered"]} for r in rows],
                   "captured": bool(capture)}
        for row in order["items"]:
            row["qty_invoiced"] = row["qty_ordered"] - row["qty_canceled"]
        order["total_paid"], order["base_total_paid"] = order["grand_total"], order["base_grand_total"]
        order["total_due"] = 0
        order["payment"]["amount_paid"] = order["grand_total"]
        self.invoices[invoice_id] = invoice
        if notify:
            self.notifications.append(("invoice", order["entity_id"], invoice["increment_id"]))
        return invoice

    def _invoice(self, request, store, body, id):
        order = self._order(id)
        body = body if isinstance(body, dict) else {}
        open_rows = [r for r in order["items"] if r["qty_ordered"] - r["qty_invoiced"] - r["qty_canceled"] > 0]
        if order["state"] in ("canceled", "closed", "holded", "payment_review") or not open_rows:
            raise _Refusal(400, "The order does not allow an invoice to be created.")
        invoice = self._create_invoice(order, capture=bool(body.get("capture")), notify=bool(body.get("notify")))
        shipped = all(r["qty_shipped"] >= r["qty_ordered"] - r["qty_canceled"]
                      for r in order["items"] if "parent_item_id" not in r)
        self._set_state(order, "complete" if shipped and not order.get("is_virtual") else "processing")
        self._touch(order)
        return str(invoice["entity_id"])

    def _search_invoices(self, request, store, body):
        return self._search(request, self.invoices.values())


# ---------------------------------------------------------------------------- search helpers
def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text or "").lower()).strip("-")


def _custom(record, code):
    for attr in record.get("custom_attributes") or []:
        if attr.get("attribute_code") == code:
            return attr.get("value")
    return None


def _custom_list(data, code):
    value = _custom(data, code)
    if value is None:
        return []
    return value if isinstance(value, list) else str(value).split(",")


def _field(record, name):
    if name in record:
        return record[name]
    return _custom(record, name)


def _scalar(value):
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except Exception:
        return str(value).lower()


def _sort_key(value):
    scalar = _scalar(value)
    if scalar is None:
        return (0, 0, "")
    return (1, 0, scalar) if isinstance(scalar, Decimal) else (1, 1, scalar)


def _compare(a, b):
    a, b = _scalar(a), _scalar(b)
    if a is None or b is None:
        return None
    if type(a) is not type(b):
        a, b = str(a), str(b)
    return (a > b) - (a < b)


def _matches(record, spec):
    field = spec.get("field")
    value = spec.get("value", "")
    condition = (spec.get("condition_type") or "eq").lower()
    actual = _field(record, field)
    values = actual if isinstance(actual, list) else [actual]
    if condition in ("null", "notnull"):
        empty = actual in (None, "", [])
        return empty if condition == "null" else not empty
    if condition in ("in", "nin", "finset"):
        wanted = [v.strip() for v in str(value).split(",")]
        hit = any(_compare(a, w) == 0 for a in values for w in wanted)
        return not hit if condition == "nin" else hit
    if condition in ("like", "nlike"):
        pattern = "^" + ".*".join(re.escape(part) for part in str(value).split("%")) + "$"
        hit = any(a is not None and re.match(pattern, str(a), re.I | re.S) for a in values)
        return not hit if condition == "nlike" else hit
    ops = {"eq": lambda c: c == 0, "neq": lambda c: c != 0, "gt": lambda c: c > 0, "gteq": lambda c: c >= 0,
           "moreq": lambda c: c >= 0, "from": lambda c: c >= 0, "lt": lambda c: c < 0, "lteq": lambda c: c <= 0,
           "to": lambda c: c <= 0}
    op = ops.get(condition)
    if op is None:
        return False
    results = [_compare(a, value) for a in values]
    return any(r is not None and op(r) for r in results)


def demo_peers():
    """The demo Magento 2 store on port 8074 (store code "default", access token "sandbox-magento-token"),
    with the SHOP-DESK / SHOP-CHAIR / SHOP-LAMP catalogue and three orders: 000000101 paid (card, with
    shipping and the coupon WELCOME10), 000000102 pending (bank transfer), 000000103 cancelled."""
    peer = Magento2Peer(port=8074)
    now = time.time()
    office = peer.add_category("Office furniture")
    desk = peer.add_product("SHOP-DESK", "Standing desk", price=499.0, qty=12, weight=32,
                            custom_attributes=[{"attribute_code": "category_ids", "value": [str(office["id"])]}])
    chair = peer.add_product("SHOP-CHAIR", "Ergonomic chair", price=289.0, qty=30, weight=14,
                             custom_attributes=[{"attribute_code": "category_ids", "value": [str(office["id"])]}])
    lamp = peer.add_product("SHOP-LAMP", "LED desk lamp", price=39.9, qty=150, weight=1.2)
    customer = peer.add_customer("inkoop@example.com", "Sanne", "de Vries", addresses=[{
        "firstname": "Sanne", "lastname": "de Vries", "company": "De Vries Architecten", "street": ["Herengracht 100"],
        "city": "Amsterdam", "postcode": "1015 BS", "country_id": "NL", "telephone": "+31 20 555 0199",
        "default_billing": True, "default_shipping": True}])

    def at(hours_ago):
        return datetime.fromtimestamp(now - hours_ago * 3600, timezone.utc)

    address = {"firstname": "Sanne", "lastname": "de Vries", "company": "De Vries Architecten",
               "street": ["Herengracht 100"], "city": "Amsterdam", "postcode": "1015 BS", "country_id": "NL",
               "telephone": "+31 20 555 0199", "vat_id": "NL123456789B01"}
    peer.add_order(101, status="processing", created_at=at(5), updated_at=at(4), customer_id=customer["id"],
                   email="inkoop@example.com", firstname="Sanne", lastname="de Vries", billing=address,
                   items=[{"sku": "SHOP-DESK", "name": desk["name"], "qty": 1, "price": 499.0, "tax_percent": 21,
                           "discount": 49.9, "product_id": desk["id"]},
                          {"sku": "SHOP-LAMP", "name": lamp["name"], "qty": 2, "price": 39.9, "tax_percent": 21,
                           "product_id": lamp["id"]}],
                   shipping_amount=15, shipping_tax_percent=21, coupon_code="WELCOME10",
                   discount_description="Welcome 10% off desks", payment_method="braintree",
                   transaction_id="bt_7QK2M9", paid=True)
    peer.add_order(102, status="pending", created_at=at(3), updated_at=at(3), email="facilitair@example.org",
                   firstname="Pieter", lastname="Jansen",
                   items=[{"sku": "SHOP-CHAIR", "name": chair["name"], "qty": 4, "price": 289.0, "tax_percent": 21,
                           "product_id": chair["id"]}],
                   shipping_amount=0, shipping_method="freeshipping_freeshipping",
                   shipping_description="Free Shipping - Free", payment_method="banktransfer")
    peer.add_order(103, status="canceled", created_at=at(30), updated_at=at(2), email="klant@example.net",
                   firstname="Eva", lastname="Bakker",
                   items=[{"sku": "SHOP-LAMP", "name": lamp["name"], "qty": 1, "price": 39.9, "tax_percent": 21,
                           "product_id": lamp["id"]}],
                   shipping_amount=6.95, shipping_tax_percent=21, payment_method="checkmo")
    return [peer]
