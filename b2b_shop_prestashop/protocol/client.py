"""The PrestaShop adapter's base: set-up, the hooks of the request template, listings, writes, dates."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import json
import re
from datetime import timezone
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_connector_base.lib.http import TransportError
from odoo.addons.b2b_ecommerce_sync.protocol.base import (
    MAX_RESPONSE_BYTES,
    ShopAdapter,
    ShopError,
    basic_auth,
    dec,
    parse_datetime,
)

from .options import NEEDED_PERMISSIONS, PrestaShopDeclarations
from .webservice import (
    _DIGITS,
    _PREFIX_CUT,
    MAX_FILTER_CHARS,
    XLINK,
    ZERO_DATES,
    I18n,
    RecordRefused,
    _or_safe,
    _text,
    _value,
    assoc_ids,
    explain,
    lang_text,
    ps_errors,
)

# what a write may be refused with: the record is refused (400, 404), the method (405), the size (413)
WRITE_REFUSALS = (400, 404, 405, 413)


class PrestaShopClient(PrestaShopDeclarations, ShopAdapter):
    """Set-up and transport of the PrestaShop adapter (see the package docstring for the webservice)."""

    platform = "prestashop"
    label = "PrestaShop"
    # no batch writes: a "batch" is one lookup call (filter on up to max_batch references / e-mails /
    # ids) followed by one write per record
    max_batch = 100
    page_size = 50

    def _configure(self):
        options = self.options  # defaults filled in and typed by ShopAdapter
        self.key = str(self.credentials.get("key") or "").strip()
        self.api_path = "/" + str(options["api_path"]).strip().strip("/")
        self.language = str(options["language"]).strip() or "1"
        self.shop = str(options["shop"] or "").strip()
        try:
            self.zone = ZoneInfo(str(options["timezone"] or "UTC"))
        except (ZoneInfoNotFoundError, ValueError):
            raise ShopError("shop.prestashop.timezone",
                            _lt("unknown time zone %(timezone)s (PrestaShop option 'timezone')"),
                            timezone=repr(options["timezone"]), kind="config") from None
        try:
            self.gift_card_re = re.compile(options["gift_card_pattern"] or r"(?!)")
        except re.error as exc:
            raise ShopError("shop.prestashop.gift_card_pattern",
                            _lt("PrestaShop option 'gift_card_pattern' is not a valid expression: %(error)s"),
                            error=str(exc), kind="config") from None
        for name in ("root_category", "default_group", "employee", "contact"):
            if not _DIGITS.match(str(options[name]).strip()):
                raise ShopError("shop.prestashop.option_id",
                                _lt("PrestaShop option %(option)s must be an id (a number)"),
                                option=repr(name), kind="config")
        self._cache = {}

    # ------------------------------------------------------------------ the request template's hooks
    def _api_url(self, path, **route):
        """``path``: "<resource>[/<id>]" under the webservice path ("" for its resource list)."""
        return f"{self.api_path}/{path}"

    def _auth(self, request):
        """The webservice key as the HTTP Basic user name, with an empty password."""
        if not self.key:
            raise ShopError("shop.prestashop.no_key", _lt("no PrestaShop webservice key configured"), kind="config")
        request.headers["Authorization"] = basic_auth(self.key, "")

    def _parse_error(self, response, what):
        """PrestaShop's error document: the method is not allowed (405, "config"), the record is refused
        (:class:`RecordRefused`: 400, 404, and 413 from the front server)."""
        status = response.status_code
        if status == 405:
            return ShopError("shop.prestashop.not_allowed",
                             _lt("PrestaShop does not allow %(what)s: %(error)s"), what=what,
                             error=explain(ps_errors(response.content), 405), kind="config", status=405)
        if status == 413:
            return RecordRefused("shop.prestashop.too_large",
                                 _lt("the shop's server refused %(what)s: the request is too large (HTTP 413)"),
                                 what=what, status=413)
        return RecordRefused("shop.prestashop.refused", _lt("PrestaShop refused %(what)s: %(error)s"), what=what,
                             error=explain(ps_errors(response.content), status), status=status)

    def _query(self, params=None, json_out=True):
        """The query of a webservice call: JSON answers (else XML), the shop (multistore), then ``params``."""
        query = {"output_format": "JSON"} if json_out else {}
        if self.shop:
            query["id_shop"] = self.shop
        query.update(params or {})
        return query

    @staticmethod
    def _path(resource, rid=None):
        return f"{resource}/{rid}" if rid not in (None, "") else resource

    def _rid(self, value, what="id"):
        text = str(value if value is not None else "").strip()
        if not _DIGITS.match(text):
            raise RecordRefused("shop.prestashop.bad_id",
                                _lt("%(value)s is not a PrestaShop %(what)s"), value=repr(text),
                                what=what)
        return text

    def _records(self, data, plural, what):
        if data in (None, [], {}):
            return []
        if isinstance(data, dict) and isinstance(data.get(plural), list):
            rows = data[plural]
            if all(isinstance(r, dict) and "id" in r for r in rows):
                return rows
        if isinstance(data, dict) and data.get("errors"):
            raise ShopError("shop.prestashop.answer_errors", _lt("PrestaShop answered %(what)s with errors: %(error)s"),
                            what=what, error=explain(ps_errors(json.dumps(data).encode())), kind="remote")
        raise ShopError("shop.prestashop.not_list",
                        _lt("PrestaShop answered %(what)s with something that is not a list of %(plural)s"),
                        what=what, plural=plural, kind="answer")

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
        what = Phrase(_lt("the list of %(resource)s"), resource=resource)
        return self._records(self._request("GET", resource, what, params=self._query(params)), resource, what)

    def _optional_languages(self, read):
        """What ``read()`` reads of the languages resource. Reading it is not among the key's NEEDED_PERMISSIONS
        (keys made before did not need it): for a key that may not, {} (no customer language), asked once."""
        return self._permitted("languages", read, {})

    def _get(self, resource, node, rid):
        """One record, or None when PrestaShop has no such id."""
        rid = self._rid(rid, f"{node} id")
        what = f"{node} {rid}"
        response = self._request("GET", self._path(resource, rid), what, expected=(404,), decode=False,
                                 params=self._query({"language": self.language}))
        if response.status_code == 404:
            return None
        data = self.json_of(response, what)
        if isinstance(data, dict) and isinstance(data.get(node), dict):
            return data[node]
        raise ShopError("shop.prestashop.no_node", _lt("PrestaShop answered %(what)s without a %(node)s"), what=what,
                        node=node, kind="answer")

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

    def _send(self, method, resource, node, rid=None, *, what, data=None, files=None, params=None, json_out=True):
        """A write; the record PrestaShop answers (``node`` None: no answer needed). Refusals of the
        record raise :class:`RecordRefused`."""
        headers = {"Content-Type": "text/xml; charset=utf-8"} if data is not None and files is None else None
        try:
            response = self._request(method, self._path(resource, rid), what, params=self._query(params, json_out),
                                     data=data, files=files, headers=headers, refusals=WRITE_REFUSALS,
                                     expected=(404,) if method == "DELETE" else (),  # a DELETE of nothing: gone
                                     idempotent=method in ("PATCH", "PUT", "DELETE"), decode=False)
        except TransportError as exc:
            # a PrestaShop error document on a 500 ("Unable to save resource", a PHP error) is about
            # this record; a 500 without one (proxy, crash) is the shop's problem and raises
            errors = ps_errors(exc.body) if exc.status == 500 else []
            if errors:
                raise RecordRefused("shop.prestashop.failed", _lt("PrestaShop failed %(what)s: %(error)s"), what=what,
                                    error=explain(errors, 500), status=500) from None
            raise
        if method == "DELETE" or node is None:
            return {}
        data = self.json_of(response, what)
        if isinstance(data, dict) and isinstance(data.get(node), dict) and data[node].get("id") not in (None, ""):
            return data[node]
        raise ShopError("shop.prestashop.no_written_node", _lt("PrestaShop answered %(what)s without the %(node)s"),
                        what=what, node=node, kind="answer")

    def _write(self, method, resource, node, fields, rid=None, *, what, params=None):
        return self._send(method, resource, node, rid, what=what, data=self._xml(node, fields), params=params)

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
        response = self._request("GET", "", Phrase(_lt("the resource list")), params=self._query(json_out=False),
                                 decode=False)
        root = safe_xml.parse_xml(response.content, max_bytes=MAX_RESPONSE_BYTES,
                                  what="PrestaShop's resource list")
        api = root.find("api")
        if root.tag != "prestashop" or api is None:
            raise ShopError("shop.prestashop.not_resource_list",
                            _lt("the shop answered /api/ with something that is not PrestaShop's resource list"),
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
            raise ShopError("shop.prestashop.permissions",
                            _lt('PrestaShop shop "%(shop)s": the webservice key lacks permissions for %(missing)s'),
                            shop=shop, missing="; ".join(missing), kind="config")
        version = response.headers.get("PSWS-Version")
        if not version:
            said = Phrase(_lt('Connected to PrestaShop shop "%(shop)s" (version not given); the webservice key has '
                              "every permission needed"), shop=shop)
        else:
            said = Phrase(_lt('Connected to PrestaShop %(version)s shop "%(shop)s"; the webservice key has every '
                              "permission needed"), version=version, shop=shop)
        if "get" not in granted.get("languages", ()):  # optional (see orders._languages)
            said = Phrase.join([said, Phrase(_lt(
                "without GET on languages, new customers get the shop's language, not the one they ordered in"))], "; ")
        return said

