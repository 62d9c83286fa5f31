"""Magento 2 / Adobe Commerce REST API (``/rest/<store code>/V1``) as a shop adapter.

Authentication: an integration's access token sent as ``Authorization: Bearer <token>`` (Magento 2.4.4+
needs *Stores > Configuration > Services > OAuth > Allow OAuth Access Tokens to be used as standalone
Bearer tokens*; a wrong or revoked token answers HTTP 401 "The consumer isn't authorized to access
%resources.", kept as the client's ``TransportError(kind="auth")``).

Endpoints used (``{s}``: option ``store``, ``{c}``: option ``catalog_store``, "all" = global values):

* test_connection: ``GET {s}/V1/store/storeConfigs``, ``GET {s}/V1/orders`` (one order: proves the ACL);
* categories: ``GET {c}/V1/categories/list`` (link an existing category of the same name under the same
  parent), ``POST {c}/V1/categories``, ``PUT {c}/V1/categories/{id}``;
* products: ``GET {c}/V1/products`` (SKU ``in`` search, one per batch), ``POST {c}/V1/products`` (new),
  ``PUT {c}/V1/products/{sku}`` (existing, linked by SKU), ``POST {c}/V1/products/{sku}/media`` (images
  the product does not have yet; base64 content, named after the image checksum so they are sent once);
* stock (MSI): ``POST {c}/V1/inventory/source-items`` in batches; the whole batch is refused when one
  item is invalid, so a refused batch is sent again one item per call to find the culprit;
* prices: ``POST {c}/V1/products/base-prices``, ``.../special-price`` (sale price),
  ``.../special-price-information`` + ``.../special-price-delete`` (sale price gone); the answers list
  per-SKU failures (``{message, parameters}``), the other SKUs are saved;
* customers: ``GET {s}/V1/customers/search`` (e-mail ``in`` search, one per batch), ``POST {s}/V1/customers``,
  ``PUT {s}/V1/customers/{id}`` (addresses: the default billing / shipping ones are updated in place,
  the customer's other addresses are kept);
* orders: ``GET {s}/V1/orders`` filtered on ``updated_at gteq`` + ``status in``, sorted by
  ``updated_at`` then ``entity_id`` ascending, paged by ``total_count`` (Magento answers the last page
  again for a ``currentPage`` past the end);
* events: confirmed/delivered -> ``POST {s}/V1/orders/{id}/comments`` with the status; shipped ->
  ``POST {s}/V1/order/{id}/ship`` with the tracks (``GET {s}/V1/shipments`` first: a tracking number
  already there is not shipped twice; a fully shipped order gets the track on its last shipment through
  ``POST {s}/V1/shipment/track``); cancelled -> ``POST {s}/V1/orders/{id}/cancel``;
* invoice: ``GET {s}/V1/orders/{id}/comments`` (an "Invoice <number>" comment means done),
  ``GET {s}/V1/invoices`` + ``POST {s}/V1/order/{id}/invoice`` (Magento invoice when the order has
  none), then a comment visible on the storefront with the number and the document's URL.

Errors are ``{"message": "... %1 / %name", "parameters": [...] or {...}}`` (HTTP 400/404; XML when a
proxy or an old store answers in XML); :func:`render_message` fills the placeholders in.
"""

import base64
import re
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import quote

from odoo.addons.b2b_connector_base.lib import safe_xml

from . import model
from .base import MAX_RESPONSE_BYTES, PAGING_OPTIONS, ShopAdapter, ShopError, chunks, dec, parse_datetime, register

MAX_PAGE_SIZE = 300  # Magento's maximum SearchCriteria pageSize once input limits are on
MAGENTO_DATETIME = "%Y-%m-%d %H:%M:%S"
SKU_MAX_LENGTH = 64
_CENT = Decimal("0.01")


def _order_key(item):
    """What tells two orders of a listing apart (an order without entity_id is refused when it is read)."""
    return str(item.get("entity_id")).strip() if isinstance(item, dict) else repr(item)


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
            for name, value in zip(names, parameters):
                text = re.sub(rf"%{name}(?!\w)", lambda m, v=value: _text(v), text)
    return text


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _opt_bool(value):
    return str(value if value is not None else "").strip().lower() in ("1", "true", "yes", "y", "on")


def _opt_int(value, name, default=None):
    text = str(value if value is not None else "").strip()
    if not text:
        if default is None:
            raise ShopError(f"Magento option {name!r} is empty", kind="config")
        return default
    try:
        return int(text)
    except ValueError:
        raise ShopError(f"Magento option {name!r} must be a whole number, not {value!r}", kind="config") from None


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


@register
class Magento2Adapter(ShopAdapter):
    """Magento 2.4 / Adobe Commerce over the REST API.

    Credentials: ``key`` = the integration's access token (System > Integrations > Access Token; the
    integration needs the Catalog, Inventory, Customers and Sales resources). ``secret`` and ``extra``
    are not used.

    Options (``option_defaults``; values may come as strings from the backend form):

    * ``store`` ("default"): store code of the order, customer and invoice calls (``/rest/<store>/V1``);
    * ``catalog_store`` ("all"): store code of the catalogue calls ("all" writes global values, a store
      view code writes that view's values);
    * ``api_prefix`` ("rest"): path of the REST entry point ("index.php/rest" without URL rewrites);
    * ``attribute_set_id`` (4): attribute set of new products; ``visibility`` (4: catalogue and search)
      and ``product_website_ids`` ("1") of new products;
    * ``root_category_id`` (2): parent of top-level categories;
    * ``source_code`` ("default"): MSI source the stock goes to;
    * ``price_store_id`` (0): store id of base and special prices (0 = all stores);
    * ``customer_website_id`` (1) and ``customer_group_id`` (1: General) of new customers (a Customer's
      ``group`` wins when set);
    * ``barcode_attribute`` (""): attribute code receiving the barcode (e.g. "ean"; empty: not sent);
    * ``batch_size`` (20): items per batch call (Magento's default input list limit is 20 once input
      limits are on); ``page_size`` (100, at most 300): orders per page;
    * ``order_store_ids`` (""): only import orders of these store ids (comma-separated; empty: all);
    * ``use_base_currency`` (0): read orders in the base currency (``base_*`` amounts) instead of the
      order currency;
    * ``create_invoice`` (1): create the Magento invoice (not captured) when attaching an Odoo invoice to an
      order that has none; ``invoice_notify`` (1): have Magento e-mail the customer about it;
    * ``carrier_codes`` ("ups,usps,fedex,dhl"): carriers sent with their own code; any other carrier is
      sent as "custom" with its name as title;
    * ``max_pages`` (1000) / ``max_records`` (20000): the most pages and records one listing reads, whatever
      ``total_count`` says (a listing also ends on an empty page or a page with nothing new).
    """

    platform = "magento2"
    label = "Magento 2"
    max_batch = 20
    page_size = 100
    credential_fields = ("key",)
    order_statuses = (
        ("pending", "Pending"),
        ("pending_payment", "Pending Payment"),
        ("payment_review", "Payment Review"),
        ("fraud", "Suspected Fraud"),
        ("processing", "Processing"),
        ("holded", "On Hold"),
        ("complete", "Complete"),
        ("closed", "Closed"),
        ("canceled", "Canceled"),
    )
    default_status_map = {
        "confirmed": "processing",
        "shipped": "complete",
        "delivered": "complete",
        "cancelled": "canceled",
    }
    default_import_statuses = ("pending", "processing")
    default_cancel_statuses = ("canceled",)
    option_defaults = {
        "store": "default",
        "catalog_store": "all",
        "api_prefix": "rest",
        "attribute_set_id": "4",
        "visibility": "4",
        "product_website_ids": "1",
        "root_category_id": "2",
        "source_code": "default",
        "price_store_id": "0",
        "customer_website_id": "1",
        "customer_group_id": "1",
        "barcode_attribute": "",
        "batch_size": "20",
        "page_size": "100",
        "order_store_ids": "",
        "use_base_currency": "0",
        "create_invoice": "1",
        "invoice_notify": "1",
        "carrier_codes": "ups,usps,fedex,dhl",
        **PAGING_OPTIONS,
    }

    def _configure(self):
        opts = dict(self.option_defaults)
        opts.update({k: v for k, v in self.options.items() if v is not None})
        token = (self.credentials.get("key") or "").strip()
        if not token:
            raise ShopError("Magento 2 needs the integration's access token", kind="config")
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
        self.max_batch = max(1, _opt_int(opts["batch_size"], "batch_size", type(self).max_batch))
        self.page_size = min(MAX_PAGE_SIZE, max(1, _opt_int(opts["page_size"], "page_size", type(self).page_size)))
        self.order_store_ids = [str(_opt_int(v, "order_store_ids")) for v in _opt_list(opts["order_store_ids"])]
        self.use_base_currency = _opt_bool(opts["use_base_currency"])
        self.create_invoice = _opt_bool(opts["create_invoice"])
        self.invoice_notify = _opt_bool(opts["invoice_notify"])
        self.carrier_codes = {c.lower() for c in _opt_list(opts["carrier_codes"])}
        self.http.session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})

    # ------------------------------------------------------------------ transport
    def _path(self, path, store=None):
        store = quote(store or self.store, safe="")
        return f"/{self.api_prefix}/{store}/V1/{path.lstrip('/')}"

    def _call(self, method, path, what, *, store=None, params=None, body=None, idempotent=None):
        """One API call: the decoded JSON of a 2xx answer; :class:`ShopError` with Magento's message for
        400 ("payload") and 404 ("not_found"); other failures are the client's ``TransportError``."""
        response = self.http.request(method, self._path(path, store), params=params, json=body,
                                     idempotent=idempotent, expected=(400, 404))
        if response.status_code in (400, 404):
            raise ShopError(f"Magento refused {what}: {self._error_text(response)}",
                            kind="payload" if response.status_code == 400 else "not_found",
                            status=response.status_code)
        return self.json_of(response, what)

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
        data = self._call("GET", path, what, store=store,
                          params=search_params(filter_groups, sort_orders, page_size, current_page))
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise ShopError(f"Magento answered {what} without a list of items", kind="answer")
        items = data.get("items") or []
        if any(not isinstance(item, dict) for item in items):
            raise ShopError(f"Magento answered {what} with items that are not objects", kind="answer")
        try:
            total = int(data.get("total_count", len(items)))
        except (TypeError, ValueError):
            raise ShopError(f"Magento answered {what} with total_count {data.get('total_count')!r}",
                            kind="answer") from None
        return items, total

    @staticmethod
    def _entity_id(data, what):
        value = data.get("id") if isinstance(data, dict) else data
        if isinstance(value, bool) or value in (None, ""):
            raise ShopError(f"Magento answered {what} without an id", kind="answer")
        text = str(value).strip().strip('"')
        if not text.isdigit():
            raise ShopError(f"Magento answered {what} with id {value!r}", kind="answer")
        return text

    # ------------------------------------------------------------------ connection
    def test_connection(self):
        configs = self._call("GET", "store/storeConfigs", "the store configuration")
        if not isinstance(configs, list) or not all(isinstance(c, dict) for c in configs):
            raise ShopError("Magento answered the store configuration with something else than a list",
                            kind="answer")
        config = next((c for c in configs if c.get("code") == self.store), None)
        if config is None:
            codes = ", ".join(sorted(str(c.get("code")) for c in configs)) or "none"
            raise ShopError(f"Magento has no store view {self.store!r} (store views: {codes})", kind="config")
        _items, total = self._search("orders", "the order list", page_size=1)
        return (f"Magento store view '{config.get('code')}' at {config.get('base_url') or self.http.base_url} "
                f"({config.get('base_currency_code') or '?'}, {config.get('locale') or '?'}): {total} orders")

    # ------------------------------------------------------------------ categories
    def push_categories(self, categories):
        categories = list(categories)
        results = [None] * len(categories)
        keys = {c.key for c in categories}
        by_key = {c.key: i for i, c in enumerate(categories)}
        remote_ids = {}
        for index in _parents_first(categories):
            category = categories[index]
            parent_id = self.root_category_id
            if not category.parent_key and category.parent_remote_id:  # parent already in the shop
                parent_id = int(category.parent_remote_id)
            if category.parent_key:
                if category.parent_key in remote_ids:
                    parent_id = int(remote_ids[category.parent_key])
                elif category.parent_key in keys:
                    parent = results[by_key[category.parent_key]]
                    reason = parent.error if parent else "it comes after its child (a loop?)"
                    results[index] = model.Result(category.key, error=f"parent category not pushed: {reason}")
                    continue
            try:
                results[index] = self._push_category(category, parent_id)
            except ShopError as exc:
                if exc.kind not in ("payload", "not_found"):
                    raise
                results[index] = model.Result(category.key, error=str(exc))
            if results[index].ok:
                remote_ids[category.key] = results[index].remote_id
        return results

    def _category_body(self, category, parent_id, remote_id=None):
        body = {"name": category.name, "parent_id": parent_id, "is_active": True, "include_in_menu": True}
        if remote_id:
            body["id"] = int(remote_id)
        if category.description:
            body["custom_attributes"] = [{"attribute_code": "description", "value": category.description}]
        return {"category": body}

    def _push_category(self, category, parent_id):
        if not (category.name or "").strip():
            return model.Result(category.key, error="a category needs a name")
        what = f"category {category.name!r}"
        if category.remote_id and str(category.remote_id).isdigit():
            try:
                data = self._call("PUT", f"categories/{int(category.remote_id)}", what, store=self.catalog_store,
                                  body=self._category_body(category, parent_id, category.remote_id))
                return model.Result(category.key, remote_id=self._entity_id(data, what))
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
                # deleted in the shop: created again below
        items, _total = self._search("categories/list", f"the categories named {category.name!r}",
                                     [[("name", category.name, "eq")], [("parent_id", parent_id, "eq")]],
                                     page_size=MAX_PAGE_SIZE, store=self.catalog_store)
        same = [c for c in items if str(c.get("name", "")).strip().lower() == category.name.strip().lower()
                and str(c.get("parent_id")) == str(parent_id)]
        if same:
            remote_id = self._entity_id(same[0], what)
            data = self._call("PUT", f"categories/{remote_id}", what, store=self.catalog_store,
                              body=self._category_body(category, parent_id, remote_id))
            return model.Result(category.key, remote_id=self._entity_id(data, what))
        data = self._call("POST", "categories", what, store=self.catalog_store,
                          body=self._category_body(category, parent_id))
        return model.Result(category.key, remote_id=self._entity_id(data, what), created=True)

    # ------------------------------------------------------------------ products
    def push_products(self, products):
        products = list(products)
        results = [None] * len(products)
        for batch in chunks(list(enumerate(products)), self.max_batch):
            existing = self._products_by_sku([p.sku for _i, p in batch if (p.sku or "").strip()])
            for index, product in batch:
                sku = (product.sku or "").strip()
                if not sku:
                    results[index] = model.Result(product.sku or product.name, error="a product needs a SKU")
                    continue
                try:
                    results[index] = self._push_product(product, sku, existing.get(sku.lower()))
                except ShopError as exc:
                    if exc.kind not in ("payload", "not_found"):
                        raise
                    results[index] = model.Result(product.sku, remote_id=product.remote_id, error=str(exc))
        return results

    def _products_by_sku(self, skus):
        """{sku.lower(): product} of the SKUs the shop has (one search; SKUs with commas one by one)."""
        found = {}
        plain = [s.strip() for s in skus if "," not in s]
        if plain:
            items, _total = self._search("products", "the product search by SKU", [[("sku", ",".join(plain), "in")]],
                                         page_size=max(len(plain), 1), store=self.catalog_store)
            for item in items:
                found[str(item.get("sku", "")).lower()] = item
        for sku in (s.strip() for s in skus if "," in s):
            try:
                item = self._call("GET", f"products/{quote(sku, safe='')}", f"product {sku!r}",
                                  store=self.catalog_store)
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
                continue
            if isinstance(item, dict):
                found[sku.lower()] = item
        return found

    def _push_product(self, product, sku, existing):
        what = f"product {sku!r}"
        create = existing is None
        body = self._product_body(product, sku, create)
        if create:
            entries = [self._media_entry(product, image, n) for n, image in enumerate(product.images) if image.data]
            if entries:
                body["product"]["media_gallery_entries"] = entries
            data = self._call("POST", "products", what, store=self.catalog_store, body=body, idempotent=True)
        else:
            data = self._call("PUT", f"products/{quote(sku, safe='')}", what, store=self.catalog_store, body=body)
        remote_id = self._entity_id(data, what)
        errors = []
        if not create:
            have = [str(e.get("file") or "").rsplit("/", 1)[-1].lower()
                    for e in (existing.get("media_gallery_entries") or []) if isinstance(e, dict)]
            position = len(have)
            for image in product.images:
                if not image.data or any(_image_key(image) in name for name in have):
                    continue
                try:
                    self._call("POST", f"products/{quote(sku, safe='')}/media", f"image {image.filename!r} of {sku!r}",
                               store=self.catalog_store, body={"entry": self._media_entry(product, image, position)})
                    position += 1
                except ShopError as exc:
                    if exc.kind not in ("payload", "not_found"):
                        raise
                    errors.append(str(exc))
        return model.Result(product.sku, remote_id=remote_id, created=create, error="; ".join(errors))

    def _product_body(self, product, sku, create):
        attributes = []

        def attribute(code, value):
            attributes.append({"attribute_code": code, "value": value})

        if product.description:
            attribute("description", product.description)
        if product.short_description:
            attribute("short_description", product.short_description)
        if product.category_remote_ids:
            attribute("category_ids", [str(c) for c in product.category_remote_ids])
        if create:
            attribute("url_key", _slug(f"{product.name}-{sku}"))
        if product.tax_class:
            attribute("tax_class_id", str(product.tax_class))
        if self.barcode_attribute and product.barcode:
            attribute(self.barcode_attribute, product.barcode)
        for code, value in (product.attributes or {}).items():
            attribute(code, value if isinstance(value, (list, int, float, str, bool)) or value is None else str(value))
        data = {
            "sku": sku,
            "name": product.name,
            "price": _num(Decimal(product.price or 0).quantize(_CENT)),
            "status": 1 if product.active else 2,
            "custom_attributes": attributes,
        }
        if product.weight is not None:
            data["weight"] = _num(product.weight)
        if create:
            data.update(type_id="simple", attribute_set_id=self.attribute_set_id, visibility=self.visibility,
                        extension_attributes={"website_ids": self.product_website_ids})
        return {"product": data}

    @staticmethod
    def _media_entry(product, image, position):
        return {
            "media_type": "image",
            "label": product.name,
            "position": position,
            "disabled": False,
            "types": ["image", "small_image", "thumbnail"] if position == 0 else [],
            "content": {
                "base64_encoded_data": base64.b64encode(image.data).decode("ascii"),
                "type": image.mimetype or "image/png",
                "name": _image_name(image),
            },
        }

    # ------------------------------------------------------------------ stock
    def push_stock(self, levels):
        levels = list(levels)
        results = [None] * len(levels)
        pending = []
        for index, level in enumerate(levels):
            if not (level.sku or "").strip():
                results[index] = model.Result(level.sku, error="a stock level needs a SKU")
                continue
            quantity = Decimal(level.quantity or 0)
            pending.append((index, level, {
                "sku": level.sku.strip(),
                "source_code": self.source_code,
                "quantity": _num(quantity),
                "status": 1 if (quantity > 0 or not level.manage_stock) else 0,
            }))
        for batch in chunks(pending, self.max_batch):
            self._push_source_items(batch, results)
        return results

    def _push_source_items(self, batch, results):
        what = f"the stock of {len(batch)} SKU{'s' if len(batch) > 1 else ''}"
        try:
            self._call("POST", "inventory/source-items", what, store=self.catalog_store,
                       body={"sourceItems": [item for _i, _l, item in batch]}, idempotent=True)
        except ShopError as exc:
            if exc.kind not in ("payload", "not_found"):
                raise
            if len(batch) == 1:
                index, level, _item = batch[0]
                results[index] = model.Result(level.sku, error=str(exc))
                return
            # Magento refuses the whole batch for one bad item: find it, one item per call
            for single in batch:
                self._push_source_items([single], results)
            return
        for index, level, item in batch:
            results[index] = model.Result(level.sku, remote_id=item["sku"])

    # ------------------------------------------------------------------ prices
    def push_prices(self, prices):
        prices = list(prices)
        results = [None] * len(prices)
        pending = []
        for index, price in enumerate(prices):
            if not (price.sku or "").strip():
                results[index] = model.Result(price.sku, error="a price needs a SKU")
            elif price.price is None or Decimal(price.price) < 0:
                results[index] = model.Result(price.sku, error=f"invalid price {price.price!r}")
            else:
                pending.append((index, price))
        for batch in chunks(pending, self.max_batch):
            errors = {}
            skus = [p.sku.strip() for _i, p in batch]
            failures = self._price_call("products/base-prices", "the base prices", {"prices": [
                {"sku": p.sku.strip(), "price": _num(Decimal(p.price).quantize(_CENT)), "store_id": self.price_store_id}
                for _i, p in batch]})
            _attribute_failures(failures, skus, errors)
            on_sale = [p for _i, p in batch if p.sku.strip() not in errors
                       and p.sale_price is not None and Decimal(p.sale_price) < Decimal(p.price)]
            if on_sale:
                today = datetime.now(timezone.utc).strftime("%Y-%m-%d 00:00:00")
                failures = self._price_call("products/special-price", "the special prices", {"prices": [
                    {"sku": p.sku.strip(), "price": _num(Decimal(p.sale_price).quantize(_CENT)),
                     "store_id": self.price_store_id, "price_from": today} for p in on_sale]})
                _attribute_failures(failures, [p.sku.strip() for p in on_sale], errors)
            sale_skus = {p.sku.strip() for p in on_sale}
            regular = [s for s in skus if s not in errors and s not in sale_skus]
            if regular:
                self._drop_special_prices(regular, errors)
            for index, price in batch:
                message = "; ".join(errors.get(price.sku.strip(), []))
                results[index] = model.Result(price.sku, remote_id="" if message else price.sku.strip(), error=message)
        return results

    def _price_call(self, path, what, body):
        data = self._call("POST", path, what, store=self.catalog_store, body=body, idempotent=True)
        if not isinstance(data, list) or not all(isinstance(f, dict) for f in data):
            raise ShopError(f"Magento answered {what} with something else than a list of failures", kind="answer")
        return data

    def _drop_special_prices(self, skus, errors):
        data = self._call("POST", "products/special-price-information", "the special prices",
                          store=self.catalog_store, body={"skus": skus}, idempotent=True)
        if not isinstance(data, list):
            raise ShopError("Magento answered the special prices with something else than a list", kind="answer")
        stale = [p for p in data if isinstance(p, dict) and str(p.get("store_id")) == str(self.price_store_id)
                 and p.get("sku") in skus]
        if stale:
            failures = self._price_call("products/special-price-delete", "the special price removal", {"prices": stale})
            _attribute_failures(failures, [p["sku"] for p in stale], errors)

    # ------------------------------------------------------------------ customers
    def push_customers(self, customers):
        customers = list(customers)
        results = [None] * len(customers)
        for batch in chunks(list(enumerate(customers)), self.max_batch):
            emails = [(c.email or "").strip() for _i, c in batch if (c.email or "").strip()]
            existing = self._customers_by_email(emails)
            for index, customer in batch:
                email = (customer.email or "").strip()
                if not email:
                    results[index] = model.Result(customer.key, error="a customer needs an e-mail address")
                    continue
                try:
                    results[index] = self._push_customer(customer, email, existing.get(email.lower()))
                except ShopError as exc:
                    if exc.kind not in ("payload", "not_found"):
                        raise
                    results[index] = model.Result(customer.key, remote_id=customer.remote_id, error=str(exc))
        return results

    def _customers_by_email(self, emails):
        if not emails:
            return {}
        plain = [e for e in emails if "," not in e]
        found = {}
        if plain:
            items, _total = self._search("customers/search", "the customer search by e-mail",
                                         [[("email", ",".join(plain), "in")]], page_size=MAX_PAGE_SIZE)
            # the same e-mail may exist on several websites (account sharing per website): ours first
            items.sort(key=lambda c: str(c.get("website_id")) != str(self.customer_website_id))
            for item in items:
                found.setdefault(str(item.get("email", "")).lower(), item)
        return found

    def _push_customer(self, customer, email, existing):
        what = f"customer {email!r}"
        if existing is None and customer.remote_id and str(customer.remote_id).isdigit():
            try:
                existing = self._call("GET", f"customers/{int(customer.remote_id)}", what)
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
        body = self._customer_body(customer, email, existing)
        if existing:
            remote_id = self._entity_id(existing, what)
            data = self._call("PUT", f"customers/{remote_id}", what, body=body)
            return model.Result(customer.key, remote_id=self._entity_id(data, what))
        data = self._call("POST", "customers", what, body=body)
        return model.Result(customer.key, remote_id=self._entity_id(data, what), created=True)

    def _customer_body(self, customer, email, existing):
        first, last = _names(customer.first_name, customer.last_name, customer.company, email)
        group = str(customer.group or "").strip()
        data = {
            "email": email,
            "firstname": first,
            "lastname": last,
            "website_id": (int(existing.get("website_id", self.customer_website_id)) if existing
                           else self.customer_website_id),
            "group_id": int(group) if group.isdigit() else (
                int(existing.get("group_id", self.customer_group_id)) if existing else self.customer_group_id),
        }
        if customer.vat:
            data["taxvat"] = customer.vat
        if existing:
            data["id"] = int(existing["id"])
        addresses = self._customer_addresses(customer, first, last, existing)
        if addresses is not None:
            data["addresses"] = addresses
        return {"customer": data}

    def _customer_addresses(self, customer, first, last, existing):
        """The addresses to send: ours as default billing/shipping (updating the current defaults in
        place), the customer's other addresses unchanged; None to leave them alone."""
        billing, shipping = customer.billing, customer.shipping
        roles = []
        if not billing.is_empty():
            roles.append(("billing", billing))
        if not shipping.is_empty():
            roles.append(("shipping", shipping))
        if not roles:
            return None
        old = [a for a in ((existing or {}).get("addresses") or []) if isinstance(a, dict)]
        default_ids = {"billing": str((existing or {}).get("default_billing") or ""),
                       "shipping": str((existing or {}).get("default_shipping") or "")}
        if len(roles) == 2 and billing == shipping:
            roles = [("both", billing)]
        ours, used = [], set()
        for role, address in roles:
            entry = _address_body(address, first, last, customer)
            entry["default_billing"] = role in ("billing", "both")
            entry["default_shipping"] = role in ("shipping", "both")
            for candidate in (("billing", "shipping") if role == "both" else (role,)):
                old_id = default_ids[candidate]
                if old_id and old_id not in used and any(str(a.get("id")) == old_id for a in old):
                    entry["id"] = int(old_id)
                    used.add(old_id)
                    break
            ours.append(entry)
        kept = []
        for address in old:
            if str(address.get("id")) in used:
                continue
            address = dict(address)
            if any(e["default_billing"] for e in ours):
                address["default_billing"] = False
            if any(e["default_shipping"] for e in ours):
                address["default_shipping"] = False
            kept.append(address)
        return ours + kept

    # ------------------------------------------------------------------ orders in
    def fetch_orders(self, since=None, statuses=None):
        if statuses is not None:
            statuses = [s for s in statuses if s]
            if not statuses:
                return
        groups = []
        if since is not None:
            groups.append([("updated_at", parse_datetime(since).strftime(MAGENTO_DATETIME), "gteq")])
        if statuses:
            groups.append([("status", ",".join(statuses), "in")])
        if self.order_store_ids:
            groups.append([("store_id", ",".join(self.order_store_ids), "in")])
        sort = [("updated_at", "ASC"), ("entity_id", "ASC")]
        page, pager = 1, self.pager("the order list")
        while True:
            items, total = self._search("orders", f"page {page} of the orders", groups, sort, self.page_size, page)
            for item in pager.page(items, key=_order_key):
                yield self._order(item)
            # page by total_count; a page with nothing new is Magento repeating its last page
            if not pager.more(page * self.page_size < total):
                return
            page += 1

    def _amount(self, data, field):
        if self.use_base_currency:
            return dec(data.get(f"base_{field}"))
        return dec(data.get(field))

    def _order(self, data):
        try:
            remote_id = self._entity_id(data.get("entity_id"), "an order")
        except ShopError:
            raise ShopError(f"Magento answered an order without entity_id: {str(data)[:120]}", kind="answer") from None
        if not data.get("created_at"):
            raise ShopError(f"Magento answered order {remote_id} without created_at", kind="answer")
        ext = data.get("extension_attributes") if isinstance(data.get("extension_attributes"), dict) else {}
        lines = self._product_lines(data)
        lines += self._other_lines(data, ext, lines)
        payment = data.get("payment") if isinstance(data.get("payment"), dict) else {}
        total = self._amount(data, "grand_total")
        paid_amount = self._amount(data, "total_paid")
        if not paid_amount and payment:
            paid_amount = self._amount(payment, "amount_paid")
        guest = _opt_bool(data.get("customer_is_guest"))
        email = str(data.get("customer_email") or "")
        billing = _address(data.get("billing_address"), email)
        shipping = model.Address()
        for assignment in ext.get("shipping_assignments") or []:
            address = ((assignment or {}).get("shipping") or {}).get("address")
            if isinstance(address, dict):
                shipping = _address(address, email)
                break
        return model.Order(
            remote_id=remote_id,
            number=str(data.get("increment_id") or remote_id),
            status=str(data.get("status") or ""),
            created_at=parse_datetime(data.get("created_at")),
            updated_at=parse_datetime(data.get("updated_at")),
            currency=str(data.get("base_currency_code" if self.use_base_currency else "order_currency_code") or ""),
            email=email,
            customer_remote_id="" if guest or not data.get("customer_id") else str(data.get("customer_id")),
            billing=billing,
            shipping=shipping,
            lines=lines,
            paid=total > 0 and paid_amount >= total or (total == 0 and data.get("state") in ("processing", "complete")),
            paid_amount=paid_amount,
            payment_method=str(payment.get("method") or ""),
            transaction_id=str(payment.get("last_trans_id") or ""),
            total=total,
            total_tax=self._amount(data, "tax_amount"),
            prices_include_tax=False,
            note=str(data.get("customer_note") or ""),
            raw=data,
        )

    def _product_lines(self, data):
        rows = [r for r in (data.get("items") or []) if isinstance(r, dict)]
        children = {}
        for row in rows:
            if row.get("parent_item_id"):
                children.setdefault(str(row["parent_item_id"]), []).append(row)
        lines = []
        for row in rows:
            if row.get("parent_item_id"):
                continue
            kids = children.get(str(row.get("item_id")), [])
            # a bundle with dynamic price carries its amounts on the children
            if (row.get("product_type") == "bundle" and kids and not self._amount(row, "price")
                    and any(self._amount(k, "price") for k in kids)):
                for kid in kids:
                    lines.append(self._item_line(kid, prefix=f"{row.get('name') or row.get('sku')}: "))
            else:
                lines.append(self._item_line(row))
        return lines

    def _item_line(self, row, prefix=""):
        rate = row.get("tax_percent")
        return model.OrderLine(
            name=prefix + str(row.get("name") or row.get("sku") or ""),
            quantity=dec(row.get("qty_ordered")),
            unit_price=self._amount(row, "price"),
            kind="product",
            sku=str(row.get("sku") or ""),
            product_remote_id=str(row.get("product_id") or ""),
            remote_id=str(row.get("item_id") or ""),
            discount=abs(self._amount(row, "discount_amount")),
            tax_amount=self._amount(row, "tax_amount"),
            tax_rate=dec(rate) if rate not in (None, "") else None,
        )

    def _other_lines(self, data, ext, product_lines):
        lines = []
        shipping_amount = self._amount(data, "shipping_amount")
        shipping_discount = abs(self._amount(data, "shipping_discount_amount"))
        shipping_tax = self._amount(data, "shipping_tax_amount")
        method = str(data.get("shipping_method") or "")
        for assignment in ext.get("shipping_assignments") or []:
            method = str(((assignment or {}).get("shipping") or {}).get("method") or method)
            break
        if shipping_amount or data.get("shipping_description") or (method and not _opt_bool(data.get("is_virtual"))):
            net = shipping_amount - shipping_discount
            lines.append(model.OrderLine(
                name=str(data.get("shipping_description") or "Shipping"), quantity=Decimal(1),
                unit_price=shipping_amount, kind="shipping", sku=method, discount=shipping_discount,
                tax_amount=shipping_tax,
                tax_rate=(shipping_tax * 100 / net).quantize(_CENT) if net and shipping_tax else None,
            ))
        # gift wrapping (Adobe Commerce): order, items and printed card
        for field, tax_field, name in (("gw_price", "gw_tax_amount", "Gift wrapping"),
                                       ("gw_items_price", "gw_items_tax_amount", "Gift wrapping (items)"),
                                       ("gw_card_price", "gw_card_tax_amount", "Printed card")):
            amount = self._amount(ext, field) or self._amount(data, field)
            if amount:
                lines.append(model.OrderLine(name=name, quantity=Decimal(1), unit_price=amount, kind="fee",
                                             sku=field,
                                             tax_amount=self._amount(ext, tax_field) or self._amount(data, tax_field)))
        # coupon: the discount is on the product and shipping lines; the coupon line carries the code
        # and whatever part of the order discount is on neither (usually nothing)
        discount = abs(self._amount(data, "discount_amount"))
        residual = discount - sum((line.discount for line in product_lines), Decimal(0)) - shipping_discount
        if abs(residual) < _CENT:
            residual = Decimal(0)
        code = str(data.get("coupon_code") or "")
        if code or residual:
            label = str(data.get("discount_description") or "")
            if code:
                name = f"Coupon {code}" + (f" ({label})" if label and label != code else "")
            else:
                name = label or "Discount"
            lines.append(model.OrderLine(name=name, quantity=Decimal(1), unit_price=-residual, kind="coupon", sku=code))
        # gift cards, store credit and reward points (Adobe Commerce) pay part of the order
        cards = [c for c in (ext.get("gift_cards") or []) if isinstance(c, dict)]
        for card in cards:
            amount = self._amount(card, "amount")
            if amount:
                lines.append(model.OrderLine(name=f"Gift card {card.get('code') or ''}".strip(), quantity=Decimal(1),
                                             unit_price=-amount, kind="gift_card", sku=str(card.get("code") or ""),
                                             remote_id=str(card.get("id") or "")))
        if not cards:
            amount = self._amount(ext, "gift_cards_amount") or self._amount(data, "gift_cards_amount")
            if amount:
                lines.append(model.OrderLine(name="Gift cards", quantity=Decimal(1), unit_price=-amount,
                                             kind="gift_card"))
        for field, name in (("customer_balance_amount", "Store credit"), ("reward_currency_amount", "Reward points")):
            amount = self._amount(ext, field) or self._amount(data, field)
            if amount:
                lines.append(model.OrderLine(name=name, quantity=Decimal(1), unit_price=-abs(amount),
                                             kind="gift_card", sku=field))
        return lines

    # ------------------------------------------------------------------ orders out
    def _get_order(self, remote_id):
        if not str(remote_id or "").strip().isdigit():
            raise ShopError(f"{remote_id!r} is not a Magento order id (entity_id)", kind="not_found")
        data = self._call("GET", f"orders/{int(remote_id)}", f"order {remote_id}")
        if not isinstance(data, dict) or "entity_id" not in data:
            raise ShopError(f"Magento answered order {remote_id} with something else than an order", kind="answer")
        return data

    def _add_comment(self, order, text, status, notify, visible):
        """An order comment. The status is always sent: without one, Magento sets the order's status to
        nothing (the order then drops out of the order grid)."""
        body = {"statusHistory": {
            "comment": text, "status": status or order.get("status"),
            "is_customer_notified": 1 if notify else 0, "is_visible_on_front": 1 if visible else 0,
            "parent_id": int(order["entity_id"]),
        }}
        answer = self._call("POST", f"orders/{int(order['entity_id'])}/comments",
                            f"the comment on order {order.get('increment_id')}", body=body)
        if answer is not True:
            raise ShopError(f"Magento did not add the comment to order {order.get('increment_id')} ({answer!r})",
                            kind="answer")

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        target = self.status_for(event, {event: status} if status else None)
        order = self._get_order(remote_id)
        number = order.get("increment_id") or remote_id
        if event == "cancelled":
            return self._cancel(order, target, notify)
        if event == "shipped":
            summary = self._ship(order, shipment, notify)
            if status:  # an explicit status for shipped orders: set it with a comment
                summary += "; " + self._set_status(self._get_order(remote_id), target, "Order shipped.", notify)
            return summary
        text = {"confirmed": "Order confirmed.", "delivered": "Order delivered."}[event]
        return f"order {number}: " + self._set_status(order, target, text, notify)

    def _set_status(self, order, target, text, notify):
        if order.get("status") == target:
            return f"already {target}"
        self._add_comment(order, text, target, notify, visible=True)
        after = self._get_order(order["entity_id"])
        if after.get("status") != target:
            return (f"comment added, but Magento kept status {after.get('status')!r} (status {target!r} is not "
                    f"assigned to order state {after.get('state')!r})")
        return f"status {target}"

    def _cancel(self, order, target, notify):
        number = order.get("increment_id")
        if order.get("state") != "canceled":
            answer = self._call("POST", f"orders/{int(order['entity_id'])}/cancel",
                                f"the cancellation of order {number}", idempotent=True)
            if answer is not True:
                raise ShopError(f"Magento cannot cancel order {number} (state {order.get('state')!r}: invoiced, "
                                f"shipped or on hold orders must be credited or released in Magento)", kind="remote")
            order = self._get_order(order["entity_id"])
        if target != order.get("status"):
            return f"order {number} cancelled; " + self._set_status(order, target, "Order cancelled.", notify)
        return f"order {number} cancelled"

    def _ship(self, order, shipment, notify):
        order_id = int(order["entity_id"])
        number = order.get("increment_id")
        shipments, _total = self._search("shipments", f"the shipments of order {number}",
                                         [[("order_id", order_id, "eq")]], page_size=MAX_PAGE_SIZE)
        tracking = (shipment.tracking_number or "").strip() if shipment else ""
        known = {str(t.get("track_number")) for s in shipments for t in (s.get("tracks") or []) if isinstance(t, dict)}
        if tracking and tracking in known:
            return f"order {number} already shipped with tracking number {tracking}"
        track = None
        if tracking:
            carrier = (shipment.carrier or "").strip()
            code = carrier.lower() if carrier.lower() in self.carrier_codes else "custom"
            track = {"track_number": tracking, "title": carrier or "Carrier", "carrier_code": code}
        body = {"notify": bool(notify), "tracks": [track] if track else []}
        if shipment and shipment.tracking_url:
            body["appendComment"] = True
            body["comment"] = {"comment": f"Track your parcel: {shipment.tracking_url}", "is_visible_on_front": 1}
        try:
            answer = self._call("POST", f"order/{order_id}/ship", f"the shipment of order {number}", body=body)
        except ShopError as exc:
            if exc.kind != "payload" or not shipments:
                raise
            # fully shipped already: the tracking number goes onto the last shipment
            if not track:
                return f"order {number} already shipped"
            last = max(shipments, key=lambda s: int(s.get("entity_id") or 0))
            entity = dict(track, order_id=order_id, parent_id=int(last["entity_id"]))
            self._call("POST", "shipment/track", f"the tracking number of order {number}", body={"entity": entity})
            label = last.get("increment_id") or last["entity_id"]
            return f"order {number}: tracking number {tracking} added to shipment {label}"
        shipment_id = self._entity_id(answer, f"the shipment of order {number}")
        return f"order {number} shipped (shipment {shipment_id}" + (f", tracking {tracking})" if tracking else ")")

    # ------------------------------------------------------------------ invoices
    def attach_invoice(self, remote_id, document):
        number = (document.number or "").strip()
        if not number:
            raise ShopError("the invoice has no number", kind="payload")
        order = self._get_order(remote_id)
        order_id = int(order["entity_id"])
        marker = f"Invoice {number}"
        comments = self._call("GET", f"orders/{order_id}/comments",
                              f"the comments of order {order.get('increment_id')}")
        if not isinstance(comments, dict) or not isinstance(comments.get("items", []), list):
            raise ShopError("Magento answered the order comments without a list of items", kind="answer")
        for comment in comments.get("items") or []:
            text = str((comment or {}).get("comment") or "")
            if _mentions(text, marker):
                return f"{marker} already on order {order.get('increment_id')}"
        invoice_note = ""
        if self.create_invoice:
            invoices, _total = self._search("invoices", f"the invoices of order {order.get('increment_id')}",
                                            [[("order_id", order_id, "eq")]], page_size=MAX_PAGE_SIZE)
            if invoices:
                invoice_note = f"Magento invoice {invoices[0].get('increment_id') or invoices[0].get('entity_id')}"
            else:
                try:
                    answer = self._call("POST", f"order/{order_id}/invoice",
                                        f"the invoice of order {order.get('increment_id')}",
                                        body={"capture": False, "notify": self.invoice_notify})
                    invoice_note = f"Magento invoice {self._entity_id(answer, 'the invoice')} created"
                    order = self._get_order(order_id)  # invoicing moves the order on (e.g. to processing)
                except ShopError as exc:
                    if exc.kind != "payload":
                        raise
                    invoice_note = f"no Magento invoice ({exc})"
        text = marker
        if document.amount_total is not None:
            currency = document.currency or order.get("order_currency_code") or ""
            text += f" ({Decimal(document.amount_total).quantize(_CENT)} {currency}".rstrip() + ")"
        if document.url:
            text += f": {document.url}"
        self._add_comment(order, text, order.get("status"), self.invoice_notify, visible=True)
        return f"{marker} on order {order.get('increment_id')}" + (f" ({invoice_note})" if invoice_note else "")


# ---------------------------------------------------------------------------- helpers
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


def _attribute_failures(failures, skus, errors):
    """Put each failure of a price answer on the SKU it names (in its parameters or its text); one that
    names no SKU of the call goes on all of them."""
    for failure in failures:
        text = render_message(failure.get("message"), failure.get("parameters"))
        params = failure.get("parameters")
        values = list(params.values()) if isinstance(params, dict) else list(params or [])
        named = [s for s in skus if s in [str(v) for v in values]]
        if not named:
            named = [s for s in skus if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
        if not named:
            named = list(skus)
            text = f"{text} (Magento did not say which SKU)"
        for sku in named:
            errors.setdefault(sku, [])
            if text not in errors[sku]:
                errors[sku].append(text)


def _parents_first(categories):
    """Indices of ``categories`` with every parent (by key, within the list) before its children."""
    index_of = {c.key: i for i, c in enumerate(categories)}
    order, state = [], {}

    def visit(i, depth=0):
        if state.get(i) == "done" or depth > len(categories):
            return
        state[i] = "visiting"
        parent = index_of.get(categories[i].parent_key)
        if parent is not None and state.get(parent) != "visiting":
            visit(parent, depth + 1)
        state[i] = "done"
        order.append(i)

    for i in range(len(categories)):
        visit(i)
    return order


def _image_name(image):
    name = (image.filename or "image").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, {"image/jpeg": "jpg", "image/gif": "gif"}.get(image.mimetype, "png")
    stem = _slug(stem)[:80]
    if image.checksum:
        stem = f"{stem}-{image.checksum[:10].lower()}"
    return f"{stem}.{ext.lower()}"


def _image_key(image):
    """What identifies an image we uploaded in Magento's stored file name."""
    if image.checksum:
        return f"-{image.checksum[:10].lower()}"
    return _image_name(image).rsplit(".", 1)[0]


def _mentions(text, marker):
    position = text.find(marker)
    while position >= 0:
        end = position + len(marker)
        before_ok = position == 0 or not text[position - 1].isalnum()
        after_ok = end == len(text) or text[end] in " :,;.()\n\t" and not (
            text[end] == "." and end + 1 < len(text) and text[end + 1].isalnum())
        if before_ok and after_ok:
            return True
        position = text.find(marker, position + 1)
    return False


def _names(first, last, company, email):
    first, last = (first or "").strip(), (last or "").strip()
    if not first and not last:
        name = (company or "").strip() or email.split("@", 1)[0]
        first, _sep, last = name.partition(" ")
    if not first:
        first = last
    if not last:
        last = first
    return first, last


def _address_body(address, first, last, customer):
    body = {
        "firstname": address.first_name or first,
        "lastname": address.last_name or last,
        "street": [s for s in (address.street, address.street2) if s],
        "city": address.city,
        "postcode": address.zip,
        "country_id": address.country_code,
        "telephone": address.phone or customer.phone,
    }
    if address.company or customer.company:
        body["company"] = address.company or customer.company
    if address.state_code:
        body["region"] = {"region_code": address.state_code}
    if address.vat or customer.vat:
        body["vat_id"] = address.vat or customer.vat
    return body


def _address(data, email=""):
    if not isinstance(data, dict):
        return model.Address()
    street = data.get("street") or []
    if isinstance(street, str):
        street = street.splitlines()
    street = [str(s) for s in street if s]
    region = data.get("region")
    state = data.get("region_code") or (region.get("region_code") if isinstance(region, dict) else "") or ""
    return model.Address(
        first_name=str(data.get("firstname") or ""),
        last_name=str(data.get("lastname") or ""),
        company=str(data.get("company") or ""),
        street=street[0] if street else "",
        street2=", ".join(street[1:]),
        city=str(data.get("city") or ""),
        zip=str(data.get("postcode") or ""),
        state_code=str(state),
        country_code=str(data.get("country_id") or ""),
        email=str(data.get("email") or email or ""),
        phone=str(data.get("telephone") or ""),
        vat=str(data.get("vat_id") or ""),
    )

