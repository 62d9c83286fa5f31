"""WooCommerce (WordPress + WooCommerce REST API v3) as a shop adapter.

Endpoints (all under the shop's URL + ``api_root``, default ``/wp-json``):

* ``GET  /wc/v3/orders`` - ``per_page`` (<= 100), ``page``, ``orderby=modified&order=asc``,
  ``modified_after`` + ``dates_are_gmt=true``, ``status`` (comma list); paging headers ``X-WP-Total`` /
  ``X-WP-TotalPages``; ``GET/PUT /wc/v3/orders/{id}``; ``GET/POST /wc/v3/orders/{id}/notes``;
* ``POST /wc/v3/products/batch``, ``/wc/v3/products/categories/batch``, ``/wc/v3/customers/batch``
  (``create`` / ``update``, at most 100 objects per request, per-item ``error`` objects);
  ``GET /wc/v3/products?sku=a,b,c`` and ``GET /wc/v3/customers?email=..&role=all`` to link existing records;
* Shipment Tracking extension: ``GET/POST /wc-shipment-tracking/v3/orders/{id}/shipment-trackings``;
* WordPress: ``GET /`` (site index, no authentication) and ``POST /wp/v2/media`` (invoice PDF upload,
  WordPress application password).

Authentication: HTTP Basic with the consumer key and secret (or, option ``query_string_auth``, as the
``consumer_key`` / ``consumer_secret`` query parameters for servers that drop the Authorization header).
The adapter sets the header on each request itself, so the injected client must carry no ``auth``.

Errors: WooCommerce answers ``{"code", "message", "data": {"status"}}``. 401/403 stay the client's
``TransportError`` (kind "auth"); 400/404/409/410/413/422 become :class:`ShopError` with WooCommerce's
message and ``code`` (attribute ``woo_code``); an answer that is not WooCommerce JSON is
``ShopError(kind="answer")``. A 413 ``woocommerce_rest_request_entity_too_large`` (a site that lowered
``woocommerce_rest_batch_items_limit``) makes the adapter halve the batch and go on.
"""

import base64
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from html import unescape

from . import model
from .base import PAGING_OPTIONS, ShopAdapter, ShopError, chunks, dec, iso, money, parse_datetime, register

# HTTP statuses WooCommerce uses to refuse a request; the adapter reads their body itself
REFUSAL_STATUSES = (400, 404, 409, 410, 413, 422)
INVOICE_NUMBER_KEY = "_b2b_invoice_number"
INVOICE_URL_KEY = "_b2b_invoice_url"
IMAGE_CHECKSUM_KEY = "_b2b_image_checksums"
TRACKING_NAMESPACE = "wc-shipment-tracking/v3"
MAX_PDF_BYTES = 20 * 1024 * 1024
# writable top-level product fields a Product.attributes key may name; any other key is a meta_data key
PRODUCT_FIELDS = frozenset({
    "slug", "type", "featured", "catalog_visibility", "date_on_sale_from", "date_on_sale_to", "virtual",
    "downloadable", "tax_status", "backorders", "sold_individually", "shipping_class", "reviews_allowed",
    "purchase_note", "menu_order", "global_unique_id", "button_text", "external_url", "low_stock_amount",
    "dimensions", "tags", "brands",
})
_TAG_RE = re.compile(r"<[^>]+>")


def _text(value):
    return "" if value is None else str(value)


def _record_key(raw):
    """What tells two records of a listing apart (a record without id is refused when it is read)."""
    return str(raw.get("id")) if isinstance(raw, dict) else repr(raw)


def _plain(message):
    """A WooCommerce message without its HTML (some carry links: 'Please log in.')."""
    return " ".join(unescape(_TAG_RE.sub("", _text(message))).split())


@register
class WooCommerceAdapter(ShopAdapter):
    """WooCommerce REST API v3 (see the module docstring for the endpoints).

    Credentials:

    * ``key``: the REST API consumer key (``ck_...``, WooCommerce > Settings > Advanced > REST API,
      permission Read/Write);
    * ``secret``: its consumer secret (``cs_...``);
    * ``extra``: optional WordPress *application password* of the user named in option ``wp_user``
      (Users > Profile > Application Passwords); only needed to upload invoice PDFs to the media library.

    Options (``option_defaults``):

    * ``api_root`` ("/wp-json"): the WordPress REST root under the shop URL;
    * ``query_string_auth`` (False): send the keys as query parameters instead of a Basic header;
    * ``batch_size`` (100): objects per batch request (WooCommerce's limit is 100 unless a site lowers it);
    * ``restock_meta_key`` ("_b2b_restock_date"): product meta key for the expected restock date of
      products out of stock ("" = do not send);
    * ``barcode_field`` ("global_unique_id"): product field for the barcode (WooCommerce 9.2+ GTIN field),
      or a meta key (e.g. "_ean"), "" = do not send;
    * ``inactive_status`` ("draft"): product status for inactive products;
    * ``vat_meta_key`` (""): order/customer meta key holding the VAT number (depends on the VAT plugin;
      "" = none); ``customer_group_meta_key`` (""): customer meta key for ``Customer.group`` (roles cannot
      be written through the REST API);
    * ``gift_card_pattern``: regular expression; a *negative* fee whose name matches is a gift card;
    * ``shipment_tracking`` (True): use the Shipment Tracking extension when it is installed (else the
      tracking number only goes into an order note);
    * ``wp_user`` (""): WordPress user name for the media upload (with credential ``extra``);
    * ``invoice_note_to_customer`` (True): the invoice note is a customer note (WooCommerce e-mails it);
    * ``max_pages`` (1000) / ``max_records`` (20000): the most pages and records one listing reads, whatever
      ``X-WP-TotalPages`` says (a listing also ends on an empty page or a page with nothing new).

    Order lines: product lines carry their coupon discount (``discount = subtotal - total``, as WooCommerce
    spreads coupons over the lines), so coupon lines are informational (amount 0, code in ``sku``);
    shipping and fee lines carry their amounts; gift cards (WooCommerce Gift Cards' ``gift_cards`` or a
    negative fee named like one) are negative ``gift_card`` lines. With ``prices_include_tax`` the unit
    prices and discounts include tax, else they exclude it.
    """

    platform = "woocommerce"
    label = "WooCommerce"
    max_batch = 100
    page_size = 100
    credential_fields = ("key", "secret", "extra")
    order_statuses = (
        ("pending", "Pending payment"),
        ("processing", "Processing"),
        ("on-hold", "On hold"),
        ("completed", "Completed"),
        ("cancelled", "Cancelled"),
        ("refunded", "Refunded"),
        ("failed", "Failed"),
        ("checkout-draft", "Draft"),
    )
    default_status_map = {
        "confirmed": "processing",
        "shipped": "completed",
        "delivered": "completed",
        "cancelled": "cancelled",
    }
    default_import_statuses = ("processing", "on-hold")
    default_cancel_statuses = ("cancelled", "refunded", "failed")
    option_defaults = {
        "api_root": "/wp-json",
        "query_string_auth": False,
        "batch_size": 100,
        "restock_meta_key": "_b2b_restock_date",
        "barcode_field": "global_unique_id",
        "inactive_status": "draft",
        "vat_meta_key": "",
        "customer_group_meta_key": "",
        "gift_card_pattern": r"gift[\s_-]*card|gift\s*(certificate|voucher)|cadeau\s*(kaart|bon)|gutschein"
                             r"|carte[\s-]*cadeau|tarjeta\s*regalo|buono\s*regalo",
        "shipment_tracking": True,
        "wp_user": "",
        "invoice_note_to_customer": True,
        **PAGING_OPTIONS,
    }

    # ------------------------------------------------------------------ set-up
    def _configure(self):
        options = self.options  # defaults filled in and typed by ShopAdapter
        self._key = _text(self.credentials.get("key")).strip()
        self._secret = _text(self.credentials.get("secret")).strip()
        self._app_password = _text(self.credentials.get("extra")).strip()
        self._root = "/" + _text(options["api_root"]).strip("/") if _text(options["api_root"]).strip("/") else ""
        try:
            self._batch_size = max(1, int(options["batch_size"] or self.max_batch))
        except (TypeError, ValueError):
            raise ShopError(f"WooCommerce option batch_size is not a number: {options['batch_size']!r}",
                            kind="config") from None
        try:
            self._gift_card_re = re.compile(options["gift_card_pattern"] or r"(?!x)x", re.I)
        except re.error as exc:
            raise ShopError(f"WooCommerce option gift_card_pattern is not a valid expression: {exc}",
                            kind="config") from None
        self._tracking_available = None if options["shipment_tracking"] else False
        secrets = [s for s in (self._key, self._secret, self._app_password) if s]
        if secrets and hasattr(self.http, "secrets"):
            self.http.secrets = tuple(dict.fromkeys([*self.http.secrets, *secrets]))

    def _wc(self, path):
        return f"{self._root}/wc/v3/{path.lstrip('/')}"

    @staticmethod
    def _basic(user, password):
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")

    # ------------------------------------------------------------------ transport
    def _call(self, method, path, what, *, params=None, json=None, data=None, headers=None, idempotent=None,
              auth="wc"):
        """One request; returns ``(decoded JSON, response)``. ``auth``: "wc" (consumer key), "wp"
        (application password) or None."""
        params = dict(params or {})
        headers = dict(headers or {})
        if auth == "wc":
            if not self._key or not self._secret:
                raise ShopError("WooCommerce needs a consumer key and a consumer secret "
                                "(WooCommerce > Settings > Advanced > REST API)", kind="config")
            if self.options["query_string_auth"]:
                params.update(consumer_key=self._key, consumer_secret=self._secret)
            else:
                headers["Authorization"] = self._basic(self._key, self._secret)
        elif auth == "wp":
            headers["Authorization"] = self._basic(self.options["wp_user"], self._app_password.replace(" ", ""))
        response = self.http.request(method, path, params=params or None, json=json, data=data,
                                     headers=headers, idempotent=idempotent, expected=REFUSAL_STATUSES)
        if response.status_code in REFUSAL_STATUSES:
            raise self._refusal(response, what)
        return self.json_of(response, what), response

    def _refusal(self, response, what):
        status = response.status_code
        try:
            body = self.json_of(response, what)
        except ShopError:
            body = None
        if isinstance(body, dict) and body.get("code"):
            code = _text(body.get("code"))
            message = _plain(body.get("message")) or code
            if code == "rest_invalid_param" and isinstance((body.get("data") or {}).get("params"), dict):
                message += " " + "; ".join(f"{k}: {_plain(v)}" for k, v in body["data"]["params"].items())
            # an unknown id on update is a 400 "..._invalid_id" in WooCommerce
            kind = "not_found" if status in (404, 410) or code.endswith("_invalid_id") else "payload"
            error = ShopError(f"WooCommerce refused {what}: {message} ({code})", kind=kind, status=status)
        elif status == 404:
            code = ""
            error = ShopError(f"WooCommerce answered {what} with HTTP 404 and no WooCommerce error: is "
                              f"{self.http.base_url or 'the shop URL'} a WordPress site with WooCommerce and "
                              f"pretty permalinks (REST root {self._root or '/'})?", kind="not_found", status=404)
        else:
            code = ""
            preview = (response.content or b"")[:120]
            error = ShopError(f"WooCommerce answered {what} with HTTP {status}: {preview!r}", kind="answer",
                              status=status)
        error.woo_code = code
        return error

    @staticmethod
    def _woo_code(exc):
        return getattr(exc, "woo_code", "")

    def _expect(self, data, kind, what):
        if not isinstance(data, kind):
            raise ShopError(f"WooCommerce answered {what} with a {type(data).__name__} instead of a "
                            f"{'list' if kind is list else 'JSON object'}", kind="answer")
        return data

    @staticmethod
    def _int_id(remote_id, what="record"):
        text = _text(remote_id).strip()
        if not text.isdigit() or int(text) <= 0:
            raise ShopError(f"{text!r} is not a WooCommerce {what} id", kind="config")
        return int(text)

    # ------------------------------------------------------------------ batches
    def _batch(self, resource, ops, what):
        """Send ``ops`` (list of ("create"|"update", payload)) through ``/{resource}/batch`` in chunks of
        at most the batch size; return one answer per op (a resource dict, or ``{"error": {...}}``)."""
        answers, start = [], 0
        while start < len(ops):
            chunk = ops[start:start + self._batch_size]
            try:
                answers.extend(self._batch_chunk(resource, chunk, what))
            except ShopError as exc:
                # a site that lowered woocommerce_rest_batch_items_limit: halve, and keep that size
                if self._woo_code(exc) != "woocommerce_rest_request_entity_too_large" or len(chunk) == 1:
                    raise
                self._batch_size = (len(chunk) + 1) // 2
                continue
            start += len(chunk)
        return answers

    def _batch_chunk(self, resource, chunk, what):
        body = {}
        for op, payload in chunk:
            body.setdefault(op, []).append(payload)
        data, _response = self._call("POST", self._wc(f"{resource}/batch"), what, json=body,
                                     idempotent="create" not in body)
        self._expect(data, dict, what)
        by_op = {}
        for op, items in body.items():
            answered = data.get(op)
            if not isinstance(answered, list) or len(answered) != len(items):
                count = len(answered) if isinstance(answered, list) else "no"
                raise ShopError(f"WooCommerce answered {what} with {count} '{op}' results for {len(items)} objects",
                                kind="answer")
            by_op[op] = iter(answered)
        answers = []
        for op, _payload in chunk:
            item = next(by_op[op])
            if not isinstance(item, dict):
                raise ShopError(f"WooCommerce answered {what} with a result that is not an object", kind="answer")
            answers.append(item)
        return answers

    @staticmethod
    def _item_error(item):
        error = item.get("error")
        if not error:
            return ""
        if isinstance(error, dict):
            message = _plain(error.get("message")) or _text(error.get("code")) or "refused"
            code = _text(error.get("code"))
            return f"{message} ({code})" if code else message
        return _plain(error)

    @staticmethod
    def _item_id(item):
        value = item.get("id")
        return str(value) if value not in (None, "", 0, "0") else ""

    def _run_ops(self, resource, keyed_ops, what, link=None):
        """``keyed_ops``: list of (key, op, payload, known remote id). Returns one Result per entry.
        ``link(answer, payload)`` may return an existing remote id for a refused create (duplicate):
        that record is then updated instead, and reported as linked."""
        answers = self._batch(resource, [(op, payload) for _key, op, payload, _rid in keyed_ops], what)
        results = [None] * len(keyed_ops)
        relink = []
        for n, ((key, op, payload, rid), item) in enumerate(zip(keyed_ops, answers)):
            error = self._item_error(item)
            if error and op == "create" and link:
                existing = link(item, payload)
                if existing:
                    relink.append((n, dict(payload, id=int(existing))))
                    continue
            if error:
                results[n] = model.Result(key, remote_id=rid, error=error)
            else:
                remote_id = self._item_id(item)
                if not remote_id:
                    raise ShopError(f"WooCommerce answered {what} with a record without id", kind="answer")
                results[n] = model.Result(key, remote_id=remote_id, created=op == "create")
        if relink:
            answers = self._batch(resource, [("update", payload) for _n, payload in relink], what)
            for (n, payload), item in zip(relink, answers):
                key = keyed_ops[n][0]
                error = self._item_error(item)
                results[n] = model.Result(key, remote_id=str(payload["id"]), error=error)
        return results

    # ------------------------------------------------------------------ lookups
    def _products_by_sku(self, skus):
        """{sku: product dict} for the SKUs that exist (``GET /products?sku=a,b``, 100 per call)."""
        found = {}
        wanted = sorted({s for s in skus if s and "," not in s})
        for group in chunks(wanted, self.page_size):
            page, pager = 1, self.pager("the product lookup by SKU")
            while True:
                data, response = self._call("GET", self._wc("products"), "the product lookup by SKU", params={
                    "sku": ",".join(group), "per_page": self.page_size, "page": page, "status": "any"})
                for product in pager.page(self._expect(data, list, "the product lookup by SKU"), key=_record_key):
                    if isinstance(product, dict) and product.get("sku") in group and product.get("id"):
                        found.setdefault(product["sku"], product)
                if not pager.more(self._more_pages(response, page, len(data))):
                    break
                page += 1
        for sku in {s for s in skus if s and "," in s}:  # a comma would split the list: one call alone
            data, _response = self._call("GET", self._wc("products"), "the product lookup by SKU",
                                         params={"sku": sku, "status": "any"})
            for product in self._expect(data, list, "the product lookup by SKU"):
                if isinstance(product, dict) and product.get("sku") == sku:
                    found.setdefault(sku, product)
        return found

    def _customer_by_email(self, email):
        data, _response = self._call("GET", self._wc("customers"), "the customer lookup by e-mail",
                                     params={"email": email, "role": "all"})
        for customer in self._expect(data, list, "the customer lookup by e-mail"):
            if isinstance(customer, dict) and _text(customer.get("email")).lower() == email.lower():
                return customer
        return None

    def _more_pages(self, response, page, count):
        try:
            total_pages = int(response.headers.get("X-WP-TotalPages"))
        except (TypeError, ValueError):
            total_pages = None
        if total_pages is not None:
            return page < total_pages and count > 0
        return count >= self.page_size

    # ------------------------------------------------------------------ interface
    def test_connection(self):
        data, response = self._call("GET", self._wc("orders"), "the connection test", params={"per_page": 1})
        self._expect(data, list, "the connection test")
        orders = response.headers.get("X-WP-Total", str(len(data)))
        name, url, namespaces = "", self.http.base_url, None
        try:  # the site index needs no authentication (a WooCommerce key sent there would be refused)
            index, _ = self._call("GET", f"{self._root}/", "the site index",
                                  params={"_fields": "name,url,namespaces"}, auth=None)
            if isinstance(index, dict):
                name, url = _text(index.get("name")), _text(index.get("url")) or url
                namespaces = index.get("namespaces") if isinstance(index.get("namespaces"), list) else None
        except ShopError:
            pass
        if namespaces is not None and self._tracking_available is None:
            self._tracking_available = TRACKING_NAMESPACE in namespaces
        shop = f"“{name}” ({url})" if name else url
        tracking = ""
        if self._tracking_available is not None and self.options["shipment_tracking"]:
            tracking = ("; Shipment Tracking is active" if self._tracking_available
                        else "; Shipment Tracking is not installed (tracking numbers go into order notes)")
        return f"Connected to the WooCommerce shop {shop}: {orders} orders{tracking}."

    # -- categories
    def push_categories(self, categories):
        categories = list(categories)
        in_call = {c.key for c in categories}
        remote = {c.key: c.remote_id for c in categories if c.remote_id}
        results = [None] * len(categories)
        pending = list(range(len(categories)))
        while pending:
            done = {categories[i].key for i in range(len(categories)) if results[i] is not None}
            ready = [i for i in pending if not categories[i].parent_key or categories[i].parent_key not in in_call
                     or categories[i].parent_key in done]
            if not ready:
                for i in pending:
                    results[i] = model.Result(categories[i].key, error="its parent categories form a cycle")
                break
            ops, level = [], []
            for i in ready:
                cat = categories[i]
                payload = {"name": cat.name, "description": cat.description or ""}
                if cat.parent_key:
                    parent_id = remote.get(cat.parent_key)
                    if cat.parent_key in in_call and not parent_id:
                        results[i] = model.Result(cat.key, error=f"parent category {cat.parent_key} was not pushed")
                        continue
                    if parent_id:
                        payload["parent"] = self._int_id(parent_id, "category")
                elif cat.parent_remote_id:  # the parent is already in the shop, not in this call
                    payload["parent"] = self._int_id(cat.parent_remote_id, "category")
                else:
                    payload["parent"] = 0
                if cat.remote_id:
                    ops.append((cat.key, "update", dict(payload, id=self._int_id(cat.remote_id, "category")),
                                cat.remote_id))
                else:
                    ops.append((cat.key, "create", payload, ""))
                level.append(i)
            for i, result in zip(level, self._run_ops("products/categories", ops, "the categories",
                                                       link=self._existing_term)):
                results[i] = result
                if result.ok:
                    remote[categories[i].key] = result.remote_id
            pending = [i for i in pending if results[i] is None]
        return results

    @staticmethod
    def _existing_term(item, payload):
        error = item.get("error") or {}
        if isinstance(error, dict) and error.get("code") == "term_exists":
            return _text((error.get("data") or {}).get("resource_id")) or None
        return None

    # -- products
    def push_products(self, products):
        products = list(products)
        existing = self._products_by_sku([p.sku for p in products])
        ops = []
        for p in products:
            found = existing.get(p.sku)
            remote_id = _text(found["id"]) if found else p.remote_id
            payload = self._product_payload(p, found)
            if remote_id:
                ops.append((p.sku, "update", dict(payload, id=self._int_id(remote_id, "product")), remote_id))
            else:
                ops.append((p.sku, "create", dict(payload, type="simple"), ""))
        return self._run_ops("products", ops, "the products", link=self._existing_product)

    @staticmethod
    def _existing_product(item, payload):
        error = item.get("error") or {}
        if isinstance(error, dict) and error.get("code") == "product_invalid_sku":
            return _text((error.get("data") or {}).get("resource_id")) or None
        return None

    def _product_payload(self, product, found=None):
        meta = []
        body = {
            "name": product.name,
            "sku": product.sku,
            "regular_price": money(product.price),
            "description": product.description or "",
            "short_description": product.short_description or "",
            "status": "publish" if product.active else (self.options["inactive_status"] or "draft"),
            "tax_class": product.tax_class or "",
        }
        if product.weight is not None:
            body["weight"] = f"{Decimal(product.weight).normalize():f}"
        if product.category_remote_ids:
            body["categories"] = [{"id": self._int_id(c, "category")} for c in product.category_remote_ids]
        barcode_field = self.options["barcode_field"]
        if product.barcode and barcode_field:
            if barcode_field in PRODUCT_FIELDS:
                body[barcode_field] = product.barcode
            else:
                meta.append({"key": barcode_field, "value": product.barcode})
        for name, value in (product.attributes or {}).items():
            if name in PRODUCT_FIELDS:
                body[name] = value
            else:
                meta.append({"key": name, "value": value})
        images = [img for img in product.images or [] if img.url]
        if images:
            checksums = ",".join(img.checksum or img.url for img in images)
            known = {m.get("key"): m.get("value") for m in (found or {}).get("meta_data") or [] if isinstance(m, dict)}
            if known.get(IMAGE_CHECKSUM_KEY) != checksums:
                # WooCommerce downloads every src again: only send images when they changed
                body["images"] = [{"src": img.url, "name": img.filename, "alt": product.name} for img in images]
                meta.append({"key": IMAGE_CHECKSUM_KEY, "value": checksums})
        if meta:
            body["meta_data"] = meta
        return body

    # -- stock and prices
    def _resolve(self, records):
        """{index: remote id} for records with a remote_id or whose SKU exists in the shop."""
        missing = [r.sku for r in records if not r.remote_id]
        found = self._products_by_sku(missing) if missing else {}
        resolved = {}
        for n, record in enumerate(records):
            if record.remote_id:
                resolved[n] = record.remote_id
            elif record.sku in found:
                resolved[n] = _text(found[record.sku]["id"])
        return resolved

    def _push_updates(self, records, payload_of, what):
        records = list(records)
        resolved = self._resolve(records)
        results = [None] * len(records)
        ops, where = [], []
        for n, record in enumerate(records):
            if n not in resolved:
                results[n] = model.Result(record.sku, error=f"no product with SKU {record.sku} in WooCommerce")
                continue
            ops.append((record.sku, "update",
                        dict(payload_of(record), id=self._int_id(resolved[n], "product")), resolved[n]))
            where.append(n)
        for n, result in zip(where, self._run_ops("products", ops, what)):
            results[n] = result
        return results

    def push_stock(self, levels):
        restock_key = self.options["restock_meta_key"]

        def payload(level):
            quantity = Decimal(level.quantity or 0)
            if level.manage_stock:
                # stock_quantity is an integer in WooCommerce: never announce more than there is
                body = {"manage_stock": True, "stock_quantity": int(quantity.to_integral_value(ROUND_FLOOR))}
            else:
                body = {"manage_stock": False, "stock_status": "instock" if quantity > 0 else "outofstock"}
            if restock_key:
                when = level.restock_date if quantity <= 0 else None
                if isinstance(when, datetime):
                    when = when.date()
                body["meta_data"] = [{"key": restock_key, "value": when.isoformat() if when else ""}]
            return body

        return self._push_updates(levels, payload, "the stock levels")

    def push_prices(self, prices):
        def payload(price):
            sale = price.sale_price
            on_sale = sale is not None and Decimal(sale) < Decimal(price.price)
            return {"regular_price": money(price.price), "sale_price": money(sale) if on_sale else ""}

        return self._push_updates(prices, payload, "the prices")

    # -- customers
    def push_customers(self, customers):
        customers = list(customers)
        ops = []
        for c in customers:
            payload = self._customer_payload(c)
            if c.remote_id:
                ops.append((c.key, "update", dict(payload, id=self._int_id(c.remote_id, "customer")), c.remote_id))
            else:
                ops.append((c.key, "create", payload, ""))
        return self._run_ops("customers", ops, "the customers", link=self._existing_customer)

    def _existing_customer(self, item, payload):
        error = item.get("error") or {}
        if isinstance(error, dict) and error.get("code") == "registration-error-email-exists":
            found = self._customer_by_email(payload["email"])
            return _text(found["id"]) if found else None
        return None

    def _customer_payload(self, customer):
        billing = self._address_out(customer.billing, billing=True)
        for field, value in (("email", customer.email), ("first_name", customer.first_name),
                             ("last_name", customer.last_name), ("company", customer.company),
                             ("phone", customer.phone)):
            billing[field] = billing.get(field) or value or ""
        body = {
            "email": customer.email,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "billing": billing,
            "shipping": self._address_out(customer.shipping),
        }
        meta = []
        vat = customer.vat or customer.billing.vat
        if self.options["vat_meta_key"] and vat:
            meta.append({"key": self.options["vat_meta_key"], "value": vat})
        if self.options["customer_group_meta_key"] and customer.group:
            meta.append({"key": self.options["customer_group_meta_key"], "value": customer.group})
        if meta:
            body["meta_data"] = meta
        return body

    @staticmethod
    def _address_out(address, billing=False):
        address = address or model.Address()
        out = {
            "first_name": address.first_name,
            "last_name": address.last_name,
            "company": address.company,
            "address_1": address.street,
            "address_2": address.street2,
            "city": address.city,
            "postcode": address.zip,
            "state": address.state_code,
            "country": (address.country_code or "").upper(),
            "phone": address.phone,
        }
        if billing:
            out["email"] = address.email
        if address.is_empty() and not billing:
            return {}
        return out

    # -- orders in
    def fetch_orders(self, since=None, statuses=None):
        params = {"per_page": self.page_size, "orderby": "modified", "order": "asc"}
        if since is not None:
            since = parse_datetime(since)
            # modified_after is strict: one second earlier makes it "at or after"
            params["modified_after"] = iso(since - timedelta(seconds=1))
            params["dates_are_gmt"] = "true"
        if statuses:
            params["status"] = ",".join(statuses)
        page, pager = 1, self.pager("the order list")
        while True:
            data, response = self._call("GET", self._wc("orders"), f"the order list (page {page})",
                                        params=dict(params, page=page))
            self._expect(data, list, f"the order list (page {page})")
            # an order modified while paging may show up twice: once is enough
            for raw in pager.page(data, key=_record_key):
                yield self.parse_order(raw)
            if not pager.more(self._more_pages(response, page, len(data))):
                return
            page += 1

    def parse_order(self, raw):
        """A :class:`model.Order` from one WooCommerce order object."""
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ShopError("WooCommerce answered an order without id", kind="answer")
        try:
            return self._order(raw)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ShopError(f"WooCommerce order {raw.get('id')} is not in the expected form: {exc}",
                            kind="answer") from None

    def _order(self, raw):
        incl = bool(raw.get("prices_include_tax"))
        meta = {m.get("key"): m.get("value") for m in self._list(raw, "meta_data") if isinstance(m, dict)}
        vat = _text(meta.get(self.options["vat_meta_key"])) if self.options["vat_meta_key"] else ""
        rates = {}
        for tax in self._list(raw, "tax_lines"):
            if tax.get("rate_percent") not in (None, ""):
                rates[tax.get("rate_id")] = dec(tax.get("rate_percent"))
        lines = []
        for item in self._list(raw, "line_items"):
            quantity = dec(item.get("quantity"))
            subtotal, total = dec(item.get("subtotal")), dec(item.get("total"))
            subtotal_tax, total_tax = dec(item.get("subtotal_tax")), dec(item.get("total_tax"))
            if incl:
                subtotal, total = subtotal + subtotal_tax, total + total_tax
            product_id = item.get("variation_id") or item.get("product_id")
            lines.append(model.OrderLine(
                name=_text(item.get("name")),
                quantity=quantity,
                unit_price=self._unit(subtotal, quantity),
                kind="product",
                sku=_text(item.get("sku")),
                product_remote_id=_text(product_id) if product_id else "",
                remote_id=_text(item.get("id")),
                discount=subtotal - total,
                tax_amount=total_tax,
                tax_rate=self._rate(item, rates, total_tax),
            ))
        for item in self._list(raw, "shipping_lines"):
            total, total_tax = dec(item.get("total")), dec(item.get("total_tax"))
            lines.append(model.OrderLine(
                name=_text(item.get("method_title")) or _text(item.get("method_id")) or "Shipping",
                quantity=Decimal(1), unit_price=total + total_tax if incl else total, kind="shipping",
                sku=_text(item.get("method_id")), remote_id=_text(item.get("id")), tax_amount=total_tax,
                tax_rate=self._rate(item, rates, total_tax),
            ))
        for item in self._list(raw, "fee_lines"):
            total, total_tax = dec(item.get("total")), dec(item.get("total_tax"))
            name = _text(item.get("name")) or "Fee"
            gift = total < 0 and bool(self._gift_card_re.search(name))
            lines.append(model.OrderLine(
                name=name, quantity=Decimal(1), unit_price=total + total_tax if incl else total,
                kind="gift_card" if gift else "fee", remote_id=_text(item.get("id")), tax_amount=total_tax,
                tax_rate=self._rate(item, rates, total_tax),
            ))
        currency = _text(raw.get("currency"))
        for item in self._list(raw, "coupon_lines"):
            amount = dec(item.get("discount")) + (dec(item.get("discount_tax")) if incl else 0)
            code = _text(item.get("code"))
            lines.append(model.OrderLine(
                name=f"Coupon {code}: -{money(amount)} {currency}".rstrip(), quantity=Decimal(1),
                unit_price=Decimal(0), kind="coupon", sku=code, remote_id=_text(item.get("id")),
            ))
        for card in self._list(raw, "gift_cards"):  # WooCommerce Gift Cards extension
            amount = dec(card.get("amount"))
            code = _text(card.get("code"))
            lines.append(model.OrderLine(
                name=f"Gift card {code}".strip(), quantity=Decimal(1), unit_price=-amount, kind="gift_card",
                sku=code, remote_id=_text(card.get("id")),
            ))
        billing = raw.get("billing") or {}
        paid_at = raw.get("date_paid_gmt") or raw.get("date_paid")
        total = dec(raw.get("total"))
        customer_id = raw.get("customer_id")
        return model.Order(
            remote_id=_text(raw["id"]),
            number=_text(raw.get("number")) or _text(raw["id"]),
            status=_text(raw.get("status")),
            created_at=parse_datetime(raw.get("date_created_gmt") or raw.get("date_created")),
            updated_at=parse_datetime(raw.get("date_modified_gmt") or raw.get("date_modified")),
            currency=currency,
            email=_text(billing.get("email")),
            customer_remote_id=_text(customer_id) if customer_id not in (None, 0, "0", "") else "",
            billing=self._address_in(billing, vat),
            shipping=self._address_in(raw.get("shipping") or {}),
            lines=lines,
            paid=bool(paid_at),
            paid_amount=total if paid_at else Decimal(0),
            payment_method=_text(raw.get("payment_method")) or _text(raw.get("payment_method_title")),
            transaction_id=_text(raw.get("transaction_id")),
            total=total,
            total_tax=dec(raw.get("total_tax")),
            prices_include_tax=incl,
            note=_text(raw.get("customer_note")),
            raw=raw,
        )

    @staticmethod
    def _list(raw, key):
        value = raw.get(key) or []
        if not isinstance(value, list):
            raise ValueError(f"{key} is not a list")
        return [v for v in value if isinstance(v, dict)]

    @staticmethod
    def _unit(amount, quantity):
        if not quantity:
            return amount
        unit = amount / quantity
        exact = unit.quantize(Decimal("0.000001"))
        return unit if unit == exact else exact

    @staticmethod
    def _rate(item, rates, total_tax):
        used = [t.get("id") for t in item.get("taxes") or [] if isinstance(t, dict) and dec(t.get("total")) != 0]
        if not used:
            return Decimal(0) if total_tax == 0 and rates else None
        if len(used) == 1 and used[0] in rates:
            return rates[used[0]]
        return None

    @staticmethod
    def _address_in(data, vat=""):
        return model.Address(
            first_name=_text(data.get("first_name")),
            last_name=_text(data.get("last_name")),
            company=_text(data.get("company")),
            street=_text(data.get("address_1")),
            street2=_text(data.get("address_2")),
            city=_text(data.get("city")),
            zip=_text(data.get("postcode")),
            state_code=_text(data.get("state")),
            country_code=_text(data.get("country")).upper(),
            email=_text(data.get("email")),
            phone=_text(data.get("phone")),
            vat=vat,
        )

    # -- orders out
    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        """Tracking first (so WooCommerce's "completed" e-mail carries it), then the status, then a note
        with the carrier and tracking number (a customer note when ``notify``). Repeating a call adds no
        second tracking item or note."""
        status = status or self.status_for(event)
        order_id = self._int_id(remote_id, "order")
        done = []
        has_shipment = shipment is not None and bool(shipment.tracking_number or shipment.carrier)
        if has_shipment and shipment.tracking_number and self._add_tracking(order_id, shipment):
            done.append(f"tracking {shipment.tracking_number}")
        data, _ = self._call("PUT", self._wc(f"orders/{order_id}"), f"the status of order {order_id}",
                             json={"status": status})
        self._expect(data, dict, f"the status of order {order_id}")
        if _text(data.get("status")) != status:
            raise ShopError(f"WooCommerce kept order {order_id} in status {data.get('status')!r} instead of "
                            f"{status!r} (a plugin may refuse the change)", kind="remote")
        done.insert(0, f"status {status}")
        if has_shipment:
            text = self._shipment_note(shipment)
            marker = shipment.tracking_number or text
            if not any(marker in _text(n.get("note")) for n in self._notes(order_id)):
                self._add_note(order_id, text, customer=notify)
                done.append("note")
        return f"WooCommerce order {order_id}: " + ", ".join(done)

    def _add_tracking(self, order_id, shipment):
        """Add a Shipment Tracking item unless the number is there already; False when the extension is
        not installed (or switched off)."""
        if self._tracking_available is False:
            return False
        path = f"{self._root}/{TRACKING_NAMESPACE}/orders/{order_id}/shipment-trackings"
        what = f"the shipment tracking of order {order_id}"
        try:
            existing, _ = self._call("GET", path, what)
        except ShopError as exc:
            if self._woo_code(exc) == "rest_no_route":
                self._tracking_available = False
                return False
            raise
        self._tracking_available = True
        for item in self._expect(existing, list, what):
            if isinstance(item, dict) and _text(item.get("tracking_number")) == shipment.tracking_number:
                return True
        body = {"tracking_number": shipment.tracking_number}
        if shipment.tracking_url:
            body["custom_tracking_provider"] = shipment.carrier or "Carrier"
            body["custom_tracking_link"] = shipment.tracking_url
        else:
            body["tracking_provider"] = shipment.carrier or "Carrier"
        if shipment.shipped_at:
            shipped = shipment.shipped_at
            body["date_shipped"] = (shipped.date() if isinstance(shipped, datetime) else shipped).isoformat()
        data, _ = self._call("POST", path, what, json=body)
        self._expect(data, dict, what)
        return True

    @staticmethod
    def _shipment_note(shipment):
        text = f"Your order has been shipped{f' with {shipment.carrier}' if shipment.carrier else ''}."
        if shipment.tracking_number:
            text += f" Tracking number: {shipment.tracking_number}."
        if shipment.tracking_url:
            text += f" Track it at {shipment.tracking_url}"
        return text

    def _notes(self, order_id):
        data, _ = self._call("GET", self._wc(f"orders/{order_id}/notes"), f"the notes of order {order_id}",
                             params={"type": "any"})
        return [n for n in self._expect(data, list, f"the notes of order {order_id}") if isinstance(n, dict)]

    def _add_note(self, order_id, text, customer=False):
        data, _ = self._call("POST", self._wc(f"orders/{order_id}/notes"), f"a note on order {order_id}",
                             json={"note": text, "customer_note": bool(customer)})
        return self._expect(data, dict, f"a note on order {order_id}")

    def attach_invoice(self, remote_id, document):
        """Upload the PDF to the media library (with ``wp_user`` + application password), store the
        number and URL in the order's meta (``_b2b_invoice_number`` / ``_b2b_invoice_url``) and add a
        note with the link (the Odoo portal link when there is no upload). Returns the URL (or the number).
        An invoice number already on the order (meta, or an earlier invoice note) is not attached again."""
        order_id = self._int_id(remote_id, "order")
        what = f"order {order_id}"
        order, _ = self._call("GET", self._wc(f"orders/{order_id}"), what)
        self._expect(order, dict, what)
        meta = {m.get("key"): m.get("value") for m in order.get("meta_data") or [] if isinstance(m, dict)}
        current = _text(meta.get(INVOICE_NUMBER_KEY))
        if current == document.number:
            return _text(meta.get(INVOICE_URL_KEY)) or document.number
        if current:  # another invoice came first: this one may be in an earlier note
            for note in self._notes(order_id):
                if self._mentions_invoice(_text(note.get("note")), document.number):
                    return document.number
        url = ""
        if self._app_password and self.options["wp_user"]:
            url = self._upload_pdf(document)
        url = url or document.url or ""
        self._call("PUT", self._wc(f"orders/{order_id}"), f"the invoice meta of order {order_id}", json={
            "meta_data": [{"key": INVOICE_NUMBER_KEY, "value": document.number},
                          {"key": INVOICE_URL_KEY, "value": url}]})
        self._add_note(order_id, self._invoice_note(document, url),
                       customer=self.options["invoice_note_to_customer"])
        return url or document.number

    def _upload_pdf(self, document):
        pdf = document.pdf or b""
        if not pdf.startswith(b"%PDF"):
            raise ShopError(f"invoice {document.number} is not a PDF", kind="payload")
        if len(pdf) > MAX_PDF_BYTES:
            raise ShopError(f"invoice {document.number} is larger than {MAX_PDF_BYTES // (1024 * 1024)} MB",
                            kind="payload")
        filename = re.sub(r"[^A-Za-z0-9._-]+", "_", document.filename or f"{document.number}.pdf").strip("._")
        if not filename.lower().endswith(".pdf"):
            filename += ".pdf"
        data, _ = self._call("POST", f"{self._root}/wp/v2/media", f"the upload of invoice {document.number}",
                             data=pdf, auth="wp", headers={
                                 "Content-Type": "application/pdf",
                                 "Content-Disposition": f'attachment; filename="{filename}"'})
        self._expect(data, dict, f"the upload of invoice {document.number}")
        url = _text(data.get("source_url"))
        if not url:
            raise ShopError(f"WordPress answered the upload of invoice {document.number} without source_url",
                            kind="answer")
        return url

    @staticmethod
    def _invoice_note(document, url):
        details = []
        if isinstance(document.date, date):
            details.append(document.date.isoformat())
        if document.amount_total is not None:
            details.append(f"{document.currency} {money(document.amount_total)}".strip())
        text = f"Invoice {document.number}"
        if details:
            text += f" ({', '.join(details)})"
        return text + (f": {url}" if url else ".")

    @staticmethod
    def _mentions_invoice(text, number):
        return bool(re.search(rf"\bInvoice {re.escape(number)}(?=[\s:.(]|$)", text))
