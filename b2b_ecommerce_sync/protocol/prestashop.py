"""PrestaShop 8 webservice (``<shop>/api``) as a :class:`~.base.ShopAdapter`.

The webservice as PrestaShop documents it (devdocs "Webservice", and the webservice classes of the core):

* every resource lives at ``<shop>/api/<resource>[/<id>]``; HTTP Basic auth with the webservice key as
  the user name and an empty password; a wrong or inactive key answers 401 with PrestaShop's error
  document (codes 16-21), a resource the key may not use 401 (code 26), a method it may not use 405;
* reads: ``output_format=JSON``, ``display=full`` (or ``[field,...]``), ``filter[field]=[a|b]`` (OR list),
  ``[from,to]`` (interval; ``date_add``/``date_upd`` need ``date=1``, also for sorting), ``[prefix]%``
  (LIKE), ``sort=[field_ASC,...]``, ``limit=offset,count``. There are no paging headers or totals: page
  until a page comes back short. An empty list is ``[]``. Multilingual fields are plain strings when
  ``language=<id>`` asks for one language, else ``[{"id", "value"}]``;
* writes: XML bodies ``<prestashop><product>...</product></prestashop>``, multilingual fields as
  ``<name><language id="1">...</language></name>``. POST creates (201); PATCH (PrestaShop 8) changes only
  the fields sent. PUT would blank every optional field left out, so it is not used. No batch writes:
  one call per record;
* errors: ``<prestashop><errors><error><code/><message/></error></errors></prestashop>`` (JSON:
  ``{"errors": [{"code", "message"}]}``) with HTTP 400 (validation 84/85, required field 41, ...),
  401, 404 (an unknown id on PATCH is 404 code 92; a GET of an unknown id is an empty 404), 405, 500;
* dates are the shop's local time (``PS_TIMEZONE``), hence the ``timezone`` option;
* PrestaShop has no throttling of its own; front proxies answer 503 + Retry-After under load, which the
  injected HTTP client honours (as it does 429).
"""

import json
import re
import secrets as _secrets
import unicodedata
from datetime import date, timezone
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.http import TransportError

from . import model
from .base import MAX_RESPONSE_BYTES, PAGING_OPTIONS, ShopAdapter, ShopError, chunks, dec, parse_datetime, register

XLINK = "http://www.w3.org/1999/xlink"

# PrestaShop 8's default order states (ids of a fresh install; a shop may add its own)
ORDER_STATES = (
    ("1", "Awaiting check payment"),
    ("2", "Payment accepted"),
    ("3", "Processing in progress"),
    ("4", "Shipped"),
    ("5", "Delivered"),
    ("6", "Canceled"),
    ("7", "Refunded"),
    ("8", "Payment error"),
    ("9", "On backorder (paid)"),
    ("10", "Awaiting bank wire payment"),
    ("11", "Remote payment accepted"),
    ("12", "On backorder (not paid)"),
    ("13", "Awaiting Cash On Delivery validation"),
)

# what each flow needs from the webservice key (test_connection checks it): resource -> methods
NEEDED_PERMISSIONS = {
    "products": ("get", "post", "patch"),
    "categories": ("get", "post", "patch"),
    "stock_availables": ("get", "patch"),
    "specific_prices": ("get", "post", "patch", "delete"),
    "customers": ("get", "post", "patch"),
    "addresses": ("get", "post", "patch"),
    "countries": ("get",),
    "states": ("get",),
    "currencies": ("get",),
    "carriers": ("get",),
    "taxes": ("get",),
    "cart_rules": ("get",),
    "order_states": ("get",),
    "orders": ("get",),
    "order_details": ("get",),
    "order_cart_rules": ("get",),
    "order_payments": ("get",),
    "order_carriers": ("get", "patch"),
    "order_histories": ("get", "post"),
    "customer_threads": ("get", "post"),
    "customer_messages": ("get", "post"),
}

ZERO_DATES = ("", "0000-00-00", "0000-00-00 00:00:00")
_XML_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# PrestaShop's filter syntax splits a bracketed value on "|" (OR list) and reads "digits,digits" as an
# interval; the OR branch does not escape quotes. Such values are searched by a LIKE on their prefix.
_INTERVAL_LIKE = re.compile(r"^[\d.:\-\s]+,[\d.:\-\s]+$")
_OR_UNSAFE = re.compile(r'[|\[\]"\\`]')
_PREFIX_CUT = re.compile(r'[|\[\],"\\`%_]')
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_DIGITS = re.compile(r"^\d+$")
MAX_FILTER_CHARS = 3000  # keep list URLs well under the 8 KB request line of common front servers


class I18n:
    """A multilingual field value (sent for the adapter's language)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text or ""


class RecordRefused(ShopError):
    """PrestaShop refused one record (validation error, unknown id...): becomes that record's Result."""

    def __init__(self, message, status=None):
        super().__init__(message, kind="payload", status=status)


# ---------------------------------------------------------------------------- helpers
def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    return _XML_BAD_CHARS.sub("", str(value))


def _dec6(value):
    return Decimal(value or 0).quantize(Decimal("0.000001"))


def _flag(value):
    return str(value).strip().lower() in ("1", "true")


def _slug(text):
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-zA-Z0-9]+", "-", ascii_text).strip("-").lower()[:128] or "item"


def lang_text(value, language="1"):
    """The text of a multilingual field as the JSON output gives it (a string, or [{"id", "value"}])."""
    if value is None:
        return ""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and str(item.get("id")) == str(language):
                return str(item.get("value") or "")
        first = value[0] if value else None
        return str(first.get("value") or "") if isinstance(first, dict) else ""
    if isinstance(value, dict):
        return str(value.get("value") or "")
    return str(value)


def assoc_ids(record, name):
    """Ids of an association (``associations: {"categories": [{"id": "2"}]}``) of a JSON record."""
    items = ((record or {}).get("associations") or {}).get(name) or []
    return [str(i.get("id")) for i in items if isinstance(i, dict) and i.get("id") not in (None, "")]


def ps_errors(body):
    """[(code, message)] of a PrestaShop error document (XML or JSON); [] when it is not one."""
    if not body:
        return []
    if isinstance(body, str):
        body = body.encode("utf-8", "replace")
    head = body.lstrip()[:1]
    try:
        if head in (b"{", b"["):
            if len(body) > MAX_RESPONSE_BYTES:
                return []
            data = json.loads(body.decode("utf-8"))
            errors = data.get("errors") if isinstance(data, dict) else None
            return [(str(e.get("code") or ""), str(e.get("message") or "").strip())
                    for e in errors or [] if isinstance(e, dict)]
        if head == b"<":
            root = safe_xml.parse_xml(body, max_bytes=MAX_RESPONSE_BYTES, what="PrestaShop error answer")
            return [((e.findtext("code") or "").strip(), (e.findtext("message") or "").strip())
                    for e in root.iter("error")]
    except (ValueError, UnicodeDecodeError):  # XMLInputError is a ValueError
        return []
    return []


_HINTS = {
    "16": "no webservice key was sent",
    "17": "the webservice key is empty",
    "18": "a webservice key has 32 characters",
    "20": "the webservice key is unknown or disabled",
    "21": "the webservice key has no permissions",
    "22": "the webservice is disabled in the back office (Advanced Parameters > Webservice)",
    "25": "the webservice key lacks this permission",
    "26": "the webservice key lacks this permission",
    "101": "PrestaShop does not allow this on the resource",
}


def explain(errors, status=None):
    parts = []
    for code, message in errors:
        hint = _HINTS.get(code)
        text = message or f"error {code}"
        if hint and hint.lower() not in text.lower():
            text = f"{text} ({hint})"
        parts.append(text)
    return "; ".join(parts) or (f"HTTP {status}" if status else "no error text")


def _or_safe(value):
    return not (_OR_UNSAFE.search(value) or _INTERVAL_LIKE.match(value))


def _pick(records, wanted, field, language, prefer=None):
    """The record whose ``field`` is ``wanted``: exact match first, then case-insensitive (MySQL's
    collation); ``prefer`` ranks the candidates (lower first), then the oldest id."""
    if not records:
        return None
    exact = [r for r in records if _value(r, field, language) == wanted]
    pool = exact or [r for r in records if _value(r, field, language).casefold() == wanted.casefold()]
    if not pool:
        return None
    return sorted(pool, key=lambda r: ((prefer(r) if prefer else 0), int(r.get("id") or 0)))[0]


def _value(record, field, language):
    return lang_text(record.get(field), language).strip()


# ---------------------------------------------------------------------------- the adapter
@register
class PrestaShopAdapter(ShopAdapter):
    """PrestaShop 8 through its webservice.

    Credentials: ``key``: the webservice key (Advanced Parameters > Webservice; 32 characters), sent as
    the HTTP Basic user name with an empty password. ``secret`` and ``extra`` are not used (PrestaShop
    has one key per account). The key needs the permissions listed in :data:`NEEDED_PERMISSIONS` (plus
    ``attachments`` POST/GET with ``upload_pdf``, ``images`` POST with ``sync_images``); test_connection
    names the missing ones.

    Options (``option_defaults``):

    * ``api_path`` ("/api"): the webservice path under the shop URL (``http.base_url``);
    * ``language`` ("1"): language id of the multilingual fields written and read;
    * ``shop`` ("1"): shop id sent as ``id_shop`` (multistore); "" sends none;
    * ``timezone`` ("UTC"): the shop's time zone (PS_TIMEZONE); PrestaShop dates are local time;
    * ``root_category`` ("2", "Home"): parent of top-level categories and default category of new
      products without categories;
    * ``default_group`` ("3", "Customer"): customer group of new customers without ``Customer.group``;
    * ``visibility`` ("both"): visibility of new products;
    * ``billing_alias`` / ``shipping_alias`` ("Billing" / "Shipping"): aliases of the addresses we keep
      for a customer (matched on update, so they are updated instead of added again);
    * ``gift_card_pattern``: regular expression on a cart rule's name or code that makes it a
      "gift_card" line (PrestaShop has no gift cards of its own; they are cart rules); others are
      "coupon" lines;
    * ``upload_pdf`` (False): also upload the invoice PDF as a PrestaShop attachment
      (``/api/attachments/file``). Off by default: PrestaShop attachments are product downloads that
      its front office serves to anyone who knows the id;
    * ``employee`` ("1"): employee id shown as author of the messages we add to orders;
    * ``contact`` ("0"): customer-service contact id of the message threads we open;
    * ``sync_images`` (True): upload a product's images when the shop's product has none yet;
    * ``tracking_message`` (True): on ``update_order(..., notify=True)`` with a tracking URL, also add a
      customer-visible message with carrier, tracking number and URL (once per tracking number);
    * ``max_pages`` (1000) / ``max_records`` (20000): the most pages and records one listing reads (a
      listing also ends on a short page, an empty one or one with nothing new).

    Remote ids: ``Product.remote_id``, ``StockLevel.remote_id`` and ``Price.remote_id`` are PrestaShop
    product ids (without one, the product is found by its reference = SKU); customers by id, else by
    e-mail (registered accounts only; guest checkouts with the same e-mail are left alone).
    """

    platform = "prestashop"
    label = "PrestaShop"
    # no batch writes: a "batch" is one lookup call (filter on up to max_batch references / e-mails /
    # ids) followed by one write per record
    max_batch = 100
    page_size = 50
    credential_fields = ("key",)
    order_statuses = ORDER_STATES
    default_status_map = {"confirmed": "3", "shipped": "4", "delivered": "5", "cancelled": "6"}
    default_import_statuses = ("2", "3", "9", "11")
    default_cancel_statuses = ("6",)
    option_defaults = {
        "api_path": "/api",
        "language": "1",
        "shop": "1",
        "timezone": "UTC",
        "root_category": "2",
        "default_group": "3",
        "visibility": "both",
        "billing_alias": "Billing",
        "shipping_alias": "Shipping",
        "gift_card_pattern": r"(?i)gift[\s_-]*(card|voucher|certificate)|cadeau(kaart|bon)|carte[\s-]cadeau|gutschein",
        "upload_pdf": False,
        "employee": "1",
        "contact": "0",
        "sync_images": True,
        "tracking_message": True,
        **PAGING_OPTIONS,
    }

    def _configure(self):
        options = self.options  # defaults filled in and typed by ShopAdapter
        self.key = str(self.credentials.get("key") or "").strip()
        session = getattr(self.http, "session", None)
        if self.key and session is not None:
            session.auth = (self.key, "")
            self.http.secrets = tuple(getattr(self.http, "secrets", ()) or ()) + (self.key,)
        self.api_path = "/" + str(options["api_path"]).strip().strip("/")
        self.language = str(options["language"]).strip() or "1"
        self.shop = str(options["shop"] or "").strip()
        try:
            self.zone = ZoneInfo(str(options["timezone"] or "UTC"))
        except (ZoneInfoNotFoundError, ValueError):
            raise ShopError(f"unknown time zone {options['timezone']!r} (PrestaShop option 'timezone')",
                            kind="config") from None
        try:
            self.gift_card_re = re.compile(options["gift_card_pattern"] or r"(?!)")
        except re.error as exc:
            raise ShopError(f"PrestaShop option 'gift_card_pattern' is not a valid expression: {exc}",
                            kind="config") from None
        for name in ("root_category", "default_group", "employee", "contact"):
            if not _DIGITS.match(str(options[name]).strip()):
                raise ShopError(f"PrestaShop option {name!r} must be an id (a number)", kind="config")
        self._cache = {}

    # ------------------------------------------------------------------ transport
    def _rid(self, value, what="id"):
        text = str(value if value is not None else "").strip()
        if not _DIGITS.match(text):
            raise RecordRefused(f"{text!r} is not a PrestaShop {what}")
        return text

    def _call(self, method, resource, rid=None, *, params=None, data=None, files=None, expected=None,
              idempotent=None, json_out=True):
        if not self.key:
            raise ShopError("no PrestaShop webservice key configured", kind="config")
        path = f"{self.api_path}/{resource}" if resource else f"{self.api_path}/"
        if rid not in (None, ""):
            path += f"/{rid}"
        query = {"output_format": "JSON"} if json_out else {}
        if self.shop:
            query["id_shop"] = self.shop
        query.update(params or {})
        headers = {"Content-Type": "text/xml; charset=utf-8"} if data is not None and files is None else None
        return self.http.request(method, path, params=query, data=data, files=files, headers=headers,
                                 expected=expected, idempotent=idempotent)

    def _records(self, data, plural, what):
        if data in (None, [], {}):
            return []
        if isinstance(data, dict) and isinstance(data.get(plural), list):
            rows = data[plural]
            if all(isinstance(r, dict) and "id" in r for r in rows):
                return rows
        if isinstance(data, dict) and data.get("errors"):
            raise ShopError(f"PrestaShop answered {what} with errors: "
                            f"{explain(ps_errors(json.dumps(data).encode()))}", kind="remote")
        raise ShopError(f"PrestaShop answered {what} with something that is not a list of {plural}",
                        kind="answer")

    def _list(self, resource, filters=None, *, display="full", sort=None, limit=None, date=False):
        params = {"display": display, "language": self.language}
        for field, value in (filters or {}).items():
            params[f"filter[{field}]"] = value
        if sort:
            params["sort"] = sort
        if limit:
            params["limit"] = limit
        if date:
            params["date"] = "1"
        what = f"the {resource} list"
        response = self._call("GET", resource, params=params)
        return self._records(self.json_of(response, what), resource, what)

    def _get(self, resource, node, rid):
        """One record, or None when PrestaShop has no such id."""
        rid = self._rid(rid, f"{node} id")
        what = f"{node} {rid}"
        response = self._call("GET", resource, rid, params={"language": self.language}, expected=(404,))
        if response.status_code == 404:
            return None
        data = self.json_of(response, what)
        if isinstance(data, dict) and isinstance(data.get(node), dict):
            return data[node]
        raise ShopError(f"PrestaShop answered {what} without a {node}", kind="answer")

    def _value_chunks(self, values):
        chunk, size = [], 0
        for value in values:
            if chunk and (len(chunk) >= self.max_batch or size + len(value) + 3 > MAX_FILTER_CHARS):
                yield chunk
                chunk, size = [], 0
            chunk.append(value)
            size += len(value) + 3
        if chunk:
            yield chunk

    def _list_in(self, resource, field, values, extra=None, display="full"):
        """Records whose ``field`` is one of ``values`` (ids, references... safe for an OR list)."""
        values = list(dict.fromkeys(str(v) for v in values if str(v or "").strip()))
        rows = []
        for chunk in self._value_chunks(values):
            rows += self._list(resource, {field: "[" + "|".join(chunk) + "]", **(extra or {})}, display=display)
        return rows

    def _find_by_values(self, resource, field, values, extra=None):
        """{casefolded value: [records]} for ``values`` of ``field``; values the filter syntax cannot carry
        are searched by their prefix (LIKE) and matched here; returns (index, unsearchable values)."""
        values = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        safe = [v for v in values if _or_safe(v)]
        rows = []
        for chunk in self._value_chunks(safe):
            rows += self._list(resource, {field: "[" + "|".join(chunk) + "]", **(extra or {})})
        unsearchable = set()
        for value in values:
            if value in safe:
                continue
            prefix = _PREFIX_CUT.split(value, 1)[0]
            if len(prefix) < 2:
                unsearchable.add(value)
                continue
            rows += self._list(resource, {field: f"[{prefix}]%", **(extra or {})}, limit="0,1000")
        index = {}
        for row in rows:
            index.setdefault(_value(row, field, self.language).casefold(), []).append(row)
        return index, unsearchable

    def _by_id(self, resource, ids):
        """{id: record} for reference data (countries, currencies, carriers, taxes...), cached."""
        cache = self._cache.setdefault(resource, {})
        missing = [str(i) for i in ids if str(i or "0") != "0" and str(i) not in cache]
        for row in self._list_in(resource, "id", missing):
            cache[str(row["id"])] = row
        return cache

    def _xml(self, node, fields):
        root = etree.Element("prestashop", nsmap={"xlink": XLINK})
        element = etree.SubElement(root, node)
        for name, value in fields.items():
            if name == "associations":
                associations = etree.SubElement(element, "associations")
                for assoc_name, (item_node, items) in value.items():
                    assoc = etree.SubElement(associations, assoc_name)
                    for item in items:
                        item_el = etree.SubElement(assoc, item_node)
                        for key, val in item.items():
                            etree.SubElement(item_el, key).text = _text(val)
                continue
            child = etree.SubElement(element, name)
            if isinstance(value, I18n):
                etree.SubElement(child, "language", id=self.language).text = _text(value.text)
            else:
                child.text = _text(value)
        return safe_xml.to_bytes(root, pretty=False)

    def _refusal(self, response, what):
        return RecordRefused(f"PrestaShop refused {what}: {explain(ps_errors(response.content), response.status_code)}",
                             status=response.status_code)

    def _send(self, method, resource, node, rid=None, *, what, data=None, files=None, params=None, json_out=True):
        """A write; the record PrestaShop answers (``node`` None: no answer needed). Refusals of the
        record raise :class:`RecordRefused`."""
        try:
            response = self._call(method, resource, rid, params=params, data=data, files=files,
                                  expected=(400, 404, 405, 413), idempotent=method in ("PATCH", "PUT", "DELETE"),
                                  json_out=json_out)
        except TransportError as exc:
            # a PrestaShop error document on a 500 ("Unable to save resource", a PHP error) is about
            # this record; a 500 without one (proxy, crash) is the shop's problem and raises
            errors = ps_errors(exc.body) if exc.status == 500 else []
            if errors:
                raise RecordRefused(f"PrestaShop failed {what}: {explain(errors, 500)}", status=500) from None
            raise
        if response.status_code == 405:
            raise ShopError(f"PrestaShop does not allow {what}: {explain(ps_errors(response.content), 405)}",
                            kind="config", status=405)
        if method == "DELETE" and response.status_code == 404:
            return {}  # already gone
        if response.status_code == 413:
            raise RecordRefused(f"the shop's server refused {what}: the request is too large (HTTP 413)", status=413)
        if response.status_code in (400, 404):
            raise self._refusal(response, what)
        if method == "DELETE" or node is None:
            return {}
        data = self.json_of(response, what)
        if isinstance(data, dict) and isinstance(data.get(node), dict) and data[node].get("id") not in (None, ""):
            return data[node]
        raise ShopError(f"PrestaShop answered {what} without the {node}", kind="answer")

    def _write(self, method, resource, node, fields, rid=None, *, what, params=None):
        return self._send(method, resource, node, rid, what=what, data=self._xml(node, fields), params=params)

    # ------------------------------------------------------------------ dates
    def _local(self, dt):
        """Naive UTC -> the shop's local time as PrestaShop writes it."""
        dt = dt.astimezone(timezone.utc) if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
        return dt.astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")

    def _utc(self, text):
        """A PrestaShop local date -> naive UTC (None for the zero date)."""
        if text is None or str(text).strip() in ZERO_DATES:
            return None
        dt = parse_datetime(str(text).strip())
        return dt.replace(tzinfo=self.zone).astimezone(timezone.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------ connection
    def test_connection(self):
        """GET /api/: the resources (and methods) the key may use, and the shop's name."""
        response = self._call("GET", "", json_out=False)
        root = safe_xml.parse_xml(response.content, max_bytes=MAX_RESPONSE_BYTES,
                                  what="PrestaShop's resource list")
        api = root.find("api")
        if root.tag != "prestashop" or api is None:
            raise ShopError("the shop answered /api/ with something that is not PrestaShop's resource list",
                            kind="answer")
        granted = {}
        for element in api:
            if not isinstance(element.tag, str):
                continue
            methods = {m for m in ("get", "put", "post", "patch", "delete", "head") if element.get(m) == "true"}
            if "patch" not in element.attrib and "put" in methods:  # older lists have no patch attribute
                methods.add("patch")
            granted[element.tag] = methods
        needed = dict(NEEDED_PERMISSIONS)
        if self.options.get("upload_pdf"):
            needed["attachments"] = ("get", "post")
        if self.options.get("sync_images"):
            needed["images"] = ("post",)
        missing = [f"{res} ({', '.join(m.upper() for m in methods if m not in granted.get(res, ()))})"
                   for res, methods in sorted(needed.items())
                   if any(m not in granted.get(res, ()) for m in methods)]
        shop = api.get("shopName") or "?"
        if missing:
            raise ShopError(f'PrestaShop shop "{shop}": the webservice key lacks permissions for '
                            + "; ".join(missing), kind="config")
        version = response.headers.get("PSWS-Version") or "(version not given)"
        return f'Connected to PrestaShop {version} shop "{shop}"; the webservice key has every permission needed'

    # ------------------------------------------------------------------ categories
    def push_categories(self, categories):
        categories = list(categories)
        known = {str(r["id"]): r for r in self._list_in(
            "categories", "id", [c.remote_id for c in categories if _DIGITS.match(str(c.remote_id or ""))])}
        remote_ids, failed, results = {}, set(), []
        root = str(self.options["root_category"])
        for category in categories:
            try:
                parent = None
                if category.parent_key:
                    if category.parent_key in failed:
                        raise RecordRefused(f"its parent category {category.parent_key} was not pushed")
                    parent = remote_ids.get(category.parent_key)
                elif category.parent_remote_id:  # the parent is already in the shop, not in this call
                    parent = str(category.parent_remote_id)
                remote = known.get(str(category.remote_id or ""))
                parent_for_lookup = parent or root
                if remote is None:
                    remote = self._find_category(category.name, parent_for_lookup)
                fields = {"name": I18n(category.name), "description": I18n(category.description), "active": "1"}
                if remote is None or parent or not category.parent_key:
                    fields["id_parent"] = parent_for_lookup
                if remote is not None:
                    rid = str(remote["id"])
                    changes = self._changes(remote, fields)
                    if changes:
                        self._write("PATCH", "categories", "category", {"id": rid, **changes}, rid,
                                    what=f"updating category {category.name!r}")
                    results.append(model.Result(key=category.key, remote_id=rid))
                else:
                    fields["link_rewrite"] = I18n(_slug(category.name))
                    record = self._write("POST", "categories", "category", fields,
                                         what=f"creating category {category.name!r}")
                    rid = str(record["id"])
                    results.append(model.Result(key=category.key, remote_id=rid, created=True))
                remote_ids[category.key] = rid
            except RecordRefused as exc:
                failed.add(category.key)
                results.append(model.Result(key=category.key, error=str(exc)))
        return results

    def _find_category(self, name, parent_id):
        index, _unsearchable = self._find_by_values("categories", "name", [name],
                                                    extra={"id_parent": f"[{parent_id}]"})
        return _pick(index.get((name or "").strip().casefold()), (name or "").strip(), "name", self.language)

    def _changes(self, remote, wanted):
        """The fields of ``wanted`` whose value differs from the ``remote`` JSON record."""
        changes = {}
        for name, value in wanted.items():
            if name == "associations":
                for assoc_name, (_node, items) in value.items():
                    if sorted(str(i.get("id")) for i in items) != sorted(assoc_ids(remote, assoc_name)):
                        changes.setdefault("associations", {})[assoc_name] = (_node, items)
                continue
            current = remote.get(name)
            if isinstance(value, I18n):
                same = lang_text(current, self.language).strip() == value.text.strip()
            elif isinstance(value, Decimal):
                try:
                    same = dec(current) == value
                except ShopError:
                    same = False
            else:
                same = _text(current).strip() == _text(value).strip()
            if not same:
                changes[name] = value
        return changes

    # ------------------------------------------------------------------ products
    def _product_lookup(self, items):
        """({remote id: product}, {casefolded reference: [products]}, unsearchable references) for
        items with ``sku`` and ``remote_id`` (products, stock levels, prices)."""
        ids = [str(i.remote_id) for i in items if _DIGITS.match(str(i.remote_id or ""))]
        by_id = {str(r["id"]): r for r in self._list_in("products", "id", ids)}
        skus = [i.sku for i in items if i.sku and str(i.remote_id or "") not in by_id]
        by_sku, unsearchable = self._find_by_values("products", "reference", skus)
        return by_id, by_sku, unsearchable

    def _match_product(self, item, by_id, by_sku, unsearchable, created=None):
        remote = by_id.get(str(item.remote_id or ""))
        if remote is not None:
            return remote
        sku = (item.sku or "").strip()
        if created and sku.casefold() in created:
            return created[sku.casefold()]
        if sku in unsearchable:
            raise RecordRefused(f"the reference {sku!r} cannot be searched with PrestaShop's filters")
        return _pick(by_sku.get(sku.casefold()), sku, "reference", self.language)

    def _product_fields(self, product, create):
        sku = product.sku.strip()
        fields = {
            "reference": sku,
            "price": _dec6(product.price),
            "active": "1" if product.active else "0",
            "name": I18n(product.name),
            "description": I18n(product.description),
            "description_short": I18n(product.short_description),
        }
        if product.weight is not None:
            fields["weight"] = _dec6(product.weight)
        if product.tax_class:
            if not _DIGITS.match(str(product.tax_class).strip()):
                raise RecordRefused(f"tax class {product.tax_class!r} of {sku} is not a PrestaShop tax rules group id")
            fields["id_tax_rules_group"] = str(product.tax_class).strip()
        barcode = (product.barcode or "").strip()
        if barcode:
            if re.fullmatch(r"\d{13}|\d{8}", barcode):
                fields["ean13"] = barcode
            elif re.fullmatch(r"\d{12}", barcode):
                fields["upc"] = barcode
            else:
                raise RecordRefused(f"barcode {barcode!r} of {sku} is neither an EAN-13/EAN-8 nor a UPC")
        category_ids = [str(c).strip() for c in product.category_remote_ids if str(c).strip()]
        if any(not _DIGITS.match(c) for c in category_ids):
            raise RecordRefused(f"categories {category_ids} of {sku} are not all PrestaShop category ids")
        if not category_ids and create:
            category_ids = [str(self.options["root_category"])]
        if category_ids:
            fields["id_category_default"] = category_ids[0]
            fields["associations"] = {"categories": ("category", [{"id": c} for c in category_ids])}
        for name, value in (product.attributes or {}).items():
            if not _FIELD_NAME.match(str(name)) or name in ("id", "associations"):
                raise RecordRefused(f"{name!r} is not a PrestaShop product field name")
            fields[name] = value
        if create:
            fields.update({
                "link_rewrite": I18n(_slug(product.name)),
                "state": "1",  # not a draft
                "visibility": self.options["visibility"],
                "available_for_order": "1",
                "show_price": "1",
                "minimal_quantity": "1",
            })
        return fields

    def push_products(self, products):
        results, created = [], {}
        for batch in chunks(products, self.max_batch):
            by_id, by_sku, unsearchable = self._product_lookup(batch)
            for product in batch:
                results.append(self._push_product(product, by_id, by_sku, unsearchable, created))
        return results

    def _push_product(self, product, by_id, by_sku, unsearchable, created):
        sku = (product.sku or "").strip()
        if not sku:
            return model.Result(key=product.sku or product.name, error="a product needs a SKU (PrestaShop reference)")
        rid = ""
        try:
            remote = self._match_product(product, by_id, by_sku, unsearchable, created)
            if remote is not None:
                rid = str(remote["id"])
                changes = self._changes(remote, self._product_fields(product, create=False))
                try:
                    if changes:
                        self._write("PATCH", "products", "product", {"id": rid, **changes}, rid,
                                    what=f"updating product {sku}")
                except RecordRefused as exc:
                    if exc.status != 404:  # 404: the product was deleted meanwhile: create it again
                        raise
                    remote = None
                if remote is not None:
                    return model.Result(key=sku, remote_id=rid, error=self._push_images(rid, product, remote))
            record = self._write("POST", "products", "product", self._product_fields(product, create=True),
                                 what=f"creating product {sku}")
            rid = str(record["id"])
            created[sku.casefold()] = record
            return model.Result(key=sku, remote_id=rid, created=True, error=self._push_images(rid, product, record))
        except RecordRefused as exc:
            return model.Result(key=sku, remote_id=rid, error=str(exc))

    def _push_images(self, rid, product, remote):
        """Upload the product's images when the shop's product has none (returns an error or "")."""
        images = [i for i in product.images or [] if i.data]
        if not images or not self.options.get("sync_images") or assoc_ids(remote, "images"):
            return ""
        try:
            for image in images:
                # the image answer is not needed (and is XML whatever output_format says)
                self._send("POST", f"images/products/{rid}", None, json_out=False,
                           what=f"uploading image {image.filename} of {product.sku}",
                           files={"image": (image.filename, image.data, image.mimetype or "image/png")})
        except RecordRefused as exc:
            return f"images: {exc}"
        return ""

    # ------------------------------------------------------------------ stock and prices
    def _resolve_products(self, items):
        by_id, by_sku, unsearchable = self._product_lookup(items)
        resolved = []
        for item in items:
            try:
                product = self._match_product(item, by_id, by_sku, unsearchable)
                error = "" if product else f"PrestaShop has no product with reference {item.sku!r}"
            except RecordRefused as exc:
                product, error = None, str(exc)
            resolved.append((item, product, error))
        return resolved

    def push_stock(self, levels):
        results = []
        for batch in chunks(levels, self.max_batch):
            resolved = self._resolve_products(batch)
            pids = [str(p["id"]) for _i, p, _e in resolved if p]
            stocks = {}
            for row in self._list_in("stock_availables", "id_product", pids, extra={"id_product_attribute": "[0]"}):
                pid = str(row.get("id_product"))
                if pid not in stocks or str(row.get("id_shop")) == self.shop:
                    stocks[pid] = row
            for level, product, error in resolved:
                results.append(self._push_level(level, product, error, stocks))
        return results

    def _push_level(self, level, product, error, stocks):
        if error:
            return model.Result(key=level.sku, error=error)
        pid = str(product["id"])
        try:
            stock = stocks.get(pid)
            if stock is None:
                raise RecordRefused(f"PrestaShop has no stock record for product {level.sku} ({pid})")
            quantity = int(Decimal(level.quantity or 0).to_integral_value(rounding=ROUND_FLOOR))
            changes = self._changes(stock, {"quantity": str(quantity),
                                            "out_of_stock": "2" if level.manage_stock else "1"})
            if changes:
                sid = str(stock["id"])
                self._write("PATCH", "stock_availables", "stock_available", {"id": sid, **changes}, sid,
                            what=f"updating the stock of {level.sku}")
            if level.restock_date and quantity <= 0:
                restock = level.restock_date
                when = restock.isoformat() if isinstance(restock, date) else str(restock)
                if str(product.get("available_date") or "")[:10] != when[:10]:
                    self._write("PATCH", "products", "product", {"id": pid, "available_date": when[:10]}, pid,
                                what=f"setting the restock date of {level.sku}")
            return model.Result(key=level.sku, remote_id=pid)
        except RecordRefused as exc:
            return model.Result(key=level.sku, remote_id=pid, error=str(exc))

    def push_prices(self, prices):
        results = []
        for batch in chunks(prices, self.max_batch):
            resolved = self._resolve_products(batch)
            pids = [str(p["id"]) for _i, p, _e in resolved if p]
            generic = {}
            for row in self._list_in("specific_prices", "id_product", pids,
                                     extra={"id_cart": "[0]", "id_customer": "[0]", "id_group": "[0]"}):
                if self._is_generic(row):
                    generic.setdefault(str(row.get("id_product")), []).append(row)
            for price, product, error in resolved:
                results.append(self._push_price(price, product, error, generic))
        return results

    def _is_generic(self, row):
        zero = ("id_cart", "id_customer", "id_group", "id_country", "id_currency", "id_product_attribute",
                "id_specific_price_rule")
        return (all(str(row.get(f) or "0") == "0" for f in zero)
                and str(row.get("from_quantity") or "1") == "1"
                and str(row.get("id_shop") or "0") in ("0", self.shop)
                and str(row.get("from") or "").strip() in ZERO_DATES
                and str(row.get("to") or "").strip() in ZERO_DATES)

    def _push_price(self, price, product, error, generic):
        if error:
            return model.Result(key=price.sku, error=error)
        pid = str(product["id"])
        try:
            base = _dec6(price.price)
            if base < 0:
                raise RecordRefused(f"the price of {price.sku} is negative")
            if self._changes(product, {"price": base}):
                self._write("PATCH", "products", "product", {"id": pid, "price": base}, pid,
                            what=f"updating the price of {price.sku}")
            existing = sorted(generic.get(pid, []), key=lambda r: int(r["id"]))
            sale = None if price.sale_price is None else _dec6(price.sale_price)
            if sale is not None and 0 <= sale < base:
                wanted = {"price": _dec6(-1), "reduction": base - sale, "reduction_type": "amount",
                          "reduction_tax": "0"}
                if existing:
                    keep, existing = existing[0], existing[1:]
                    changes = self._changes(keep, wanted)
                    if changes:
                        sid = str(keep["id"])
                        self._write("PATCH", "specific_prices", "specific_price", {"id": sid, **changes}, sid,
                                    what=f"updating the sale price of {price.sku}")
                else:
                    self._write("POST", "specific_prices", "specific_price", {
                        "id_shop": self.shop or "0", "id_cart": "0", "id_product": pid, "id_product_attribute": "0",
                        "id_currency": "0", "id_country": "0", "id_group": "0", "id_customer": "0",
                        "from_quantity": "1", "from": "0000-00-00 00:00:00", "to": "0000-00-00 00:00:00", **wanted,
                    }, what=f"creating the sale price of {price.sku}")
            for row in existing:
                self._send("DELETE", "specific_prices", "specific_price", str(row["id"]),
                           what=f"removing the sale price of {price.sku}")
            return model.Result(key=price.sku, remote_id=pid)
        except RecordRefused as exc:
            return model.Result(key=price.sku, remote_id=pid, error=str(exc))

    # ------------------------------------------------------------------ customers
    def push_customers(self, customers):
        results = []
        for batch in chunks(customers, self.max_batch):
            ids = [c.remote_id for c in batch if _DIGITS.match(str(c.remote_id or ""))]
            by_id = {str(r["id"]): r for r in self._list_in("customers", "id", ids, extra={"deleted": "[0]"})}
            emails = [c.email for c in batch if c.email and str(c.remote_id or "") not in by_id]
            by_email, unsearchable = self._find_by_values("customers", "email", emails, extra={"deleted": "[0]"})
            created, saved = {}, []
            for customer in batch:
                result = self._push_customer(customer, by_id, by_email, unsearchable, created)
                results.append(result)
                if result.ok:
                    saved.append((customer, result))
            if saved:
                self._push_addresses(saved)
        return results

    def _customer_fields(self, customer, create):
        fields = {
            "firstname": (customer.first_name or "").strip() or "-",
            "lastname": (customer.last_name or "").strip() or "-",
            "email": customer.email.strip(),
            "company": customer.company or "",
        }
        group = str(customer.group or "").strip()
        if group and not _DIGITS.match(group):
            raise RecordRefused(f"customer group {group!r} is not a PrestaShop group id")
        if group or create:
            group = group or str(self.options["default_group"])
            fields["id_default_group"] = group
            fields["associations"] = {"groups": ("group", [{"id": group}])}
        if create:
            fields.update({"passwd": _secrets.token_urlsafe(18), "active": "1", "id_lang": self.language,
                           "newsletter": "0", "optin": "0"})
        return fields

    def _push_customer(self, customer, by_id, by_email, unsearchable, created):
        email = (customer.email or "").strip()
        key = customer.key
        if not email:
            return model.Result(key=key, error="a PrestaShop customer needs an e-mail address")
        rid = ""
        try:
            remote = by_id.get(str(customer.remote_id or ""))
            if remote is None:
                remote = created.get(email.casefold())
            if remote is None:
                if email in unsearchable:
                    raise RecordRefused(f"the e-mail {email!r} cannot be searched with PrestaShop's filters")
                # a registered account wins over guest checkouts with the same address
                remote = _pick(by_email.get(email.casefold()), email, "email", self.language,
                               prefer=lambda r: 1 if _flag(r.get("is_guest")) else 0)
                if remote is not None and _flag(remote.get("is_guest")):
                    remote = None
            if remote is not None:
                rid = str(remote["id"])
                changes = self._changes(remote, self._customer_fields(customer, create=False))
                if "email" in changes and changes["email"].casefold() == str(remote.get("email", "")).casefold():
                    del changes["email"]
                if changes:
                    self._write("PATCH", "customers", "customer", {"id": rid, **changes}, rid,
                                what=f"updating customer {email}")
                return model.Result(key=key, remote_id=rid)
            record = self._write("POST", "customers", "customer", self._customer_fields(customer, create=True),
                                 what=f"creating customer {email}")
            rid = str(record["id"])
            created[email.casefold()] = record
            return model.Result(key=key, remote_id=rid, created=True)
        except RecordRefused as exc:
            return model.Result(key=key, remote_id=rid, error=str(exc))

    def _country_ids(self, codes):
        cache = self._cache.setdefault("country_iso", {})
        missing = [c for c in dict.fromkeys(c.upper() for c in codes if c)
                   if c not in cache and re.fullmatch(r"[A-Z]{2}", c)]
        if missing:
            for row in self._list("countries", {"iso_code": "[" + "|".join(missing) + "]"}, display="[id,iso_code]"):
                cache[str(row.get("iso_code") or "").upper()] = str(row["id"])
        return cache

    def _state_id(self, country_id, code):
        cache = self._cache.setdefault("state_iso", {})
        key = (country_id, code.upper())
        if key not in cache:
            cache[key] = ""
            if _or_safe(code):
                rows = self._list("states", {"id_country": f"[{country_id}]", "iso_code": f"[{code}]"},
                                  display="[id,iso_code,id_country]")
                match = _pick(rows, code, "iso_code", self.language)
                cache[key] = str(match["id"]) if match else ""
        return cache[key]

    def _address_fields(self, customer, address, alias, customer_id, countries):
        country = (address.country_code or "").upper()
        if country not in countries:
            raise RecordRefused(f"country {country or '(none)'} of the {alias.lower()} address "
                                "is not known to the shop")
        country_id = countries[country]
        state_id = self._state_id(country_id, address.state_code) if address.state_code else ""
        return {
            "id_customer": customer_id,
            "alias": alias,
            "firstname": (address.first_name or customer.first_name or "").strip() or "-",
            "lastname": (address.last_name or customer.last_name or "").strip() or "-",
            "company": address.company or customer.company or "",
            "address1": address.street or "",
            "address2": address.street2 or "",
            "postcode": address.zip or "",
            "city": address.city or "",
            "id_country": country_id,
            "id_state": state_id or "0",
            "phone": address.phone or customer.phone or "",
            "vat_number": address.vat or customer.vat or "",
        }

    def _push_addresses(self, saved):
        countries = self._country_ids([a.country_code for c, _r in saved for a in (c.billing, c.shipping)
                                       if not a.is_empty()])
        existing = {}
        for row in self._list_in("addresses", "id_customer", [r.remote_id for _c, r in saved],
                                 extra={"deleted": "[0]"}):
            existing.setdefault(str(row.get("id_customer")), []).append(row)
        for customer, result in saved:
            wanted = []
            if not customer.billing.is_empty():
                wanted.append((self.options["billing_alias"], customer.billing))
            if not customer.shipping.is_empty() and customer.shipping != customer.billing:
                wanted.append((self.options["shipping_alias"], customer.shipping))
            errors = []
            for alias, address in wanted:
                try:
                    fields = self._address_fields(customer, address, alias, result.remote_id, countries)
                    current = _pick(existing.get(result.remote_id), alias, "alias", self.language)
                    if current is None:
                        self._write("POST", "addresses", "address", fields,
                                    what=f"creating the {alias.lower()} address of {customer.email}")
                    else:
                        aid = str(current["id"])
                        changes = self._changes(current, fields)
                        if changes:
                            self._write("PATCH", "addresses", "address", {"id": aid, **changes}, aid,
                                        what=f"updating the {alias.lower()} address of {customer.email}")
                except RecordRefused as exc:
                    errors.append(str(exc))
            if errors:
                result.error = "; ".join(errors)

    # ------------------------------------------------------------------ orders
    def fetch_orders(self, since=None, statuses=None):
        filters = {}
        if since is not None:
            filters["date_upd"] = f"[{self._local(since)},9999-12-31 23:59:59]"
        if statuses:
            codes = [str(s).strip() for s in statuses]
            if any(not _DIGITS.match(c) for c in codes):
                raise ShopError(f"PrestaShop order states are ids; got {codes}", kind="config")
            filters["current_state"] = "[" + "|".join(codes) + "]"
        offset, pager = 0, self.pager("the order list")
        while True:
            page = self._list("orders", filters, sort="[date_upd_ASC,id_ASC]",
                              limit=f"{offset},{self.page_size}", date=True)
            fresh = pager.page(page, key=lambda o: str(o["id"]))
            if fresh:
                context = self._order_context(fresh)
                for raw in fresh:
                    yield self._map_order(raw, context)
            # no paging headers: a short page is the last one
            if not pager.more(len(page) >= self.page_size):
                return
            offset += len(page)

    def _order_states(self):
        if "order_states_all" not in self._cache:
            self._cache["order_states_all"] = {str(r["id"]): r for r in self._list("order_states")}
        return self._cache["order_states_all"]

    def _order_context(self, orders):
        ids = [str(o["id"]) for o in orders]
        group = {}

        def by_order(rows, field="id_order"):
            out = {}
            for row in rows:
                out.setdefault(str(row.get(field)), []).append(row)
            return out

        group["details"] = by_order(self._list_in("order_details", "id_order", ids))
        group["cart_rules"] = by_order(self._list_in("order_cart_rules", "id_order", ids))
        references = [str(o.get("reference") or "") for o in orders if _or_safe(str(o.get("reference") or "x"))]
        group["payments"] = by_order(self._list_in("order_payments", "order_reference", references), "order_reference")
        threads = self._list_in("customer_threads", "id_order", ids)
        messages = self._list_in("customer_messages", "id_customer_thread", [t["id"] for t in threads])
        thread_order = {str(t["id"]): str(t.get("id_order")) for t in threads}
        group["messages"] = {}
        for message in sorted(messages, key=lambda m: int(m["id"])):
            if str(message.get("id_employee") or "0") == "0" and not _flag(message.get("private")):
                order_id = thread_order.get(str(message.get("id_customer_thread")))
                group["messages"].setdefault(order_id, []).append(message)
        group["customers"] = {str(r["id"]): r for r in self._list_in(
            "customers", "id", [o.get("id_customer") for o in orders],
            display="[id,email,is_guest,firstname,lastname]")}
        group["addresses"] = {str(r["id"]): r for r in self._list_in(
            "addresses", "id", [o.get(f) for o in orders for f in ("id_address_invoice", "id_address_delivery")])}
        group["countries"] = self._by_id("countries", [a.get("id_country") for a in group["addresses"].values()])
        group["states"] = self._by_id("states", [a.get("id_state") for a in group["addresses"].values()])
        group["currencies"] = self._by_id("currencies", [o.get("id_currency") for o in orders])
        group["carriers"] = self._by_id("carriers", [o.get("id_carrier") for o in orders])
        group["taxes"] = self._by_id("taxes", [t for rows in group["details"].values() for d in rows
                                               for t in assoc_ids(d, "taxes")])
        group["cart_rule_defs"] = self._by_id(
            "cart_rules", [r.get("id_cart_rule") for rows in group["cart_rules"].values() for r in rows])
        group["order_states"] = self._order_states()
        return group

    def _address(self, raw, ctx, email):
        if not raw:
            return model.Address()
        country = ctx["countries"].get(str(raw.get("id_country")), {})
        state = ctx["states"].get(str(raw.get("id_state")), {})
        return model.Address(
            first_name=raw.get("firstname") or "",
            last_name=raw.get("lastname") or "",
            company=raw.get("company") or "",
            street=raw.get("address1") or "",
            street2=raw.get("address2") or "",
            city=raw.get("city") or "",
            zip=raw.get("postcode") or "",
            state_code=str(state.get("iso_code") or ""),
            country_code=str(country.get("iso_code") or "").upper(),
            email=email,
            phone=raw.get("phone") or raw.get("phone_mobile") or "",
            vat=raw.get("vat_number") or "",
        )

    def _map_order(self, raw, ctx):
        oid = str(raw["id"])
        what = f"order {oid}"
        try:
            details = sorted(ctx["details"].get(oid, []), key=lambda d: int(d["id"]))
            lines = [self._product_line(d, ctx) for d in details]
            shipping_excl = dec(raw.get("total_shipping_tax_excl"))
            shipping_incl = dec(raw.get("total_shipping_tax_incl"), shipping_excl)
            if shipping_excl or shipping_incl:
                carrier = ctx["carriers"].get(str(raw.get("id_carrier")), {})
                lines.append(model.OrderLine(
                    name=lang_text(carrier.get("name")) or "Shipping", quantity=Decimal(1), unit_price=shipping_excl,
                    kind="shipping", remote_id="shipping", tax_amount=shipping_incl - shipping_excl,
                    tax_rate=dec(raw.get("carrier_tax_rate"), None)))
            wrapping_excl = dec(raw.get("total_wrapping_tax_excl"))
            wrapping_incl = dec(raw.get("total_wrapping_tax_incl"), wrapping_excl)
            if wrapping_excl or wrapping_incl:
                lines.append(model.OrderLine(
                    name="Gift wrapping", quantity=Decimal(1), unit_price=wrapping_excl, kind="fee",
                    remote_id="wrapping", tax_amount=wrapping_incl - wrapping_excl))
            for rule in sorted(ctx["cart_rules"].get(oid, []), key=lambda r: int(r["id"])):
                if _flag(rule.get("deleted")):
                    continue
                definition = ctx["cart_rule_defs"].get(str(rule.get("id_cart_rule")), {})
                code = str(definition.get("code") or "")
                name = str(rule.get("name") or lang_text(definition.get("name"), self.language) or "Discount")
                value_incl, value_excl = dec(rule.get("value")), dec(rule.get("value_tax_excl"))
                gift = bool(self.gift_card_re.search(name) or (code and self.gift_card_re.search(code)))
                lines.append(model.OrderLine(
                    name=f"{name} ({code})" if code and code not in name else name, quantity=Decimal(1),
                    unit_price=-value_excl, kind="gift_card" if gift else "coupon", sku=code,
                    remote_id=f"cart_rule:{rule['id']}", tax_amount=-(value_incl - value_excl)))
            customer = ctx["customers"].get(str(raw.get("id_customer")), {})
            email = str(customer.get("email") or "")
            state = ctx["order_states"].get(str(raw.get("current_state")), {})
            total = dec(raw.get("total_paid_tax_incl"), dec(raw.get("total_paid")))
            paid_real = dec(raw.get("total_paid_real"))
            payments = sorted(ctx["payments"].get(str(raw.get("reference") or ""), []), key=lambda p: int(p["id"]))
            transaction = next((str(p.get("transaction_id")) for p in reversed(payments)
                                if p.get("transaction_id")), "")
            currency = ctx["currencies"].get(str(raw.get("id_currency")), {})
            notes = [str(m.get("message") or "").strip() for m in ctx["messages"].get(oid, [])]
            if _flag(raw.get("gift")) and raw.get("gift_message"):
                notes.append(f"Gift message: {raw['gift_message']}")
            if raw.get("note"):
                notes.append(str(raw["note"]))
            return model.Order(
                remote_id=oid,
                number=str(raw.get("reference") or oid),
                status=str(raw.get("current_state") or ""),
                created_at=self._utc(raw.get("date_add")),
                updated_at=self._utc(raw.get("date_upd")),
                currency=str(currency.get("iso_code") or ""),
                email=email,
                customer_remote_id=("" if _flag(customer.get("is_guest")) or not customer
                                    else str(raw.get("id_customer"))),
                billing=self._address(ctx["addresses"].get(str(raw.get("id_address_invoice"))), ctx, email),
                shipping=self._address(ctx["addresses"].get(str(raw.get("id_address_delivery"))), ctx, email),
                lines=lines,
                paid=_flag(state.get("paid")) or (total > 0 and paid_real >= total),
                paid_amount=paid_real,
                payment_method=str(raw.get("payment") or raw.get("module") or ""),
                transaction_id=transaction,
                total=total,
                total_tax=total - dec(raw.get("total_paid_tax_excl"), total),
                prices_include_tax=False,
                note="\n".join(n for n in notes if n),
                raw={"order": raw, "order_details": ctx["details"].get(oid, []),
                     "order_cart_rules": ctx["cart_rules"].get(oid, []),
                     "order_payments": payments},
            )
        except ShopError as exc:
            raise ShopError(f"PrestaShop {what}: {exc}", kind="answer") from None

    def _product_line(self, detail, ctx):
        quantity = dec(detail.get("product_quantity"))
        net = dec(detail.get("total_price_tax_excl"))
        gross_unit = dec(detail.get("product_price"))  # before reductions, tax excluded
        net_unit = dec(detail.get("unit_price_tax_excl"))
        unit = gross_unit if gross_unit * quantity >= net else net_unit
        discount = max(Decimal(0), unit * quantity - net)
        rates = [dec(ctx["taxes"].get(t, {}).get("rate")) for t in assoc_ids(detail, "taxes") if t in ctx["taxes"]]
        return model.OrderLine(
            name=str(detail.get("product_name") or ""),
            quantity=quantity,
            unit_price=unit,
            kind="product",
            sku=str(detail.get("product_reference") or ""),
            product_remote_id=str(detail.get("product_id") or ""),
            remote_id=str(detail["id"]),
            discount=discount,
            tax_amount=dec(detail.get("total_price_tax_incl"), net) - net,
            tax_rate=sum(rates, Decimal(0)) if rates else None,
        )

    def _order(self, remote_id):
        order = self._get("orders", "order", remote_id)
        if order is None:
            raise ShopError(f"PrestaShop has no order {remote_id}", kind="not_found", status=404)
        return order

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        try:
            state = str(status or self.status_for(event)).strip()
            if not _DIGITS.match(state):
                raise ShopError(f"PrestaShop order states are ids; got {state!r}", kind="config")
            order = self._order(remote_id)
            oid = str(order["id"])
            done = []
            if shipment is not None and shipment.tracking_number:
                done += self._set_tracking(order, shipment, notify)
            if str(order.get("current_state")) != state:
                params = {"sendemail": "1"} if notify else None
                self._write("POST", "order_histories", "order_history", {"id_order": oid, "id_order_state": state},
                            params=params, what=f"changing the state of order {oid} to {state}")
                done.append(f"state {state}" + (" (customer e-mailed if the state says so)" if notify else ""))
            return f"PrestaShop order {oid}: " + (", ".join(done) if done else "already up to date")
        except RecordRefused as exc:  # one order: nothing else to keep going with
            raise ShopError(str(exc), kind="payload", status=exc.status) from None

    def _set_tracking(self, order, shipment, notify):
        oid = str(order["id"])
        done = []
        carriers = sorted(self._list("order_carriers", {"id_order": f"[{oid}]"}), key=lambda c: int(c["id"]))
        if not carriers:
            raise RecordRefused(f"order {oid} has no carrier to put the tracking number on")
        current = carriers[-1]
        if str(current.get("tracking_number") or "") != shipment.tracking_number:
            cid = str(current["id"])
            self._write("PATCH", "order_carriers", "order_carrier",
                        {"id": cid, "tracking_number": shipment.tracking_number}, cid,
                        what=f"setting the tracking number of order {oid}")
            done.append(f"tracking number {shipment.tracking_number}")
        if notify and shipment.tracking_url and self.options.get("tracking_message"):
            text = (f"Your order has been shipped{' with ' + shipment.carrier if shipment.carrier else ''}. "
                    f"Tracking number {shipment.tracking_number}: {shipment.tracking_url}")
            thread, messages = self._thread(order)
            if not any(f"Tracking number {shipment.tracking_number}:" in str(m.get("message") or "") for m in messages):
                self._add_message(thread, text, oid)
                done.append("tracking message")
        return done

    # ------------------------------------------------------------------ invoices
    def _thread(self, order, create=True):
        """The customer-service thread of an order and its messages (the thread is opened if needed)."""
        oid = str(order["id"])
        threads = sorted(self._list("customer_threads", {"id_order": f"[{oid}]"}), key=lambda t: int(t["id"]))
        if threads:
            thread = threads[0]
            messages = self._list_in("customer_messages", "id_customer_thread", [t["id"] for t in threads])
            return thread, messages
        if not create:
            return None, []
        customer = None
        if str(order.get("id_customer") or "0") != "0":
            customer = self._get("customers", "customer", order.get("id_customer"))
        email = str((customer or {}).get("email") or "")
        thread = self._write("POST", "customer_threads", "customer_thread", {
            "id_lang": order.get("id_lang") or self.language,
            "id_shop": order.get("id_shop") or self.shop or "1",
            "id_contact": self.options["contact"],
            "id_customer": order.get("id_customer") or "0",
            "id_order": oid,
            "email": email,
            "token": _secrets.token_hex(6),
            "status": "open",
        }, what=f"opening a message thread on order {oid}")
        return thread, []

    def _add_message(self, thread, text, oid, private=False):
        return self._write("POST", "customer_messages", "customer_message", {
            "id_customer_thread": str(thread["id"]),
            "id_employee": self.options["employee"],
            "message": text,
            "private": "1" if private else "0",
        }, what=f"adding a message to order {oid}")

    def attach_invoice(self, remote_id, document):
        """PrestaShop cannot store a file on an order: the order gets a customer-visible message
        "Invoice <number>: <portal URL>" (``document.url``); with ``upload_pdf`` the PDF also becomes a
        PrestaShop attachment named after the invoice (without a URL the message is then a private note
        for the staff). The order's messages are read first: an invoice number already there is not
        attached again (the existing message is returned). Returns "customer_message:<id>
        [attachment:<id>]"."""
        number = (document.number or "").strip()
        if not number:
            raise ShopError("the invoice has no number", kind="payload")
        upload = bool(self.options.get("upload_pdf"))
        if not document.url and not upload:
            raise ShopError("PrestaShop has no invoice upload for orders: the invoice needs a portal URL "
                            "(or enable the option upload_pdf)", kind="config")
        try:
            order = self._order(remote_id)
            oid = str(order["id"])
            marker = f"Invoice {number}:"
            thread, messages = self._thread(order)
            for message in messages:
                if marker in str(message.get("message") or ""):
                    return f"customer_message:{message['id']} (already there)"
            references = []
            attachment = None
            if upload:
                attachment = self._upload_pdf(number, document)
                references.append(f"attachment:{attachment['id']}")
            amount = ""
            if document.amount_total is not None:
                currency = f"{document.currency} " if document.currency else ""
                amount = f" ({currency}{Decimal(document.amount_total):.2f})"
            if document.url:
                message = self._add_message(thread, f"{marker} {document.url}{amount}", oid)
            else:  # only the PDF in the shop's files: a note for the staff, the customer cannot open it
                text = f"{marker} PDF filed as PrestaShop attachment {attachment['id']}{amount}"
                message = self._add_message(thread, text, oid, private=True)
            return " ".join([f"customer_message:{message['id']}"] + references)
        except RecordRefused as exc:
            raise ShopError(str(exc), kind="payload", status=exc.status) from None

    def _upload_pdf(self, number, document):
        pdf = document.pdf or b""
        if not pdf.startswith(b"%PDF"):
            raise ShopError(f"invoice {number} is not a PDF", kind="payload")
        name = number[:32]
        index, _unsearchable = self._find_by_values("attachments", "name", [name])
        existing = _pick(index.get(name.casefold()), name, "name", self.language)
        if existing is not None:
            return existing
        return self._send("POST", "attachments/file", "attachment", what=f"uploading invoice {number}",
                          files={"file": (document.filename or f"{_slug(number)}.pdf", pdf, "application/pdf")},
                          data={"name": name})
