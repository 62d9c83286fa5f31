"""Sandbox WooCommerce: an in-memory WordPress + WooCommerce store speaking the REST API v3.

Written from WooCommerce's and WordPress's public REST API documentation:

* ``/wp-json/`` site index (no authentication; ``_fields`` honoured) listing the namespaces;
* ``/wp-json/wc/v3/``: ``products`` (``sku`` comma list, ``include``, ``search``, ``status``),
  ``products/{id}``, ``products/batch``; ``products/categories`` (+ ``/{id}``, ``/batch``);
  ``customers`` (``email``, ``role``; + ``/{id}``, ``/batch``); ``orders`` (``status`` comma list,
  ``after``/``before``/``modified_after``/``modified_before`` with ``dates_are_gmt``, ``orderby`` date,
  id, modified, ``order``, ``customer``), ``orders/{id}`` GET/PUT, ``orders/{id}/notes`` GET/POST;
* ``/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings`` GET/POST (the Shipment Tracking
  extension; ``shipment_tracking=False`` plays a shop without it: ``rest_no_route``);
* ``/wp-json/wp/v2/media`` POST (raw body + Content-Disposition, WordPress application password) and the
  uploaded files under ``/wp-content/uploads/``.

Behaviour as the real API: HTTP Basic auth with the consumer key/secret (or ``consumer_key`` /
``consumer_secret`` query parameters) - wrong key or secret answers 401
``woocommerce_rest_authentication_error``, no credentials 401 ``woocommerce_rest_cannot_*``, a read-only
key writing 401; errors are ``{"code", "message", "data": {"status"}}``; lists page with ``page`` /
``per_page`` (default 10, 1..100, else 400 ``rest_invalid_param``) and answer ``X-WP-Total``,
``X-WP-TotalPages`` and a ``Link`` header; batches take at most ``batch_limit`` (100) objects in
create+update+delete (else 413 ``woocommerce_rest_request_entity_too_large``) and answer per-item
``error`` objects (duplicate SKU ``product_invalid_sku`` with ``resource_id``, bad GTIN, invalid or
existing e-mail, ``term_exists`` with ``resource_id``, unknown ids); dates are site-local
(``gmt_offset`` hours) in ``date_*`` and UTC in ``date_*_gmt``.

WooCommerce's REST API v3 has no rate limit of its own (hosts add one); ``rate_limit=N`` per
``rate_period`` seconds plays one the way WooCommerce's Store API limiter does: 429
``rate_limit_exceeded`` with ``Retry-After`` and ``RateLimit-*`` headers. The clock is injectable.

Demo credentials (``demo_peers()``, http://127.0.0.1:8072): consumer key ``ck_sandbox_b2b_demo_key``,
consumer secret ``cs_sandbox_b2b_demo_secret``; WordPress user ``shop-manager`` with application password
``Sand box0 B2B0 Demo 0App Pass word``.
"""

import base64
import binascii
import collections
import copy
import hashlib
import json
import math
import re
import time
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from .server import PeerServer, Response

DEMO_KEY = "ck_sandbox_b2b_demo_key"
DEMO_SECRET = "cs_sandbox_b2b_demo_secret"
DEMO_WP_USER = "shop-manager"
DEMO_APP_PASSWORD = "Sand box0 B2B0 Demo 0App Pass word"

ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                  "checkout-draft")
PAID_STATUSES = ("processing", "completed")
TRACKING_PROVIDERS = {
    "DHL": "https://www.dhl.com/en/express/tracking.html?AWB=%1$s",
    "DPD": "https://tracking.dpd.de/parcelstatus?query=%1$s",
    "PostNL": "https://postnl.nl/tracktrace/?B=%1$s&P=%2$s&D=%3$s",
    "UPS": "https://www.ups.com/track?tracknum=%1$s",
    "FedEx": "https://www.fedex.com/apps/fedextrack/?tracknumbers=%1$s",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s",
}
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CENT = Decimal("0.01")


class WooError(Exception):
    """A WP_Error: code, message, HTTP status and extra ``data`` members."""

    def __init__(self, code, message, status=400, **data):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self):
        return {"code": self.code, "message": self.message, "data": dict(self.data, status=self.status)}


def _money(value):
    return f"{Decimal(str(value or 0)).quantize(_CENT, ROUND_HALF_UP)}"


def _d(value):
    return Decimal(str(value or 0))


def _wp_date(dt):
    return dt.replace(microsecond=0).isoformat() if dt else None


def _parse_rest_date(value):
    """RFC 3339 as WordPress's rest_parse_date takes it (zone optional); None when invalid."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?", value or ""):
        return None
    text = value.replace(" ", "T").replace("t", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-") or "item"


class WooCommercePeer(PeerServer):
    name = "woocommerce"

    def __init__(self, consumer_key=DEMO_KEY, consumer_secret=DEMO_SECRET, read_only=False,
                 wp_user=DEMO_WP_USER, app_password=DEMO_APP_PASSWORD, site_name="B2B Sandbox Shop",
                 currency="EUR", gmt_offset=1, batch_limit=100, rate_limit=None, rate_period=10.0,
                 shipment_tracking=True, clock=time.time, **kw):
        super().__init__(**kw)
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.read_only = read_only
        self.wp_user = wp_user
        self.app_password = app_password
        self.site_name = site_name
        self.currency = currency
        self.gmt_offset = gmt_offset
        self.batch_limit = batch_limit
        self.rate_limit = rate_limit
        self.rate_period = rate_period
        self.shipment_tracking = shipment_tracking
        self.clock = clock
        self._init_state()

    def _init_state(self):
        self.products = {}  # id -> product dict (as the API shows it)
        self.categories = {}  # id -> category dict
        self.customers = {}  # id -> customer dict
        self.orders = {}  # id -> order dict
        self.notes = collections.defaultdict(list)  # order id -> [note dict], oldest first
        self.shipments = collections.defaultdict(list)  # order id -> [tracking item dict]
        self.media = {}  # id -> {"id", "filename", "mime_type", "data", "source_url"}
        self.status_changes = []  # (order id, old status, new status)
        self.rate_limited = 0  # requests answered 429 by the limiter
        self._window = collections.deque()
        self._next_id = 100

    def reset(self):
        super().reset()
        with self.lock:
            self._init_state()

    # ------------------------------------------------------------------ time and ids
    def now(self):
        """Naive UTC 'now' from the injectable clock."""
        return datetime.fromtimestamp(self.clock(), timezone.utc).replace(tzinfo=None, microsecond=0)

    def _local(self, gmt):
        return gmt + timedelta(hours=self.gmt_offset) if gmt else None

    def _new_id(self):
        with self.lock:
            self._next_id += 1
            return self._next_id

    def _stamp(self, record, prefix="date_modified", when=None):
        when = when or self.now()
        record[prefix] = _wp_date(self._local(when))
        record[f"{prefix}_gmt"] = _wp_date(when)

    # ------------------------------------------------------------------ seeding (tests, demo)
    def add_category(self, name, parent=0, category_id=None, description=""):
        with self.lock:
            cid = category_id or self._new_id()
            self.categories[cid] = {"id": cid, "name": name, "slug": _slug(name), "parent": int(parent or 0),
                                    "description": description, "display": "default", "image": None,
                                    "menu_order": 0, "count": 0}
            return self.categories[cid]

    def add_product(self, sku, name=None, price="10.00", stock=None, categories=(), product_id=None, **fields):
        with self.lock:
            product = self._blank_product(product_id or self._new_id())
            self._apply_product(product, dict({"sku": sku, "name": name or sku, "regular_price": _money(price),
                                               "categories": [{"id": c} for c in categories]}, **fields))
            if stock is not None:
                self._apply_product(product, {"manage_stock": True, "stock_quantity": stock})
            self.products[product["id"]] = product
            return product

    def add_customer(self, email, first_name="", last_name="", customer_id=None, **fields):
        with self.lock:
            customer = self._blank_customer(customer_id or self._new_id(), email)
            self._apply_customer(customer, dict({"first_name": first_name, "last_name": last_name}, **fields))
            self.customers[customer["id"]] = customer
            return customer

    def add_order(self, order_id=None, status="processing", items=(), shipping_lines=(), fees=(), coupons=(),
                  gift_cards=(), tax_rate="21", prices_include_tax=False, customer_id=0, billing=None,
                  shipping=None, payment_method="stripe", payment_method_title="Credit card (Stripe)",
                  transaction_id="", paid=None, created=None, modified=None, customer_note="", meta_data=(),
                  currency=None, number=None):
        """Seed an order. ``items``: dicts with sku, quantity, price (net unit price), optional name,
        product_id, discount (net line discount, e.g. from a coupon); ``shipping_lines``: method_title,
        method_id, total (net); ``fees``: name, total (net; negative for gift cards / discounts, untaxed
        then); ``coupons``: code, optional discount (default: the item discounts); ``gift_cards``
        (WooCommerce Gift Cards): code, amount. ``created`` / ``modified``: naive UTC. Taxes at
        ``tax_rate`` percent, totals computed as WooCommerce does (rounded per line)."""
        with self.lock:
            oid = order_id or self._new_id()
            rate = _d(tax_rate)
            rate_id = 1

            def tax(amount):
                return (amount * rate / 100).quantize(_CENT, ROUND_HALF_UP)

            def taxes(total, subtotal=None):
                if not rate or total == 0 and not subtotal:
                    return []
                entry = {"id": rate_id, "total": _money(tax(total))}
                if subtotal is not None:
                    entry["subtotal"] = _money(tax(subtotal))
                return [entry]

            line_items = []
            cart_tax = discount_total = discount_tax = items_total = Decimal(0)
            for n, item in enumerate(items):
                quantity = _d(item.get("quantity", 1))
                price = _d(item["price"])
                subtotal = (quantity * price).quantize(_CENT, ROUND_HALF_UP)
                discount = _d(item.get("discount", 0))
                total = subtotal - discount
                product = self._by_sku(item.get("sku"))
                line_items.append({
                    "id": oid * 100 + n + 1, "name": item.get("name") or (product or {}).get("name") or item.get("sku"),
                    "product_id": item.get("product_id") or (product or {}).get("id") or 0, "variation_id": 0,
                    "quantity": int(quantity) if quantity == quantity.to_integral_value() else float(quantity),
                    "tax_class": "", "subtotal": _money(subtotal), "subtotal_tax": _money(tax(subtotal)),
                    "total": _money(total), "total_tax": _money(tax(total)),
                    "taxes": taxes(total, subtotal), "meta_data": [], "sku": item.get("sku") or "",
                    "price": float(total / quantity) if quantity else 0.0, "image": {"id": "", "src": ""},
                    "parent_name": None,
                })
                cart_tax += tax(total)
                discount_total += discount
                discount_tax += tax(subtotal) - tax(total)
                items_total += total
            ship_lines, shipping_total, shipping_tax = [], Decimal(0), Decimal(0)
            for n, line in enumerate(shipping_lines):
                total = _d(line.get("total"))
                ship_lines.append({
                    "id": oid * 100 + 50 + n, "method_title": line.get("method_title", "Flat rate"),
                    "method_id": line.get("method_id", "flat_rate"), "instance_id": str(line.get("instance_id", 1)),
                    "total": _money(total), "total_tax": _money(tax(total)), "taxes": taxes(total), "meta_data": [],
                })
                shipping_total += total
                shipping_tax += tax(total)
            fee_lines, fees_total = [], Decimal(0)
            for n, fee in enumerate(fees):
                total = _d(fee.get("total"))
                taxable = total > 0 and fee.get("taxable", True)
                fee_tax = tax(total) if taxable else Decimal(0)
                fee_lines.append({
                    "id": oid * 100 + 70 + n, "name": fee["name"], "tax_class": "",
                    "tax_status": "taxable" if taxable else "none", "amount": _money(total), "total": _money(total),
                    "total_tax": _money(fee_tax), "taxes": taxes(total) if taxable else [], "meta_data": [],
                })
                fees_total += total
                cart_tax += fee_tax
            coupon_lines = []
            for n, coupon in enumerate(coupons):
                discount = _d(coupon["discount"]) if "discount" in coupon else discount_total
                coupon_lines.append({
                    "id": oid * 100 + 80 + n, "code": coupon["code"], "discount": _money(discount),
                    "discount_tax": _money(tax(discount)), "meta_data": [],
                })
            cards = [{"id": n + 1, "code": c["code"], "amount": float(_d(c["amount"]))}
                     for n, c in enumerate(gift_cards)]
            cards_total = sum((_d(c["amount"]) for c in gift_cards), Decimal(0))
            total_tax = cart_tax + shipping_tax
            total = items_total + shipping_total + fees_total + total_tax - cards_total
            created = created or self.now()
            modified = modified or created
            paid = status in PAID_STATUSES if paid is None else paid
            default_address = {"first_name": "Anna", "last_name": "de Vries", "company": "De Vries Interieur BV",
                               "address_1": "Keizersgracht 100", "address_2": "", "city": "Amsterdam",
                               "state": "NH", "postcode": "1015 AA", "country": "NL"}
            bill = dict(default_address, email="anna@devries-interieur.example", phone="+31 20 123 4567")
            bill.update(billing or {})
            ship = dict(default_address, phone="")
            ship.update(shipping or {})
            order = {
                "id": oid, "parent_id": 0, "number": str(number or oid), "order_key": f"wc_order_{oid:08d}",
                "created_via": "checkout", "version": "9.4.0", "status": status,
                "currency": currency or self.currency,
                "currency_symbol": "€" if (currency or self.currency) == "EUR" else "",
                "discount_total": _money(discount_total), "discount_tax": _money(discount_tax),
                "shipping_total": _money(shipping_total), "shipping_tax": _money(shipping_tax),
                "cart_tax": _money(cart_tax), "total": _money(total), "total_tax": _money(total_tax),
                "prices_include_tax": bool(prices_include_tax), "customer_id": int(customer_id or 0),
                "customer_ip_address": "203.0.113.7", "customer_user_agent": "Mozilla/5.0",
                "customer_note": customer_note, "billing": bill, "shipping": ship,
                "payment_method": payment_method, "payment_method_title": payment_method_title,
                "transaction_id": transaction_id if paid else "", "cart_hash": "",
                "meta_data": [], "line_items": line_items,
                "tax_lines": [{"id": oid * 100 + 90, "rate_code": f"NL-VAT-{rate_id}", "rate_id": rate_id,
                               "label": "VAT", "compound": False, "tax_total": _money(cart_tax),
                               "shipping_tax_total": _money(shipping_tax), "rate_percent": float(rate),
                               "meta_data": []}] if rate else [],
                "shipping_lines": ship_lines, "fee_lines": fee_lines, "coupon_lines": coupon_lines,
                "refunds": [], "payment_url": f"{self.url}/checkout/order-pay/{oid}/",
                "is_editable": status in ("pending", "on-hold", "checkout-draft"),
                "needs_payment": status == "pending", "needs_processing": True,
                "date_completed": None, "date_completed_gmt": None, "date_paid": None, "date_paid_gmt": None,
            }
            if cards:
                order["gift_cards"] = cards
            self._stamp(order, "date_created", created)
            self._stamp(order, "date_modified", modified)
            if paid:
                self._stamp(order, "date_paid", created + timedelta(minutes=1))
            if status == "completed":
                self._stamp(order, "date_completed", modified)
            self._apply_meta(order, list(meta_data))
            self.orders[oid] = order
            return order

    def _by_sku(self, sku):
        if not sku:
            return None
        for product in self.products.values():
            if (product.get("sku") or "").lower() == sku.lower():
                return product
        return None

    # ------------------------------------------------------------------ inspection helpers
    def order(self, order_id):
        return self.orders[int(order_id)]

    def meta(self, record, key, default=None):
        for m in record.get("meta_data") or []:
            if m.get("key") == key:
                return m.get("value")
        return default

    @property
    def attached_invoices(self):
        """{order id: {"number", "url"}} for orders with the invoice meta the adapter writes."""
        return {oid: {"number": self.meta(o, "_b2b_invoice_number"), "url": self.meta(o, "_b2b_invoice_url")}
                for oid, o in self.orders.items() if self.meta(o, "_b2b_invoice_number")}

    # ------------------------------------------------------------------ HTTP
    def handle(self, request):
        path = request.path
        if path.startswith("/wp-content/uploads/"):
            return self._serve_upload(path)
        if path.rstrip("/") != "/wp-json" and not path.startswith("/wp-json/"):
            return Response.text("<html><body><h1>Page not found</h1></body></html>", status=404,
                                 content_type="text/html; charset=UTF-8")
        route = "/" + path[len("/wp-json"):].strip("/")
        with self.lock:
            limited = self._rate_limit()
            if limited:
                return limited
            try:
                if route == "/":
                    return self._index(request)
                if route.startswith("/wp/v2/"):
                    return self._wp_route(request, route)
                if route.startswith("/wc/v3/") or route.startswith("/wc-shipment-tracking/v3/"):
                    return self._wc_route(request, route)
                raise self._no_route()
            except WooError as err:
                return self._error(err)

    @staticmethod
    def _error(err):
        return Response.json(err.body(), status=err.status)

    @staticmethod
    def _no_route():
        return WooError("rest_no_route", "No route was found matching the URL and request method.", 404)

    def _rate_limit(self):
        if not self.rate_limit:
            return None
        now = self.clock()
        while self._window and now - self._window[0] >= self.rate_period:
            self._window.popleft()
        if len(self._window) >= self.rate_limit:
            wait = max(1, math.ceil(self.rate_period - (now - self._window[0])))
            self.rate_limited += 1
            err = WooError("rate_limit_exceeded", f"Too many requests. Please wait {wait} seconds before trying again.",
                           429)
            return Response.json(err.body(), status=429, headers={
                "Retry-After": str(wait), "RateLimit-Limit": str(self.rate_limit), "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(int(now + wait)), "RateLimit-Retry-After": str(wait)})
        self._window.append(now)
        return None

    def _index(self, request):
        namespaces = ["oembed/1.0", "wc/store/v1", "wc/v1", "wc/v2", "wc/v3", "wp/v2", "wp-site-health/v1"]
        if self.shipment_tracking:
            namespaces.append("wc-shipment-tracking/v3")
        index = {"name": self.site_name, "description": "Just another WooCommerce shop", "url": self.url,
                 "home": self.url, "gmt_offset": str(self.gmt_offset), "timezone_string": "",
                 "namespaces": namespaces,
                 "authentication": {"application-passwords": {"endpoints": {
                     "authorization": f"{self.url}/wp-admin/authorize-application.php"}}},
                 "routes": {"/": {"namespace": "", "methods": ["GET"]}}}
        fields = request.query.get("_fields")
        if fields:
            wanted = {f.strip() for f in fields.split(",")}
            index = {k: v for k, v in index.items() if k in wanted}
        return Response.json(index)

    # -- authentication
    @staticmethod
    def _basic(request):
        header = request.header("Authorization") or ""
        if not header.lower().startswith("basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        return user, password

    def _wc_auth(self, request, denied):
        credentials = self._basic(request)
        if credentials is None and request.query.get("consumer_key"):
            credentials = request.query.get("consumer_key"), request.query.get("consumer_secret", "")
        if credentials is None:
            raise denied
        key, secret = credentials
        if key != self.consumer_key:
            raise WooError("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401)
        if secret != self.consumer_secret:
            raise WooError("woocommerce_rest_authentication_error", "Consumer secret is invalid.", 401)
        if self.read_only and request.method != "GET":
            raise WooError("woocommerce_rest_authentication_error",
                           "The API key provided does not have write permissions.", 401)

    def _wp_auth(self, request, denied):
        credentials = self._basic(request)
        if credentials is None:
            raise denied
        user, password = credentials
        if user != self.wp_user:
            raise WooError("invalid_username", "Unknown username. Check again or try your email address.", 401)
        if password.replace(" ", "") != (self.app_password or "").replace(" ", "") or not self.app_password:
            raise WooError("incorrect_password", "The provided password is an invalid application password.", 401)

    @staticmethod
    def _denied(method, batch=False, collection=False):
        if batch:
            return WooError("woocommerce_rest_cannot_batch",
                            "Sorry, you are not allowed to batch manipulate this resource.", 401)
        if method == "GET":
            return WooError("woocommerce_rest_cannot_view", "Sorry, you cannot list resources." if collection
                            else "Sorry, you cannot view this resource.", 401)
        if method == "POST":
            return WooError("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.", 401)
        return WooError("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.", 401)

    # -- routing
    def _wc_route(self, request, route):
        method = request.method
        routes = [
            (r"/wc/v3/products/categories/batch", "categories", "batch"),
            (r"/wc/v3/products/categories/(\d+)", "categories", "item"),
            (r"/wc/v3/products/categories", "categories", "collection"),
            (r"/wc/v3/products/batch", "products", "batch"),
            (r"/wc/v3/products/(\d+)", "products", "item"),
            (r"/wc/v3/products", "products", "collection"),
            (r"/wc/v3/customers/batch", "customers", "batch"),
            (r"/wc/v3/customers/(\d+)", "customers", "item"),
            (r"/wc/v3/customers", "customers", "collection"),
            (r"/wc/v3/orders/(\d+)/notes", "notes", "collection"),
            (r"/wc/v3/orders/(\d+)", "orders", "item"),
            (r"/wc/v3/orders", "orders", "collection"),
        ]
        if self.shipment_tracking:
            routes.append((r"/wc-shipment-tracking/v3/orders/(\d+)/shipment-trackings", "trackings", "collection"))
        for pattern, resource, shape in routes:
            match = re.fullmatch(pattern, route)
            if not match:
                continue
            allowed = {"batch": {"POST", "PUT", "PATCH"}, "item": {"GET", "PUT", "PATCH", "POST", "DELETE"},
                       "collection": {"GET", "POST"}}[shape]
            if resource == "orders" and shape == "collection":
                allowed = {"GET", "POST"}
            if method not in allowed:
                raise self._no_route()
            self._wc_auth(request, self._denied(method, batch=shape == "batch", collection=shape == "collection"))
            body = self._json_body(request) if method in ("POST", "PUT", "PATCH") else {}
            ident = int(match.group(1)) if match.groups() else None
            return getattr(self, f"_r_{resource}_{shape}")(request, body, ident)
        raise self._no_route()

    def _wp_route(self, request, route):
        if route == "/wp/v2/media" and request.method == "POST":
            self._wp_auth(request, WooError("rest_cannot_create",
                                            "Sorry, you are not allowed to create posts as this user.", 401))
            return self._upload(request)
        if route == "/wp/v2/media" and request.method == "GET":
            newest_first = sorted(self.media.values(), key=lambda m: -m["id"])
            return self._page(request, [self._media_view(m) for m in newest_first])
        raise self._no_route()

    @staticmethod
    def _json_body(request):
        if not request.body:
            return {}
        try:
            body = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400) from None
        if not isinstance(body, dict):
            raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400)
        return body

    # -- paging
    def _page(self, request, items):
        per_page = self._int_param(request, "per_page", 10, 1, 100)
        page = self._int_param(request, "page", 1, 1, None)
        total = len(items)
        pages = math.ceil(total / per_page) if total else 0
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        base = {k: v for k, v in request.query.items() if k not in ("consumer_key", "consumer_secret")}
        if page > 1:
            links.append(f'<{self.url}{request.path}?{urlencode(dict(base, page=page - 1))}>; rel="prev"')
        if page < pages:
            links.append(f'<{self.url}{request.path}?{urlencode(dict(base, page=page + 1))}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return Response.json(chunk, headers=headers)

    @staticmethod
    def _int_param(request, name, default, low, high):
        raw = request.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise WooError("rest_invalid_param", f"Invalid parameter(s): {name}", 400,
                           params={name: f"{name} is not of type integer."}) from None
        if value < low or (high is not None and value > high):
            bound = f"between {low} (inclusive) and {high} (inclusive)" if high else f"greater than or equal to {low}"
            raise WooError("rest_invalid_param", f"Invalid parameter(s): {name}", 400,
                           params={name: f"{name} must be {bound}"})
        return value

    @staticmethod
    def _id_list(request, name):
        raw = request.query.get(name)
        if not raw:
            return None
        return {int(x) for x in raw.split(",") if x.strip().isdigit()}

    @staticmethod
    def _order_by(request, items, allowed, default="date"):
        orderby = request.query.get("orderby", default)
        order = request.query.get("order", "desc")
        if orderby not in allowed:
            raise WooError("rest_invalid_param", "Invalid parameter(s): orderby", 400,
                           params={"orderby": f"orderby is not one of {', '.join(allowed)}."})
        if order not in ("asc", "desc"):
            raise WooError("rest_invalid_param", "Invalid parameter(s): order", 400,
                           params={"order": "order is not one of asc and desc."})
        keys = {"date": lambda r: (r.get("date_created_gmt") or "", r["id"]),
                "modified": lambda r: (r.get("date_modified_gmt") or "", r["id"]),
                "id": lambda r: r["id"], "include": lambda r: r["id"],
                "title": lambda r: ((r.get("name") or "").lower(), r["id"]),
                "name": lambda r: ((r.get("name") or "").lower(), r["id"]),
                "slug": lambda r: (r.get("slug") or "", r["id"]),
                "email": lambda r: (r.get("email") or "", r["id"])}
        return sorted(items, key=keys[orderby], reverse=order == "desc")

    # -- batches
    def _batch(self, body, create, update, delete):
        operations = {op: body.get(op) or [] for op in ("create", "update", "delete")}
        for op, items in operations.items():
            if not isinstance(items, list):
                raise WooError("rest_invalid_param", f"Invalid parameter(s): {op}", 400,
                               params={op: f"{op} is not of type array."})
        if sum(len(items) for items in operations.values()) > self.batch_limit:
            raise WooError("woocommerce_rest_request_entity_too_large",
                           f"Unable to accept more than {self.batch_limit} items for this request.", 413)
        answer = {}
        for op, handler in (("create", create), ("update", update), ("delete", delete)):
            if op not in body:
                continue
            results = []
            for item in operations[op]:
                ident = item if op == "delete" else (item.get("id", 0) if isinstance(item, dict) else 0)
                try:
                    if op != "delete" and not isinstance(item, dict):
                        raise WooError("rest_invalid_param", "Invalid parameter(s): item", 400)
                    results.append(handler(item))
                except WooError as err:
                    results.append({"id": ident if op != "create" else 0, "error": err.body()})
            answer[op] = results
        return Response.json(answer)

    # ------------------------------------------------------------------ products
    def _blank_product(self, pid):
        product = {
            "id": pid, "name": "", "slug": "", "permalink": f"{self.url}/product/{pid}/", "type": "simple",
            "status": "publish", "featured": False, "catalog_visibility": "visible", "description": "",
            "short_description": "", "sku": "", "global_unique_id": "", "price": "", "regular_price": "",
            "sale_price": "", "on_sale": False, "purchasable": True, "tax_status": "taxable", "tax_class": "",
            "manage_stock": False, "stock_quantity": None, "stock_status": "instock", "backorders": "no",
            "weight": "", "dimensions": {"length": "", "width": "", "height": ""}, "categories": [], "tags": [],
            "images": [], "meta_data": [],
        }
        self._stamp(product, "date_created")
        self._stamp(product, "date_modified")
        return product

    def _apply_product(self, product, data):
        if "sku" in data:
            sku = str(data["sku"] or "")
            other = self._by_sku(sku)
            if sku and other and other["id"] != product["id"]:
                raise WooError("product_invalid_sku", "Invalid or duplicated SKU.", 400, resource_id=other["id"],
                               unique_sku=sku)
        if data.get("global_unique_id"):
            gtin = str(data["global_unique_id"])
            duplicate = any(p["global_unique_id"] == gtin and p["id"] != product["id"] for p in self.products.values())
            if not re.fullmatch(r"[0-9-]+", gtin) or duplicate:
                raise WooError("product_invalid_global_unique_id", "Invalid or duplicated GTIN, UPC, EAN or ISBN.", 400)
        for key in ("sku", "global_unique_id", "name", "description", "short_description", "status", "type",
                    "tax_class", "tax_status", "catalog_visibility", "featured", "backorders", "slug",
                    "purchase_note", "menu_order", "shipping_class"):
            if key in data:
                product[key] = data[key] if data[key] is not None else ""
        for key in ("regular_price", "sale_price", "weight"):
            if key in data:
                product[key] = "" if data[key] in (None, "") else str(data[key])
        if "name" in data and not product.get("slug"):
            product["slug"] = _slug(data["name"])
        if "categories" in data:
            product["categories"] = [{"id": c["id"], "name": self.categories[c["id"]]["name"],
                                      "slug": self.categories[c["id"]]["slug"]}
                                     for c in data["categories"] or [] if isinstance(c, dict)
                                     and c.get("id") in self.categories]
        if "images" in data:
            product["images"] = [{"id": self._new_id(), "src": img.get("src", ""), "name": img.get("name", ""),
                                  "alt": img.get("alt", "")} for img in data["images"] or []]
        if "manage_stock" in data:
            product["manage_stock"] = bool(data["manage_stock"])
        if "stock_quantity" in data and data["stock_quantity"] is not None:
            product["stock_quantity"] = int(data["stock_quantity"])
        if "stock_status" in data and not product["manage_stock"]:
            product["stock_status"] = data["stock_status"]
        if product["manage_stock"]:
            quantity = product["stock_quantity"] or 0
            product["stock_status"] = "instock" if quantity > 0 else (
                "onbackorder" if product["backorders"] != "no" else "outofstock")
        else:
            product["stock_quantity"] = None
        self._apply_meta(product, data.get("meta_data"))
        regular, sale = product["regular_price"], product["sale_price"]
        product["on_sale"] = bool(sale) and bool(regular) and _d(sale) < _d(regular)
        product["price"] = sale if product["on_sale"] else regular
        self._stamp(product, "date_modified")
        return product

    def _apply_meta(self, record, meta):
        if not meta:
            return
        if not isinstance(meta, list):
            raise WooError("rest_invalid_param", "Invalid parameter(s): meta_data", 400,
                           params={"meta_data": "meta_data is not of type array."})
        current = record.setdefault("meta_data", [])
        for entry in meta:
            if not isinstance(entry, dict) or not entry.get("key"):
                continue
            target = next((m for m in current if entry.get("id") and m["id"] == entry["id"]), None) or \
                next((m for m in current if m["key"] == entry["key"]), None)
            if target:
                target["value"] = entry.get("value")
            else:
                current.append({"id": self._new_id(), "key": entry["key"], "value": entry.get("value")})

    def _create_product(self, data):
        product = self._blank_product(self._new_id())
        self._apply_product(product, data)
        self.products[product["id"]] = product
        return copy.deepcopy(product)

    def _update_product(self, data):
        product = self.products.get(int(data.get("id") or 0))
        if not product:
            raise WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 400)
        staged = copy.deepcopy(product)
        self._apply_product(staged, data)
        self.products[product["id"]] = staged
        return copy.deepcopy(staged)

    def _delete_product(self, ident):
        product = self.products.pop(int(ident or 0), None)
        if not product:
            raise WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        return product

    def _r_products_collection(self, request, body, _ident):
        if request.method == "POST":
            return Response.json(self._create_product(body), status=201)
        items = list(self.products.values())
        skus = request.query.get("sku")
        if skus:
            wanted = {s.lower() for s in skus.split(",")} | {skus.lower()}
            items = [p for p in items if (p["sku"] or "").lower() in wanted]
        include = self._id_list(request, "include")
        if include is not None:
            items = [p for p in items if p["id"] in include]
        status = request.query.get("status", "any")
        if status != "any":
            items = [p for p in items if p["status"] == status]
        search = (request.query.get("search") or "").lower()
        if search:
            items = [p for p in items if search in p["name"].lower() or search in (p["sku"] or "").lower()]
        items = self._order_by(request, items, ("date", "id", "include", "title", "slug", "modified", "price"))
        return self._page(request, items)

    def _r_products_item(self, request, body, ident):
        if request.method == "GET":
            if ident not in self.products:
                raise WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
            return Response.json(self.products[ident])
        if request.method == "DELETE":
            return Response.json(self._delete_product(ident))
        return Response.json(self._update_product(dict(body, id=ident)))

    def _r_products_batch(self, request, body, _ident):
        return self._batch(body, self._create_product, self._update_product, self._delete_product)

    # ------------------------------------------------------------------ categories
    def _apply_category(self, category, data):
        name = data.get("name", category.get("name"))
        if not (name or "").strip():
            raise WooError("empty_term_name", "A name is required for this term.", 400)
        parent = int(data.get("parent", category.get("parent") or 0) or 0)
        if parent and parent not in self.categories:
            raise WooError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 400)
        for other in self.categories.values():
            if other["id"] != category.get("id") and other["parent"] == parent \
                    and other["name"].lower() == name.strip().lower():
                raise WooError("term_exists", "A term with the name provided already exists with this parent.", 400,
                               resource_id=other["id"])
        category.update(name=name.strip(), parent=parent, slug=category.get("slug") or _slug(name))
        if "description" in data:
            category["description"] = data["description"] or ""

    def _create_category(self, data):
        category = {"id": 0, "name": "", "slug": "", "parent": 0, "description": "", "display": "default",
                    "image": None, "menu_order": 0, "count": 0}
        self._apply_category(category, data)
        category["id"] = self._new_id()
        self.categories[category["id"]] = category
        return dict(category)

    def _update_category(self, data):
        category = self.categories.get(int(data.get("id") or 0))
        if not category:
            raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
        staged = dict(category)
        self._apply_category(staged, data)
        self.categories[category["id"]] = staged
        return dict(staged)

    def _delete_category(self, ident):
        category = self.categories.pop(int(ident or 0), None)
        if not category:
            raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
        return category

    def _r_categories_collection(self, request, body, _ident):
        if request.method == "POST":
            return Response.json(self._create_category(body), status=201)
        items = sorted(self.categories.values(), key=lambda c: (c["name"].lower(), c["id"]))
        if request.query.get("parent") not in (None, ""):
            items = [c for c in items if c["parent"] == int(request.query["parent"])]
        return self._page(request, items)

    def _r_categories_item(self, request, body, ident):
        if request.method == "GET":
            if ident not in self.categories:
                raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
            return Response.json(self.categories[ident])
        if request.method == "DELETE":
            return Response.json(self._delete_category(ident))
        return Response.json(self._update_category(dict(body, id=ident)))

    def _r_categories_batch(self, request, body, _ident):
        return self._batch(body, self._create_category, self._update_category, self._delete_category)

    # ------------------------------------------------------------------ customers
    def _blank_customer(self, cid, email):
        customer = {
            "id": cid, "email": email, "first_name": "", "last_name": "", "role": "customer",
            "username": (email or "").split("@")[0], "billing": {
                "first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "", "city": "",
                "postcode": "", "country": "", "state": "", "email": "", "phone": ""},
            "shipping": {"first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "",
                         "city": "", "postcode": "", "country": "", "state": "", "phone": ""},
            "is_paying_customer": False, "avatar_url": "", "meta_data": [],
        }
        self._stamp(customer, "date_created")
        self._stamp(customer, "date_modified")
        return customer

    def _customer_by_email(self, email):
        for customer in self.customers.values():
            if customer["email"].lower() == (email or "").lower():
                return customer
        return None

    def _apply_customer(self, customer, data):
        for key in ("first_name", "last_name"):
            if key in data:
                customer[key] = data[key] or ""
        for key in ("billing", "shipping"):
            if isinstance(data.get(key), dict):
                for field, value in data[key].items():
                    if field in customer[key]:
                        customer[key][field] = value or ""
        self._apply_meta(customer, data.get("meta_data"))
        self._stamp(customer, "date_modified")

    def _create_customer(self, data):
        email = (data.get("email") or "").strip()
        if not email or not _EMAIL_RE.match(email):
            raise WooError("registration-error-invalid-email", "Please provide a valid email address.", 400)
        if self._customer_by_email(email):
            raise WooError("registration-error-email-exists",
                           'An account is already registered with your email address. '
                           '<a href="#" class="showlogin">Please log in.</a>', 400)
        customer = self._blank_customer(self._new_id(), email)
        self._apply_customer(customer, data)
        self.customers[customer["id"]] = customer
        return copy.deepcopy(customer)

    def _update_customer(self, data):
        customer = self.customers.get(int(data.get("id") or 0))
        if not customer:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 400)
        staged = copy.deepcopy(customer)
        if "email" in data and (data["email"] or "").lower() != customer["email"].lower():
            other = self._customer_by_email(data["email"])
            if not _EMAIL_RE.match(data["email"] or "") or other:
                raise WooError("woocommerce_rest_customer_invalid_email", "Email address is invalid.", 400)
            staged["email"] = data["email"]
        self._apply_customer(staged, data)
        self.customers[customer["id"]] = staged
        return copy.deepcopy(staged)

    def _delete_customer(self, ident):
        customer = self.customers.pop(int(ident or 0), None)
        if not customer:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource id.", 400)
        return customer

    def _r_customers_collection(self, request, body, _ident):
        if request.method == "POST":
            return Response.json(self._create_customer(body), status=201)
        items = list(self.customers.values())
        email = request.query.get("email")
        if email:
            items = [c for c in items if c["email"].lower() == email.lower()]
        role = request.query.get("role", "customer")
        if role != "all":
            items = [c for c in items if c["role"] == role]
        items = self._order_by(request, items, ("id", "include", "name", "registered_date", "email"), "name")
        return self._page(request, items)

    def _r_customers_item(self, request, body, ident):
        if request.method == "GET":
            if ident not in self.customers:
                raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
            return Response.json(self.customers[ident])
        if request.method == "DELETE":
            return Response.json(self._delete_customer(ident))
        return Response.json(self._update_customer(dict(body, id=ident)))

    def _r_customers_batch(self, request, body, _ident):
        return self._batch(body, self._create_customer, self._update_customer, self._delete_customer)

    # ------------------------------------------------------------------ orders
    def _get_order(self, ident, status=404):
        order = self.orders.get(ident)
        if not order:
            raise WooError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", status)
        return order

    def _r_orders_collection(self, request, body, _ident):
        if request.method == "POST":
            raise WooError("woocommerce_rest_cannot_create", "Creating orders is not part of this sandbox.", 501)
        items = list(self.orders.values())
        status = request.query.get("status", "any")
        wanted = {s.strip() for s in status.split(",") if s.strip()}
        unknown = wanted - set(ORDER_STATUSES) - {"any", "trash"}
        if unknown:
            raise WooError("rest_invalid_param", "Invalid parameter(s): status", 400, params={
                "status": f"status[0] is not one of {', '.join(('any',) + ORDER_STATUSES + ('trash',))}."})
        if "any" not in wanted:
            items = [o for o in items if o["status"] in wanted]
        else:
            items = [o for o in items if o["status"] not in ("trash", "checkout-draft")]
        gmt = str(request.query.get("dates_are_gmt", "")).lower() in ("1", "true")
        for param, field, after in (("after", "date_created", True), ("before", "date_created", False),
                                    ("modified_after", "date_modified", True),
                                    ("modified_before", "date_modified", False)):
            raw = request.query.get(param)
            if not raw:
                continue
            when = _parse_rest_date(raw)
            if when is None:
                raise WooError("rest_invalid_param", f"Invalid parameter(s): {param}", 400,
                               params={param: "Invalid date."})
            if when.tzinfo is not None:  # an explicit zone: compare in UTC
                when = when.astimezone(timezone.utc).replace(tzinfo=None)
                key = f"{field}_gmt"
            else:
                key = f"{field}_gmt" if gmt else field
            bound = _wp_date(when)
            items = [o for o in items if (o[key] > bound if after else o[key] < bound)]
        if request.query.get("customer"):
            items = [o for o in items if str(o["customer_id"]) == request.query["customer"]]
        include = self._id_list(request, "include")
        if include is not None:
            items = [o for o in items if o["id"] in include]
        items = self._order_by(request, items, ("date", "id", "include", "title", "slug", "modified"))
        return self._page(request, items)

    def _r_orders_item(self, request, body, ident):
        if request.method == "GET":
            return Response.json(self._get_order(ident))
        if request.method == "DELETE":
            raise WooError("woocommerce_rest_trash_not_supported", "Orders are not deleted in this sandbox.", 501)
        order = self._get_order(ident, status=400)
        staged = copy.deepcopy(order)
        if "status" in body:
            status = body["status"]
            if status not in ORDER_STATUSES:
                raise WooError("rest_invalid_param", "Invalid parameter(s): status", 400, params={
                    "status": f"status is not one of {', '.join(ORDER_STATUSES)}."})
            if status != order["status"]:
                now = self.now()
                staged["status"] = status
                if status in PAID_STATUSES and not staged["date_paid_gmt"]:
                    self._stamp(staged, "date_paid", now)
                if status == "completed":
                    self._stamp(staged, "date_completed", now)
                self.status_changes.append((ident, order["status"], status))
                self.notes[ident].append(self._note(
                    f"Order status changed from {order['status'].replace('-', ' ').title()} to "
                    f"{status.replace('-', ' ').title()}.", False, system=True))
        for key in ("customer_note", "transaction_id", "payment_method", "payment_method_title"):
            if key in body:
                staged[key] = body[key] or ""
        for key in ("billing", "shipping"):
            if isinstance(body.get(key), dict):
                staged[key].update({k: v for k, v in body[key].items() if k in staged[key]})
        self._apply_meta(staged, body.get("meta_data"))
        self._stamp(staged, "date_modified")
        self.orders[ident] = staged
        return Response.json(staged)

    def _note(self, text, customer_note, system=False):
        note = {"id": self._new_id(), "author": "system" if system else "WooCommerce", "note": text,
                "customer_note": bool(customer_note)}
        self._stamp(note, "date_created")
        return note

    def _r_notes_collection(self, request, body, ident):
        self._get_order(ident)
        if request.method == "GET":
            kind = request.query.get("type", "any")
            notes = list(reversed(self.notes[ident]))
            if kind == "customer":
                notes = [n for n in notes if n["customer_note"]]
            elif kind == "internal":
                notes = [n for n in notes if not n["customer_note"]]
            return Response.json(notes)
        text = body.get("note")
        if not text:
            raise WooError("rest_missing_callback_param", "Missing parameter(s): note", 400, params=["note"])
        note = self._note(text, body.get("customer_note"))
        self.notes[ident].append(note)
        return Response.json(note, status=201, headers={
            "Location": f"{self.url}/wp-json/wc/v3/orders/{ident}/notes/{note['id']}"})

    def _r_trackings_collection(self, request, body, ident):
        order = self._get_order(ident)
        if request.method == "GET":
            return Response.json(self.shipments[ident])
        number = (body.get("tracking_number") or "").strip()
        if not number:
            raise WooError("rest_missing_callback_param", "Missing parameter(s): tracking_number", 400,
                           params=["tracking_number"])
        provider = body.get("tracking_provider") or ""
        custom = body.get("custom_tracking_provider") or ""
        if not provider and not custom:
            raise WooError("woocommerce_shipment_tracking_invalid_provider",
                           "Either tracking_provider or custom_tracking_provider is needed.", 400)
        link_format = body.get("custom_tracking_link") if custom else TRACKING_PROVIDERS.get(provider, "")
        link = (link_format or "").replace("%1$s", number).replace(
            "%2$s", (order["shipping"].get("postcode") or "").replace(" ", "")).replace(
            "%3$s", order["shipping"].get("country") or "")
        item = {
            "tracking_id": hashlib.md5(f"{ident}-{number}-{len(self.shipments[ident])}".encode()).hexdigest(),
            "tracking_provider": provider, "custom_tracking_provider": custom,
            "custom_tracking_link": body.get("custom_tracking_link") or "", "tracking_number": number,
            "tracking_link": link, "date_shipped": body.get("date_shipped") or self.now().date().isoformat(),
        }
        self.shipments[ident].append(item)
        return Response.json(item, status=201)

    # ------------------------------------------------------------------ media
    def _upload(self, request):
        disposition = request.header("Content-Disposition") or ""
        match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition)
        if not disposition or not match:
            raise WooError("rest_upload_no_content_disposition", "No Content-Disposition supplied.", 400)
        if not request.body:
            raise WooError("rest_upload_no_data", "No data supplied.", 400)
        filename = re.sub(r"[^A-Za-z0-9._-]+", "-", match.group(1)).strip("-")
        types = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
        extension = filename[filename.rfind("."):].lower() if "." in filename else ""
        if extension not in types:
            raise WooError("rest_upload_sideload_error", "Sorry, you are not allowed to upload this file type.", 500)
        if extension == ".pdf" and not request.body.startswith(b"%PDF"):
            raise WooError("rest_upload_sideload_error",
                           "Sorry, the file could not be uploaded: its content does not match its extension.", 500)
        now = self.now()
        taken = {m["filename"] for m in self.media.values()}
        base, n = filename, 1
        while filename in taken:
            n += 1
            filename = f"{base[:len(base) - len(extension)]}-{n}{extension}"
        mid = self._new_id()
        self.media[mid] = {"id": mid, "filename": filename, "mime_type": types[extension], "data": request.body,
                           "source_url": f"{self.url}/wp-content/uploads/{now:%Y/%m}/{filename}",
                           "date_gmt": _wp_date(now)}
        return Response.json(self._media_view(self.media[mid]), status=201,
                             headers={"Location": f"{self.url}/wp-json/wp/v2/media/{mid}"})

    def _media_view(self, media):
        return {"id": media["id"], "date_gmt": media["date_gmt"], "slug": media["filename"].rsplit(".", 1)[0],
                "status": "inherit", "type": "attachment", "link": f"{self.url}/?attachment_id={media['id']}",
                "title": {"rendered": media["filename"].rsplit(".", 1)[0]}, "author": 1,
                "media_type": "image" if media["mime_type"].startswith("image/") else "file",
                "mime_type": media["mime_type"], "source_url": media["source_url"],
                "media_details": {"filesize": len(media["data"])}}

    def _serve_upload(self, path):
        for media in self.media.values():
            if media["source_url"].endswith(path):
                return Response(200, media["data"], {"Content-Type": media["mime_type"]})
        return Response.text("Not Found", status=404)


def demo_peers():
    """The demo WooCommerce shop on port 8072 (credentials in the module docstring): three products
    (SHOP-DESK, SHOP-CHAIR, SHOP-LAMP), a customer, and orders 1001 (paid, coupon B2B10, flat-rate
    shipping), 1002 (pending bank transfer) and 1003 (cancelled)."""
    peer = WooCommercePeer(port=8072)
    furniture = peer.add_category("Office furniture")
    lighting = peer.add_category("Lighting")
    peer.add_product("SHOP-DESK", "Standing desk Oak 160", "349.00", stock=12, categories=[furniture["id"]],
                     weight="38")
    peer.add_product("SHOP-CHAIR", "Ergonomic chair Mesh", "189.00", stock=40, categories=[furniture["id"]],
                     weight="14")
    peer.add_product("SHOP-LAMP", "Desk lamp LED", "49.90", stock=0, categories=[lighting["id"]], weight="1.2")
    customer = peer.add_customer("anna@devries-interieur.example", "Anna", "de Vries", billing={
        "company": "De Vries Interieur BV", "address_1": "Keizersgracht 100", "city": "Amsterdam",
        "postcode": "1015 AA", "country": "NL", "email": "anna@devries-interieur.example"})
    now = peer.now()
    peer.add_order(1001, "processing", customer_id=customer["id"], transaction_id="pi_3PDemo1001",
                   created=now - timedelta(hours=5), items=[
                       {"sku": "SHOP-DESK", "quantity": 1, "price": "349.00", "discount": "34.90"},
                       {"sku": "SHOP-CHAIR", "quantity": 2, "price": "189.00", "discount": "37.80"}],
                   coupons=[{"code": "b2b10"}], shipping_lines=[{"method_title": "Flat rate", "total": "25.00"}],
                   customer_note="Please deliver to the back entrance.")
    peer.add_order(1002, "pending", payment_method="bacs", payment_method_title="Direct bank transfer",
                   created=now - timedelta(hours=3), billing={
                       "first_name": "Jan", "last_name": "Jansen", "company": "Jansen Architecten",
                       "email": "jan@jansen-architecten.example", "address_1": "Oudegracht 12",
                       "city": "Utrecht", "postcode": "3511 AB", "state": "UT"},
                   shipping={"first_name": "Jan", "last_name": "Jansen", "company": "Jansen Architecten",
                             "address_1": "Oudegracht 12", "city": "Utrecht", "postcode": "3511 AB", "state": "UT"},
                   items=[{"sku": "SHOP-LAMP", "quantity": 3, "price": "49.90"}],
                   shipping_lines=[{"method_title": "Flat rate", "total": "6.95"}])
    peer.add_order(1003, "cancelled", paid=False, created=now - timedelta(hours=2),
                   items=[{"sku": "SHOP-CHAIR", "quantity": 1, "price": "189.00"}],
                   shipping_lines=[{"method_title": "Free shipping", "method_id": "free_shipping", "total": "0"}])
    return [peer]
