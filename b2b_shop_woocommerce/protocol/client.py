"""The WooCommerce adapter's base: set-up, the hooks of the request template, batches, lookups, paging."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re
from html import unescape

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopAdapter, ShopError, basic_auth, chunks
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text

from .options import WooCommerceDeclarations

TRACKING_NAMESPACE = "wc-shipment-tracking/v3"
_TAG_RE = re.compile(r"<[^>]+>")


def record_key(raw):
    """What tells two records of a listing apart (a record without id is refused when it is read)."""
    return str(raw.get("id")) if isinstance(raw, dict) else repr(raw)


def plain(message):
    """A WooCommerce message without its HTML (some carry links: 'Please log in.')."""
    return " ".join(unescape(_TAG_RE.sub("", _text(message))).split())


def shop_text(value):
    """A name as WooCommerce answers it, as text: product and term names come HTML-escaped (WordPress
    stores ``&amp;``; titles may hold ``&ndash;`` or ``&#8211;``)."""
    return unescape(_text(value))


def woo_code(exc):
    """WooCommerce's error code of a refusal ("" when the answer had none)."""
    return getattr(exc, "woo_code", "")


class WooCommerceClient(WooCommerceDeclarations, ShopAdapter):
    """Set-up and transport of the WooCommerce adapter (see the package docstring for the endpoints)."""

    platform = "woocommerce"
    label = "WooCommerce"
    max_batch = 100
    page_size = 100
    # HTTP statuses WooCommerce refuses a request with ({"code", "message", "data"}); 401/403 stay TransportError
    refusal_statuses = (400, 404, 409, 410, 413, 422)

    # ------------------------------------------------------------------ set-up
    def _configure(self):
        options = self.options  # defaults filled in and typed by ShopAdapter
        self._key = _text(self.credentials.get("key")).strip()
        self._secret = _text(self.credentials.get("secret")).strip()
        self._app_password = _text(self.credentials.get("extra")).strip()
        self._root = "/" + _text(options["api_root"]).strip("/") if _text(options["api_root"]).strip("/") else ""
        self._batch_size = max(1, options["batch_size"] or self.max_batch)
        try:
            self._gift_card_re = re.compile(options["gift_card_pattern"] or r"(?!x)x", re.I)
        except re.error as exc:
            raise ShopError("shop.woocommerce.gift_card_pattern",
                            _lt("WooCommerce option gift_card_pattern is not a valid expression: %(error)s"),
                            error=str(exc), kind="config") from None
        self._tracking_available = None if options["shipment_tracking"] else False

    # ------------------------------------------------------------------ the request template's hooks
    def _api_url(self, path, **route):
        """``path`` is under the REST root: "wc/v3/orders", "wp/v2/media", "" (the site index)."""
        return f"{self._root}/{path.lstrip('/')}"

    def _auth(self, request):
        """The consumer key (``auth=True``), the WordPress application password (``auth="wp"``)."""
        if request.auth == "wp":
            request.headers["Authorization"] = basic_auth(self.options["wp_user"], self._app_password.replace(" ", ""))
            return
        if not self._key or not self._secret:
            raise ShopError("shop.woocommerce.no_key", _lt(
                "WooCommerce needs a consumer key and a consumer secret "
                "(WooCommerce > Settings > Advanced > REST API)"),
                kind="config")
        if self.options["query_string_auth"]:
            request.params.update(consumer_key=self._key, consumer_secret=self._secret)
        else:
            request.headers["Authorization"] = basic_auth(self._key, self._secret)

    def _parse_error(self, response, what):
        """``{"code", "message", "data"}``: WooCommerce's message, its code in ``woo_code``."""
        status = response.status_code
        try:
            body = self.json_of(response, what)
        except ShopError:
            body = None
        if isinstance(body, dict) and body.get("code"):
            code = _text(body.get("code"))
            message = plain(body.get("message")) or code
            if code == "rest_invalid_param" and isinstance((body.get("data") or {}).get("params"), dict):
                message += " " + "; ".join(f"{k}: {plain(v)}" for k, v in body["data"]["params"].items())
            # an unknown id on update is a 400 "..._invalid_id" in WooCommerce
            kind = "not_found" if status in (404, 410) or code.endswith("_invalid_id") else "payload"
            error = ShopError("shop.woocommerce.refused",
                              _lt("WooCommerce refused %(what)s: %(error)s (%(error_code)s)"),
                              what=what, error=message, error_code=code, kind=kind, status=status)
        elif status == 404:
            code = ""
            error = ShopError("shop.woocommerce.not_woocommerce", _lt(
                "WooCommerce answered %(what)s with HTTP 404 and no WooCommerce error: is %(url)s a WordPress site "
                "with WooCommerce and pretty permalinks (REST root %(root)s)?"), what=what,
                url=self.http.base_url or "the shop URL", root=self._root or "/", kind="not_found", status=404)
        else:
            code = ""
            preview = (response.content or b"")[:120]
            error = ShopError("shop.woocommerce.http",
                              _lt("WooCommerce answered %(what)s with HTTP %(http_status)s: %(body)s"),
                              what=what, http_status=status, body=repr(preview), kind="answer", status=status)
        error.woo_code = code
        return error

    @staticmethod
    def _wc(path):
        return f"wc/v3/{path.lstrip('/')}"

    def _listing(self, path, what, params):
        """One page of a listing: (the decoded list, the response with its paging headers)."""
        response = self._request("GET", path, what, params=params, decode=False)
        return self._expect(self._answer(response, what), list, what), response

    @staticmethod
    def _int_id(remote_id, what="record"):
        text = _text(remote_id).strip()
        if not text.isdigit() or int(text) <= 0:
            raise ShopError("shop.woocommerce.bad_id",
                            _lt("%(value)s is not a WooCommerce %(what)s id"), value=repr(text),
                            what=what, kind="config")
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
                if woo_code(exc) != "woocommerce_rest_request_entity_too_large" or len(chunk) == 1:
                    raise
                self._batch_size = (len(chunk) + 1) // 2
                continue
            start += len(chunk)
        return answers

    def _batch_chunk(self, resource, chunk, what):
        body = {}
        for op, payload in chunk:
            body.setdefault(op, []).append(payload)
        data = self._request("POST", self._wc(f"{resource}/batch"), what, json=body, idempotent="create" not in body)
        self._expect(data, dict, what)
        by_op = {}
        for op, items in body.items():
            answered = data.get(op)
            if not isinstance(answered, list) or len(answered) != len(items):
                count = len(answered) if isinstance(answered, list) else "no"
                raise ShopError("shop.woocommerce.batch_count",
                                _lt("WooCommerce answered %(what)s with %(count)s '%(op)s' results for "
                                    "%(sent)s objects"),
                                what=what, count=count, op=op, sent=len(items), kind="answer")
            by_op[op] = iter(answered)
        answers = []
        for op, _payload in chunk:
            item = next(by_op[op])
            if not isinstance(item, dict):
                raise ShopError("shop.woocommerce.result_not_object",
                                _lt("WooCommerce answered %(what)s with a result that is not an object"), what=what,
                                kind="answer")
            answers.append(item)
        return answers

    @staticmethod
    def _item_error(item):
        error = item.get("error")
        if not error:
            return ""
        if isinstance(error, dict):
            message = plain(error.get("message")) or _text(error.get("code")) or "refused"
            code = _text(error.get("code"))
            return f"{message} ({code})" if code else message
        return plain(error)

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
        for n, ((key, op, payload, rid), item) in enumerate(zip(keyed_ops, answers, strict=False)):
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
                    raise ShopError("shop.woocommerce.record_no_id",
                                    _lt("WooCommerce answered %(what)s with a record without id"), what=what,
                                    kind="answer")
                results[n] = model.Result(key, remote_id=remote_id, created=op == "create")
        if relink:
            answers = self._batch(resource, [("update", payload) for _n, payload in relink], what)
            for (n, payload), item in zip(relink, answers, strict=False):
                key = keyed_ops[n][0]
                error = self._item_error(item)
                results[n] = model.Result(key, remote_id=str(payload["id"]), error=error)
        return results

    @staticmethod
    def _existing(item, code):
        """The id of the existing record a refused create names (``resource_id`` of error ``code``), or None."""
        error = item.get("error") or {}
        if isinstance(error, dict) and error.get("code") == code:
            return _text((error.get("data") or {}).get("resource_id")) or None
        return None

    # ------------------------------------------------------------------ lookups
    def _products_by_sku(self, skus):
        """{sku: product dict} for the SKUs that exist (``GET /products?sku=a,b``, 100 per call)."""
        found = {}
        wanted = sorted({s for s in skus if s and "," not in s})
        what = Phrase(_lt("the product lookup by SKU"))
        for group in chunks(wanted, self.page_size):
            page, pager = 1, self.pager(what)
            while True:
                data, response = self._listing(self._wc("products"), what, {
                    "sku": ",".join(group), "per_page": self.page_size, "page": page, "status": "any"})
                for product in pager.page(data, key=record_key):
                    if isinstance(product, dict) and product.get("sku") in group and product.get("id"):
                        found.setdefault(product["sku"], product)
                if not pager.more(self._more_pages(response, page, len(data))):
                    break
                page += 1
        for sku in {s for s in skus if s and "," in s}:  # a comma would split the list: one call alone
            data = self._request("GET", self._wc("products"), what, params={"sku": sku, "status": "any"})
            for product in self._expect(data, list, what):
                if isinstance(product, dict) and product.get("sku") == sku:
                    found.setdefault(sku, product)
        return found

    def _more_pages(self, response, page, count):
        try:
            total_pages = int(response.headers.get("X-WP-TotalPages"))
        except (TypeError, ValueError):
            total_pages = None
        if total_pages is not None:
            return page < total_pages and count > 0
        return count >= self.page_size

    # ------------------------------------------------------------------ connection
    def test_connection(self):
        data, response = self._listing(self._wc("orders"), Phrase(_lt("the connection test")), {"per_page": 1})
        orders = response.headers.get("X-WP-Total", str(len(data)))
        name, url, namespaces = "", self.http.base_url, None
        try:  # the site index needs no authentication (a WooCommerce key sent there would be refused)
            doing = Phrase(_lt("the site index"))
            index = self._request("GET", "", doing, params={"_fields": "name,url,namespaces"}, auth=None)
            if isinstance(index, dict):
                name, url = shop_text(index.get("name")), _text(index.get("url")) or url
                namespaces = index.get("namespaces") if isinstance(index.get("namespaces"), list) else None
        except ShopError:  # pylint: disable=except-pass  # no index: tracking unknown
            pass
        if namespaces is not None and self._tracking_available is None:
            self._tracking_available = TRACKING_NAMESPACE in namespaces
        shop = f"“{name}” ({url})" if name else url
        if self._tracking_available is not None and self.options["shipment_tracking"]:
            if self._tracking_available:
                return Phrase(_lt("Connected to the WooCommerce shop %(shop)s: %(count)s orders; Shipment Tracking is "
                                  "active."), shop=shop, count=orders)
            return Phrase(_lt("Connected to the WooCommerce shop %(shop)s: %(count)s orders; Shipment Tracking is not "
                              "installed (tracking numbers go into order notes)."), shop=shop, count=orders)
        return Phrase(_lt("Connected to the WooCommerce shop %(shop)s: %(count)s orders."), shop=shop, count=orders)
