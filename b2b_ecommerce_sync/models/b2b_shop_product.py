"""Products on a shop: the catalogue, prices and stock that leave Odoo, only when they changed since last sent."""

import base64
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, html2plaintext

from ..protocol import model as shop
from ..tools import decimal, result_error

# the image types a shop gets by name (others go as PNG, as they always did)
IMAGE_MIMETYPES = {"image/png": ("image/png", "png"), "image/jpeg": ("image/jpeg", "jpg"),
                   "image/gif": ("image/gif", "gif"), "image/webp": ("image/webp", "webp")}


class B2bShopProduct(models.Model):
    """A product sold on a shop: its shop id and what was last sent (for deltas)."""

    _name = "b2b.shop.product"
    _inherit = ["b2b.shop.binding"]
    _description = "Product on a Shop"
    _order = "backend_id, id"
    _rec_name = "product_id"
    _shop_record_field = "product_id"
    _shop_kind = "shop.product"

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    default_code = fields.Char(related="product_id.default_code", string="SKU")
    active = fields.Boolean(default=True)
    sync_hash = fields.Char(help="Fingerprint of the product data last sent")
    price_sent = fields.Float(readonly=True, copy=False, digits="Product Price")
    sale_price_sent = fields.Float(readonly=True, copy=False, digits="Product Price")
    stock_sent = fields.Float(readonly=True, copy=False, digits="Product Unit")
    stock_sent_set = fields.Boolean(readonly=True, copy=False)
    restock_sent = fields.Date(readonly=True, copy=False)

    # the attachment of the product's image (its variant's, else its template's): its checksum goes into the
    # product's fingerprint, so a catalogue delta never loads image data; the data is read for what is sent
    image_checksum = fields.Char(compute="_compute_image_attachment")
    image_mimetype = fields.Char(compute="_compute_image_attachment")

    _product_unique = models.Constraint("UNIQUE(backend_id, product_id)", "A product is bound once per shop.")

    @api.depends("product_id.image_variant_1920", "product_id.product_tmpl_id.image_1920")
    def _compute_image_attachment(self):
        Attachment = self.env["ir.attachment"].sudo()
        products = self.product_id

        def attachments(model, field, ids):
            found = Attachment.search_fetch([("res_model", "=", model), ("res_field", "=", field),
                                             ("res_id", "in", ids)], ["res_id", "checksum", "mimetype"])
            return {att.res_id: att for att in found}

        variants = attachments("product.product", "image_variant_1920", products.ids)
        templates = attachments("product.template", "image_1920", products.product_tmpl_id.ids)
        for rec in self:
            att = variants.get(rec.product_id.id) or templates.get(rec.product_id.product_tmpl_id.id)
            rec.image_checksum = att.checksum if att else False
            rec.image_mimetype = att.mimetype if att else False

    # ------------------------------------------------------------------ the catalogue
    def _shop_images(self):
        """The product's image as the shop gets it, without its data (see :meth:`_shop_send`)."""
        product = self.product_id
        if not self.image_checksum:
            return []
        mimetype, ext = IMAGE_MIMETYPES.get(self.image_mimetype, ("image/png", "png"))
        base = self.backend_id.get_base_url()
        return [shop.Image(filename=f"{product.default_code}.{ext}", mimetype=mimetype,
                           url=f"{base}/web/image/product.product/{product.id}/image_1920",
                           checksum=self.image_checksum)]

    def _shop_custom_fields(self):
        product = self.product_id.with_context(lang=self.backend_id.shop_lang or "en_US")
        values = {}
        for fmap in self.backend_id.field_map_ids:
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
                value = dict(field._description_selection(product.env)).get(value, value) if value else ""
            elif field.type == "date":
                value = value.isoformat() if value else ""
            elif value is False and field.type != "boolean":
                value = ""
            values[fmap.remote_key] = value
        return values

    def _shop_data(self):
        self.ensure_one()
        if not self.active and not self.remote_id:
            return None  # never sent, no longer wanted
        backend, product = self.backend_id, self.product_id
        if not product.default_code:
            raise UserError(self.env._("%(product)s has no internal reference (the shop's SKU).",
                                       product=product.display_name))
        # in the shop's language, whoever runs the flow: its fingerprint does not change with the user
        product = product.with_context(lang=backend.shop_lang or "en_US")
        description = getattr(product, "description_ecommerce", False) or ""
        taxes = product.taxes_id.filtered(lambda t: t.company_id == backend.company_id)
        tax_class = next((m.remote_tax_class for m in backend.tax_map_ids if m.tax_id in taxes), "")
        categories = backend.category_map_ids.filtered(lambda r: r.category_id == product.categ_id and r.remote_id)
        return shop.Product(
            sku=product.default_code,
            name=product.name,
            remote_id=self.remote_id or "",
            price=decimal(product.lst_price),  # a pricelist's sale price goes with the prices flow
            description=str(description),
            short_description=html2plaintext(product.description_sale or "") if product.description_sale else "",
            barcode=product.barcode or "",
            weight=decimal(product.weight, 3) if product.weight else None,
            unit=product.uom_id.name or "",
            tax_class=tax_class,
            category_remote_ids=categories.mapped("remote_id"),
            images=self._shop_images(),
            active=bool(self.active and product.active and product.sale_ok),
            attributes=self._shop_custom_fields(),
        )

    def _shop_key(self, data):
        return data.sku

    def _shop_fingerprint_ignores(self):
        return ("price",)  # sent again by the prices flow when it changes

    def _shop_send(self, adapter, datas):
        for binding, data in zip(self, datas, strict=False):  # the image data of what is sent only
            for image in data.images:
                if not image.data and binding.product_id.image_1920:
                    image.data = base64.b64decode(binding.product_id.image_1920)
        return adapter.push_products(datas)

    def _shop_sent_values(self, data):
        return {"price_sent": float(data.price)}

    # ------------------------------------------------------------------ prices and stock
    def _shop_prices(self):
        """{product id: (regular price, sale price or None)} of these bindings' products on their shop, the
        pricelist computed once for all."""
        backend, products = self.backend_id, self.product_id
        discounted = backend.pricelist_id._get_products_price(products, 1.0) if backend.pricelist_id else {}
        prices = {}
        for product in products:
            regular = product.lst_price
            price = discounted.get(product.id, regular)
            sale = price if float_compare(price, regular, precision_digits=2) < 0 else None
            prices[product.id] = (decimal(regular), decimal(sale) if sale is not None else None)
        return prices

    def _shop_send_prices(self, run):
        """The prices flow: the prices that changed since they were last sent."""
        todo = []
        prices = self._shop_prices()
        for binding in self:
            regular, sale = prices[binding.product_id.id]
            sale_sent = binding.sale_price_sent or None
            if (float_compare(float(regular), binding.price_sent, precision_digits=2) == 0
                    and (sale is None) == (sale_sent is None)
                    and (sale is None or float_compare(float(sale), sale_sent, precision_digits=2) == 0)):
                continue
            todo.append((binding, shop.Price(sku=binding.default_code or "", price=regular,
                                             remote_id=binding.remote_id, sale_price=sale)))
        return self._shop_send_changes(
            run, "shop.price", self.env._("Prices"), todo,
            push=lambda adapter, prices: adapter.push_prices(prices),
            sent=lambda price: {"price_sent": float(price.price), "sale_price_sent":
                                float(price.sale_price) if price.sale_price is not None else 0.0},
            describe=lambda price: self.env._("price %(price)s", price=price.price) + (
                self.env._(", sale price %(price)s", price=price.sale_price) if price.sale_price is not None else ""))

    def _shop_restock_dates(self, products):
        """{product id: date of the next incoming receipt into the shop's warehouse}."""
        if not products:
            return {}
        location = self.backend_id.warehouse_id.view_location_id
        groups = self.env["stock.move"].sudo()._read_group(
            [("product_id", "in", products.ids), ("state", "not in", ("draft", "done", "cancel")),
             ("location_dest_id", "child_of", location.id), ("location_id.usage", "not in", ("internal", "transit")),
             ("date", ">=", fields.Datetime.now().replace(hour=0, minute=0, second=0))],
            ["product_id"], ["date:min"])
        return {product.id: date.date() for product, date in groups if date}

    def _shop_quantities(self, products):
        """{product id: quantity of the shop's stock mode in its warehouse}: Odoo's own computation of the
        quantities (``_compute_quantities_dict``: one read_group on quants and two on moves for all products),
        without putting five computed fields of every product in the cache."""
        backend = self.backend_id
        products = products.with_context(warehouse_id=backend.warehouse_id.id)
        ctx = products.env.context
        quantities = products._compute_quantities_dict(ctx.get("lot_id"), ctx.get("owner_id"), ctx.get("package_id"),
                                                       ctx.get("from_date"), ctx.get("to_date"))
        return {pid: values[backend.stock_mode] for pid, values in quantities.items()}

    def _shop_stock_rows(self):
        """(binding id, product id, shop id, SKU, stock tracked, stock sent, sent at all, restock date sent) of
        these bindings, in one query (reading 10,000 bindings and products through the ORM costs more than
        the stock itself)."""
        self.flush_recordset(["product_id", "remote_id", "stock_sent", "stock_sent_set", "restock_sent"])
        self.env["product.product"].flush_model(["default_code", "product_tmpl_id"])
        self.env["product.template"].flush_model(["is_storable"])
        self.env.cr.execute(SQL(
            """SELECT b.id, b.product_id, b.remote_id, p.default_code, t.is_storable, b.stock_sent,
                      b.stock_sent_set, b.restock_sent
                 FROM b2b_shop_product b
                 JOIN product_product p ON p.id = b.product_id
                 JOIN product_template t ON t.id = p.product_tmpl_id
                WHERE b.id = ANY(%s)
             ORDER BY b.backend_id, b.id""", list(self.ids)))
        return self.env.cr.fetchall()

    def _shop_stock_levels(self, changed_only=False):
        """{binding: StockLevel} of these bindings (of one shop; quantities computed in one go). ``changed_only``:
        only those whose quantity or restock date differs from what was sent last."""
        if not self:
            return {}
        backend = self.backend_id
        rows = self._shop_stock_rows()
        products = self.env["product.product"].browse([row[1] for row in rows])
        quantities = self._shop_quantities(products)
        out_of_stock = products.browse([pid for pid in products.ids if quantities.get(pid, 0.0) <= 0])
        restock = self._shop_restock_dates(out_of_stock) if backend.send_restock_date else {}
        levels = {}
        # one prefetch set for all: a binding browsed alone would read its product (and that its name) alone
        bindings = self.browse([row[0] for row in rows])
        for bid, pid, remote_id, sku, storable, sent, sent_set, restock_sent in rows:
            qty = max(quantities.get(pid, 0.0), 0.0)
            quantity = decimal(qty, 3).normalize() if qty else Decimal(0)
            restock_date = restock.get(pid) if qty <= 0 else None
            if changed_only and sent_set and float_compare(float(quantity), sent or 0.0, precision_digits=3) == 0 \
                    and (restock_sent or None) == restock_date:
                continue
            levels[self.browse(bid).with_prefetch(bindings._prefetch_ids)] = shop.StockLevel(
                sku=sku or "", quantity=quantity, remote_id=remote_id or "", restock_date=restock_date,
                manage_stock=bool(storable))
        return levels

    def _shop_send_stock(self, run):
        """The stock flow: the quantities (and restock dates) that changed since they were last sent."""
        todo = list(self._shop_stock_levels(changed_only=True).items())
        return self._shop_send_changes(
            run, "shop.stock.level", self.env._("Stock"), todo,
            push=lambda adapter, levels: adapter.push_stock(levels),
            sent=lambda level: {"stock_sent": float(level.quantity), "stock_sent_set": True,
                                "restock_sent": level.restock_date or False},
            describe=lambda level: f"{level.quantity}" + (
                self.env._(", back on %(date)s", date=level.restock_date) if level.restock_date else ""))

    def _shop_send_changes(self, run, kind, label, todo, push, sent, describe):
        """Send the changed records ``todo`` ([(binding, Price/StockLevel)]) of these bindings with
        ``push(adapter, records)``, write ``sent(record)`` on each binding the shop took, log one child exchange
        per record; the summary of the run."""
        backend = run.backend_ref
        if not todo:
            return self.env._("%(what)s: nothing changed (%(n)s products).", what=label, n=len(self))
        adapter = backend._shop_adapter(run)
        results = push(adapter, [record for _b, record in todo])
        by_sku = {record.sku: (binding, record) for binding, record in todo}
        ok = self._shop_apply_results(results, by_sku, synced=False, sent_values=sent)
        backend._shop_log_children(
            run, kind, results, {record.sku: binding.product_id for binding, record in todo},
            lambda res, rec: self.env._("%(name)s: %(what)s", name=rec.display_name if rec else res.key,
                                        what=describe(by_sku[res.key][1]) if res.ok else result_error(self.env, res)))
        run._b2b_progress(len(results), len(results))
        return backend._shop_with_warnings(self.env._(
            "%(what)s: %(ok)s sent, %(failed)s failed, %(same)s unchanged.", what=label, ok=ok,
            failed=len(results) - ok, same=len(self) - len(todo)), adapter)
