"""Products and categories of the sandbox WooCommerce (``/wc/v3/products``, ``/wc/v3/products/categories``)."""

import copy
import re
from html import unescape

from ..server import Response
from ..shop import decimal as _d
from ..shop import money_text as _money
from ..shop import slug as _slug
from .store import WooCommerceStore, WooError, wp_escaped


def _no_product(status):
    return WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", status)


def _no_category():
    return WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)


class WooCommerceCatalogue(WooCommerceStore):
    """Seeding and the REST resources of products and categories."""

    def add_category(self, name, parent=0, category_id=None, description=""):
        with self.lock:
            cid = category_id or self._new_id()
            self.categories[cid] = {"id": cid, "name": wp_escaped(name), "slug": _slug(name),
                                    "parent": int(parent or 0),
                                    "description": description, "display": "default", "image": None,
                                    "menu_order": 0, "count": 0}
            return self.categories[cid]

    def add_product(self, sku, name=None, price="10.00", stock=None, categories=(), product_id=None, **fields):
        with self.lock:
            product = self._blank_product(product_id or self._new_id())
            self._apply_product(product, dict({"sku": sku, "name": name or sku, "regular_price": _money(price),
                                               "categories": [{"id": c} for c in categories]}, **fields))
            if stock is not None:
                self._apply_product(product, {"manage_stock": True, "stock_quantity": stock})
            self.products[product["id"]] = product
            return product


    def _by_sku(self, sku):
        if not sku:
            return None
        for product in self.products.values():
            if (product.get("sku") or "").lower() == sku.lower():
                return product
        return None

    # ------------------------------------------------------------------ products
    def _blank_product(self, pid):
        product = {
            "id": pid, "name": "", "slug": "", "permalink": f"{self.url}/product/{pid}/", "type": "simple",
            "status": "publish", "featured": False, "catalog_visibility": "visible", "description": "",
            "short_description": "", "sku": "", "global_unique_id": "", "price": "", "regular_price": "",
            "sale_price": "", "on_sale": False, "purchasable": True, "tax_status": "taxable", "tax_class": "",
            "manage_stock": False, "stock_quantity": None, "stock_status": "instock", "backorders": "no",
            "weight": "", "dimensions": {"length": "", "width": "", "height": ""}, "categories": [], "tags": [],
            "images": [], "meta_data": [],
        }
        self._stamp(product, "date_created")
        self._stamp(product, "date_modified")
        return product

    def _check_product_codes(self, product, data):
        """A product's SKU and GTIN are its own: 400 when another product has them (or the GTIN is malformed)."""
        if "sku" in data:
            sku = str(data["sku"] or "")
            other = self._by_sku(sku)
            if sku and other and other["id"] != product["id"]:
                raise WooError("product_invalid_sku", "Invalid or duplicated SKU.", 400, resource_id=other["id"],
                               unique_sku=sku)
        if data.get("global_unique_id"):
            gtin = str(data["global_unique_id"])
            duplicate = any(p["global_unique_id"] == gtin and p["id"] != product["id"] for p in self.products.values())
            if not re.fullmatch(r"[0-9-]+", gtin) or duplicate:
                raise WooError("product_invalid_global_unique_id", "Invalid or duplicated GTIN, UPC, EAN or ISBN.", 400)

    def _apply_product(self, product, data):
        self._check_product_codes(product, data)
        for key in ("sku", "global_unique_id", "name", "description", "short_description", "status", "type",
                    "tax_class", "tax_status", "catalog_visibility", "featured", "backorders", "slug",
                    "purchase_note", "menu_order", "shipping_class"):
            if key in data:
                product[key] = data[key] if data[key] is not None else ""
        if data.get("name"):
            product["name"] = wp_escaped(data["name"])
        for key in ("regular_price", "sale_price", "weight"):
            if key in data:
                product[key] = "" if data[key] in (None, "") else str(data[key])
        if "name" in data and not product.get("slug"):
            product["slug"] = _slug(data["name"])
        if "categories" in data:
            product["categories"] = [{"id": c["id"], "name": self.categories[c["id"]]["name"],
                                      "slug": self.categories[c["id"]]["slug"]}
                                     for c in data["categories"] or [] if isinstance(c, dict)
                                     and c.get("id") in self.categories]
        if "images" in data:
            product["images"] = [{"id": self._new_id(), "src": img.get("src", ""), "name": img.get("name", ""),
                                  "alt": img.get("alt", "")} for img in data["images"] or []]
        self._apply_stock(product, data)
        self._apply_meta(product, data.get("meta_data"))
        regular, sale = product["regular_price"], product["sale_price"]
        product["on_sale"] = bool(sale) and bool(regular) and _d(sale) < _d(regular)
        product["price"] = sale if product["on_sale"] else regular
        self._stamp(product, "date_modified")
        return product

    @staticmethod
    def _apply_stock(product, data):
        """Stock as WooCommerce keeps it: a managed product's status follows its quantity (and backorders), an
        unmanaged one has no quantity."""
        if "manage_stock" in data:
            product["manage_stock"] = bool(data["manage_stock"])
        if "stock_quantity" in data and data["stock_quantity"] is not None:
            product["stock_quantity"] = int(data["stock_quantity"])
        if "stock_status" in data and not product["manage_stock"]:
            product["stock_status"] = data["stock_status"]
        if product["manage_stock"]:
            quantity = product["stock_quantity"] or 0
            product["stock_status"] = "instock" if quantity > 0 else (
                "onbackorder" if product["backorders"] != "no" else "outofstock")
        else:
            product["stock_quantity"] = None

    def _apply_meta(self, record, meta):
        if not meta:
            return
        if not isinstance(meta, list):
            raise WooError("rest_invalid_param", "Invalid parameter(s): meta_data", 400,
                           params={"meta_data": "meta_data is not of type array."})
        current = record.setdefault("meta_data", [])
        for entry in meta:
            if not isinstance(entry, dict) or not entry.get("key"):
                continue
            target = next((m for m in current if entry.get("id") and m["id"] == entry["id"]), None) or \
                next((m for m in current if m["key"] == entry["key"]), None)
            if target:
                target["value"] = entry.get("value")
            else:
                current.append({"id": self._new_id(), "key": entry["key"], "value": entry.get("value")})

    def _create_product(self, data):
        product = self._blank_product(self._new_id())
        self._apply_product(product, data)
        self.products[product["id"]] = product
        return copy.deepcopy(product)

    def _update_product(self, data):
        return self._update(self.products, data, _no_product(400), self._apply_product)

    def _delete_product(self, ident):
        return self._pop(self.products, ident, _no_product(404))

    def _r_products_collection(self, request, body, _ident):
        if request.method == "POST":
            return Response.json(self._create_product(body), status=201)
        items = list(self.products.values())
        skus = request.query.get("sku")
        if skus:
            wanted = {s.lower() for s in skus.split(",")} | {skus.lower()}
            items = [p for p in items if (p["sku"] or "").lower() in wanted]
        include = self._id_list(request, "include")
        if include is not None:
            items = [p for p in items if p["id"] in include]
        status = request.query.get("status", "any")
        if status != "any":
            items = [p for p in items if p["status"] == status]
        search = (request.query.get("search") or "").lower()
        if search:
            items = [p for p in items if search in p["name"].lower() or search in (p["sku"] or "").lower()]
        items = self._order_by(request, items, ("date", "id", "include", "title", "slug", "modified", "price"))
        return self._page(request, items)

    def _r_products_item(self, request, body, ident):
        return self._item(request, body, ident, self.products, _no_product(404), self._update_product,
                          self._delete_product)

    def _r_products_batch(self, request, body, _ident):
        return self._batch(body, self._create_product, self._update_product, self._delete_product)

    # ------------------------------------------------------------------ categories
    def _apply_category(self, category, data):
        name = wp_escaped(data["name"]).strip() if "name" in data else category.get("name")
        if not (name or "").strip():
            raise WooError("empty_term_name", "A name is required for this term.", 400)
        parent = int(data.get("parent", category.get("parent") or 0) or 0)
        if parent and parent not in self.categories:
            raise WooError("woocommerce_rest_term_invalid", "Parent resource does not exist.", 400)
        for other in self.categories.values():
            if other["id"] != category.get("id") and other["parent"] == parent \
                    and other["name"].lower() == name.strip().lower():
                raise WooError("term_exists", "A term with the name provided already exists with this parent.", 400,
                               resource_id=other["id"])
        category.update(name=name.strip(), parent=parent, slug=category.get("slug") or _slug(unescape(name)))
        if "description" in data:
            category["description"] = data["description"] or ""

    def _create_category(self, data):
        category = {"id": 0, "name": "", "slug": "", "parent": 0, "description": "", "display": "default",
                    "image": None, "menu_order": 0, "count": 0}
        self._apply_category(category, data)
        category["id"] = self._new_id()
        self.categories[category["id"]] = category
        return dict(category)

    def _update_category(self, data):
        return self._update(self.categories, data, _no_category(), self._apply_category)

    def _delete_category(self, ident):
        return self._pop(self.categories, ident, _no_category())

    def _r_categories_collection(self, request, body, _ident):
        if request.method == "POST":
            return Response.json(self._create_category(body), status=201)
        items = sorted(self.categories.values(), key=lambda c: (c["name"].lower(), c["id"]))
        if request.query.get("parent") not in (None, ""):
            items = [c for c in items if c["parent"] == int(request.query["parent"])]
        return self._page(request, items)

    def _r_categories_item(self, request, body, ident):
        return self._item(request, body, ident, self.categories, _no_category(), self._update_category,
                          self._delete_category)

    def _r_categories_batch(self, request, body, _ident):
        return self._batch(body, self._create_category, self._update_category, self._delete_category)

