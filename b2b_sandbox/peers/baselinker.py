"""Sandbox BaseLinker: ``POST /connector.php`` as the public API documentation describes it.

* auth: header ``X-BLToken`` (a wrong or missing token answers ``ERROR_BAD_TOKEN``);
* form fields ``method`` + ``parameters`` (JSON); answers are JSON with ``status`` SUCCESS/ERROR and HTTP 200;
* request limit: ``rate_limit`` requests per ``rate_period`` seconds per token; the request over it
  blocks the token for ``block_seconds`` (every call answers ``ERROR_USER_ACCOUNT_BLOCKED`` meanwhile) -
  the peer counts it in ``blocked_calls`` so tests can assert it never happens;
* methods: getOrderStatusList, getOrders (date_confirmed_from, date_from, id_from, status_id, order_id; 100 per
  call, oldest confirmation first), getInvoices (invoice_id, order_id, date_from, id_from, series_id,
  get_external_invoices; 100 per call, lowest id first), getInvoiceFile (invoice_id, get_external), addInvoice
  (order_id, series_id), addOrderInvoiceFile (invoice_id, file as ``data:`` base64, external_invoice_number),
  setOrderStatus.

Orders and invoices carry the fields the documentation lists, and no other (``ApiContract`` reads them from
tests/fixtures/specs/baselinker/api_methods.json; a peer given ``contract=`` checks every request it receives and
every answer it gives against it and keeps what does not fit in ``contract_problems``). Whether an invoice has an
uploaded file is, as in BaseLinker, no field: getInvoices leaves such invoices out when asked with
``get_external_invoices=false``.

The clock is injectable (``clock=``) so tests and benchmarks run on simulated time.
"""

import base64
import binascii
import collections
import json
import pathlib
import time
from urllib.parse import parse_qs

from .server import PeerServer, Response
from .shop import RequestLimit

CONTRACT_PATH = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "specs" / "baselinker" / \
    "api_methods.json"
PAGE_SIZE = 100
MAX_EXTERNAL_NUMBER = 30


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


def sandbox_pdf(title):
    """A small valid PDF: the invoice BaseLinker renders itself (getInvoiceFile without an uploaded file)."""
    text = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------------------- the published contract
class ApiContract:
    """The documented request parameters and answer fields per method (the JSON fixture), and the checks."""

    def __init__(self, spec):
        self.spec = spec
        self.methods = spec["methods"]

    @classmethod
    def load(cls, path=None):
        return cls(json.loads(pathlib.Path(path or CONTRACT_PATH).read_text()))

    def fields(self, method, side="answer"):
        return self.methods[method][side]

    def request_problems(self, method, params):
        spec = self.methods.get(method)
        if spec is None:
            return [f"{method}: not a documented method"]
        documented = spec["request"]
        problems = []
        for name, value in params.items():
            if name not in documented:
                problems.append(f"{method}: parameter {name!r} is not documented")
            else:
                problems += _type_problems(f"{method}({name})", documented[name], value)
        problems += [f"{method}: required parameter {name!r} missing" for name, field in documented.items()
                     if field.get("required") and name not in params]
        return problems

    def answer_problems(self, method, params, answer, complete=True, types=True):
        """What in a SUCCESS ``answer`` the documentation does not have (and, ``complete``, what it has that the
        answer lacks; ``types``: values of another type)."""
        spec = self.methods.get(method)
        if spec is None:
            return [f"{method}: not a documented method"]
        body = {k: v for k, v in answer.items() if k != "status"}
        return self._object_problems(f"{method} answer", spec["answer"], body, params or {}, complete, types)

    def _object_problems(self, path, documented, obj, params, complete, types):
        problems = []
        for key, value in obj.items():
            field = documented.get(key)
            if field is None:
                problems.append(f"{path}: field {key!r} is not documented")
                continue
            if field.get("when") and not params.get(field["when"]):
                problems.append(f"{path}: field {key!r} is only answered with {field['when']}")
            if types:
                problems += _type_problems(f"{path}.{key}", field, value)
            if field["type"] == "array" and "items" in field and isinstance(value, list):
                for n, item in enumerate(value):
                    if not isinstance(item, dict):
                        problems.append(f"{path}.{key}[{n}]: not an object")
                        continue
                    problems += self._object_problems(f"{path}.{key}[{n}]", field["items"], item, params,
                                                      complete, types)
        if complete:
            problems += [f"{path}: documented field {key!r} missing" for key, field in documented.items()
                         if key not in obj and (not field.get("when") or params.get(field["when"]))]
        return problems


def _type_problems(path, field, value):
    kind = field["type"]
    base, _, size = kind.partition("(")
    size = int(size.rstrip(")")) if size else None
    checks = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "varchar": lambda v: isinstance(v, str),
        "char": lambda v: isinstance(v, str),
        "text": lambda v: isinstance(v, str),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if not checks[base](value):
        return [f"{path}: {value!r} is not {kind}"]
    if size is not None and len(value) > size:
        return [f"{path}: {len(value)} characters, the documented {kind} takes {size}"]
    if "values" in field and value not in field["values"]:
        return [f"{path}: {value!r} is none of {field['values']}"]
    return []


# ---------------------------------------------------------------------------- records as documented
DEFAULT_STATUSES = [
    {"id": 1051, "name": "New orders", "name_for_customer": "Received", "color": "#2196F3"},
    {"id": 1052, "name": "Paid", "name_for_customer": "Paid", "color": "#4CAF50"},
    {"id": 1053, "name": "Invoice sent", "name_for_customer": "Invoiced", "color": "#9C27B0"},
    {"id": 1054, "name": "Shipped", "name_for_customer": "Shipped", "color": "#FF9800"},
    {"id": 1055, "name": "Missing invoice", "name_for_customer": "In progress", "color": "#F44336"},
]

ORDER_DEFAULTS = {
    "shop_order_id": 0, "external_order_id": "", "order_source": "shop", "order_source_id": 0,
    "order_source_info": "", "user_login": "", "phone": "", "email": "buyer@example.com", "user_comments": "",
    "admin_comments": "", "currency": "EUR", "payment_method": "", "payment_method_cod": "0", "payment_done": 0,
    "delivery_method_id": 0, "delivery_method": "", "delivery_price": 0, "delivery_package_module": "",
    "delivery_package_nr": "", "delivery_fullname": "", "delivery_company": "", "delivery_address": "",
    "delivery_city": "", "delivery_state": "", "delivery_postcode": "", "delivery_country": "",
    "delivery_country_code": "", "delivery_point_id": "", "delivery_point_name": "", "delivery_point_address": "",
    "delivery_point_postcode": "", "delivery_point_city": "", "invoice_fullname": "", "invoice_company": "",
    "invoice_nip": "", "invoice_address": "", "invoice_city": "", "invoice_state": "", "invoice_postcode": "",
    "invoice_country": "", "invoice_country_code": "", "want_invoice": "1", "extra_field_1": "",
    "extra_field_2": "", "products": [],
}
PRODUCT_DEFAULTS = {
    "storage": "db", "storage_id": 0, "order_product_id": 0, "product_id": "", "variant_id": 0, "name": "",
    "attributes": "", "sku": "", "ean": "", "location": "", "warehouse_id": 0, "auction_id": "",
    "price_brutto": 0, "tax_rate": 23, "quantity": 1, "weight": 0, "bundle_id": 0,
}


class BaseLinkerPeer(PeerServer):
    name = "baselinker"

    def __init__(self, token="sandbox-bl-token", rate_limit=100, rate_period=60.0, block_seconds=600.0,
                 clock=time.time, page_size=PAGE_SIZE, contract=None, **kw):
        super().__init__(**kw)
        self.token = token
        self.rate_limit = rate_limit
        self.rate_period = rate_period
        self.block_seconds = block_seconds
        self.clock = clock
        self.page_size = page_size
        self.contract = contract
        self.statuses = [dict(s) for s in DEFAULT_STATUSES]
        self.series = {15: "FV", 16: "FK"}
        self._init_state()

    def _init_state(self):
        self.orders = {}  # order_id -> dict (the documented getOrders fields)
        self.invoices = {}  # invoice_id -> dict (the documented getInvoices fields)
        self.files = {}  # invoice_id -> {"pdf": bytes, "external_invoice_number": str}: the uploaded file
        self.uploads = []  # (invoice_id, external_invoice_number) of every addOrderInvoiceFile that succeeded
        self.status_changes = []  # (order_id, status_id)
        self.calls = collections.Counter()
        self.contract_problems = []
        self.request_limit = RequestLimit(self.rate_limit, self.rate_period, self.clock)
        self.blocked_until = 0.0
        self.blocked_calls = 0
        self._next_invoice_id = 9001
        self._next_product_id = 1

    # ------------------------------------------------------------------ seeding
    def add_order(self, order_id, date_confirmed=None, status_id=1051, **values):
        now = int(self.clock())
        confirmed = int(date_confirmed or now)
        unknown = set(values) - set(ORDER_DEFAULTS) - {"date_add", "confirmed"}
        if unknown:
            raise ValueError(f"BaseLinker orders have no field {sorted(unknown)}")
        order = json.loads(json.dumps(ORDER_DEFAULTS))
        order.update({"order_id": int(order_id), "order_status_id": int(status_id), "date_add": confirmed - 60,
                      "date_confirmed": confirmed, "date_in_status": confirmed, "confirmed": True,
                      "order_page": f"https://orders.sandbox.invalid/{int(order_id)}/"})
        products = values.pop("products", [])
        order.update(values)
        order["products"] = [self._product(p) for p in products]
        with self.lock:
            self.orders[order["order_id"]] = order
        return order

    def _product(self, values):
        unknown = set(values) - set(PRODUCT_DEFAULTS)
        if unknown:
            raise ValueError(f"BaseLinker order products have no field {sorted(unknown)}")
        product = dict(PRODUCT_DEFAULTS, order_product_id=self._next_product_id, **values)
        self._next_product_id += 1
        return product

    def add_invoice(self, order_id, type="normal", number=None):
        """Issue an invoice for an order, as BaseLinker (or its automatic actions) does."""
        with self.lock:
            order = self.orders.get(int(order_id), dict(ORDER_DEFAULTS, order_id=int(order_id)))
            invoice_id = self._next_invoice_id
            self._next_invoice_id += 1
            now = int(self.clock())
            year, month = time.gmtime(now)[:2]
            gross = round(sum(p["price_brutto"] * p["quantity"] for p in order["products"]), 2)
            net = round(sum(p["price_brutto"] * p["quantity"] / (1 + p["tax_rate"] / 100) for p in order["products"]),
                        2)
            previous = [i["invoice_id"] for i in self.invoices.values()
                        if i["order_id"] == int(order_id) and i["type"] == "normal"]
            series = 16 if type == "correcting" else 15
            self.invoices[invoice_id] = {
                "invoice_id": invoice_id, "order_id": int(order_id), "series_id": series, "type": type,
                "number": number or f"{self.series[series]}/{invoice_id}/{year}", "sub_id": invoice_id - 9000,
                "month": month, "year": year, "postfix": "", "date_add": now, "date_sell": now, "date_pay_to": 0,
                "currency": order["currency"], "total_price_brutto": gross, "total_price_netto": net,
                "payment": order["payment_method"], "additional_info": "",
                "invoice_fullname": order["invoice_fullname"], "invoice_company": order["invoice_company"],
                "invoice_nip": order["invoice_nip"], "invoice_address": order["invoice_address"],
                "invoice_postcode": order["invoice_postcode"], "invoice_city": order["invoice_city"],
                "invoice_country": order["invoice_country"], "invoice_country_code": order["invoice_country_code"],
                "seller": "Sandbox Seller Ltd\nSandbox Street 1\n1000 AA Sandbox", "issuer": "",
                "correcting_to_invoice_id": max(previous) if type == "correcting" and previous else 0,
                "correcting_reason": "", "correcting_items": type == "correcting", "correcting_data": False,
                "external_invoice_number": "", "exchange_currency": "", "exchange_rate": 0, "exchange_date": "",
                "exchange_info": "", "external_id": 0,
                "items": [{"name": p["name"], "sku": p["sku"], "ean": p["ean"], "price_brutto": p["price_brutto"],
                           "price_netto": round(p["price_brutto"] / (1 + p["tax_rate"] / 100), 2),
                           "tax_rate": p["tax_rate"], "quantity": p["quantity"], "is_shipment": 0,
                           "order_product_id": p["order_product_id"]} for p in order["products"]],
            }
        return invoice_id

    def attach_file(self, invoice_id, pdf, external_invoice_number):
        """What addOrderInvoiceFile does to an invoice (someone else's ERP uploading, in tests)."""
        with self.lock:
            self.files[int(invoice_id)] = {"pdf": pdf, "external_invoice_number": external_invoice_number}
            self.invoices[int(invoice_id)]["external_invoice_number"] = external_invoice_number
            self.uploads.append((int(invoice_id), external_invoice_number))

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
            answer = handler(params)
            if self.contract is not None:
                self._check_contract(method, params, answer)
            return answer

    def _check_contract(self, method, params, answer):
        problems = self.contract.request_problems(method, params)
        data = json.loads(answer.body)
        if data.get("status") == "SUCCESS":
            problems += self.contract.answer_problems(method, params, data)
        self.contract_problems += problems

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
        return self._ok(orders=[json.loads(json.dumps(o)) for o in orders[: self.page_size]])

    def _m_getInvoices(self, params):
        invoices = sorted(self.invoices.values(), key=lambda i: i["invoice_id"])
        if params.get("invoice_id"):
            invoices = [i for i in invoices if i["invoice_id"] == int(params["invoice_id"])]
        if params.get("order_id"):
            invoices = [i for i in invoices if i["order_id"] == int(params["order_id"])]
        if params.get("date_from") is not None:
            invoices = [i for i in invoices if i["date_add"] >= int(params["date_from"])]
        if params.get("id_from") is not None:
            invoices = [i for i in invoices if i["invoice_id"] >= int(params["id_from"])]
        if params.get("series_id"):
            invoices = [i for i in invoices if i["series_id"] == int(params["series_id"])]
        if params.get("get_external_invoices", True) is False:  # true by default
            invoices = [i for i in invoices if i["invoice_id"] not in self.files]
        answer = []
        for invoice in invoices[: self.page_size]:
            invoice = json.loads(json.dumps(invoice))
            if params.get("get_government_data"):
                invoice.update(gov_id="", gov_date=0, gov_status=0)
            answer.append(invoice)
        return self._ok(invoices=answer)

    def _m_getInvoiceFile(self, params):
        invoice = self.invoices.get(int(params.get("invoice_id") or 0))
        if not invoice:
            return self._error("ERROR_INVOICE_NOT_FOUND", f"Invoice {params.get('invoice_id')} not found")
        uploaded = self.files.get(invoice["invoice_id"]) if params.get("get_external") else None
        if uploaded:
            pdf, number = uploaded["pdf"], uploaded["external_invoice_number"]
        else:
            pdf, number = sandbox_pdf(invoice["number"]), invoice["number"]
        return self._ok(invoice="data:" + base64.b64encode(pdf).decode("ascii"), invoice_number=number)

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
        number = params.get("external_invoice_number")
        if not isinstance(number, str) or len(number) > MAX_EXTERNAL_NUMBER:
            return self._error("ERROR_BAD_PARAMETERS",
                               f"external_invoice_number must be text of at most {MAX_EXTERNAL_NUMBER} characters")
        self.attach_file(invoice_id, pdf, number)
        return self._ok()

    def _m_setOrderStatus(self, params):
        order_id = int(params.get("order_id") or 0)
        status_id = int(params.get("status_id") or 0)
        if order_id not in self.orders:
            return self._error("ERROR_ORDER_NOT_FOUND", f"Order {order_id} not found")
        if status_id not in {s["id"] for s in self.statuses}:
            return self._error("ERROR_STATUS_NOT_FOUND", f"Status {status_id} not found")
        self.orders[order_id]["order_status_id"] = status_id
        self.orders[order_id]["date_in_status"] = int(self.clock())
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
