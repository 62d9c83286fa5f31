"""BaseLinker API (connector.php) as plain Python.

Every call is ``POST connector.php`` with header ``X-BLToken`` and two form fields: ``method`` and
``parameters`` (JSON). Answers are JSON objects with ``status`` = ``SUCCESS`` or ``ERROR`` (then
``error_code`` and ``error_message``), always with HTTP 200. A token that makes more than 100 requests
per minute is *blocked* for a while (an ERROR answer, not HTTP 429), so the caller's request budget must
keep the pace; :data:`RATE_LIMIT` is the documented figure.

The client takes an injected HTTP client (``b2b_connector_base.lib.http.HttpClient`` in Odoo: timeouts,
retries, request budget, call log) so this module has no transport of its own.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import base64
import binascii
import collections
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from odoo.addons.b2b_connector_base.lib.errors import Phrase, ProtocolError, _lt

API_URL = "https://api.baselinker.com/connector.php"
RATE_LIMIT = 100  # requests per token
RATE_PERIOD = 60  # seconds
PAGE_SIZE = 100  # getOrders and getInvoices return at most 100 records per call
MAX_PAGES = 500  # calls of one listing at most (50,000 records), whatever the answers say
MAX_EXTERNAL_NUMBER = 30  # addOrderInvoiceFile's external_invoice_number is a varchar(30)
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024  # our own cap for one invoice PDF

# methods that only read: safe to repeat after a timeout
READ_METHODS = frozenset({"getOrders", "getOrderStatusList", "getInvoices", "getInvoiceFile", "getSeries",
                          "getOrderSources"})

BLOCKED_CODES = frozenset({"ERROR_USER_ACCOUNT_BLOCKED", "ERROR_API_TOKEN_BLOCKED", "ERROR_QUERY_LIMIT_EXCEEDED"})
AUTH_CODES = frozenset({"ERROR_BAD_TOKEN", "ERROR_USER_ACCOUNT_BLOCKED_PERMANENTLY"})


class BaseLinkerError(ProtocolError):
    """An ERROR answer (or an answer that is not BaseLinker's), shown in the user's language. ``code`` is
    BaseLinker's error_code, or ours in its style (ERROR_BAD_ANSWER, ERROR_NO_SERIES ...) for what we
    refuse: ``BaseLinkerError(code, _lt("English %(method)s ..."), method="addInvoice", ...)``; the
    method is a parameter of every template."""

    default_code = "ERROR_UNKNOWN"

    def __init__(self, code, message=None, /, method=None, **params):
        self.method = method
        super().__init__(code, message, method=method, **params)

    @property
    def blocked(self):
        return self.code in BLOCKED_CODES

    @property
    def auth(self):
        return self.code in AUTH_CODES

    @property
    def retryable(self):
        # a blocked token recovers after a while; everything else needs a person
        return self.blocked


@dataclass
class OrderStatus:
    id: int
    name: str
    name_for_customer: str = ""
    color: str = ""


@dataclass
class Order:
    order_id: int
    order_status_id: int = 0
    date_add: int = 0
    date_confirmed: int = 0
    external_order_id: str = ""
    shop_order_id: str = ""
    extra_field_1: str = ""
    extra_field_2: str = ""
    order_source: str = ""
    email: str = ""
    currency: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    KEYS = ("order_id", "shop_order_id", "external_order_id", "extra_field_1", "extra_field_2")
    FIELDS = ("order_id", "order_status_id", "date_add", "date_confirmed", "external_order_id", "shop_order_id",
              "extra_field_1", "extra_field_2", "order_source", "email", "currency")

    @classmethod
    def from_json(cls, data):
        if not isinstance(data, dict) or "order_id" not in data:
            raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("%(method)s answered an order without order_id"),
                                  method="getOrders")
        return cls(
            order_id=_int(data.get("order_id")),
            order_status_id=_int(data.get("order_status_id")),
            date_add=_int(data.get("date_add")),
            date_confirmed=_int(data.get("date_confirmed")),
            external_order_id=_str(data.get("external_order_id")),
            shop_order_id=_str(data.get("shop_order_id")),
            extra_field_1=_str(data.get("extra_field_1")),
            extra_field_2=_str(data.get("extra_field_2")),
            order_source=_str(data.get("order_source")),
            email=_str(data.get("email")),
            currency=_str(data.get("currency")),
            raw=data,
        )

    def key(self, name):
        """The value of one of :attr:`KEYS`, as text (what an Odoo reference is compared with)."""
        if name not in self.KEYS:
            raise ValueError(f"unknown BaseLinker order key {name!r}")
        value = getattr(self, name)
        value = "" if value is None else str(value).strip()
        return "" if value == "0" else value


@dataclass
class Invoice:
    """One invoice of getInvoices. Whether it carries an external file (one uploaded by addOrderInvoiceFile) is
    no field of the answer: the API tells it by leaving the invoice out when asked with
    ``get_external_invoices=False``. ``external_invoice_number`` is the number that upload gave it (it
    overwrites BaseLinker's own ``number`` on the document)."""

    invoice_id: int
    order_id: int
    type: str = "normal"  # normal / correcting
    number: str = ""
    series_id: int = 0
    date_add: int = 0
    external_invoice_number: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    FIELDS = ("invoice_id", "order_id", "type", "number", "series_id", "date_add", "external_invoice_number")

    @classmethod
    def from_json(cls, data):
        if not isinstance(data, dict) or not _int(data.get("invoice_id")):
            raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("%(method)s answered an invoice without invoice_id"),
                                  method="getInvoices")
        return cls(
            invoice_id=_int(data.get("invoice_id")),
            order_id=_int(data.get("order_id")),
            type=_str(data.get("type")) or "normal",
            number=_str(data.get("number")),
            series_id=_int(data.get("series_id")),
            date_add=_int(data.get("date_add")),
            external_invoice_number=_str(data.get("external_invoice_number")).strip(),
            raw=data,
        )


def _int(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _str(value):
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------- encoding
def encode_request(method, parameters=None):
    """The form fields of one call."""
    if not method or not isinstance(method, str):
        raise ValueError("a BaseLinker call needs a method name")
    return {"method": method, "parameters": json.dumps(parameters or {}, separators=(",", ":"))}


def parse_response(body, method=None, max_bytes=MAX_RESPONSE_BYTES):
    """Decode an answer; raise :class:`BaseLinkerError` for ERROR answers and for anything that is
    not a BaseLinker answer (HTML error pages, truncated JSON, oversized bodies)."""
    if body is None:
        body = b""
    if len(body) > max_bytes:
        raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("BaseLinker answer to %(method)s is larger than %(size)s MB"),
                              method=method, size=max_bytes // (1024 * 1024))
    try:
        data = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
    except (UnicodeDecodeError, ValueError):
        preview = (body[:80].decode("utf-8", "replace") if isinstance(body, bytes) else body[:80]).strip()
        raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("BaseLinker answer to %(method)s is not JSON: %(preview)s"),
                              method=method, preview=repr(preview)) from None
    if not isinstance(data, dict) or data.get("status") not in ("SUCCESS", "ERROR"):
        raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("BaseLinker answer to %(method)s has no status"), method=method)
    if data["status"] == "ERROR":
        code = _str(data.get("error_code")) or "ERROR_UNKNOWN"
        message = _str(data.get("error_message")) or code
        # BaseLinker's own text (English or Polish) stays as it wrote it, inside our words
        raise BaseLinkerError(code, _lt("BaseLinker refused %(method)s: %(error)s (%(code)s)"), method=method,
                              error=message, code=code)
    return data


def encode_file(pdf_bytes, method="addOrderInvoiceFile"):
    """addOrderInvoiceFile wants the file as a ``data:`` string with base64 content; anything but a PDF BaseLinker
    takes is refused before it leaves (:class:`BaseLinkerError`)."""
    if not pdf_bytes or not pdf_bytes.startswith(b"%PDF"):
        raise BaseLinkerError("ERROR_NOT_PDF", _lt("the invoice file for %(method)s is not a PDF"), method=method)
    if len(pdf_bytes) > MAX_FILE_BYTES:
        raise BaseLinkerError("ERROR_FILE_TOO_LARGE", _lt(
            "the invoice PDF for %(method)s is larger than %(size)s MB"), method=method,
            size=MAX_FILE_BYTES // (1024 * 1024))
    return "data:" + base64.b64encode(pdf_bytes).decode("ascii")


def check_external_number(number, method=None):
    """The number addOrderInvoiceFile writes over BaseLinker's own invoice number: a varchar(30). A longer one is
    refused (:class:`BaseLinkerError` ERROR_EXTERNAL_NUMBER), never shortened: the document would carry a
    number that is not the invoice's."""
    number = "" if number is None else str(number)
    if not number.strip():
        raise BaseLinkerError("ERROR_EXTERNAL_NUMBER", _lt("the invoice has no number to give BaseLinker"),
                              method=method)
    if len(number) > MAX_EXTERNAL_NUMBER:
        raise BaseLinkerError("ERROR_EXTERNAL_NUMBER", _lt(
            "invoice number %(number)s has %(length)s characters; BaseLinker's external_invoice_number takes at most "
            "%(limit)s"), method=method, number=repr(number), length=len(number), limit=MAX_EXTERNAL_NUMBER)
    return number


def decode_file(value, method="getInvoiceFile"):
    """Inverse of :func:`encode_file`: the file getInvoiceFile answers (a broken one: :class:`BaseLinkerError`)."""
    if not isinstance(value, str) or not value.startswith("data:"):
        raise BaseLinkerError("ERROR_BAD_ANSWER", _lt(
            "%(method)s answered a file that is not a 'data:' string with base64 content"), method=method)
    payload = value[5:]
    if ";base64," in payload:  # tolerate data:application/pdf;base64,...
        payload = payload.split(";base64,", 1)[1]
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("%(method)s answered a file that is not valid base64"),
                              method=method) from None


# ---------------------------------------------------------------------------- client
class BaseLinkerClient:
    """Calls connector.php through an injected HTTP client (``post(path, data=, headers=, idempotent=)``)."""

    def __init__(self, http, token, path=""):
        if not token:
            raise BaseLinkerError("ERROR_BAD_TOKEN", _lt("no BaseLinker API token configured"))
        self.http = http
        self.token = token
        self.path = path
        self.calls = 0
        self.warnings = []  # why a listing stopped early, for the run's summary

    def call(self, method, **parameters):
        self.calls += 1
        response = self.http.post(
            self.path,
            data=encode_request(method, parameters),
            headers={"X-BLToken": self.token},
            idempotent=method in READ_METHODS,
        )
        return parse_response(response.content, method)

    # -- reading
    def get_order_status_list(self):
        data = self.call("getOrderStatusList")
        return [OrderStatus(id=_int(s.get("id")), name=_str(s.get("name")),
                            name_for_customer=_str(s.get("name_for_customer")), color=_str(s.get("color")))
                for s in data.get("statuses") or []]

    def iter_orders(self, date_confirmed_from, status_id=None, page_size=PAGE_SIZE, max_pages=MAX_PAGES, **filters):
        """All confirmed orders from ``date_confirmed_from`` (unix time), oldest first.

        Paging as the API documents it: a page of ``page_size`` orders means there may be more; the next
        page starts at the last order's ``date_confirmed`` + 1 second. Orders confirmed in the same
        second as the last one of a full page would be skipped that way, so the next page starts at that
        second again and the orders already seen are left out.

        Whatever the answers say, the listing ends on an empty page, on a page with no order not seen
        before (an account answering the same page again) and after ``max_pages`` calls; the last two
        say so in ``warnings``."""
        params = dict(filters, get_unconfirmed_orders=False)
        if status_id:
            params["status_id"] = int(status_id)

        def next_start(page):
            last = max(o.date_confirmed for o in page)
            # start strictly increases: a page spanning several seconds ends after its first second;
            # a whole page within one second cannot be paged inside that second, so move past it
            return last + 1 if all(o.date_confirmed == last for o in page) else last

        def capped(page, seen):
            last = datetime.fromtimestamp(max(o.date_confirmed for o in page), timezone.utc)
            return Phrase(_lt("BaseLinker: the order list stopped at the cap of %(pages)s pages (%(count)s "
                              "orders); orders confirmed after %(last)s UTC were not read."),
                          pages=max_pages, count=len(seen), last=f"{last:%Y-%m-%d %H:%M:%S}")

        return self._pages(
            "getOrders", "orders", Order.from_json, lambda order: order.order_id,
            first=int(date_confirmed_from), params=lambda start: dict(params, date_confirmed_from=start),
            advance=next_start, page_size=page_size, max_pages=max_pages,
            repeated=lambda pages: Phrase(_lt("BaseLinker answered getOrders page %(page)s with orders already "
                                              "read: stopped reading there."), page=pages),
            capped=capped)

    def _pages(self, method, key, parse, ident, *, first, params, advance, page_size, max_pages, repeated, capped):
        """The items of a paged listing (``method``'s answer lists them under ``key``), each once, as they come:
        ``params(cursor)`` are a page's parameters, from the cursor ``first``, then ``advance(page)``. The
        listing ends on a page of fewer than ``page_size`` items, on a page with nothing new (``repeated(pages)``
        warns) and after ``max_pages`` calls (``capped(page, seen ids)`` warns)."""
        seen = set()
        pages = 0
        cursor = first
        while True:
            data = self.call(method, **params(cursor))
            pages += 1
            page = [parse(item) for item in data.get(key) or []]
            fresh = [item for item in page if ident(item) not in seen]
            for item in fresh:
                seen.add(ident(item))
                yield item
            if len(page) < page_size:
                return
            if not fresh:
                self._warn(repeated(pages))
                return
            if pages >= max(1, int(max_pages)):
                self._warn(capped(page, seen))
                return
            cursor = advance(page)

    def _warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def get_invoices(self, order_id=None, invoice_id=None, get_external_invoices=True):
        """One getInvoices call for one order or one invoice (at most 100 answers, plenty for either).
        ``get_external_invoices=False`` leaves out the invoices that already have a file uploaded by
        addOrderInvoiceFile."""
        if not (order_id or invoice_id):
            raise ValueError("get_invoices needs an order_id or an invoice_id (use iter_invoices to list)")
        params = {"get_external_invoices": bool(get_external_invoices)}
        if order_id:
            params["order_id"] = int(order_id)
        if invoice_id:
            params["invoice_id"] = int(invoice_id)
        data = self.call("getInvoices", **params)
        return [Invoice.from_json(i) for i in data.get("invoices") or []]

    def iter_invoices(self, date_from, get_external_invoices=True, page_size=PAGE_SIZE, max_pages=MAX_PAGES,
                      series_id=None):
        """Every invoice created from ``date_from`` (unix time) on, lowest id first, paged with ``id_from`` (the
        invoice id from which the next page starts). ``get_external_invoices=False``: only the invoices without
        a file uploaded by addOrderInvoiceFile (what an ERP still has to upload).

        Whether ``id_from`` includes that id or not, the next page starts at the highest id of the page and
        the invoice seen twice is left out. The listing ends on a page of fewer than ``page_size`` invoices,
        on a page with nothing new and after ``max_pages`` calls (the last two say so in ``warnings``)."""
        base = {"date_from": int(date_from), "get_external_invoices": bool(get_external_invoices)}
        if series_id:
            base["series_id"] = int(series_id)
        return self._pages(
            "getInvoices", "invoices", Invoice.from_json, lambda invoice: invoice.invoice_id,
            first=None, params=lambda id_from: dict(base) if id_from is None else dict(base, id_from=id_from),
            advance=lambda page: max(invoice.invoice_id for invoice in page), page_size=page_size,
            max_pages=max_pages,
            repeated=lambda pages: Phrase(_lt("BaseLinker answered getInvoices page %(page)s with invoices "
                                              "already read: stopped reading there."), page=pages),
            capped=lambda _page, seen: Phrase(_lt("BaseLinker: the invoice list stopped at the cap of %(pages)s "
                                                  "pages (%(count)s invoices); invoices after id %(last)s were "
                                                  "not read."), pages=max_pages, count=len(seen), last=max(seen)))

    def get_invoice_file(self, invoice_id, get_external=True):
        """(PDF bytes, number) of an invoice: with ``get_external`` the file uploaded by API when there is one
        (else BaseLinker's own), as getInvoiceFile documents."""
        data = self.call("getInvoiceFile", invoice_id=int(invoice_id), get_external=bool(get_external))
        return decode_file(data.get("invoice")), _str(data.get("invoice_number"))

    # -- writing
    def add_invoice(self, order_id, series_id):
        if not series_id:
            raise BaseLinkerError("ERROR_NO_SERIES", _lt(
                "no BaseLinker invoice numbering series configured (needed to create invoices)"), method="addInvoice")
        data = self.call("addInvoice", order_id=int(order_id), series_id=int(series_id))
        invoice_id = _int(data.get("invoice_id"))
        if not invoice_id:
            raise BaseLinkerError("ERROR_BAD_ANSWER", _lt("%(method)s answered without invoice_id"),
                                  method="addInvoice")
        return invoice_id

    def add_order_invoice_file(self, invoice_id, pdf_bytes, external_invoice_number):
        if not invoice_id:
            raise BaseLinkerError("ERROR_NO_INVOICE", _lt("%(method)s needs a BaseLinker invoice_id"),
                                  method="addOrderInvoiceFile")
        number = check_external_number(external_invoice_number, method="addOrderInvoiceFile")
        self.call("addOrderInvoiceFile", invoice_id=int(invoice_id), file=encode_file(pdf_bytes),
                  external_invoice_number=number)

    def set_order_status(self, order_id, status_id):
        self.call("setOrderStatus", order_id=int(order_id), status_id=int(status_id))


def find_invoice(invoices, kind="normal"):
    """The BaseLinker invoice of ``kind`` (normal / correcting) an order already has, newest first."""
    matching = [i for i in invoices if (i.type or "normal") == kind]
    return max(matching, key=lambda i: i.invoice_id) if matching else None


# ---------------------------------------------------------------------------- what an upload has to do
UPLOAD = "upload"  # the invoice has no uploaded file yet: one addOrderInvoiceFile
CREATE = "create"  # the order has no invoice of the kind: addInvoice, then the file (after a fresh look)
PRESENT = "present"  # the invoice carries our file already (our number on it): nothing to send
CHECK = "check"  # the listing cannot tell: look at the invoice again when the upload runs
CONFLICT = "conflict"  # another system's file is on the invoice: not replaced


@dataclass
class Plan:
    """What the upload of one document to one BaseLinker order does, decided from getInvoices."""

    action: str
    invoice_id: int = 0
    number: str = ""  # BaseLinker's number of that invoice (for messages)
    other: str = ""  # the external_invoice_number another system's upload gave it

    def to_json(self):
        return {"plan": self.action, "invoice_id": self.invoice_id, "bl_number": self.number, "other": self.other}

    @classmethod
    def from_json(cls, data):
        """The plan stored with an upload; an upload without one (queued before plans) looks first."""
        return cls(action=_str(data.get("plan")) or CHECK, invoice_id=_int(data.get("invoice_id")),
                   number=_str(data.get("bl_number")), other=_str(data.get("other")))


def invoice_kind(refund):
    return "correcting" if refund else "normal"


def _newest(invoices):
    return max(invoices, key=lambda i: i.invoice_id) if invoices else None


def plan_uploads(client, wanted, since, max_pages=MAX_PAGES):
    """The plan of each ``(order_id, kind, external_number)`` of ``wanted``, in order, from paged listings for
    the whole batch instead of calls per order:

    1. the invoices created since ``since`` that have no uploaded file (``get_external_invoices=False``): an
       order's newest invoice of the kind there gets the file (:data:`UPLOAD`);
    2. only when some order has none there: every invoice since ``since``. One of the kind that is not in the
       first list has a file: ours when it carries our number (:data:`PRESENT`), else another system's
       (:data:`CONFLICT`); without any number it may have been created between the two listings (:data:`CHECK`).
       No invoice of the kind: :data:`CREATE`.

    A second document for an invoice already given to an earlier one of ``wanted`` is looked at again when its
    turn comes (:data:`CHECK`): one invoice takes one file."""
    if not wanted:
        return []
    pending = collections.defaultdict(list)
    for invoice in client.iter_invoices(since, get_external_invoices=False, max_pages=max_pages):
        pending[(invoice.order_id, invoice.type)].append(invoice)
    without_file = {i.invoice_id for found in pending.values() for i in found}
    keys = {(order_id, kind) for order_id, kind, _number in wanted}
    uploaded = collections.defaultdict(list)
    if keys - set(pending):
        for invoice in client.iter_invoices(since, get_external_invoices=True, max_pages=max_pages):
            key = (invoice.order_id, invoice.type)
            if key in keys and key not in pending and invoice.invoice_id not in without_file:
                uploaded[key].append(invoice)
    plans, taken = [], set()
    for order_id, kind, number in wanted:
        invoice = _newest(pending.get((order_id, kind)))
        if invoice is not None:
            plan = Plan(UPLOAD, invoice.invoice_id, invoice.number)
            if invoice.invoice_id in taken:
                plan = Plan(CHECK, invoice.invoice_id, invoice.number)
            taken.add(invoice.invoice_id)
        elif (invoice := _newest(uploaded.get((order_id, kind)))) is None:
            plan = Plan(CREATE)
        elif invoice.external_invoice_number == number:
            plan = Plan(PRESENT, invoice.invoice_id, invoice.number)
        elif invoice.external_invoice_number:
            plan = Plan(CONFLICT, invoice.invoice_id, invoice.number, invoice.external_invoice_number)
        else:
            plan = Plan(CHECK, invoice.invoice_id, invoice.number)
        plans.append(plan)
    return plans


def look(client, order_id, kind, number):
    """The plan of one document from BaseLinker's state now (one getInvoices, a second one when the order has an
    invoice of the kind): for uploads whose listing may be stale, and for every attempt after one that may have
    reached BaseLinker."""
    invoice = find_invoice(client.get_invoices(order_id=order_id), kind)
    if invoice is None:
        return Plan(CREATE)
    if client.get_invoices(invoice_id=invoice.invoice_id, get_external_invoices=False):
        return Plan(UPLOAD, invoice.invoice_id, invoice.number)
    if invoice.external_invoice_number == number:
        return Plan(PRESENT, invoice.invoice_id, invoice.number)
    return Plan(CONFLICT, invoice.invoice_id, invoice.number, invoice.external_invoice_number)
