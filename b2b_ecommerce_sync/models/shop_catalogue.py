"""Catalogue, prices and stock: what leaves Odoo for the shop, only when it changed since the last run."""

import base64
import hashlib
import logging
from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round, html2plaintext

from ..protocol import model as shop
from ..protocol import serialize

_logger = logging.getLogger(__name__)

IMAGE_TYPES = {b"\x89PNG": ("image/png", "png"), b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"GIF8": ("image/gif", "gif"),
               b"RIFF": ("image/webp", "webp")}


def _fingerprint(obj, *ignored):
    """What was sent, as a hash for deltas; the shop id (and ``ignored`` fields) left out."""
    data = serialize.to_dict(obj)
    for name in ("remote_id",) + ignored:
        data[name] = ""
    return hashlib.sha1(serialize.dumps(data).encode()).hexdigest()


def _dec(value, digits=2):
    return Decimal(str(float_round(value or 0.0, precision_digits=digits)))


class B2bShopBackend(models.Model):
    _inherit = "b2b.shop.backend"
    _b2b_processors = ("_b2b_run_catalogue", "_b2b_run_prices", "_b2b_run_stock")

    # ------------------------------------------------------------------ categories
    def _shop_category_data(self):
        """[(map row, Category)] for the rows to send, parents first."""
        self.ensure_one()
        rows = self.category_map_ids.filtered("push").sorted(lambda r: r.category_id.parent_path or "")
        mapped = {row.category_id.id: row for row in self.category_map_ids}
        data = []
        for row in rows:
            categ = row.category_id
            parent = mapped.get(categ.parent_id.id) if categ.parent_id else None
            data.append((row, shop.Category(
                key=f"product.category:{categ.id}", name=row.remote_name or categ.name,
                parent_key=f"product.category:{categ.parent_id.id}" if parent else "",
                remote_id=row.remote_id or "")))
        return data

    def _shop_push_categories(self, adapter, run):
        self.ensure_one()
        todo = []
        for row, category in self._shop_category_data():
            digest = _fingerprint(category)
            if row.remote_id and row.sync_hash == digest and row.state == "synced":
                continue
            todo.append((row, category, digest))
        if not todo:
            return 0, 0
        # a parent already in the shop and not in this call: its shop id travels with the child
        keys = {c.key for _r, c, _d in todo}
        remote_ids = {f"product.category:{r.category_id.id}": r.remote_id for r in self.category_map_ids}
        for _row, category, _digest in todo:
            if category.parent_key and category.parent_key not in keys:
                category.parent_remote_id = remote_ids.get(category.parent_key) or ""
                category.parent_key = ""
        results = adapter.push_categories([c for _r, c, _d in todo])
        by_key = {c.key: (row, digest) for row, c, digest in todo}
        ok = failed = 0
        for result in results:
            row, digest = by_key[result.key]
            if result.ok:
                row.write({"remote_id": result.remote_id or row.remote_id, "state": "synced", "last_error": False,
                           "sync_hash": digest})
                ok += 1
            else:  # a record the shop saved with a problem (e.g. an image refused) keeps its shop id
                row.write(dict({"state": "error", "last_error": result.error[:250]},
                                **({"remote_id": result.remote_id} if result.remote_id else {})))
                failed += 1
        self._shop_log_children(run, "shop.category", results, {c.key: r.category_id for r, c, _d in todo},
                                lambda res, rec: f"{rec.display_name if rec else res.key}: "
                                                 f"{'shop id ' + res.remote_id if res.ok else res.error}")
        return ok, failed

    # ------------------------------------------------------------------ products
    def _shop_prices(self, products):
        """{product id: (regular price, sale price or None)} for this shop, the pricelist computed once for all."""
        discounted = self.pricelist_id._get_products_price(products, 1.0) if self.pricelist_id else {}
        prices = {}
        for product in products:
            regular = product.lst_price
            price = discounted.get(product.id, regular)
            sale = price if float_compare(price, regular, precision_digits=2) < 0 else None
            prices[product.id] = (_dec(regular), _dec(sale) if sale is not None else None)
        return prices

    def _shop_images(self, product):
        raw = product.image_1920
        if not raw:
            return []
        data = base64.b64decode(raw)
        mimetype, ext = next(((m, e) for magic, (m, e) in IMAGE_TYPES.items() if data.startswith(magic)),
                             ("image/png", "png"))
        base = self.get_base_url()
        return [shop.Image(filename=f"{product.default_code}.{ext}", data=data, mimetype=mimetype,
                           url=f"{base}/web/image/product.product/{product.id}/image_1920",
                           checksum=hashlib.sha1(data).hexdigest())]

    def _shop_custom_fields(self, product):
        values = {}
        for fmap in self.field_map_ids:
            fname = fmap.field_id.name
            record = product if fmap.field_id.model == "product.product" else product.product_tmpl_id
            if fname not in record._fields:
                continue
            value = record[fname]
            field = record._fields[fname]
            if field.type == "many2one":
                value = value.display_name or ""
            elif field.type == "html":
                value = str(value or "")
            elif field.type == "selection":
                value = dict(field._description_selection(self.env)).get(value, value) if value else ""
            elif field.type == "date":
                value = value.isoformat() if value else ""
            elif value is False and field.type != "boolean":
                value = ""
            values[fmap.remote_key] = value
        return values

    def _shop_product_data(self, binding):
        self.ensure_one()
        product = binding.product_id
        if not product.default_code:
            raise UserError(self.env._("%s has no internal reference (the shop's SKU).", product.display_name))
        regular = _dec(product.lst_price)  # a pricelist's sale price goes with the prices flow
        description = getattr(product, "description_ecommerce", False) or ""
        taxes = product.taxes_id.filtered(lambda t: t.company_id == self.company_id)
        tax_class = next((m.remote_tax_class for m in self.tax_map_ids if m.tax_id in taxes), "")
        categories = self.category_map_ids.filtered(lambda r: r.category_id == product.categ_id and r.remote_id)
        return shop.Product(
            sku=product.default_code,
            name=product.with_context(lang=self.env.user.lang).name,
            remote_id=binding.remote_id or "",
            price=regular,
            description=str(description),
            short_description=html2plaintext(product.description_sale or "") if product.description_sale else "",
            barcode=product.barcode or "",
            weight=_dec(product.weight, 3) if product.weight else None,
            unit=product.uom_id.name or "",
            tax_class=tax_class,
            category_remote_ids=categories.mapped("remote_id"),
            images=self._shop_images(product),
            active=bool(binding.active and product.active and product.sale_ok),
            attributes=self._shop_custom_fields(product),
        )

    def _shop_push_products(self, adapter, run, bindings=None):
        self.ensure_one()
        Binding = self.env["b2b.shop.product"].with_context(active_test=False)
        bindings = bindings if bindings is not None else Binding.search([("backend_id", "=", self.id)])
        todo, problems = [], []
        for binding in bindings:
            if not binding.active and not binding.remote_id:
                continue  # never sent, no longer wanted
            try:
                data = self._shop_product_data(binding)
            except UserError as exc:
                problems.append((binding, str(exc.args[0])))
                continue
            digest = _fingerprint(data, "price")
            if binding.remote_id and binding.sync_hash == digest and binding.state == "synced":
                continue
            todo.append((binding, data, digest))
        results = adapter.push_products([d for _b, d, _h in todo]) if todo else []
        by_sku = {d.sku: (b, d, h) for b, d, h in todo}
        now = fields.Datetime.now()
        ok = failed = created = 0
        for result in results:
            binding, data, digest = by_sku[result.key]
            if result.ok:
                created += not binding.remote_id
                binding.write({"remote_id": result.remote_id or binding.remote_id, "state": "synced",
                               "last_error": False, "sync_hash": digest, "last_sync": now,
                               "price_sent": float(data.price)})
                ok += 1
            else:  # a record the shop saved with a problem (e.g. an image refused) keeps its shop id
                binding.write(dict({"state": "error", "last_error": result.error[:250]},
                                **({"remote_id": result.remote_id} if result.remote_id else {})))
                failed += 1
        for binding, message in problems:
            binding.write({"state": "error", "last_error": message[:250]})
        results = list(results) + [shop.Result(key=f"product:{b.product_id.id}", error=m) for b, m in problems]
        records = {d.sku: b.product_id for b, d, _h in todo}
        records.update({f"product:{b.product_id.id}": b.product_id for b, _m in problems})
        self._shop_log_children(run, "shop.product", results, records,
                                lambda res, rec: f"{rec.display_name if rec else res.key}: "
                                                 f"{('created as ' if res.created else 'updated, id ') + res.remote_id if res.ok else res.error}")
        return ok, failed + len(problems), len(bindings) - len(todo) - len(problems), created

    def _b2b_run_catalogue(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        adapter = backend._shop_adapter(exchange)
        cat_ok, cat_failed = backend._shop_push_categories(adapter, exchange)
        ok, failed, unchanged, created = backend._shop_push_products(adapter, exchange)
        summary = backend.env._(
            "Categories: %(cok)s sent, %(cfail)s failed. Products: %(ok)s sent, %(failed)s failed, "
            "%(same)s unchanged.", cok=cat_ok, cfail=cat_failed, ok=ok, failed=failed, same=unchanged)
        if created:  # products new in the shop get their stock now, not at the next stock run
            stock = backend._shop_queue_run("stock")
            summary += " " + backend.env._("Stock of %(n)s new product(s) queued (%(run)s).",
                                           n=created, run=stock.name)
        return backend._shop_with_warnings(summary, adapter)

    # ------------------------------------------------------------------ prices
    def _b2b_run_prices(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        bindings = backend.env["b2b.shop.product"].search([("backend_id", "=", backend.id), ("remote_id", "!=", False)])
        todo = []
        prices = backend._shop_prices(bindings.product_id)
        for binding in bindings:
            regular, sale = prices[binding.product_id.id]
            sale_sent = binding.sale_price_sent or None
            if (float_compare(float(regular), binding.price_sent, precision_digits=2) == 0
                    and (sale is None) == (sale_sent is None)
                    and (sale is None or float_compare(float(sale), sale_sent, precision_digits=2) == 0)):
                continue
            todo.append((binding, shop.Price(sku=binding.default_code or "", price=regular,
                                             remote_id=binding.remote_id, sale_price=sale)))
        return backend._shop_send_changes(
            exchange, "shop.price", backend.env._("Prices"), len(bindings), todo,
            push=lambda adapter, prices: adapter.push_prices(prices),
            sent=lambda price: {"price_sent": float(price.price), "sale_price_sent":
                                float(price.sale_price) if price.sale_price is not None else 0.0},
            describe=lambda price: f"price {price.price}" + (f", sale price {price.sale_price}"
                                                            if price.sale_price is not None else ""))

    def _shop_send_changes(self, exchange, kind, label, total, todo, push, sent, describe):
        """Send the changed records ``todo`` ([(binding, Price/StockLevel)]) with ``push(adapter, records)``,
        write ``sent(record)`` on each binding the shop took, log one child exchange per record."""
        self.ensure_one()
        if not todo:
            return self.env._("%(what)s: nothing changed (%(n)s products).", what=label, n=total)
        adapter = self._shop_adapter(exchange)
        results = push(adapter, [record for _b, record in todo])
        by_sku = {record.sku: (binding, record) for binding, record in todo}
        ok = 0
        for result in results:
            binding, record = by_sku[result.key]
            if result.ok:
                binding.write(sent(record))
                ok += 1
            else:
                binding.write({"state": "error", "last_error": result.error[:250]})
        self._shop_log_children(
            exchange, kind, results, {record.sku: binding.product_id for binding, record in todo},
            lambda res, rec: f"{rec.display_name if rec else res.key}: "
                             f"{describe(by_sku[res.key][1]) if res.ok else res.error}")
        exchange._b2b_progress(len(results), len(results))
        return self._shop_with_warnings(self.env._(
            "%(what)s: %(ok)s sent, %(failed)s failed, %(same)s unchanged.", what=label, ok=ok,
            failed=len(results) - ok, same=total - len(todo)), adapter)

    # ------------------------------------------------------------------ stock
    def _shop_restock_dates(self, products):
        """{product id: date of the next incoming receipt into this shop's warehouse}."""
        if not products:
            return {}
        location = self.warehouse_id.view_location_id
        groups = self.env["stock.move"].sudo()._read_group(
            [("product_id", "in", products.ids), ("state", "not in", ("draft", "done", "cancel")),
             ("location_dest_id", "child_of", location.id), ("location_id.usage", "not in", ("internal", "transit")),
             ("date", ">=", fields.Datetime.now().replace(hour=0, minute=0, second=0))],
            ["product_id"], ["date:min"])
        return {product.id: date.date() for product, date in groups if date}

    def _shop_stock_levels(self, bindings):
        """{binding: StockLevel} of these bindings (quantities computed in one go)."""
        self.ensure_one()
        products = bindings.product_id.with_context(warehouse_id=self.warehouse_id.id)
        products.invalidate_recordset([self.stock_mode])  # quantities are not cached across stock moves
        quantities = {p["id"]: p[self.stock_mode] for p in products.read([self.stock_mode])}
        out_of_stock = products.filtered(lambda p: quantities.get(p.id, 0.0) <= 0)
        restock = self._shop_restock_dates(out_of_stock) if self.send_restock_date else {}
        levels = {}
        for binding in bindings:
            pid = binding.product_id.id
            qty = max(quantities.get(pid, 0.0), 0.0)
            levels[binding] = shop.StockLevel(
                sku=binding.default_code or "", quantity=_dec(qty, 3).normalize() if qty else Decimal(0),
                remote_id=binding.remote_id or "", restock_date=restock.get(pid) if qty <= 0 else None,
                manage_stock=binding.product_id.is_storable)
        return levels

    def _b2b_run_stock(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        bindings = backend.env["b2b.shop.product"].search([("backend_id", "=", backend.id), ("remote_id", "!=", False)])
        levels = backend._shop_stock_levels(bindings)
        todo = []
        for binding, level in levels.items():
            if (binding.stock_sent_set and float_compare(float(level.quantity), binding.stock_sent, precision_digits=3) == 0
                    and (binding.restock_sent or None) == level.restock_date):
                continue
            todo.append((binding, level))
        return backend._shop_send_changes(
            exchange, "shop.stock.level", backend.env._("Stock"), len(bindings), todo,
            push=lambda adapter, levels: adapter.push_stock(levels),
            sent=lambda level: {"stock_sent": float(level.quantity), "stock_sent_set": True,
                                "restock_sent": level.restock_date or False},
            describe=lambda level: f"{level.quantity}" + (f", back on {level.restock_date}"
                                                          if level.restock_date else ""))
