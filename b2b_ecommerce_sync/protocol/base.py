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
"""

import importlib
import json
import re
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from .model import PROGRESS_EVENTS

MAX_RESPONSE_BYTES = 20 * 1024 * 1024
ADAPTERS = {}
# every adapter's options include these: the most pages and records one listing reads (one order run reads one)
PAGING_OPTIONS = {"max_pages": 1000, "max_records": 20000}


class ShopError(Exception):
    """A shop refused something, or answered what a shop of that platform would not answer.

    ``kind``: "auth", "not_found", "payload" (our data was refused), "answer" (their answer is broken),
    "config" (the backend is set up wrong), "remote". ``retryable`` for transient remote states."""

    user_facing = True

    def __init__(self, message, kind="remote", retryable=False, status=None):
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable
        self.status = status


def register(cls):
    ADAPTERS[cls.platform] = cls
    return cls


PLATFORM_MODULES = ("woocommerce", "prestashop", "magento2", "shopify")


def get_adapter(platform):
    """The adapter class of ``platform`` (importing its module registers it)."""
    if platform not in ADAPTERS and platform in PLATFORM_MODULES:
        importlib.import_module(f"{__package__}.{platform}")
    try:
        return ADAPTERS[platform]
    except KeyError:
        raise ShopError(f"unknown shop platform {platform!r}", kind="config") from None


class ShopAdapter:
    """Base class; see the module docstring for the contract."""

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

    def __init__(self, http, credentials=None, options=None):
        """``http``: an HttpClient whose ``base_url`` is the shop's URL; ``credentials``: dict of the
        platform's secrets (see ``credential_fields``); ``options``: dict of platform options."""
        self.http = http
        self.credentials = dict(credentials or {})
        self.options = coerce_options({**PAGING_OPTIONS, **self.option_defaults}, options or {}, self.label)
        self.warnings = []  # why a listing stopped early (see Pager), for the run's summary
        self._configure()

    # the options the platform reads, with their defaults; a default's type is the option's type
    option_defaults = {}

    # the names of the secrets the platform needs (the Odoo backend form shows these)
    credential_fields = ()

    def _configure(self):
        """Hook: set authentication headers on ``self.http`` etc."""

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
        done (for the exchange log); sending the same event again must not duplicate tracking or notes."""
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
            raise ShopError(f"unknown order event {event!r}", kind="config")
        status = (overrides or {}).get(event) or self.default_status_map.get(event)
        if not status:
            raise ShopError(f"{self.label} has no order status for '{event}'", kind="config")
        return status

    def json_of(self, response, what):
        """The decoded JSON body of ``response`` (size-capped); :class:`ShopError` when it is not JSON."""
        body = response.content or b""
        if len(body) > MAX_RESPONSE_BYTES:
            raise ShopError(f"{self.label} answered {what} with {len(body)} bytes (limit {MAX_RESPONSE_BYTES})",
                            kind="answer")
        try:
            return json.loads(body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            raise ShopError(f"{self.label} answered {what} with something that is not JSON: {body[:120]!r}",
                            kind="answer") from None


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
            self._warn(f"{self.label} sent page {self.pages} of {self.what} again (nothing new on it): "
                       f"stopped reading there.")
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
        self._warn(f"{self.label}: {self.what} stopped at the cap of {self.max_pages} pages / {self.max_records} "
                   f"records (options max_pages / max_records) after {self.pages} pages and {self.records} "
                   f"records; what follows was not read.")

    def _warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)


_YES = ("1", "true", "yes", "y", "on")
_NO = ("0", "false", "no", "n", "off", "none")


def coerce_options(defaults, options, label="shop"):
    """The options with every default filled in and every value of the default's type: options often
    arrive as text (the Odoo form), where "False" must be false and "5" a number. Unknown keys pass as given."""
    result = dict(defaults)
    for key, value in options.items():
        default = defaults.get(key)
        if value is None or (value == "" and key in defaults):
            continue
        try:
            if isinstance(default, bool):
                text = str(value).strip().lower()
                if text not in _YES + _NO:
                    raise ValueError("not yes or no")
                value = text in _YES
            elif isinstance(default, int):
                value = int(str(value).strip())
            elif isinstance(default, float):
                value = float(str(value).strip())
        except ValueError:
            raise ShopError(f"{label} option {key}: {value!r} is not a valid {type(default).__name__}",
                            kind="config") from None
        result[key] = value
    return result


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
        raise ShopError(f"not a number: {value!r}", kind="answer") from None


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
            raise ShopError(f"not a date: {value!r}", kind="answer") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def iso(dt):
    """ISO 8601 UTC without offset (what WooCommerce's *_gmt filters and most APIs take)."""
    return dt.replace(microsecond=0).isoformat() if dt else ""
