"""Collections, products and variants, and inventory of the sandbox Shopify."""


from ..shop import decimal as _d
from .search import SearchQuery
from .store import _METAFIELD_KEY_RE, INVENTORY_REASONS, MAX_FIRST, GraphQLError, ShopifyStore, _cursor, _uncursor

INVENTORY_SET_FIELDS = {"name", "quantities", "reason", "referenceDocumentUri"}
INVENTORY_QUANTITY_FIELDS = {"changeFromQuantity", "inventoryItemId", "locationId", "quantity"}


def _undefined_field(type_name, key, path):
    return GraphQLError("Variable $input of type InventorySetQuantitiesInput! was provided invalid value for "
                        f"{'.'.join(map(str, path))} (Field is not defined on {type_name})", "INVALID_VARIABLE",
                        problems=[{"path": path, "explanation": f"Field is not defined on {type_name}"}])


def _product_set_refused(field, message, code):
    return {"productSet": {"product": None, "productSetOperation": None,
                           "userErrors": [{"field": field, "message": message, "code": code}]}}


class ShopifyCatalogue(ShopifyStore):
    """The catalogue operations."""

    # ------------------------------------------------------------------ shop
    def _q_shop(self, v):
        return {"shop": {"name": self.shop_name, "myshopifyDomain": self.domain, "currencyCode": self.currency},
                "locations": {"nodes": [dict(loc) for loc in self.locations.values()]},
                "currentAppInstallation": {"accessScopes": [{"handle": scope} for scope in sorted(self.scopes)]}}

    # ------------------------------------------------------------------ collections
    def _q_collections(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        nodes = [{"id": c["id"], "title": c["title"], "handle": c["handle"]} for c in self.collections.values()
                 if search.matches({"title": c["title"], "handle": c["handle"],
                                    "collection_type": c["collectionType"]})]
        self._actual_cost = 2 + len(nodes[:first])
        return {"collections": {"nodes": nodes[:first]}}

    def _m_collection_create(self, v):
        data = self._required(v, "collection", "CollectionCreateInput!")
        title = str(data.get("title") or "").strip()
        if not title:
            return {"collectionCreate": {"collection": None,
                                         "userErrors": [{"field": ["title"], "message": "Title can't be blank"}]}}
        if len(title) > 255:
            return {"collectionCreate": {"collection": None, "userErrors": [
                {"field": ["title"], "message": "Title is too long (maximum is 255 characters)"}]}}
        gid = self.add_collection(title, data.get("descriptionHtml") or "")
        return {"collectionCreate": {"collection": self._collection_node(gid), "userErrors": []}}

    def _m_collection_update(self, v):
        data = self._required(v, "collection", "CollectionUpdateInput!")
        gid = self._gid_of(data.get("id"), "Collection")
        collection = self.collections.get(gid)
        if not collection:
            return {"collectionUpdate": {"collection": None,
                                         "userErrors": [{"field": ["id"], "message": "Collection does not exist"}]}}
        if "title" in data and not str(data.get("title") or "").strip():
            return {"collectionUpdate": {"collection": None,
                                         "userErrors": [{"field": ["title"], "message": "Title can't be blank"}]}}
        if data.get("title"):
            collection["title"] = data["title"].strip()
        if "descriptionHtml" in data:
            collection["descriptionHtml"] = data["descriptionHtml"] or ""
        return {"collectionUpdate": {"collection": self._collection_node(gid), "userErrors": []}}

    def _collection_node(self, gid):
        c = self.collections[gid]
        return {"id": c["id"], "title": c["title"], "handle": c["handle"]}

    # ------------------------------------------------------------------ products
    def _variant_node(self, variant_id):
        variant = self.variants[variant_id]
        item = self.inventory_items[variant["inventoryItem"]]
        return {"id": variant["id"], "sku": variant["sku"], "price": variant["price"],
                "compareAtPrice": variant["compareAtPrice"], "product": {"id": variant["product"]},
                "inventoryItem": {"id": item["id"], "tracked": item["tracked"]}}

    def _paged(self, items, first, after, key):
        """Slice ``items`` (sorted by ``key``) after the cursor; return (page, pageInfo)."""
        start = 0
        if after:
            last = _uncursor(after).get("last_id")
            if not isinstance(last, int):
                raise GraphQLError("Invalid cursor for current pagination sort.", "BAD_REQUEST")
            start = next((n for n, item in enumerate(items) if key(item) > last), len(items))
        page = items[start:start + first]
        info = {"hasNextPage": start + first < len(items),
                "endCursor": _cursor({"last_id": key(page[-1])}) if page else None}
        return page, info

    def _q_variants(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        matching = [self.variants[k] for k in sorted(self.variants, key=lambda g: int(g.rsplit("/", 1)[1]))]
        matching = [var for var in matching if search.matches({
            "sku": var["sku"], "barcode": var["barcode"], "title": self.products[var["product"]]["title"],
            "product_id": var["product"].rsplit("/", 1)[1]})]
        page, info = self._paged(matching, first, v.get("after"), lambda var: int(var["id"].rsplit("/", 1)[1]))
        self._actual_cost = 2 + len(page)
        return {"productVariants": {"pageInfo": info, "nodes": [self._variant_node(var["id"]) for var in page]}}

    def _q_product(self, v):
        gid = self._gid_of(self._required(v, "id", "ID!"), "Product")
        product = self.products.get(gid)
        if not product:
            return {"product": None}
        return {"product": {"id": gid, "variants": {"nodes": [self._variant_node(x) for x in product["variants"][:1]]}}}

    def _m_product_set(self, v):
        data = self._required(v, "input", "ProductSetInput!")
        if "synchronous" in v and not isinstance(v["synchronous"], bool):
            raise GraphQLError("Variable $synchronous of type Boolean! was provided invalid value", "INVALID_VARIABLE")
        product_id = None
        identifier = v.get("identifier") or {}
        # identifier names the product to update; the deprecated ProductSetInput.id still works
        named = identifier.get("id") or data.get("id")
        if named:
            product_id = self._gid_of(named, "Product")
            if product_id not in self.products:
                field = ["identifier", "id"] if identifier.get("id") else ["input", "id"]
                return _product_set_refused(field, "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        refusal = self._product_set_refusal(data, product_id)
        if refusal:
            return refusal
        product_id = self._product_set_write(data, product_id)
        product = self.products[product_id]
        return {"productSet": {"product": {"id": product_id, "variants": {"nodes": [
            {"id": x, "sku": self.variants[x]["sku"], "inventoryItem": {"id": self.variants[x]["inventoryItem"]}}
            for x in product["variants"][:1]]}}, "productSetOperation": None, "userErrors": []}}

    def _product_set_refusal(self, data, product_id):
        """The first thing productSet refuses in the input (as a userError answer), None when all is well; nothing
        is written before every check passed."""
        if "status" in data:
            self._enum(data["status"], {"ACTIVE", "ARCHIVED", "DRAFT"}, "input", "ProductSetInput!")
        title = data.get("title")
        if (not product_id or "title" in data) and not str(title or "").strip():
            return _product_set_refused(["input", "title"], "Title can't be blank", "BLANK")
        if title and len(title) > 255:
            return _product_set_refused(["input", "title"], "Title is too long (maximum is 255 characters)",
                                        "TOO_LONG")
        variants = data.get("variants")
        if variants is not None and not data.get("productOptions"):
            return _product_set_refused(["input", "productOptions"],
                                        "Product options input is required when updating variants",
                                        "PRODUCT_OPTIONS_INPUT_MISSING")
        existing = self.products[product_id]["variants"] if product_id else []
        refusal = self._product_set_variants_refusal(variants or [], existing)
        if refusal:
            return refusal
        for collection in data.get("collections") or []:
            if self._gid_of(collection, "Collection", "collections") not in self.collections:
                return _product_set_refused(["input", "collections"], f"Collection {collection} does not exist",
                                            "COLLECTION_DOES_NOT_EXIST")
        for n, field in enumerate(data.get("metafields") or []):
            if not _METAFIELD_KEY_RE.match(str(field.get("key") or "")):
                return _product_set_refused(["input", "metafields", str(n), "key"], "Key is invalid",
                                            "INVALID_METAFIELD")
        return None

    @staticmethod
    def _product_set_variants_refusal(variants, existing):
        """The first variant of the input productSet refuses: an unknown id, an invalid or negative price."""
        for n, variant in enumerate(variants):
            if not variant.get("optionValues"):
                raise GraphQLError("Variable $input of type ProductSetInput! was provided invalid value",
                                   "INVALID_VARIABLE", problems=[{"path": ["variants", n, "optionValues"],
                                                                  "explanation": "Expected value to not be null"}])
            if variant.get("id") and variant["id"] not in existing:
                return _product_set_refused(["input", "variants", str(n), "id"], "Product variant does not exist",
                                            "PRODUCT_VARIANT_DOES_NOT_EXIST")
            try:
                price = _d(variant.get("price"))
            except ValueError:
                return _product_set_refused(["input", "variants", str(n), "price"], "Price is invalid",
                                            "INVALID_VARIANT")
            if price < 0:
                return _product_set_refused(["input", "variants", str(n), "price"],
                                            "Price must be greater than or equal to 0", "INVALID_VARIANT")
        return None

    def _product_set_write(self, data, product_id):
        """Writes a checked productSet input (creating the product when none was named); returns its id."""
        if not product_id:
            product_id = self._gid("Product")
            self.products[product_id] = {"id": product_id, "title": "",
                                         "handle": self._unique_handle(data.get("title")), "descriptionHtml": "",
                                         "status": "ACTIVE", "collections": [], "files": [], "metafields": {},
                                         "variants": []}
        product = self.products[product_id]
        for key in ("title", "descriptionHtml", "status", "vendor", "productType"):
            if key in data:
                product[key] = data[key]
        if "collections" in data:
            product["collections"] = list(data["collections"] or [])
        if "files" in data:
            product["files"] = [dict(f) for f in data["files"] or []]
        if "metafields" in data:
            product["metafields"] = {(m.get("namespace"), m.get("key")): dict(m) for m in data["metafields"] or []}
        variants = data.get("variants")
        if variants is not None:
            self._product_set_variants(product_id, variants)
        return product_id

    def _product_set_variants(self, product_id, variants):
        """The variants of the input replace the product's: those with an id are updated, the others created,
        the product's variants left out deleted with their inventory items."""
        product = self.products[product_id]
        keep = []
        for variant in variants:
            if variant.get("id"):
                self._update_variant(variant["id"], variant)
                keep.append(variant["id"])
            else:
                keep.append(self._create_variant(product_id, variant))
        for old in [x for x in product["variants"] if x not in keep]:
            self.inventory_items.pop(self.variants[old]["inventoryItem"], None)
            self.variants.pop(old, None)
        product["variants"] = keep

    def _m_variant_prices(self, v):
        product_id = self._gid_of(self._required(v, "productId", "ID!"), "Product", "productId")
        entries = self._required(v, "variants", "[ProductVariantsBulkInput!]!")
        product = self.products.get(product_id)
        if not product:
            return {"productVariantsBulkUpdate": {"productVariants": None, "userErrors": [
                {"field": ["productId"], "message": "Product does not exist", "code": "PRODUCT_DOES_NOT_EXIST"}]}}
        errors = []
        for n, entry in enumerate(entries):
            if entry.get("id") not in product["variants"]:
                errors.append({"field": ["variants", str(n), "id"], "message": "Product variant does not exist",
                               "code": "PRODUCT_VARIANT_DOES_NOT_EXIST"})
                continue
            for key in ("price", "compareAtPrice"):
                if entry.get(key) is None:
                    continue
                try:
                    value = _d(entry[key])
                except ValueError:
                    errors.append({"field": ["variants", str(n), key], "message": f"{key} is invalid",
                                   "code": "INVALID"})
                    continue
                if value < 0:
                    errors.append({"field": ["variants", str(n), key],
                                   "message": "Price must be greater than or equal to 0",
                                   "code": "GREATER_THAN_OR_EQUAL_TO"})
        if errors:
            return {"productVariantsBulkUpdate": {"productVariants": None, "userErrors": errors}}
        for entry in entries:
            self._update_variant(entry["id"], entry)
        return {"productVariantsBulkUpdate": {"productVariants": [
            {"id": e["id"], "price": self.variants[e["id"]]["price"],
             "compareAtPrice": self.variants[e["id"]]["compareAtPrice"]} for e in entries], "userErrors": []}}

    # ------------------------------------------------------------------ inventory
    def _m_inventory_set(self, v):
        data = self._required(v, "input", "InventorySetQuantitiesInput!")
        quantities = data.get("quantities")
        if not isinstance(quantities, list) or data.get("name") is None or data.get("reason") is None:
            raise GraphQLError("Variable $input of type InventorySetQuantitiesInput! was provided invalid value",
                               "INVALID_VARIABLE")
        # the 2026-04+ input: ignoreCompareQuantity and compareQuantity are gone, changeFromQuantity is required
        for key in sorted(set(data) - INVENTORY_SET_FIELDS):
            raise _undefined_field("InventorySetQuantitiesInput", key, [key])
        for n, q in enumerate(quantities):
            for key in sorted(set(q) - INVENTORY_QUANTITY_FIELDS):
                raise _undefined_field("InventoryQuantityInput", key, ["quantities", n, key])
        return self._idempotent("inventorySetQuantities", data, lambda: self._inventory_set(data, quantities))

    def _inventory_set(self, data, quantities):
        def refused(errors):
            return {"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": errors}}

        if data["name"] not in ("available", "on_hand"):
            return refused([{"field": ["input", "name"], "message": "The quantity name must be either 'available' or "
                                                                    "'on_hand'.", "code": "INVALID_NAME"}])
        if data["reason"] not in INVENTORY_REASONS:
            return refused([{"field": ["input", "reason"], "message": "The specified reason is invalid.",
                             "code": "INVALID_REASON"}])
        errors = []
        for n, q in enumerate(quantities):
            path = ["input", "quantities", str(n)]
            item = self.inventory_items.get(q.get("inventoryItemId"))
            if not item:
                errors.append({"field": path + ["inventoryItemId"], "code": "INVALID_INVENTORY_ITEM",
                               "message": "The specified inventory item could not be found."})
            elif q.get("locationId") not in self.locations:
                errors.append({"field": path + ["locationId"], "code": "INVALID_LOCATION",
                               "message": "The specified location could not be found."})
            elif not isinstance(q.get("quantity"), int):
                raise GraphQLError("Variable $input of type InventorySetQuantitiesInput! was provided invalid value",
                                   "INVALID_VARIABLE", problems=[{"path": ["quantities", n, "quantity"],
                                                                  "explanation": "Could not coerce value to Int"}])
            elif q["quantity"] < 0:
                errors.append({"field": path + ["quantity"], "code": "INVALID_QUANTITY_NEGATIVE",
                               "message": "The quantity can't be negative."})
            elif q["quantity"] > 1_000_000_000:
                errors.append({"field": path + ["quantity"], "code": "INVALID_QUANTITY_TOO_HIGH",
                               "message": "The total quantity can't be higher than 1,000,000,000."})
            elif "changeFromQuantity" not in q:
                raise GraphQLError("Variable $input of type InventorySetQuantitiesInput! was provided invalid value "
                                   f"for quantities.{n}.changeFromQuantity (Expected value to be present)",
                                   "INVALID_VARIABLE", problems=[{"path": ["quantities", n, "changeFromQuantity"],
                                                                  "explanation": "Expected value to be present"}])
            elif q["changeFromQuantity"] is not None and q["changeFromQuantity"] != item["levels"][
                    q["locationId"]].get(data["name"], 0):
                errors.append({"field": path + ["changeFromQuantity"], "code": "CHANGE_FROM_QUANTITY_STALE",
                               "message": "The changeFromQuantity value does not match persisted value."})
        if errors:
            return refused(errors)  # all or nothing
        changes = []
        for q in quantities:
            level = self.inventory_items[q["inventoryItemId"]]["levels"][q["locationId"]]
            delta = q["quantity"] - level.get(data["name"], 0)
            level[data["name"]] = q["quantity"]
            changes.append({"name": data["name"], "delta": delta})
        return {"inventorySetQuantities": {"inventoryAdjustmentGroup": {"reason": data["reason"], "changes": changes},
                                           "userErrors": []}}

    def _m_inventory_item_update(self, v):
        gid = self._gid_of(self._required(v, "id", "ID!"), "InventoryItem")
        data = self._required(v, "input", "InventoryItemInput!")
        item = self.inventory_items.get(gid)
        if not item:
            return {"inventoryItemUpdate": {"inventoryItem": None, "userErrors": [
                {"field": ["id"], "message": "Inventory item does not exist"}]}}
        if "tracked" in data:
            item["tracked"] = bool(data["tracked"])
        return {"inventoryItemUpdate": {"inventoryItem": {"id": gid, "tracked": item["tracked"]}, "userErrors": []}}

