"""Collections, products, stock and prices out to Shopify (single-variant products, found by SKU)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import uuid
from decimal import ROUND_FLOOR, Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, chunks, money
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text
from odoo.addons.b2b_ecommerce_sync.protocol.model import Result

from .client import ShopifyClient, _errors_text, _node_key, _search_value

_UNTAXED_CLASSES = {"0", "none", "exempt", "no", "false", "zero"}


class ShopifyCatalogue(ShopifyClient):
    """``push_categories`` (custom collections), ``push_products``, ``push_stock``, ``push_prices``."""

    # ------------------------------------------------------------------ categories (custom collections)
    def push_categories(self, categories):
        categories = list(categories)
        results = {}
        existing = self._collections_by_title([c.name for c in categories if not c.remote_id and c.name])
        for category in categories:
            remote_id = category.remote_id
            created = False
            try:
                data = None
                if not remote_id and len(existing.get(category.name, [])) == 1:
                    remote_id = existing[category.name][0]
                if remote_id:
                    data = self._collection_write("CollectionUpdate", {
                        "id": self._gid("Collection", remote_id), "title": category.name,
                        "descriptionHtml": category.description or ""})
                    if data is None:  # the collection was deleted in Shopify: create it again
                        remote_id = ""
                if not remote_id:
                    data = self._collection_write("CollectionCreate", {
                        "title": category.name, "descriptionHtml": category.description or ""})
                    created = True
            except ShopError as exc:
                if exc.kind in ("auth", "answer", "config") or exc.retryable:
                    raise
                results[category.key] = Result(category.key, error=exc)
                continue
            collection = data.get("collection") or {}
            if not collection.get("id"):
                raise ShopError("shop.shopify.no_collection",
                                _lt("Shopify answered a collection write without the collection"), kind="answer")
            results[category.key] = Result(category.key, remote_id=collection["id"], created=created)
        return [results[c.key] for c in categories]

    def _collection_write(self, operation, collection_input):
        field = "collectionCreate" if operation == "CollectionCreate" else "collectionUpdate"
        payload = self._payload(self._call(operation, {"collection": collection_input}), operation, field)
        errors = payload.get("userErrors") or []
        if errors:
            text = _errors_text(errors)
            if operation == "CollectionUpdate" and "does not exist" in text.lower():
                return None
            raise ShopError(text, kind="payload")
        return payload

    def _collections_by_title(self, titles):
        found = {}
        titles = sorted(set(titles))
        for part in chunks(titles, int(self._opt("lookup_chunk"))):
            query = "collection_type:custom AND (" + " OR ".join(f"title:{_search_value(t)}" for t in part) + ")"
            data = self._call("CollectionsByTitle", {"query": query})
            for node in (data.get("collections") or {}).get("nodes") or []:
                if isinstance(node, dict) and node.get("title") in part and node.get("id"):
                    found.setdefault(node["title"], []).append(node["id"])
        return found

    # ------------------------------------------------------------------ variants by SKU
    def _lookup_skus(self, skus, refresh=False):
        """Fill ``self._variants`` for these SKUs (exact, case-sensitive match) from Shopify."""
        wanted = sorted({s for s in skus if s and (refresh or s not in self._variants)})
        for part in chunks(wanted, int(self._opt("lookup_chunk"))):
            query = " OR ".join(f"sku:{_search_value(s)}" for s in part)
            after, pager = None, self.pager(Phrase(_lt("the variant lookup by SKU")))
            seen = set()
            while True:
                data = self._call("VariantsBySku", {"query": query, "after": after})
                connection = data.get("productVariants")
                if not isinstance(connection, dict):
                    raise ShopError("shop.shopify.no_variants",
                                    _lt("Shopify answered VariantsBySku without productVariants"), kind="answer")
                for node in pager.page(connection.get("nodes") or [], key=_node_key):
                    if not isinstance(node, dict) or node.get("sku") not in part or node["sku"] in seen:
                        continue
                    seen.add(node["sku"])  # Shopify allows duplicate SKUs: the first variant found wins
                    self._variants[node["sku"]] = self._variant_entry(node)
                page = connection.get("pageInfo") or {}
                if not pager.more(bool(page.get("hasNextPage") and page.get("endCursor"))):
                    break
                after = page["endCursor"]

    @staticmethod
    def _variant_entry(node, product_id=""):
        item = node.get("inventoryItem") or {}
        return {"product": (node.get("product") or {}).get("id") or product_id, "variant": node.get("id") or "",
                "item": item.get("id") or "", "tracked": bool(item.get("tracked", True))}

    # ------------------------------------------------------------------ products
    def push_products(self, products):
        products = list(products)
        results = {}
        for batch in chunks(products, self.max_batch):
            self._lookup_skus([p.sku for p in batch], refresh=True)
            for product in batch:
                results[product.sku] = self._push_product(product)
        return [results[p.sku] for p in products]

    def _product_input(self, product, product_id, variant_id):
        price = money(product.price)
        variant = {"optionValues": [{"optionName": "Title", "name": "Default Title"}], "price": price,
                   "sku": product.sku, "taxable": _text(product.tax_class).strip().lower() not in _UNTAXED_CLASSES}
        if product.barcode:
            variant["barcode"] = product.barcode
        item = {}
        if not variant_id:
            item["tracked"] = True
        if product.weight is not None:
            item["measurement"] = {"weight": {"unit": "KILOGRAMS", "value": float(product.weight)}}
        if item:
            variant["inventoryItem"] = item
        if variant_id:
            variant["id"] = variant_id
        data = {
            "title": product.name,
            "descriptionHtml": product.description or "",
            "status": "ACTIVE" if product.active else str(self._opt("inactive_status")),
            "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
            "variants": [variant],
        }
        if product.category_remote_ids:
            data["collections"] = [self._gid("Collection", c) for c in product.category_remote_ids]
        files = [{"originalSource": img.url, "alt": img.filename, "contentType": "IMAGE"}
                 for img in product.images if getattr(img, "url", "")]
        if files:
            data["files"] = files
        if product.attributes:
            namespace = str(self._opt("attribute_namespace"))
            data["metafields"] = [{"namespace": namespace, "key": str(k), "type": "single_line_text_field",
                                   "value": _text(v)} for k, v in sorted(product.attributes.items())]
        return data

    def _push_product(self, product):
        if not product.sku:
            return Result(product.sku, error=ShopError("shop.shopify.no_sku", _lt("a Shopify product needs a SKU"),
                                                       kind="payload"))
        known = self._variants.get(product.sku) or {}
        try:
            product_id = self._gid("Product", product.remote_id) if product.remote_id else known.get("product", "")
        except ShopError as exc:
            return Result(product.sku, error=exc)
        variant_id = known.get("variant") if known.get("product") == product_id else ""
        if product_id and not variant_id:
            # known product whose SKU changed: update its variant instead of replacing it (keeps its stock)
            data = self._call("ProductById", {"id": product_id})
            node = data.get("product")
            if isinstance(node, dict):
                variants = (node.get("variants") or {}).get("nodes") or []
                variant_id = (variants[0].get("id") or "") if variants else ""
        for attempt in (1, 2):
            created = not product_id
            variables = {"input": self._product_input(product, product_id, variant_id), "synchronous": True}
            if product_id:  # the product to update (ProductSetInput.id is deprecated); none: a new product
                variables["identifier"] = {"id": product_id}
            data = self._call("ProductSet", variables)
            payload = self._payload(data, "ProductSet", "productSet")
            errors = payload.get("userErrors") or []
            if errors and attempt == 1 and product_id and any(
                    e.get("code") == "PRODUCT_DOES_NOT_EXIST" for e in errors if isinstance(e, dict)):
                # the known product was deleted in Shopify: create it again
                self._variants.pop(product.sku, None)
                product_id = variant_id = ""
                continue
            if errors:
                return Result(product.sku, error=_errors_text(errors))
            node = payload.get("product") or {}
            if not node.get("id"):
                raise ShopError("shop.shopify.no_product", _lt("Shopify answered productSet without the product"),
                                kind="answer")
            variants = (node.get("variants") or {}).get("nodes") or [{}]
            self._variants[product.sku] = {
                "product": node["id"], "variant": variants[0].get("id") or "",
                "item": (variants[0].get("inventoryItem") or {}).get("id") or "", "tracked": True,
            }
            return Result(product.sku, remote_id=node["id"], created=created)
        return Result(product.sku, error=ShopError(  # pragma: no cover
            "shop.shopify.product_refused", _lt("Shopify refused the product"), kind="payload"))

    # ------------------------------------------------------------------ stock
    def push_stock(self, levels):
        levels = list(levels)
        location = _text(self._opt("location_id")).strip()
        if not location:
            raise ShopError("shop.shopify.no_location", _lt(
                "set the Shopify location (option location_id, a gid://shopify/Location/... id) whose stock is "
                "synchronised"), kind="config")
        location = self._gid("Location", location)
        results = [None] * len(levels)
        for start in range(0, len(levels), self.max_batch):
            batch = list(enumerate(levels[start:start + self.max_batch], start))
            self._lookup_skus([lvl.sku for _, lvl in batch])
            quantities = []
            for index, level in batch:
                known = self._variants.get(level.sku)
                if not known or not known.get("item"):
                    results[index] = Result(level.sku, error=_not_in_shopify(level.sku))
                    continue
                if not level.manage_stock:
                    results[index] = self._untrack(level.sku, known)
                    continue
                quantity = int(max(Decimal(0), Decimal(level.quantity or 0)).to_integral_value(ROUND_FLOOR))
                quantities.append((index, level, {"inventoryItemId": known["item"], "locationId": location,
                                                  "quantity": quantity}))
            self._set_quantities(quantities, results)
        return results

    def _set_quantities(self, quantities, results):
        """One inventorySetQuantities call (all or nothing, see :meth:`_all_or_nothing`), as 2026-04+ require
        it: an idempotency key per call (``@idempotent``; the same key when the HTTP client or the throttle
        sends the call again, a new one for another call) and ``changeFromQuantity`` on every quantity,
        null: Odoo is the source of truth of the stock it sends, no compare-and-swap."""
        def send(inputs):
            data = self._call("InventorySet", {"idempotencyKey": str(uuid.uuid4()), "input": {
                "name": "available", "reason": "correction",
                "quantities": [dict(item, changeFromQuantity=None) for item in inputs]}})
            return self._payload(data, "InventorySet", "inventorySetQuantities").get("userErrors")

        self._all_or_nothing(quantities, results, send, ("input", "quantities"), "inventoryItemId")

    def _all_or_nothing(self, entries, results, send, path, id_key):
        """Shopify applies some bulk mutations all or nothing: send ``entries`` ((index, record, input), ...)
        with ``send(inputs)`` (returns the userErrors); the entries the errors name (by their position in the
        list at ``path`` of the errors' ``field``) get them as their Result, the others are sent once more.
        A success's remote id is ``input[id_key]``."""
        depth = len(path)
        for attempt in (1, 2):
            if not entries:
                return
            errors = [e for e in send([item for _, _, item in entries]) or [] if isinstance(e, dict)]
            if not errors:
                for index, record, item in entries:
                    results[index] = Result(record.sku, remote_id=item[id_key])
                return
            refused = {}
            for err in errors:
                field = [str(p) for p in err.get("field") or []]
                if len(field) > depth and field[depth - 1] == path[-1] and field[depth].isdigit():
                    refused.setdefault(int(field[depth]), []).append(err)
            if not refused or attempt == 2:
                text = _errors_text(errors)
                for position, (index, record, _item) in enumerate(entries):
                    results[index] = Result(record.sku, error=_errors_text(refused.get(position)) or text)
                return
            kept = []
            for position, entry in enumerate(entries):
                if position in refused:
                    results[entry[0]] = Result(entry[1].sku, error=_errors_text(refused[position]))
                else:
                    kept.append(entry)
            entries = kept

    def _untrack(self, sku, known):
        if not known.get("tracked", True):
            return Result(sku, remote_id=known["item"])
        data = self._call("InventoryItemTracking", {"id": known["item"], "input": {"tracked": False}})
        payload = self._payload(data, "InventoryItemTracking", "inventoryItemUpdate")
        if payload.get("userErrors"):
            return Result(sku, error=_errors_text(payload["userErrors"]))
        known["tracked"] = False
        return Result(sku, remote_id=known["item"])

    # ------------------------------------------------------------------ prices
    def push_prices(self, prices):
        """``productVariantsBulkUpdate`` works per product: one call per product (up to 250 of its
        variants). A sale price lower than the price is sent as price, with the regular price as
        ``compareAtPrice``; otherwise ``compareAtPrice`` is cleared."""
        prices = list(prices)
        results = [None] * len(prices)
        for start in range(0, len(prices), self.max_batch):
            batch = list(enumerate(prices[start:start + self.max_batch], start))
            self._lookup_skus([p.sku for _, p in batch])
            by_product = {}
            for index, price in batch:
                known = self._variants.get(price.sku)
                if not known or not known.get("variant"):
                    results[index] = Result(price.sku, error=_not_in_shopify(price.sku))
                    continue
                regular = Decimal(price.price or 0)
                sale = price.sale_price
                if sale is not None and Decimal(sale) < regular:
                    entry = {"id": known["variant"], "price": money(sale), "compareAtPrice": money(regular)}
                else:
                    entry = {"id": known["variant"], "price": money(regular), "compareAtPrice": None}
                by_product.setdefault(known["product"], []).append((index, price, entry))
            for product_id, entries in by_product.items():
                self._send_prices(product_id, entries, results)
        return results

    def _send_prices(self, product_id, entries, results):
        """One productVariantsBulkUpdate call per product (all or nothing, see :meth:`_all_or_nothing`)."""
        def send(inputs):
            data = self._call("VariantPrices", {"productId": product_id, "variants": inputs})
            return self._payload(data, "VariantPrices", "productVariantsBulkUpdate").get("userErrors")

        self._all_or_nothing(entries, results, send, ("variants",), "id")


def _not_in_shopify(sku):
    return ShopError("shop.shopify.unknown_sku", _lt("SKU %(sku)s is not in Shopify"), sku=repr(sku), kind="not_found")
