"""The sandbox WooCommerce's base: state, clock and ids, and the REST API's front (routing, authentication, paging,
batches); the resources are in the modules next to this one."""

import collections
import copy
import math
import re
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode

from ..server import Response
from ..shop import RequestLimit, Sequences, ShopPeer, basic_credentials, page_of

DEMO_KEY = "ck_sandbox_b2b_demo_key"
DEMO_SECRET = "cs_sandbox_b2b_demo_secret"
DEMO_WP_USER = "shop-manager"
DEMO_APP_PASSWORD = "Sand box0 B2B0 Demo 0App Pass word"
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def wp_escaped(text):
    """A title or term name as WordPress stores and answers it: ``&``, ``<`` and ``>`` as entities (its kses
    filter for users without ``unfiltered_html``; term names always), entities already there kept."""
    text = re.sub(r"&(?!#?\w+;)", "&amp;", str(text or ""))
    return text.replace("<", "&lt;").replace(">", "&gt;")


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



class WooCommerceStore(ShopPeer):
    """The shop's state, its clock and ids, and the REST API's front: routing, authentication, paging, batches."""

    name = "woocommerce"

    def __init__(self, consumer_key=DEMO_KEY, consumer_secret=DEMO_SECRET, read_only=False,
                 wp_user=DEMO_WP_USER, app_password=DEMO_APP_PASSWORD, site_name="B2B Sandbox Shop",
                 currency="EUR", gmt_offset=1, batch_limit=100, rate_limit=None, rate_period=10.0,
                 shipment_tracking=True, clock=time.time, **kw):
        super().__init__(clock=clock, **kw)
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
        self.request_limit = RequestLimit(self.rate_limit, self.rate_period, self.clock)
        self._ids = Sequences(101)

    # ------------------------------------------------------------------ time and ids
    def now(self):
        """Naive UTC 'now' from the injectable clock."""
        return self.utcnow().replace(tzinfo=None)

    def _local(self, gmt):
        return gmt + timedelta(hours=self.gmt_offset) if gmt else None

    def _new_id(self):
        with self.lock:
            return self._ids.next()

    def _stamp(self, record, prefix="date_modified", when=None):
        when = when or self.now()
        record[prefix] = _wp_date(self._local(when))
        record[f"{prefix}_gmt"] = _wp_date(when)

    def meta(self, record, key, default=None):
        for m in record.get("meta_data") or []:
            if m.get("key") == key:
                return m.get("value")
        return default

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
        """WooCommerce's Store API limiter, as a host would put one in front of the REST API."""
        wait = self.request_limit.wait()
        if wait is None:
            return None
        self.rate_limited += 1
        err = WooError("rate_limit_exceeded", f"Too many requests. Please wait {wait} seconds before trying again.",
                       429)
        return Response.json(err.body(), status=429, headers={
            "Retry-After": str(wait), "RateLimit-Limit": str(self.rate_limit), "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(int(self.clock() + wait)), "RateLimit-Retry-After": str(wait)})

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
    def _wc_auth(self, request, denied):
        credentials = basic_credentials(request)
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
        credentials = basic_credentials(request)
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
            body = request.json()
        except ValueError:
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
        chunk = page_of(items, page, per_page)
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

    # -- the records of one resource (products, categories, customers)
    def _item(self, request, body, ident, table, missing, update, delete):
        """GET, DELETE or update (PUT, PATCH, POST) of record ``ident`` of ``table``; ``missing``: the WooError
        of an unknown id."""
        if request.method == "GET":
            if ident not in table:
                raise missing
            return Response.json(table[ident])
        if request.method == "DELETE":
            return Response.json(delete(ident))
        return Response.json(update(dict(body, id=ident)))

    @staticmethod
    def _update(table, data, missing, apply):
        """``apply(copy, data)`` to a copy of record ``data["id"]``, kept in its place when nothing was refused."""
        record = table.get(int(data.get("id") or 0))
        if not record:
            raise missing
        staged = copy.deepcopy(record)
        apply(staged, data)
        table[record["id"]] = staged
        return copy.deepcopy(staged)

    @staticmethod
    def _pop(table, ident, missing):
        record = table.pop(int(ident or 0), None)
        if not record:
            raise missing
        return record

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

