"""Categories, products, stock and prices out to WooCommerce (batch endpoints, linked by SKU)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, money
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text

from .client import WooCommerceClient

IMAGE_CHECKSUM_KEY = "_b2b_image_checksums"
# writable top-level product fields a Product.attributes key may name; any other key is a meta_data key
PRODUCT_FIELDS = frozenset({
    "slug", "type", "featured", "catalog_visibility", "date_on_sale_from", "date_on_sale_to", "virtual",
    "downloadable", "tax_status", "backorders", "sold_individually", "shipping_class", "reviews_allowed",
    "purchase_note", "menu_order", "global_unique_id", "button_text", "external_url", "low_stock_amount",
    "dimensions", "tags", "brands",
})


class WooCommerceCatalogue(WooCommerceClient):
    """``push_categories``, ``push_products``, ``push_stock``, ``push_prices``."""

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
                    results[i] = model.Result(categories[i].key, error=ShopError(
                        "shop.woocommerce.category_cycle", _lt("its parent categories form a cycle"), kind="payload"))
                break
            ops, level = [], []
            for i in ready:
                cat = categories[i]
                payload = {"name": cat.name, "description": cat.description or ""}
                if cat.parent_key:
                    parent_id = remote.get(cat.parent_key)
                    if cat.parent_key in in_call and not parent_id:
                        results[i] = model.Result(cat.key, error=ShopError(
                            "shop.woocommerce.parent_not_pushed", _lt("its parent category %(parent)s was not pushed"),
                            parent=cat.parent_key, kind="payload"))
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
            linked = self._run_ops("products/categories", ops, Phrase(_lt("the categories")),
                                   link=lambda item, _payload: self._existing(item, "term_exists"))
            for i, result in zip(level, linked, strict=False):
                results[i] = result
                if result.ok:
                    remote[categories[i].key] = result.remote_id
            pending = [i for i in pending if results[i] is None]
        return results

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
        return self._run_ops("products", ops, Phrase(_lt("the products")),
                             link=lambda item, _payload: self._existing(item, "product_invalid_sku"))

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
                results[n] = model.Result(record.sku, error=ShopError(
                    "shop.woocommerce.unknown_sku", _lt("no product with SKU %(sku)s in WooCommerce"), sku=record.sku,
                    kind="not_found"))
                continue
            ops.append((record.sku, "update",
                        dict(payload_of(record), id=self._int_id(resolved[n], "product")), resolved[n]))
            where.append(n)
        for n, result in zip(where, self._run_ops("products", ops, what), strict=False):
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

        return self._push_updates(levels, payload, Phrase(_lt("the stock levels")))

    def push_prices(self, prices):
        def payload(price):
            sale = price.sale_price
            on_sale = sale is not None and Decimal(sale) < Decimal(price.price)
            return {"regular_price": money(price.price), "sale_price": money(sale) if on_sale else ""}

        return self._push_updates(prices, payload, Phrase(_lt("the prices")))
