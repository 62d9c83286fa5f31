"""Sandbox BaseLinker: ``POST /connector.php`` as the public API documentation describes it.

* auth: header ``X-BLToken`` (a wrong or missing token answers ``ERROR_BAD_TOKEN``);
* form fields ``method`` + ``parameters`` (JSON); answers are JSON with ``status`` SUCCESS/ERROR and HTTP 200;
* request limit: ``rate_limit`` requests per ``rate_period`` seconds per token; the request over it
  blocks the token for ``block_seconds`` (every call answers ``ERROR_USER_ACCOUNT_BLOCKED`` meanwhile) -
  the peer counts it in ``blocked_calls`` so tests can assert it never happens;
* methods: getOrderStatusList, getOrders (date_confirmed_from, status_id, order_id; 100 per call, oldest
  confirmation first), getInvoices, addInvoice (order_id, series_id), addOrderInvoiceFile (invoice_id,
  file as ``data:`` base64, external_invoice_number), setOrderStatus.

The clock is injectable (``clock=``) so tests and benchmarks run on simulated time.
"""

import base64
import binascii
import collections
import json
import time
from urllib.parse import parse_qs

from .server import PeerServer, Response
from .shop import RequestLimit


def decode_file(value):
    """The ``file`` parameter of addOrderInvoiceFile: ``data:`` + base64 content."""
    if not isinstance(value, str) or not value.startswith("data:"):
        raise ValueError("file must be a 'data:' string with base64 content")
    payload = value[5:]
    if ";base64," in payload:
        payload = payload.split(";base64,", 1)[1]
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("file is not valid base64") from None

DEFAULT_STATUSES = [
    {"id": 1051, "name": "New orders", "name_for_customer": "Received", "color": "#2196F3"},
    {"id": 1052, "name": "Paid", "name_for_customer": "Paid", "color": "#4CAF50"},
    {"id": 1053, "name": "Invoice sent", "name_for_customer": "Invoiced", "color": "#9C27B0"},
    {"id": 1054, "name": "Shipped", "name_for_customer": "Shipped", "color": "#FF9800"},
    {"id": 1055, "name": "Missing invoice", "name_for_customer": "In progress", "color": "#F44336"},
]


class BaseLinkerPeer(PeerServer):
    name = "baselinker"

    def __init__(self, token="sandbox-bl-token", rate_limit=100, rate_period=60.0, block_seconds=600.0,
                 clock=time.time, page_size=100, **kw):
        super().__init__(**kw)
        self.token = token
        self.rate_limit = rate_limit
        self.rate_period = rate_period
        self.block_seconds = block_seconds
        self.clock = clock
        self.page_size = page_size
        self.statuses = [dict(s) for s in DEFAULT_STATUSES]
        self.series = {15: "FV"}
        self._init_state()

    def _init_state(self):
        self.orders = {}  # order_id -> dict
        self.invoices = {}  # invoice_id -> dict
        self.files = {}  # invoice_id -> {"pdf": bytes, "external_invoice_number": str}
        self.status_changes = []  # (order_id, status_id)
        self.calls = collections.Counter()
        self.request_limit = RequestLimit(self.rate_limit, self.rate_period, self.clock)
        self.blocked_until = 0.0
        self.blocked_calls = 0
        self._next_invoice_id = 9001

    # ------------------------------------------------------------------ seeding
    def add_order(self, order_id, date_confirmed=None, status_id=1051, **values):
        now = int(self.clock())
        order = {
            "order_id": int(order_id),
            "shop_order_id": values.pop("shop_order_id", 0),
            "external_order_id": values.pop("external_order_id", ""),
            "order_source": values.pop("order_source", "shop"),
            "order_status_id": int(status_id),
            "date_add": int(date_confirmed or now) - 60,
            "date_confirmed": int(date_confirmed or now),
            "confirmed": True,
            "email": values.pop("email", "buyer@example.com"),
            "currency": values.pop("currency", "EUR"),
            "extra_field_1": values.pop("extra_field_1", ""),
            "extra_field_2": values.pop("extra_field_2", ""),
            "products": values.pop("products", []),
        }
        order.update(values)
        with self.lock:
            self.orders[order["order_id"]] = order
        return order

    def add_invoice(self, order_id, type="normal", number=None):
        with self.lock:
            invoice_id = self._next_invoice_id
            self._next_invoice_id += 1
            self.invoices[invoice_id] = {
                "invoice_id": invoice_id,
                "order_id": int(order_id),
                "series_id": 15,
                "type": type,
                "number": number or f"{'FK' if type == 'correcting' else 'FV'}/{invoice_id}/2026",
                "external_invoice_number": "",
                "external_file": False,
                "date_add": int(self.clock()),
            }
        return invoice_id

    # ------------------------------------------------------------------ protocol
    def handle(self, request):
        if request.method != "POST" or request.path.rstrip("/") != "/connector.php":
            return Response.text("Not Found", status=404)
        try:
            form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8"), keep_blank_values=True).items()}
        except UnicodeDecodeError:
            return self._error("ERROR_BAD_REQUEST", "request is not UTF-8 form data")
        with self.lock:
            now = self.clock()
            self.calls[form.get("method", "")] += 1
            if request.header("X-BLToken") != self.token:
                return self._error("ERROR_BAD_TOKEN", "Invalid user token")
            if now < self.blocked_until:
                self.blocked_calls += 1
                return self._blocked()
            if self.request_limit.wait() is not None:
                self.blocked_until = now + self.block_seconds
                self.blocked_calls += 1
                return self._blocked()
            method = form.get("method") or ""
            try:
                params = json.loads(form.get("parameters") or "{}")
            except ValueError:
                return self._error("ERROR_BAD_PARAMETERS", "parameters is not valid JSON")
            if not isinstance(params, dict):
                return self._error("ERROR_BAD_PARAMETERS", "parameters must be a JSON object")
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                return self._error("ERROR_UNKNOWN_METHOD", f"Unknown method: {method}")
            return handler(params)

    def _blocked(self):
        until = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.blocked_until))
        return self._error("ERROR_USER_ACCOUNT_BLOCKED",
                           f"Query limit exceeded, token blocked until {until}")

    @staticmethod
    def _ok(**data):
        return Response.json(dict(status="SUCCESS", **data))

    @staticmethod
    def _error(code, message):
        return Response.json({"status": "ERROR", "error_code": code, "error_message": message})

    # ------------------------------------------------------------------ methods
    def _m_getOrderStatusList(self, params):
        return self._ok(statuses=[dict(s) for s in self.statuses])

    def _m_getOrders(self, params):
        orders = sorted(self.orders.values(), key=lambda o: (o["date_confirmed"], o["order_id"]))
        if params.get("order_id"):
            orders = [o for o in orders if o["order_id"] == int(params["order_id"])]
        if not params.get("get_unconfirmed_orders"):
            orders = [o for o in orders if o.get("confirmed", True)]
        if params.get("date_confirmed_from") is not None:
            orders = [o for o in orders if o["date_confirmed"] >= int(params["date_confirmed_from"])]
        if params.get("date_from") is not None:
            orders = [o for o in orders if o["date_add"] >= int(params["date_from"])]
        if params.get("id_from") is not None:
            orders = [o for o in orders if o["order_id"] >= int(params["id_from"])]
        if params.get("status_id"):
            orders = [o for o in orders if o["order_status_id"] == int(params["status_id"])]
        return self._ok(orders=[dict(o) for o in orders[: self.page_size]])

    def _m_getInvoices(self, params):
        invoices = sorted(self.invoices.values(), key=lambda i: i["invoice_id"])
        if params.get("order_id"):
            invoices = [i for i in invoices if i["order_id"] == int(params["order_id"])]
        if params.get("invoice_id"):
            invoices = [i for i in invoices if i["invoice_id"] == int(params["invoice_id"])]
        return self._ok(invoices=[dict(i) for i in invoices[:100]])

    def _m_addInvoice(self, params):
        order_id = int(params.get("order_id") or 0)
        if order_id not in self.orders:
            return self._error("ERROR_ORDER_NOT_FOUND", f"Order {order_id} not found")
        if int(params.get("series_id") or 0) not in self.series:
            return self._error("ERROR_SERIES_NOT_FOUND", "Invoice numbering series not found")
        return self._ok(invoice_id=self.add_invoice(order_id))

    def _m_addOrderInvoiceFile(self, params):
        invoice_id = int(params.get("invoice_id") or 0)
        invoice = self.invoices.get(invoice_id)
        if not invoice:
            return self._error("ERROR_INVOICE_NOT_FOUND", f"Invoice {invoice_id} not found")
        try:
            pdf = decode_file(params.get("file"))
        except ValueError as exc:
            return self._error("ERROR_BAD_FILE", str(exc))
        if not pdf.startswith(b"%PDF"):
            return self._error("ERROR_BAD_FILE", "file is not a PDF document")
        number = str(params.get("external_invoice_number") or "")
        self.files[invoice_id] = {"pdf": pdf, "external_invoice_number": number}
        invoice.update(external_file=True, external_invoice_number=number)
        return self._ok()

    def _m_setOrderStatus(self, params):
        order_id = int(params.get("order_id") or 0)
        status_id = int(params.get("status_id") or 0)
        if order_id not in self.orders:
            return self._error("ERROR_ORDER_NOT_FOUND", f"Order {order_id} not found")
        if status_id not in {s["id"] for s in self.statuses}:
            return self._error("ERROR_STATUS_NOT_FOUND", f"Status {status_id} not found")
        self.orders[order_id]["order_status_id"] = status_id
        self.status_changes.append((order_id, status_id))
        return self._ok()

    # ------------------------------------------------------------------ helpers for tests
    def uploads_for(self, order_id):
        return [dict(self.files[i], invoice_id=i) for i, inv in sorted(self.invoices.items())
                if inv["order_id"] == int(order_id) and i in self.files]


def demo_peers():
    """The demo BaseLinker on port 8077 (token "sandbox-bl-token"), with orders matching the demo sale
    orders of b2b_invoice_attach (customer references BL-5001..BL-5003 = BaseLinker order ids 5001..5003)."""
    peer = BaseLinkerPeer(port=8077)
    now = int(time.time())
    for n, order_id in enumerate((5001, 5002, 5003)):
        peer.add_order(order_id, date_confirmed=now - 3600 * (n + 1), status_id=1052,
                       external_order_id=f"BL-{order_id}", order_source="amazon")
    return [peer]
