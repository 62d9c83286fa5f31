"""Categories, products (with images), MSI stock and prices out to Magento 2."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import base64
import re
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import quote

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, chunks

from .client import _CENT, MAX_PAGE_SIZE, Magento2Client, _num, _slug, render_message


class Magento2Catalogue(Magento2Client):
    """``push_categories``, ``push_products``, ``push_stock``, ``push_prices``."""

    # ------------------------------------------------------------------ categories
    def push_categories(self, categories):
        categories = list(categories)
        results = [None] * len(categories)
        keys = {c.key for c in categories}
        remote_ids = {}
        for index in _parents_first(categories):
            category = categories[index]
            parent_id = self.root_category_id
            if not category.parent_key and category.parent_remote_id:  # parent already in the shop
                parent_id = int(category.parent_remote_id)
            if category.parent_key:
                if category.parent_key in remote_ids:
                    parent_id = int(remote_ids[category.parent_key])
                elif category.parent_key in keys:  # refused (its own result says why), or in a loop
                    results[index] = model.Result(category.key, error=ShopError(
                        "shop.magento2.parent_not_pushed", _lt("its parent category %(parent)s was not pushed"),
                        parent=category.parent_key, kind="payload"))
                    continue
            results[index] = self._one(category.key, lambda category=category, parent_id=parent_id: self._push_category(
                category, parent_id))
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
            return model.Result(category.key, error=ShopError(
                "shop.magento2.no_name", _lt("a category needs a name"), kind="payload"))
        what = Phrase(_lt("category %(name)s"), name=repr(category.name))
        if category.remote_id and str(category.remote_id).isdigit():
            try:
                data = self._request("PUT", f"categories/{int(category.remote_id)}", what, store=self.catalog_store,
                                     json=self._category_body(category, parent_id, category.remote_id))
                return model.Result(category.key, remote_id=self._entity_id(data, what))
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
                # deleted in the shop: created again below
        doing = Phrase(_lt("the categories named %(name)s"), name=repr(category.name))
        items, _total = self._search("categories/list", doing,
                                     [[("name", category.name, "eq")], [("parent_id", parent_id, "eq")]],
                                     page_size=MAX_PAGE_SIZE, store=self.catalog_store)
        same = [c for c in items if str(c.get("name", "")).strip().lower() == category.name.strip().lower()
                and str(c.get("parent_id")) == str(parent_id)]
        if same:
            remote_id = self._entity_id(same[0], what)
            data = self._request("PUT", f"categories/{remote_id}", what, store=self.catalog_store,
                                 json=self._category_body(category, parent_id, remote_id))
            return model.Result(category.key, remote_id=self._entity_id(data, what))
        data = self._request("POST", "categories", what, store=self.catalog_store,
                             json=self._category_body(category, parent_id))
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
                    results[index] = model.Result(product.sku or product.name, error=ShopError(
                        "shop.magento2.no_sku", _lt("a product needs a SKU"), kind="payload"))
                    continue
                found = existing.get(sku.lower())
                results[index] = self._one(product.sku, lambda product=product, sku=sku, found=found: (
                    self._push_product(product, sku, found)), product.remote_id)
        return results

    def _products_by_sku(self, skus):
        """{sku.lower(): product} of the SKUs the shop has (one search; SKUs with commas one by one)."""
        found = {}
        plain = [s.strip() for s in skus if "," not in s]
        if plain:
            doing = Phrase(_lt("the product search by SKU"))
            items, _total = self._search("products", doing, [[("sku", ",".join(plain), "in")]],
                                         page_size=max(len(plain), 1), store=self.catalog_store)
            for item in items:
                found[str(item.get("sku", "")).lower()] = item
        for sku in (s.strip() for s in skus if "," in s):
            try:
                doing = Phrase(_lt("product %(sku)s"), sku=repr(sku))
                item = self._request("GET", f"products/{quote(sku, safe='')}", doing,
                                     store=self.catalog_store)
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
                continue
            if isinstance(item, dict):
                found[sku.lower()] = item
        return found

    def _push_product(self, product, sku, existing):
        what = Phrase(_lt("product %(sku)s"), sku=repr(sku))
        create = existing is None
        body = self._product_body(product, sku, create)
        if create:
            entries = [self._media_entry(product, image, n) for n, image in enumerate(product.images) if image.data]
            if entries:
                body["product"]["media_gallery_entries"] = entries
            data = self._request("POST", "products", what, store=self.catalog_store, json=body, idempotent=True)
        else:
            data = self._request("PUT", f"products/{quote(sku, safe='')}", what, store=self.catalog_store, json=body)
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
                    doing = Phrase(_lt("image %(image)s of %(sku)s"), image=repr(image.filename), sku=repr(sku))
                    self._request("POST", f"products/{quote(sku, safe='')}/media",
                                  doing, store=self.catalog_store,
                                  json={"entry": self._media_entry(product, image, position)})
                    position += 1
                except ShopError as exc:
                    if not self._refuses_one(exc):
                        raise
                    errors.append(exc)
        return model.Result(product.sku, remote_id=remote_id, created=create,
                            error=Phrase.join(errors, "; ") if errors else "")

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
                results[index] = model.Result(level.sku, error=ShopError(
                    "shop.magento2.stock_no_sku", _lt("a stock level needs a SKU"), kind="payload"))
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
        what = Phrase(_lt("the stock of %(count)s SKU(s)"), count=len(batch))
        try:
            self._request("POST", "inventory/source-items", what, store=self.catalog_store,
                          json={"sourceItems": [item for _i, _l, item in batch]}, idempotent=True)
        except ShopError as exc:
            if not self._refuses_one(exc):
                raise
            if len(batch) == 1:
                index, level, _item = batch[0]
                results[index] = model.Result(level.sku, error=exc)
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
                results[index] = model.Result(price.sku, error=ShopError(
                    "shop.magento2.price_no_sku", _lt("a price needs a SKU"), kind="payload"))
            elif price.price is None or Decimal(price.price) < 0:
                results[index] = model.Result(price.sku, error=ShopError(
                    "shop.magento2.bad_price", _lt("invalid price %(price)s"), price=repr(price.price), kind="payload"))
            else:
                pending.append((index, price))
        for batch in chunks(pending, self.max_batch):
            errors = {}
            skus = [p.sku.strip() for _i, p in batch]
            failures = self._price_call("products/base-prices", Phrase(_lt("the base prices")), {"prices": [
                {"sku": p.sku.strip(), "price": _num(Decimal(p.price).quantize(_CENT)), "store_id": self.price_store_id}
                for _i, p in batch]})
            _attribute_failures(failures, skus, errors)
            on_sale = [p for _i, p in batch if p.sku.strip() not in errors
                       and p.sale_price is not None and Decimal(p.sale_price) < Decimal(p.price)]
            if on_sale:
                today = datetime.now(timezone.utc).strftime("%Y-%m-%d 00:00:00")
                failures = self._price_call("products/special-price", Phrase(_lt("the special prices")), {"prices": [
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
        data = self._request("POST", path, what, store=self.catalog_store, json=body, idempotent=True)
        if not isinstance(data, list) or not all(isinstance(f, dict) for f in data):
            raise ShopError("shop.magento2.not_failures",
                            _lt("Magento answered %(what)s with something else than a list of failures"),
                            what=what, kind="answer")
        return data

    def _drop_special_prices(self, skus, errors):
        data = self._request("POST", "products/special-price-information", Phrase(_lt("the special prices")),
                             store=self.catalog_store, json={"skus": skus}, idempotent=True)
        if not isinstance(data, list):
            raise ShopError("shop.magento2.special_prices",
                            _lt("Magento answered the special prices with something else than a list"), kind="answer")
        stale = [p for p in data if isinstance(p, dict) and str(p.get("store_id")) == str(self.price_store_id)
                 and p.get("sku") in skus]
        if stale:
            doing = Phrase(_lt("the special price removal"))
            failures = self._price_call("products/special-price-delete", doing, {"prices": stale})
            _attribute_failures(failures, [p["sku"] for p in stale], errors)


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


