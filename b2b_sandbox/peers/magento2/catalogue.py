"""Products (with their media), prices, MSI stock and categories of the sandbox Magento 2."""

import base64
import binascii
import re

from ..shop import decimal as _d
from ..shop import slug
from .search import _custom, _custom_list
from .store import (
    ALLOWED_IMAGE_TYPES,
    INVALID_VALUE,
    NO_SUCH_ENTITY,
    NOT_FOUND_PRODUCT,
    REQUIRED,
    Magento2Store,
    _Refusal,
)


class Magento2Catalogue(Magento2Store):
    """Seeding and the REST resources of products, prices, source items and categories."""

    def add_product(self, sku, name=None, price=0, status=1, qty=None, type_id="simple", **values):
        with self.lock:
            product = self._new_product({"sku": sku, "name": name or sku, "price": price, "status": status,
                                         "type_id": type_id, **values})
            self.products[sku] = product
            if qty is not None:
                self.source_items[(sku, "default")] = {"sku": sku, "source_code": "default",
                                                       "quantity": float(qty), "status": 1 if qty > 0 else 0}
        return product

    def add_category(self, name, parent_id=2, **values):
        with self.lock:
            return self._save_category({"name": name, "parent_id": parent_id, **values})


    # ------------------------------------------------------------------ products
    def _new_product(self, data, existing=None):
        now = self._now()
        product = dict(existing or {})
        custom = {a["attribute_code"]: a.get("value") for a in (product.get("custom_attributes") or [])}
        for attr in data.get("custom_attributes") or []:
            if isinstance(attr, dict) and attr.get("attribute_code"):
                custom[attr["attribute_code"]] = attr.get("value")
        for key, value in data.items():
            if key not in ("custom_attributes", "media_gallery_entries", "extension_attributes", "id"):
                product[key] = value
        if not existing:
            product.setdefault("id", self._next("product"))
            product.setdefault("attribute_set_id", 4)
            product.setdefault("visibility", 4)
            product.setdefault("type_id", "simple")
            product.setdefault("status", 1)
            product["created_at"] = now
            product["media_gallery_entries"] = []
            product["extension_attributes"] = {"website_ids": [1], "category_links": []}
            custom.setdefault("url_key", slug(product.get("name") or product["sku"], default=""))
        if isinstance(data.get("extension_attributes"), dict):
            product["extension_attributes"] = dict(product.get("extension_attributes") or {},
                                                   **data["extension_attributes"])
        product["updated_at"] = now
        product["custom_attributes"] = [{"attribute_code": k, "value": v} for k, v in custom.items()]
        return product

    def _validate_product(self, data, sku, existing):
        if not sku:
            raise _Refusal(400, REQUIRED, {"fieldName": "sku"})
        if len(sku) > 64:
            raise _Refusal(400, "SKU length should be %1 characters maximum.", [64])
        if not existing and not (data.get("name") or "").strip():
            raise _Refusal(400, 'The "%1" attribute value is empty. Set the attribute and try again.', ["name"])
        if "price" in data:
            try:
                if _d(data["price"]) < 0:
                    raise ValueError
            except ValueError:
                raise _Refusal(400, INVALID_VALUE, {"fieldName": "price", "value": data["price"]}) from None
        url_key = next((a.get("value") for a in data.get("custom_attributes") or []
                        if isinstance(a, dict) and a.get("attribute_code") == "url_key"), None)
        if url_key is None and not existing:
            url_key = slug(data.get("name") or sku, default="")
        if url_key:
            for other in self.products.values():
                if other["sku"] != (existing or {}).get("sku") and _custom(other, "url_key") == url_key:
                    raise _Refusal(400, "URL key for specified store already exists.")
        for category_id in _custom_list(data, "category_ids"):
            if str(category_id).isdigit() and int(category_id) not in self.categories:
                raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "id", "fieldValue": category_id})

    def _save_product(self, data, sku, existing):
        self._validate_product(data, sku, existing)
        entries = data.get("media_gallery_entries")
        decoded = [self._decode_entry(e) for e in entries] if isinstance(entries, list) else None
        product = self._new_product(dict(data, sku=sku), existing)
        if decoded is not None:  # a gallery in the body replaces the product's gallery
            product["media_gallery_entries"] = [self._store_entry(e, n) for n, e in enumerate(decoded)]
        self.products[sku] = product
        return product

    def _search_products(self, request, store, body):
        return self._search(request, self.products.values())

    def _get_product(self, request, store, body, sku):
        product = self.products.get(sku)
        if not product:
            raise _Refusal(404, NOT_FOUND_PRODUCT)
        return product

    def _post_product(self, request, store, body):
        data = self._member(body, "product")
        sku = str(data.get("sku") or "").strip()
        return self._save_product(data, sku, self.products.get(sku))  # an existing SKU is updated

    def _put_product(self, request, store, body, sku):
        data = self._member(body, "product")
        return self._save_product(data, sku, self.products.get(sku))

    def _decode_entry(self, entry):
        if not isinstance(entry, dict):
            raise _Refusal(400, REQUIRED, {"fieldName": "entry"})
        content = entry.get("content") or {}
        if content.get("type") not in ALLOWED_IMAGE_TYPES:
            raise _Refusal(400, "The image MIME type is not valid or not supported.")
        try:
            data = base64.b64decode(content.get("base64_encoded_data") or "", validate=True)
        except (binascii.Error, ValueError):
            raise _Refusal(400, "The image content must be valid base64 encoded data.") from None
        if not data:
            raise _Refusal(400, "The image content must be valid base64 encoded data.")
        if not re.fullmatch(r"[\w .-]+", content.get("name") or ""):
            raise _Refusal(400, "Provided image name contains forbidden characters.")
        return dict(entry, _bytes=data)

    def _store_entry(self, entry, position):
        name = entry["content"]["name"].lower().replace(" ", "_")
        stem, _dot, ext = name.rpartition(".")
        path = f"/{stem[:1] or 'x'}/{stem[1:2] or 'x'}/{name}"
        n = 1
        while path in self._media_files:
            path = f"/{stem[:1] or 'x'}/{stem[1:2] or 'x'}/{stem}_{n}.{ext}"
            n += 1
        self._media_files.add(path)
        return {"id": self._next("media"), "media_type": entry.get("media_type", "image"), "label": entry.get("label"),
                "position": entry.get("position", position), "disabled": bool(entry.get("disabled")),
                "types": entry.get("types") or [], "file": path, "size": len(entry["_bytes"])}

    def _get_media(self, request, store, body, sku):
        return list(self._get_product(request, store, body, sku)["media_gallery_entries"])

    def _post_media(self, request, store, body, sku):
        product = self._get_product(request, store, body, sku)
        entry = self._decode_entry(body.get("entry") if isinstance(body, dict) else None)
        stored = self._store_entry(entry, len(product["media_gallery_entries"]))
        product["media_gallery_entries"].append(stored)
        return str(stored["id"])

    # ------------------------------------------------------------------ prices
    def _price_rows(self, body, key, type_name):
        rows = self._list_member(body, key, type_name)
        return rows

    def _price_failures(self, rows, check_dates=False):
        failures, valid = [], []
        for row in rows:
            if not isinstance(row, dict):
                failures.append({"message": REQUIRED, "parameters": ["prices"]})
                continue
            sku = str(row.get("sku") or "")
            ok = True
            if not sku or sku not in self.products:
                failures.append({"message": "Invalid attribute %fieldName = %fieldValue.", "parameters": ["SKU", sku]})
                ok = False
            try:
                price = _d(row.get("price"))
                bad_price = row.get("price") is None or price < 0
            except ValueError:
                bad_price = True
            if bad_price:
                failures.append({"message": "Invalid attribute %fieldName = %fieldValue.",
                                 "parameters": ["Price", str(row.get("price"))]})
                ok = False
            store_id = row.get("store_id", 0)
            if str(store_id) not in {str(v) for v in self.store_codes.values()}:
                failures.append({"message": "Requested store is not found. Row ID: SKU = %SKU, Store ID: %storeId.",
                                 "parameters": [sku, str(store_id)]})
                ok = False
            if check_dates:
                for label, field in (("Price From", "price_from"), ("Price To", "price_to")):
                    value = row.get(field)
                    if value and not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", str(value)):
                        failures.append({"message": "Invalid attribute %fieldName = %fieldValue.",
                                         "parameters": [label, str(value)]})
                        ok = False
            if ok:
                valid.append(row)
        return failures, valid

    def _base_prices(self, request, store, body):
        rows = self._price_rows(body, "prices", "\\Magento\\Catalog\\Api\\Data\\BasePriceInterface")
        failures, valid = self._price_failures(rows)
        for row in valid:
            product = self.products[row["sku"]]
            if int(row.get("store_id", 0)) == 0:
                product["price"] = float(_d(row["price"]))
            else:
                product.setdefault("store_prices", {})[str(row["store_id"])] = float(_d(row["price"]))
            product["updated_at"] = self._now()
        return failures

    def _special_price(self, request, store, body):
        rows = self._price_rows(body, "prices", "\\Magento\\Catalog\\Api\\Data\\SpecialPriceInterface")
        failures, valid = self._price_failures(rows, check_dates=True)
        for row in valid:
            key = (row["sku"], int(row.get("store_id", 0)))
            self.special_prices[key] = {"sku": row["sku"], "store_id": key[1], "price": float(_d(row["price"])),
                                        "price_from": row.get("price_from") or self._now(),
                                        "price_to": row.get("price_to") or ""}
        return failures

    def _special_price_information(self, request, store, body):
        skus = self._list_member(body, "skus", "string")
        return [dict(v) for (sku, _store), v in sorted(self.special_prices.items()) if sku in skus]

    def _special_price_delete(self, request, store, body):
        rows = self._price_rows(body, "prices", "\\Magento\\Catalog\\Api\\Data\\SpecialPriceInterface")
        failures = []
        for row in rows:
            key = (str(row.get("sku")), int(row.get("store_id", 0) or 0))
            if not row.get("price_from"):
                failures.append({"message": "Invalid attribute %fieldName = %fieldValue.",
                                 "parameters": ["Price From", str(row.get("price_from"))]})
            elif key in self.special_prices:
                del self.special_prices[key]
        return failures

    # ------------------------------------------------------------------ inventory (MSI)
    def _search_source_items(self, request, store, body):
        return self._search(request, self.source_items.values())

    def _post_source_items(self, request, store, body):
        items = self._list_member(body, "sourceItems", "\\Magento\\InventoryApi\\Api\\Data\\SourceItemInterface")
        errors = []
        for item in items:
            if not isinstance(item, dict) or not str(item.get("sku") or "").strip():
                errors.append({"message": '"%field" can not be empty.', "parameters": {"field": "sku"}})
                continue
            if not item.get("source_code"):
                errors.append({"message": '"%field" can not be empty.', "parameters": {"field": "source_code"}})
            try:
                _d(item.get("quantity"))
            except ValueError:
                errors.append({"message": '"%field" should be numeric.', "parameters": {"field": "quantity"}})
            if item.get("status") not in (0, 1, None):
                errors.append({"message": '"%field" should a known status.', "parameters": {"field": "status"}})
        if errors:
            raise _Refusal(400, "Validation Failed", errors=errors)
        for item in items:  # all or nothing
            if item["source_code"] not in self.sources or item["sku"] not in self.products:
                raise _Refusal(400, "Could not save Source Item")
        for item in items:
            self.source_items[(item["sku"], item["source_code"])] = {
                "sku": item["sku"], "source_code": item["source_code"],
                "quantity": float(_d(item.get("quantity"))), "status": int(item.get("status") or 0)}
        return []

    # ------------------------------------------------------------------ categories
    def _save_category(self, data, existing=None):
        name = str(data.get("name") or (existing or {}).get("name") or "").strip()
        if not name:
            raise _Refusal(400, 'The "%1" attribute value is empty. Set the attribute and try again.', ["Name"])
        parent_id = int(data.get("parent_id") or (existing or {}).get("parent_id") or 2)
        if parent_id not in self.categories:
            raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "id", "fieldValue": parent_id})
        url_key = slug(name, default="")
        for other in self.categories.values():
            if (other["parent_id"] == parent_id and other["id"] != (existing or {}).get("id")
                    and slug(other["name"], default="") == url_key):
                raise _Refusal(400, "URL key for specified store already exists.")
        now = self._now()
        category = dict(existing or {"id": self._next("category"), "created_at": now, "children": "",
                                     "position": 1, "include_in_menu": True})
        if existing and existing["parent_id"] != parent_id:
            parent_id = existing["parent_id"]  # PUT does not move a category (that is .../move)
        parent = self.categories[parent_id]
        category.update(name=name, parent_id=parent_id,
                        is_active=bool(data.get("is_active", category.get("is_active", True))),
                        level=parent["level"] + 1, path=f"{parent['path']}/{category['id']}", updated_at=now,
                        include_in_menu=bool(data.get("include_in_menu", category.get("include_in_menu", True))))
        if data.get("custom_attributes"):
            category["custom_attributes"] = data["custom_attributes"]
        self.categories[category["id"]] = category
        children = [str(c["id"]) for c in self.categories.values() if c["parent_id"] == parent_id]
        parent["children"] = ",".join(children)
        return category

    def _search_categories(self, request, store, body):
        return self._search(request, self.categories.values())

    def _get_category(self, request, store, body, id):
        return self._entity(self.categories, id)

    def _post_category(self, request, store, body):
        data = self._member(body, "category")
        return self._save_category(data)

    def _put_category(self, request, store, body, id):
        existing = self._get_category(request, store, body, id)
        data = self._member(body, "category")
        return self._save_category(data, existing)

