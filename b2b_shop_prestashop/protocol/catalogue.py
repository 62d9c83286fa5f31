"""Categories, products (with images), stock and prices out to PrestaShop (one write per record)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import chunks

from .client import PrestaShopClient
from .webservice import _DIGITS, _FIELD_NAME, ZERO_DATES, I18n, RecordRefused, _dec6, _pick, _slug, assoc_ids


class PrestaShopCatalogue(PrestaShopClient):
    """``push_categories``, ``push_products``, ``push_stock``, ``push_prices``."""

    # ------------------------------------------------------------------ categories
    def push_categories(self, categories):
        categories = list(categories)
        known = {str(r["id"]): r for r in self._list_in(
            "categories", "id", [c.remote_id for c in categories if _DIGITS.match(str(c.remote_id or ""))])}
        remote_ids, failed, results = {}, set(), []
        root = str(self.options["root_category"])
        for category in categories:
            try:
                parent = None
                if category.parent_key:
                    if category.parent_key in failed:
                        raise RecordRefused("shop.prestashop.parent_not_pushed",
                                            _lt("its parent category %(parent)s was not pushed"),
                                            parent=category.parent_key)
                    parent = remote_ids.get(category.parent_key)
                elif category.parent_remote_id:  # the parent is already in the shop, not in this call
                    parent = str(category.parent_remote_id)
                remote = known.get(str(category.remote_id or ""))
                parent_for_lookup = parent or root
                if remote is None:
                    remote = self._find_category(category.name, parent_for_lookup)
                fields = {"name": I18n(category.name), "description": I18n(category.description), "active": "1"}
                if remote is None or parent or not category.parent_key:
                    fields["id_parent"] = parent_for_lookup
                if remote is not None:
                    rid = str(remote["id"])
                    changes = self._changes(remote, fields)
                    if changes:
                        self._write("PATCH", "categories", "category", {"id": rid, **changes}, rid,
                                    what=Phrase(_lt("updating category %(name)s"), name=repr(category.name)))
                    results.append(model.Result(key=category.key, remote_id=rid))
                else:
                    fields["link_rewrite"] = I18n(_slug(category.name))
                    record = self._write("POST", "categories", "category", fields,
                                         what=Phrase(_lt("creating category %(name)s"), name=repr(category.name)))
                    rid = str(record["id"])
                    results.append(model.Result(key=category.key, remote_id=rid, created=True))
                remote_ids[category.key] = rid
            except RecordRefused as exc:
                failed.add(category.key)
                results.append(model.Result(key=category.key, error=exc))
        return results

    def _find_category(self, name, parent_id):
        index, _unsearchable = self._find_by_values("categories", "name", [name],
                                                    extra={"id_parent": f"[{parent_id}]"})
        return _pick(index.get((name or "").strip().casefold()), (name or "").strip(), "name", self.language)

    # ------------------------------------------------------------------ products
    def _product_lookup(self, items):
        """({remote id: product}, {casefolded reference: [products]}, unsearchable references) for
        items with ``sku`` and ``remote_id`` (products, stock levels, prices)."""
        ids = [str(i.remote_id) for i in items if _DIGITS.match(str(i.remote_id or ""))]
        by_id = {str(r["id"]): r for r in self._list_in("products", "id", ids)}
        skus = [i.sku for i in items if i.sku and str(i.remote_id or "") not in by_id]
        by_sku, unsearchable = self._find_by_values("products", "reference", skus)
        return by_id, by_sku, unsearchable

    def _match_product(self, item, by_id, by_sku, unsearchable, created=None):
        remote = by_id.get(str(item.remote_id or ""))
        if remote is not None:
            return remote
        sku = (item.sku or "").strip()
        if created and sku.casefold() in created:
            return created[sku.casefold()]
        if sku in unsearchable:
            raise RecordRefused("shop.prestashop.sku_unsearchable",
                                _lt("the reference %(sku)s cannot be searched with PrestaShop's filters"),
                                sku=repr(sku))
        return _pick(by_sku.get(sku.casefold()), sku, "reference", self.language)

    def _product_fields(self, product, create):
        sku = product.sku.strip()
        fields = {
            "reference": sku,
            "price": _dec6(product.price),
            "active": "1" if product.active else "0",
            "name": I18n(product.name),
            "description": I18n(product.description),
            "description_short": I18n(product.short_description),
        }
        if product.weight is not None:
            fields["weight"] = _dec6(product.weight)
        if product.tax_class:
            if not _DIGITS.match(str(product.tax_class).strip()):
                raise RecordRefused("shop.prestashop.bad_tax_class",
                                    _lt("tax class %(tax_class)s of %(sku)s is not a PrestaShop tax rules group id"),
                                    tax_class=repr(product.tax_class), sku=sku)
            fields["id_tax_rules_group"] = str(product.tax_class).strip()
        barcode = (product.barcode or "").strip()
        if barcode:
            if re.fullmatch(r"\d{13}|\d{8}", barcode):
                fields["ean13"] = barcode
            elif re.fullmatch(r"\d{12}", barcode):
                fields["upc"] = barcode
            else:
                raise RecordRefused("shop.prestashop.bad_barcode",
                                    _lt("barcode %(barcode)s of %(sku)s is neither an EAN-13/EAN-8 nor a UPC"),
                                    barcode=repr(barcode), sku=sku)
        category_ids = [str(c).strip() for c in product.category_remote_ids if str(c).strip()]
        if any(not _DIGITS.match(c) for c in category_ids):
            raise RecordRefused("shop.prestashop.bad_categories",
                                _lt("categories %(categories)s of %(sku)s are not all PrestaShop category ids"),
                                categories=str(category_ids), sku=sku)
        if not category_ids and create:
            category_ids = [str(self.options["root_category"])]
        if category_ids:
            fields["id_category_default"] = category_ids[0]
            fields["associations"] = {"categories": ("category", [{"id": c} for c in category_ids])}
        for name, value in (product.attributes or {}).items():
            if not _FIELD_NAME.match(str(name)) or name in ("id", "associations"):
                raise RecordRefused("shop.prestashop.bad_field",
                                    _lt("%(field)s is not a PrestaShop product field name"),
                                    field=repr(name))
            fields[name] = value
        if create:
            fields.update({
                "link_rewrite": I18n(_slug(product.name)),
                "state": "1",  # not a draft
                "visibility": self.options["visibility"],
                "available_for_order": "1",
                "show_price": "1",
                "minimal_quantity": "1",
            })
        return fields

    def push_products(self, products):
        results, created = [], {}
        for batch in chunks(products, self.max_batch):
            by_id, by_sku, unsearchable = self._product_lookup(batch)
            for product in batch:
                results.append(self._push_product(product, by_id, by_sku, unsearchable, created))
        return results

    def _push_product(self, product, by_id, by_sku, unsearchable, created):
        sku = (product.sku or "").strip()
        if not sku:
            return model.Result(key=product.sku or product.name, error=RecordRefused(
                "shop.prestashop.no_sku", _lt("a product needs a SKU (PrestaShop reference)")))
        rid = ""
        try:
            remote = self._match_product(product, by_id, by_sku, unsearchable, created)
            if remote is not None:
                rid = str(remote["id"])
                changes = self._changes(remote, self._product_fields(product, create=False))
                try:
                    if changes:
                        self._write("PATCH", "products", "product", {"id": rid, **changes}, rid,
                                    what=Phrase(_lt("updating product %(sku)s"), sku=sku))
                except RecordRefused as exc:
                    if exc.status != 404:  # 404: the product was deleted meanwhile: create it again
                        raise
                    remote = None
                if remote is not None:
                    return model.Result(key=sku, remote_id=rid, error=self._push_images(rid, product, remote))
            record = self._write("POST", "products", "product", self._product_fields(product, create=True),
                                 what=Phrase(_lt("creating product %(sku)s"), sku=sku))
            rid = str(record["id"])
            created[sku.casefold()] = record
            return model.Result(key=sku, remote_id=rid, created=True, error=self._push_images(rid, product, record))
        except RecordRefused as exc:
            return model.Result(key=sku, remote_id=rid, error=exc)

    def _push_images(self, rid, product, remote):
        """Upload the product's images when the shop's product has none (returns the shop's refusal or "")."""
        images = [i for i in product.images or [] if i.data]
        if not images or not self.options.get("sync_images") or assoc_ids(remote, "images"):
            return ""
        try:
            for image in images:
                # the image answer is not needed (and is XML whatever output_format says)
                self._send("POST", f"images/products/{rid}", None, json_out=False,
                           what=Phrase(_lt("uploading image %(image)s of %(sku)s"), image=image.filename,
                                       sku=product.sku),
                           files={"image": (image.filename, image.data, image.mimetype or "image/png")})
        except RecordRefused as exc:
            return exc  # says which image ("uploading image ... of ...")
        return ""

    # ------------------------------------------------------------------ stock and prices
    def _resolve_products(self, items):
        by_id, by_sku, unsearchable = self._product_lookup(items)
        resolved = []
        for item in items:
            try:
                product = self._match_product(item, by_id, by_sku, unsearchable)
                error = "" if product else RecordRefused(
                    "shop.prestashop.no_product", _lt("PrestaShop has no product with reference %(sku)s"),
                    sku=repr(item.sku))
            except RecordRefused as exc:
                product, error = None, exc
            resolved.append((item, product, error))
        return resolved

    def push_stock(self, levels):
        results = []
        for batch in chunks(levels, self.max_batch):
            resolved = self._resolve_products(batch)
            pids = [str(p["id"]) for _i, p, _e in resolved if p]
            stocks = {}
            for row in self._list_in("stock_availables", "id_product", pids, extra={"id_product_attribute": "[0]"}):
                pid = str(row.get("id_product"))
                if pid not in stocks or str(row.get("id_shop")) == self.shop:
                    stocks[pid] = row
            for level, product, error in resolved:
                results.append(self._push_level(level, product, error, stocks))
        return results

    def _push_level(self, level, product, error, stocks):
        if error:
            return model.Result(key=level.sku, error=error)
        pid = str(product["id"])
        try:
            stock = stocks.get(pid)
            if stock is None:
                raise RecordRefused("shop.prestashop.no_stock",
                                    _lt("PrestaShop has no stock record for product %(sku)s (%(product)s)"),
                                    sku=level.sku, product=pid)
            quantity = int(Decimal(level.quantity or 0).to_integral_value(rounding=ROUND_FLOOR))
            changes = self._changes(stock, {"quantity": str(quantity),
                                            "out_of_stock": "2" if level.manage_stock else "1"})
            if changes:
                sid = str(stock["id"])
                self._write("PATCH", "stock_availables", "stock_available", {"id": sid, **changes}, sid,
                            what=Phrase(_lt("updating the stock of %(sku)s"), sku=level.sku))
            if level.restock_date and quantity <= 0:
                restock = level.restock_date
                when = restock.isoformat() if isinstance(restock, date) else str(restock)
                if str(product.get("available_date") or "")[:10] != when[:10]:
                    self._write("PATCH", "products", "product", {"id": pid, "available_date": when[:10]}, pid,
                                what=Phrase(_lt("setting the restock date of %(sku)s"), sku=level.sku))
            return model.Result(key=level.sku, remote_id=pid)
        except RecordRefused as exc:
            return model.Result(key=level.sku, remote_id=pid, error=exc)

    def push_prices(self, prices):
        results = []
        for batch in chunks(prices, self.max_batch):
            resolved = self._resolve_products(batch)
            pids = [str(p["id"]) for _i, p, _e in resolved if p]
            generic = {}
            for row in self._list_in("specific_prices", "id_product", pids,
                                     extra={"id_cart": "[0]", "id_customer": "[0]", "id_group": "[0]"}):
                if self._is_generic(row):
                    generic.setdefault(str(row.get("id_product")), []).append(row)
            for price, product, error in resolved:
                results.append(self._push_price(price, product, error, generic))
        return results

    def _is_generic(self, row):
        zero = ("id_cart", "id_customer", "id_group", "id_country", "id_currency", "id_product_attribute",
                "id_specific_price_rule")
        return (all(str(row.get(f) or "0") == "0" for f in zero)
                and str(row.get("from_quantity") or "1") == "1"
                and str(row.get("id_shop") or "0") in ("0", self.shop)
                and str(row.get("from") or "").strip() in ZERO_DATES
                and str(row.get("to") or "").strip() in ZERO_DATES)

    def _push_price(self, price, product, error, generic):
        if error:
            return model.Result(key=price.sku, error=error)
        pid = str(product["id"])
        try:
            base = _dec6(price.price)
            if base < 0:
                raise RecordRefused("shop.prestashop.negative_price",
                                    _lt("the price of %(sku)s is negative"), sku=price.sku)
            if self._changes(product, {"price": base}):
                self._write("PATCH", "products", "product", {"id": pid, "price": base}, pid,
                            what=Phrase(_lt("updating the price of %(sku)s"), sku=price.sku))
            existing = sorted(generic.get(pid, []), key=lambda r: int(r["id"]))
            sale = None if price.sale_price is None else _dec6(price.sale_price)
            if sale is not None and 0 <= sale < base:
                wanted = {"price": _dec6(-1), "reduction": base - sale, "reduction_type": "amount",
                          "reduction_tax": "0"}
                if existing:
                    keep, existing = existing[0], existing[1:]
                    changes = self._changes(keep, wanted)
                    if changes:
                        sid = str(keep["id"])
                        self._write("PATCH", "specific_prices", "specific_price", {"id": sid, **changes}, sid,
                                    what=Phrase(_lt("updating the sale price of %(sku)s"), sku=price.sku))
                else:
                    self._write("POST", "specific_prices", "specific_price", {
                        "id_shop": self.shop or "0", "id_cart": "0", "id_product": pid, "id_product_attribute": "0",
                        "id_currency": "0", "id_country": "0", "id_group": "0", "id_customer": "0",
                        "from_quantity": "1", "from": "0000-00-00 00:00:00", "to": "0000-00-00 00:00:00", **wanted,
                    }, what=Phrase(_lt("creating the sale price of %(sku)s"), sku=price.sku))
            for row in existing:
                self._send("DELETE", "specific_prices", "specific_price", str(row["id"]),
                           what=Phrase(_lt("removing the sale price of %(sku)s"), sku=price.sku))
            return model.Result(key=price.sku, remote_id=pid)
        except RecordRefused as exc:
            return model.Result(key=price.sku, remote_id=pid, error=exc)

