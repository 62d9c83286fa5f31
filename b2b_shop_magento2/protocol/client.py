"""The Magento 2 adapter's base: set-up, the hooks of the request template, searches, the connection test."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re
from decimal import Decimal
from urllib.parse import quote

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_connector_base.lib.http import TransportError
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import MAX_RESPONSE_BYTES, ShopAdapter, ShopError

from .options import Magento2Declarations

MAX_PAGE_SIZE = 300  # Magento's maximum SearchCriteria pageSize once input limits are on
MAGENTO_DATETIME = "%Y-%m-%d %H:%M:%S"
_CENT = Decimal("0.01")


def render_message(message, parameters=None):
    """Magento's error text with its placeholders filled in.

    ``parameters`` is an object for named placeholders (``%fieldName``), a list for positional ones
    (``%1``); the price APIs send a list for named placeholders, filled in order of appearance."""
    text = "" if message is None else str(message)
    if isinstance(parameters, dict):
        for name in sorted(parameters, key=lambda n: -len(str(n))):
            text = text.replace(f"%{name}", _text(parameters[name]))
    elif isinstance(parameters, (list, tuple)) and parameters:
        if re.search(r"%\d", text):
            for index in range(len(parameters), 0, -1):  # %10 before %1
                text = text.replace(f"%{index}", _text(parameters[index - 1]))
        else:
            names = []
            for name in re.findall(r"%([A-Za-z_]\w*)", text):
                if name not in names:
                    names.append(name)
            for name, value in zip(names, parameters, strict=False):
                text = re.sub(rf"%{name}(?!\w)", lambda m, v=value: _text(v), text)
    return text


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _truthy(value):
    """Magento's flags: 1, "1", true, "true"..."""
    return str(value if value is not None else "").strip().lower() in ("1", "true", "yes", "y", "on")


def _opt_int(value, name, default=None):
    text = str(value if value is not None else "").strip()
    if not text:
        if default is None:
            raise ShopError("shop.magento2.option_empty", _lt("Magento option %(option)s is empty"), option=repr(name),
                            kind="config")
        return default
    try:
        return int(text)
    except ValueError:
        raise ShopError("shop.magento2.option_integer",
                        _lt("Magento option %(option)s must be a whole number, not %(value)s"),
                        option=repr(name), value=repr(value), kind="config") from None


def _opt_list(value):
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _num(value):
    """A Decimal as a JSON number (Magento takes floats)."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(value)


def _slug(text):
    text = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")
    return text[:200] or "item"


def search_params(filter_groups=(), sort_orders=(), page_size=None, current_page=None):
    """Query parameters of a Magento search: filter groups are ANDed, the filters of a group ORed.

    ``filter_groups``: [[(field, value, condition_type), ...], ...]; ``sort_orders``: [(field, "ASC")]."""
    params = {}
    for g, group in enumerate(filter_groups):
        for f, (field, value, condition) in enumerate(group):
            prefix = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            params[f"{prefix}[field]"] = field
            params[f"{prefix}[value]"] = value
            params[f"{prefix}[condition_type]"] = condition
    for s, (field, direction) in enumerate(sort_orders):
        params[f"searchCriteria[sortOrders][{s}][field]"] = field
        params[f"searchCriteria[sortOrders][{s}][direction]"] = direction
    if page_size:
        params["searchCriteria[pageSize]"] = int(page_size)
        params["searchCriteria[currentPage]"] = int(current_page or 1)
    if not params:
        params["searchCriteria"] = ""
    return params


class Magento2Client(Magento2Declarations, ShopAdapter):
    """Set-up and transport of the Magento 2 adapter (see the package docstring for the endpoints)."""

    platform = "magento2"
    label = "Magento 2"
    max_batch = 20
    page_size = 100
    # Magento's refusals: {"message", "parameters"} (XML from some proxies); 401 stays the TransportError
    refusal_statuses = (400, 404)

    def _configure(self):
        opts = self.options  # defaults filled in and typed by ShopAdapter
        token = (self.credentials.get("key") or "").strip()
        if not token:
            raise ShopError("shop.magento2.no_token",
                            _lt("Magento 2 needs the integration's access token"), kind="config")
        self.store = str(opts["store"]).strip() or "default"
        self.catalog_store = str(opts["catalog_store"]).strip() or "all"
        self.api_prefix = str(opts["api_prefix"]).strip().strip("/") or "rest"
        self.attribute_set_id = _opt_int(opts["attribute_set_id"], "attribute_set_id", 4)
        self.visibility = _opt_int(opts["visibility"], "visibility", 4)
        self.product_website_ids = [_opt_int(v, "product_website_ids") for v in _opt_list(opts["product_website_ids"])]
        self.root_category_id = _opt_int(opts["root_category_id"], "root_category_id", 2)
        self.source_code = str(opts["source_code"]).strip() or "default"
        self.price_store_id = _opt_int(opts["price_store_id"], "price_store_id", 0)
        self.customer_website_id = _opt_int(opts["customer_website_id"], "customer_website_id", 1)
        self.customer_group_id = _opt_int(opts["customer_group_id"], "customer_group_id", 1)
        self.barcode_attribute = str(opts["barcode_attribute"] or "").strip()
        self.max_batch = max(1, opts["batch_size"] or type(self).max_batch)
        self.page_size = min(MAX_PAGE_SIZE, max(1, opts["page_size"] or type(self).page_size))
        self.order_store_ids = [str(_opt_int(v, "order_store_ids")) for v in _opt_list(opts["order_store_ids"])]
        self.use_base_currency = opts["use_base_currency"]
        self.create_invoice = opts["create_invoice"]
        self.invoice_notify = opts["invoice_notify"]
        self.carrier_codes = {c.lower() for c in _opt_list(opts["carrier_codes"])}
        self.http.session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})
        self._regions = {}  # country code -> {region code: available region}: asked once per adapter (run)
        self._views = None  # the store views' ids, websites and locales, asked once per adapter (run)


    # ------------------------------------------------------------------ transport
    def _api_url(self, path, store=None):
        """``path`` under ``/rest/<store>/V1`` (``store``: this call's store code, default option ``store``)."""
        store = quote(store or self.store, safe="")
        return f"/{self.api_prefix}/{store}/V1/{path.lstrip('/')}"

    def _parse_error(self, response, what):
        """Magento's message, placeholders filled in: 400 "payload", 404 "not_found"."""
        return ShopError("shop.magento2.refused", _lt("Magento refused %(what)s: %(error)s"), what=what,
                         error=self._error_text(response),
                         kind="payload" if response.status_code == 400 else "not_found", status=response.status_code)

    def _error_text(self, response):
        body = response.content or b""
        if len(body) > MAX_RESPONSE_BYTES:
            return f"HTTP {response.status_code} (an answer of {len(body)} bytes)"
        content_type = (response.headers.get("Content-Type") or "").lower()
        if "xml" in content_type or body.lstrip().startswith(b"<?xml"):
            return self._xml_error_text(response.status_code, body)
        try:
            data = self.json_of(response, "an error")
        except ShopError:
            text = " ".join(body[:300].decode("utf-8", "replace").split())
            return f"HTTP {response.status_code}" + (f": {text}" if text else "")
        return _error_from_json(data, response.status_code)

    @staticmethod
    def _xml_error_text(status, body):
        try:
            root = safe_xml.parse_xml(body, max_bytes=MAX_RESPONSE_BYTES, what="Magento error answer")
        except safe_xml.XMLInputError as exc:
            return f"HTTP {status} ({exc})"
        message = (root.findtext("message") or "").strip()
        params_node = root.find("parameters")
        parameters = None
        if params_node is not None and len(params_node):
            children = list(params_node)
            if all(child.tag == "item" for child in children):
                parameters = [(child.text or "") for child in children]
            else:
                parameters = {child.tag: (child.text or "") for child in children}
        return render_message(message, parameters) or f"HTTP {status}"

    def _search(self, path, what, filter_groups=(), sort_orders=(), page_size=None, current_page=1, store=None):
        data = self._request("GET", path, what, store=store,
                             params=search_params(filter_groups, sort_orders, page_size, current_page))
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise ShopError("shop.magento2.no_items",
                            _lt("Magento answered %(what)s without a list of items"), what=what,
                            kind="answer")
        items = data.get("items") or []
        if any(not isinstance(item, dict) for item in items):
            raise ShopError("shop.magento2.items_not_objects",
                            _lt("Magento answered %(what)s with items that are not objects"),
                            what=what, kind="answer")
        try:
            total = int(data.get("total_count", len(items)))
        except (TypeError, ValueError):
            raise ShopError("shop.magento2.total_count", _lt("Magento answered %(what)s with total_count %(count)s"),
                            what=what, count=repr(data.get("total_count")), kind="answer") from None
        return items, total

    @staticmethod
    def _refuses_one(exc):
        """Whether Magento refused only the record at hand (400 "payload", 404 "not_found"), not the whole call."""
        return exc.kind in ("payload", "not_found")

    def _one(self, key, push, remote_id=""):
        """``push()``'s Result for one record, or the Result of its refusal (:meth:`_refuses_one`); any other
        error is the whole call's and raises."""
        try:
            return push()
        except ShopError as exc:
            if not self._refuses_one(exc):
                raise
            return model.Result(key, remote_id=remote_id, error=exc)

    @staticmethod
    def _entity_id(data, what):
        value = data.get("id") if isinstance(data, dict) else data
        if isinstance(value, bool) or value in (None, ""):
            raise ShopError("shop.magento2.no_id",
                            _lt("Magento answered %(what)s without an id"), what=what, kind="answer")
        text = str(value).strip().strip('"')
        if not text.isdigit():
            raise ShopError("shop.magento2.bad_id", _lt("Magento answered %(what)s with id %(value)s"), what=what,
                            value=repr(value), kind="answer")
        return text

    def _store_views(self):
        """[{"id", "website_id", "locale"}] of the store views (their configuration), read once. A token that
        may not read it gives none, with a warning: the customers' languages are left as the shop has them."""
        if self._views is None:
            configs = self._permitted(
                "store views", lambda: self._request("GET", "store/storeConfigs",
                                                     Phrase(_lt("the store configuration"))),
                [], refused=("auth", "not_found"), warning=_lt(
                    "Magento did not give the store views' locales (%(error)s): new customers get the shop's "
                    "language."))
            self._views = [{"id": str(c.get("id")), "website_id": str(c.get("website_id")),
                            "locale": str(c.get("locale") or "")}
                           for c in configs if isinstance(c, dict)] if isinstance(configs, list) else []
        return self._views

    # ------------------------------------------------------------------ connection
    def test_connection(self):
        try:
            configs = self._request("GET", "store/storeConfigs", Phrase(_lt("the store configuration")))
        except (ShopError, TransportError) as exc:
            if getattr(exc, "kind", "") != "auth":
                raise
            # an integration without the All Stores resource: the order list below tells a wrong token apart
            _items, total = self._search("orders", Phrase(_lt("the order list")), page_size=1)
            return Phrase(_lt("Magento at %(url)s: %(count)s orders; the access token may not read the store "
                              "configuration (resource Stores > Settings > All Stores), so store view %(store)s "
                              "was not checked and customers keep the shop's language"),
                          url=self.http.base_url, count=total, store=repr(self.store))
        if not isinstance(configs, list) or not all(isinstance(c, dict) for c in configs):
            raise ShopError("shop.magento2.store_config",
                            _lt("Magento answered the store configuration with something else than a list"),
                            kind="answer")
        config = next((c for c in configs if c.get("code") == self.store), None)
        if config is None:
            codes = ", ".join(sorted(str(c.get("code")) for c in configs)) or "none"
            raise ShopError("shop.magento2.no_store_view",
                            _lt("Magento has no store view %(store)s (store views: %(codes)s)"),
                            store=repr(self.store), codes=codes, kind="config")
        _items, total = self._search("orders", Phrase(_lt("the order list")), page_size=1)
        return Phrase(_lt("Magento store view %(store)s at %(url)s (%(currency)s, %(locale)s): %(count)s orders"),
                      store=repr(config.get("code")), url=config.get("base_url") or self.http.base_url,
                      currency=config.get("base_currency_code") or "?", locale=config.get("locale") or "?", count=total)


def _error_from_json(data, status):
    if not isinstance(data, dict):
        return f"HTTP {status}: {str(data)[:200]}"
    text = render_message(data.get("message"), data.get("parameters"))
    details = [render_message(e.get("message"), e.get("parameters"))
               for e in (data.get("errors") or []) if isinstance(e, dict)]
    details = [d for d in details if d and d != text]
    if details:
        text = f"{text} ({'; '.join(details)})" if text else "; ".join(details)
    return text or f"HTTP {status}"


