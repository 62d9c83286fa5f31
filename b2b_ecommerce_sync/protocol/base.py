"""The interface every shop platform adapter implements, and what they share.

An adapter talks to one shop through an injected HTTP client (``b2b_connector_base.lib.http.HttpClient``
in Odoo: timeouts, retries with Retry-After on 429/5xx, request budget, call log, secrets masked), so it
has no transport of its own and tests can hand it a client pointed at a sandbox peer.

Contract, for every adapter:

* batch methods take any number of records, send them in platform batches of at most ``max_batch``
  and return one :class:`~.model.Result` per record, in input order; a record the shop refuses gives a
  ``Result`` with ``error`` (the others still go); a failure of the whole call (auth, transport,
  an answer that is not the platform's) raises;
* ``fetch_orders`` pages through the platform's listing (``page_size``) and yields
  :class:`~.model.Order` objects oldest first; every paged listing goes through a :class:`Pager`, so it
  ends on an empty page, on a page with nothing new (a shop repeating pages) and at the caps of options
  ``max_pages`` / ``max_records`` (:data:`PAGING_OPTIONS`), whatever the shop says about more pages; why a
  listing was cut short is in ``adapter.warnings`` (the Odoo side adds them to the run's summary);
* errors raise :class:`ShopError` (message written for people); transport failures raise the
  client's ``TransportError`` unchanged;
* every incoming payload is size-capped and parsed safely (JSON here; XML through ``safe_xml``).

Every call goes through one request template, :meth:`ShopAdapter._request`, whose hooks a platform overrides
(``_api_url``, ``_auth``, ``_parse_error``, ``_is_error``, ``refusal_statuses``). An adapter declares what it
reads, for the backend form and its documentation: ``credential_specs`` and ``option_specs``
(:mod:`.options`). Each platform is an addon of its own (``b2b_shop_<platform>``): its ``protocol`` package
holds the adapter (decorated with :func:`documented`), its backend model extends the platform selection and
returns the adapter (``b2b.shop.backend._shop_adapter_class``): which platforms a database knows is which
addons it has installed. There is no registry of adapters here: plain-Python code imports the adapter it
wants.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_connector_base.lib.http import TransportError

from .errors import ShopError
from .model import PROGRESS_EVENTS
from .options import Credential, Option, coerce_options, describe, merged_specs
from .texts import ENGLISH

__all__ = ["MAX_RESPONSE_BYTES", "PAGING_OPTIONS", "ApiRequest", "Credential", "Option", "Pager", "ShopAdapter",
           "ShopError", "basic_auth", "chunks", "coerce_options", "dec", "documented", "iso", "money",
           "parse_datetime", "qty", "text"]

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
# every adapter's options include these: the most pages and records one listing reads (one order run reads one)
PAGING_OPTION_SPECS = (
    Option("max_pages", _lt("Most pages per listing"), "int", 1000,
           help=_lt("a listing stops after this many pages, whatever the shop says about more")),
    Option("max_records", _lt("Most records per listing"), "int", 20000,
           help=_lt("a listing stops after this many records (one order run reads one listing)")),
)
PAGING_OPTIONS = {spec.name: spec.default for spec in PAGING_OPTION_SPECS}

def documented(cls):
    """Class decorator of a platform's adapter: its declarations (credentials, options) appended to its
    docstring."""
    if cls.__dict__.get("__doc__") and "Options (``option_specs``" not in cls.__doc__:
        cls.__doc__ = cls.__doc__.rstrip() + "\n" + describe(cls)
    return cls


@dataclass
class ApiRequest:
    """One request to a shop's API as :meth:`ShopAdapter._request` builds it, before ``_auth`` signs it.
    ``auth``: which credentials sign it (True: the platform's usual ones; a platform may define others; None:
    none); ``what`` names the request in messages ("the order list")."""

    method: str
    path: str
    what: str
    params: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    json: object = None
    data: object = None
    files: object = None
    idempotent: object = None
    auth: object = True


class ShopAdapter:
    """Base class; see the module docstring for the contract, and :meth:`_request` for the request template
    whose hooks a platform overrides."""

    platform = "base"
    label = "Shop"
    max_batch = 100
    page_size = 100
    # platform status codes an order can have, with labels: used for the import filter on the backend form
    order_statuses = ()
    # default platform status for each Odoo progress event (see model.PROGRESS_EVENTS), overridable per backend
    default_status_map = {}
    # default statuses whose orders are imported, and those that cancel an imported order
    default_import_statuses = ()
    default_cancel_statuses = ()
    # what the platform reads (options.Credential, options.Option). A subclass declares its own options; the
    # inherited ones (the paging caps of every adapter) are added to them
    credential_specs = ()
    option_specs = PAGING_OPTION_SPECS
    # derived from the declarations for each subclass: the names of the secrets, and the options' defaults
    credential_fields = ()
    option_defaults = dict(PAGING_OPTIONS)
    # HTTP statuses the platform refuses a request with, whose answer ``_parse_error`` reads
    refusal_statuses = ()
    # push_customers gives each customer the language of ``Customer.lang`` in the shop (else it is not sent)
    sends_customer_lang = False

    def __init_subclass__(cls, **kwargs):  # pylint: disable=missing-return  # a class hook, returns nothing
        super().__init_subclass__(**kwargs)
        inherited = [spec for base in cls.__bases__ for spec in getattr(base, "option_specs", ())]
        cls.option_specs = merged_specs(cls.__dict__.get("option_specs", ()), inherited)
        cls.option_defaults = {spec.name: spec.default for spec in cls.option_specs}
        cls.credential_fields = tuple(credential.name for credential in cls.credential_specs)

    def __init__(self, http, credentials=None, options=None, texts=None):
        """``http``: an HttpClient whose ``base_url`` is the shop's URL; ``credentials``: dict of the
        platform's secrets (see ``credential_specs``); ``options``: dict of platform options (text is typed
        from ``option_specs``); ``texts``: how what is written into the shop for people is worded
        (:class:`.texts.ShopTexts`; English by default)."""
        self.http = http
        self.texts = texts or ENGLISH
        self.credentials = dict(credentials or {})
        self.options = coerce_options(self.option_specs, options or {}, self.label)
        self.warnings = []  # why a listing stopped early (see Pager), for the run's summary
        self._refused_reads = set()  # the names of the reads the shop refused these credentials (_permitted)
        secrets = [text(self.credentials.get(c.name)).strip() for c in self.credential_specs]
        if hasattr(self.http, "secrets") and any(secrets):  # never in a call log
            self.http.secrets = tuple(dict.fromkeys([*self.http.secrets, *filter(None, secrets)]))
        self._configure()

    def _configure(self):
        """Hook: read the credentials and options, set headers on ``self.http`` that every call needs, etc."""

    def _permitted(self, name, read, default, refused=("auth",), warning=None):
        """What ``read()`` gives, for a read the credentials need not allow (the shop's languages, its store
        views): ``default`` when the shop refuses it (a refusal of a kind in ``refused``, or HTTP 401/403),
        after which ``name`` is not asked again by this adapter (run); ``warning``: a template taking ``error``,
        added to the run's warnings when refused."""
        if name in self._refused_reads:
            return default
        try:
            return read()
        except (ShopError, TransportError) as exc:
            if getattr(exc, "kind", "") not in refused and getattr(exc, "status", None) not in (401, 403):
                raise
            self._refused_reads.add(name)
            if warning:
                self.warnings.append(Phrase(warning, error=exc))
            return default

    # ------------------------------------------------------------------ the request template
    def _request(self, method, path, what, *, params=None, json=None, data=None, files=None, headers=None,
                 idempotent=None, expected=(), refusals=None, auth=True, decode=True, **route):
        """One call of the shop's API, as Odoo's ``payment.provider._send_api_request`` makes one: the URL from
        :meth:`_api_url` (``route`` is passed on to it), credentials from :meth:`_auth`, the transport of the
        injected client (timeouts, retries, call log; its ``TransportError`` passes unchanged), an answer with
        one of the ``refusals`` statuses (default ``refusal_statuses``) turned into :meth:`_parse_error`'s
        :class:`ShopError`, then the size-capped JSON body, which :meth:`_is_error` may still find an error.
        Returns the decoded answer; ``decode=False``: the response itself. ``expected`` statuses are returned
        to the caller, not refused."""
        request = ApiRequest(method.upper(), path, what, dict(params or {}), dict(headers or {}), json, data,
                             files, idempotent, auth)
        if request.auth:
            self._auth(request)
        refusals = tuple(self.refusal_statuses if refusals is None else refusals)
        expected = tuple(expected or ())
        response = self.http.request(
            request.method, self._api_url(request.path, **route), params=request.params or None,
            json=request.json, data=request.data, files=request.files, headers=request.headers or None,
            idempotent=request.idempotent, expected=tuple(dict.fromkeys(refusals + expected)) or None)
        if response.status_code in refusals and response.status_code not in expected:
            raise self._parse_error(response, what)
        return self._answer(response, what) if decode else response

    def _answer(self, response, what):
        """The decoded JSON of an answer (size-capped); raises what :meth:`_is_error` finds in it."""
        payload = self.json_of(response, what)
        error = self._is_error(payload, what)  # pylint: disable=assignment-from-none  # a platform overrides the hook
        if error is not None:
            raise error
        return payload

    def _api_url(self, path, **route):
        """Hook: the URL (or the path under the client's ``base_url``) of the API ``path``."""
        return path

    def _auth(self, request):
        """Hook: sign ``request`` (an :class:`ApiRequest`): add its credentials to ``request.headers`` or
        ``request.params``; raise ``ShopError(kind="config")`` when they are missing. Headers every call
        carries may instead be set once on ``self.http.session`` in :meth:`_configure`."""

    def _parse_error(self, response, what):
        """Hook: the :class:`ShopError` of a refusal (an answer with one of ``refusal_statuses``): the
        platform's message and the kind ("not_found", "payload"...)."""
        status = response.status_code
        # "status" is ShopError's own argument, not a parameter of the text
        return ShopError("shop.refused", _lt("%(shop)s refused %(what)s: HTTP %(http_status)s"), shop=self.label,
                         what=what, http_status=status, kind="not_found" if status in (404, 410) else "payload",
                         status=status)

    def _is_error(self, payload, what):
        """Hook: the :class:`ShopError` of an answer that is an error in spite of its 2xx status (GraphQL's
        ``errors``), else None."""
        return None

    # ------------------------------------------------------------------ the interface
    def test_connection(self):
        """One cheap authenticated read; returns a sentence naming the shop."""
        raise NotImplementedError

    def push_categories(self, categories):
        """Create or update categories (parents before children); ``Result.key`` is ``Category.key``.
        A category whose ``parent_key`` is in the same call gets the parent's new remote id."""
        raise NotImplementedError

    def push_products(self, products):
        """Create (no ``remote_id``) or update products; ``Result.key`` is the SKU. A product without
        ``remote_id`` whose SKU already exists in the shop is linked and updated, not duplicated."""
        raise NotImplementedError

    def push_stock(self, levels):
        raise NotImplementedError

    def push_prices(self, prices):
        raise NotImplementedError

    def push_customers(self, customers):
        """Create or update customers; a customer whose e-mail exists is linked, not duplicated."""
        raise NotImplementedError

    def fetch_orders(self, since=None, statuses=None):
        """Yield orders modified at or after ``since`` (naive UTC, None: all), with one of ``statuses``
        (platform codes; None: any), oldest first."""
        raise NotImplementedError

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        """Tell the shop about an Odoo progress ``event`` (confirmed/shipped/delivered/cancelled):
        set the platform ``status`` (default from ``status_for``), add the shipment's carrier and
        tracking number, optionally have the shop notify the customer. Returns a sentence saying what was
        done (for the exchange log) - a ``Phrase`` (``b2b_connector_base.lib.errors``), which the log shows in the
        user's language; sending the same event again must not duplicate tracking or notes."""
        raise NotImplementedError

    def attach_invoice(self, remote_id, document):
        """Give the order its invoice (:class:`~.model.InvoiceDocument`); returns a sentence / reference of
        what was stored remotely. Must not attach the same invoice number twice (check first)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ shared helpers
    def pager(self, what):
        """A :class:`Pager` for one listing (``what``: its name in warnings, e.g. "the order list")."""
        return Pager(self.label, what, self.options["max_pages"], self.options["max_records"], self.warnings)

    def status_for(self, event, overrides=None):
        if event not in PROGRESS_EVENTS:
            raise ShopError("shop.event.unknown", _lt("unknown order event %(event)s"), event=repr(event),
                            kind="config")
        status = (overrides or {}).get(event) or self.default_status_map.get(event)
        if not status:
            raise ShopError("shop.event.no_status", _lt("%(shop)s has no order status for '%(event)s'"),
                            shop=self.label, event=event, kind="config")
        return status

    def _expect(self, data, kind, what):
        """``data`` when it is a ``kind`` (list or dict), else the :class:`ShopError` of a broken answer."""
        if not isinstance(data, kind):
            raise ShopError("shop.answer.type", _lt("%(shop)s answered %(what)s with a %(got)s instead of a "
                                                    "%(expected)s"),
                            shop=self.label, what=what, got=type(data).__name__,
                            expected="list" if kind is list else "JSON object", kind="answer")
        return data

    def json_of(self, response, what):
        """The decoded JSON body of ``response`` (size-capped); :class:`ShopError` when it is not JSON."""
        body = response.content or b""
        if len(body) > MAX_RESPONSE_BYTES:
            raise ShopError("shop.answer.too_large", _lt("%(shop)s answered %(what)s with %(size)s bytes (limit "
                                                         "%(limit)s)"),
                            shop=self.label, what=what, size=len(body), limit=MAX_RESPONSE_BYTES, kind="answer")
        try:
            return json.loads(body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            raise ShopError("shop.answer.not_json", _lt("%(shop)s answered %(what)s with something that is not JSON: "
                                                        "%(body)s"),
                            shop=self.label, what=what, body=repr(body[:120]), kind="answer") from None


class Pager:
    """The guard of one paged listing: a shop may announce pages that never end (``X-WP-TotalPages:
    1000000``), repeat a page forever, or send cursors that go round. ``page(items)`` keeps the items not seen
    before (by ``key``); ``more(has_more)`` says whether to ask for the next page: only when the shop says
    there is one, the page was not empty, it brought something new and the caps (``max_pages`` pages,
    ``max_records`` records) are not reached. A listing stopped early says why in ``warnings``."""

    def __init__(self, label, what, max_pages, max_records, warnings=None):
        self.label = label
        self.what = what
        self.max_pages = max(1, int(max_pages))
        self.max_records = max(1, int(max_records))
        self.warnings = warnings if warnings is not None else []
        self.pages = 0
        self.records = 0
        self.seen = set()
        self.stopped = False

    def page(self, items, key=None):
        """The items of the next page not seen before, in order (no more than the record cap leaves)."""
        items = list(items)
        self.pages += 1
        fresh = []
        for item in items:
            k = key(item) if key else item
            if k not in self.seen:
                self.seen.add(k)
                fresh.append(item)
        if not items:
            self.stopped = True  # an empty page: the end, whatever the shop said
        elif not fresh:
            self.stopped = True
            self._warn(Phrase(_lt("%(shop)s sent page %(page)s of %(what)s again (nothing new on it): stopped "
                                  "reading there."), shop=self.label, page=self.pages, what=self.what))
        capped = len(fresh) > self.max_records - self.records
        if capped:
            fresh = fresh[:self.max_records - self.records]
        self.records += len(fresh)
        if capped:
            self.stopped = True
            self._warn_cap()
        return fresh

    def more(self, has_more=True):
        """Whether to read the next page (``has_more``: the shop's own paging says there is one)."""
        if self.stopped or not has_more:
            return False
        if self.pages >= self.max_pages or self.records >= self.max_records:
            self.stopped = True
            self._warn_cap()
            return False
        return True

    def _warn_cap(self):
        self._warn(Phrase(_lt("%(shop)s: %(what)s stopped at the cap of %(max_pages)s pages / %(max_records)s "
                              "records (options max_pages / max_records) after %(pages)s pages and %(records)s "
                              "records; what follows was not read."), shop=self.label, what=self.what,
                          max_pages=self.max_pages, max_records=self.max_records, pages=self.pages,
                          records=self.records))

    def _warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), max(1, int(size))):
        yield items[start:start + size]


def dec(value, default=Decimal(0)):
    """A Decimal from a platform's number or numeric string ("", None -> default)."""
    if value is None or value == "":
        return default
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ShopError("shop.value.number", _lt("not a number: %(value)s"), value=repr(value), kind="answer") from None


def text(value):
    """A platform value as text ("" for None)."""
    return "" if value is None else str(value)


def basic_auth(user, password):
    """An HTTP Basic ``Authorization`` header value."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def money(value):
    """A platform money string with two decimals."""
    return f"{Decimal(value or 0).quantize(Decimal('0.01'))}"


def qty(value):
    """A quantity as the shops want it: an integer when whole."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(value)


_TZ_RE = re.compile(r"(Z|[+-]\d\d:?\d\d)$")


def parse_datetime(value):
    """Naive UTC datetime from ISO 8601 (with or without zone; no zone means UTC) or MySQL format."""
    if not value:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip().replace(" ", "T", 1)
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ShopError("shop.value.date", _lt("not a date: %(value)s"), value=repr(value), kind="answer") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def iso(dt):
    """ISO 8601 UTC without offset (what WooCommerce's *_gmt filters and most APIs take)."""
    return dt.replace(microsecond=0).isoformat() if dt else ""
