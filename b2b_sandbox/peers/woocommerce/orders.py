"""Orders of the sandbox WooCommerce (``/wc/v3/orders``, notes, the Shipment Tracking extension)."""

import copy
import hashlib
from datetime import timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from ..server import Response
from ..shop import CENT as _CENT
from ..shop import decimal as _d
from ..shop import money_text as _money
from .store import WooCommerceStore, WooError, _parse_rest_date, _wp_date

ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                  "checkout-draft")
PAID_STATUSES = ("processing", "completed")
TRACKING_PROVIDERS = {
    "DHL": "https://www.dhl.com/en/express/tracking.html?AWB=%1$s",
    "DPD": "https://tracking.dpd.de/parcelstatus?query=%1$s",
    "PostNL": "https://postnl.nl/tracktrace/?B=%1$s&P=%2$s&D=%3$s",
    "UPS": "https://www.ups.com/track?tracknum=%1$s",
    "FedEx": "https://www.fedex.com/apps/fedextrack/?tracknumbers=%1$s",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s",
}


class WooCommerceOrders(WooCommerceStore):
    """Seeding and the REST resources of orders, their notes and their shipment trackings."""

    def add_order(self, order_id=None, status="processing", items=(), shipping_lines=(), fees=(), coupons=(),
                  gift_cards=(), tax_rate="21", prices_include_tax=False, customer_id=0, billing=None,
                  shipping=None, payment_method="stripe", payment_method_title="Credit card (Stripe)",
                  transaction_id="", paid=None, created=None, modified=None, customer_note="", meta_data=(),
                  currency=None, number=None):
        """Seed an order. ``items``: dicts with sku, quantity, price (net unit price), optional name,
        product_id, discount (net line discount, e.g. from a coupon); ``shipping_lines``: method_title,
        method_id, total (net); ``fees``: name, total (net; negative for gift cards / discounts, untaxed
        then); ``coupons``: code, optional discount (default: the item discounts); ``gift_cards``
        (WooCommerce Gift Cards): code, amount. ``created`` / ``modified``: naive UTC. Taxes at
        ``tax_rate`` percent, totals computed as WooCommerce does (rounded per line)."""
        with self.lock:
            oid = order_id or self._new_id()
            rate = _d(tax_rate)
            rate_id = 1

            def tax(amount):
                return (amount * rate / 100).quantize(_CENT, ROUND_HALF_UP)

            def taxes(total, subtotal=None):
                if not rate or total == 0 and not subtotal:
                    return []
                entry = {"id": rate_id, "total": _money(tax(total))}
                if subtotal is not None:
                    entry["subtotal"] = _money(tax(subtotal))
                return [entry]

            line_items = []
            cart_tax = discount_total = discount_tax = items_total = Decimal(0)
            for n, item in enumerate(items):
                quantity = _d(item.get("quantity", 1))
                price = _d(item["price"])
                subtotal = (quantity * price).quantize(_CENT, ROUND_HALF_UP)
                discount = _d(item.get("discount", 0))
                total = subtotal - discount
                product = self._by_sku(item.get("sku"))
                line_items.append({
                    "id": oid * 100 + n + 1, "name": item.get("name") or (product or {}).get("name") or item.get("sku"),
                    "product_id": item.get("product_id") or (product or {}).get("id") or 0, "variation_id": 0,
                    "quantity": int(quantity) if quantity == quantity.to_integral_value() else float(quantity),
                    "tax_class": "", "subtotal": _money(subtotal), "subtotal_tax": _money(tax(subtotal)),
                    "total": _money(total), "total_tax": _money(tax(total)),
                    "taxes": taxes(total, subtotal), "meta_data": [], "sku": item.get("sku") or "",
                    "price": float(total / quantity) if quantity else 0.0, "image": {"id": "", "src": ""},
                    "parent_name": None,
                })
                cart_tax += tax(total)
                discount_total += discount
                discount_tax += tax(subtotal) - tax(total)
                items_total += total
            ship_lines, shipping_total, shipping_tax = [], Decimal(0), Decimal(0)
            for n, line in enumerate(shipping_lines):
                total = _d(line.get("total"))
                ship_lines.append({
                    "id": oid * 100 + 50 + n, "method_title": line.get("method_title", "Flat rate"),
                    "method_id": line.get("method_id", "flat_rate"), "instance_id": str(line.get("instance_id", 1)),
                    "total": _money(total), "total_tax": _money(tax(total)), "taxes": taxes(total), "meta_data": [],
                })
                shipping_total += total
                shipping_tax += tax(total)
            fee_lines, fees_total = [], Decimal(0)
            for n, fee in enumerate(fees):
                total = _d(fee.get("total"))
                taxable = total > 0 and fee.get("taxable", True)
                fee_tax = tax(total) if taxable else Decimal(0)
                fee_lines.append({
                    "id": oid * 100 + 70 + n, "name": fee["name"], "tax_class": "",
                    "tax_status": "taxable" if taxable else "none", "amount": _money(total), "total": _money(total),
                    "total_tax": _money(fee_tax), "taxes": taxes(total) if taxable else [], "meta_data": [],
                })
                fees_total += total
                cart_tax += fee_tax
            coupon_lines = []
            for n, coupon in enumerate(coupons):
                discount = _d(coupon["discount"]) if "discount" in coupon else discount_total
                coupon_lines.append({
                    "id": oid * 100 + 80 + n, "code": coupon["code"], "discount": _money(discount),
                    "discount_tax": _money(tax(discount)), "meta_data": [],
                })
            cards = [{"id": n + 1, "code": c["code"], "amount": float(_d(c["amount"]))}
                     for n, c in enumerate(gift_cards)]
            cards_total = sum((_d(c["amount"]) for c in gift_cards), Decimal(0))
            total_tax = cart_tax + shipping_tax
            total = items_total + shipping_total + fees_total + total_tax - cards_total
            created = created or self.now()
            modified = modified or created
            paid = status in PAID_STATUSES if paid is None else paid
            default_address = {"first_name": "Anna", "last_name": "de Vries", "company": "De Vries Interieur BV",
                               "address_1": "Keizersgracht 100", "address_2": "", "city": "Amsterdam",
                               "state": "NH", "postcode": "1015 AA", "country": "NL"}
            bill = dict(default_address, email="anna@devries-interieur.example", phone="+31 20 123 4567")
            bill.update(billing or {})
            ship = dict(default_address, phone="")
            ship.update(shipping or {})
            order = {
                "id": oid, "parent_id": 0, "number": str(number or oid), "order_key": f"wc_order_{oid:08d}",
                "created_via": "checkout", "version": "9.4.0", "status": status,
                "currency": currency or self.currency,
                "currency_symbol": "€" if (currency or self.currency) == "EUR" else "",
                "discount_total": _money(discount_total), "discount_tax": _money(discount_tax),
                "shipping_total": _money(shipping_total), "shipping_tax": _money(shipping_tax),
                "cart_tax": _money(cart_tax), "total": _money(total), "total_tax": _money(total_tax),
                "prices_include_tax": bool(prices_include_tax), "customer_id": int(customer_id or 0),
                "customer_ip_address": "203.0.113.7", "customer_user_agent": "Mozilla/5.0",
                "customer_note": customer_note, "billing": bill, "shipping": ship,
                "payment_method": payment_method, "payment_method_title": payment_method_title,
                "transaction_id": transaction_id if paid else "", "cart_hash": "",
                "meta_data": [], "line_items": line_items,
                "tax_lines": [{"id": oid * 100 + 90, "rate_code": f"NL-VAT-{rate_id}", "rate_id": rate_id,
                               "label": "VAT", "compound": False, "tax_total": _money(cart_tax),
                               "shipping_tax_total": _money(shipping_tax), "rate_percent": float(rate),
                               "meta_data": []}] if rate else [],
                "shipping_lines": ship_lines, "fee_lines": fee_lines, "coupon_lines": coupon_lines,
                "refunds": [], "payment_url": f"{self.url}/checkout/order-pay/{oid}/",
                "is_editable": status in ("pending", "on-hold", "checkout-draft"),
                "needs_payment": status == "pending", "needs_processing": True,
                "date_completed": None, "date_completed_gmt": None, "date_paid": None, "date_paid_gmt": None,
            }
            if cards:
                order["gift_cards"] = cards
            self._stamp(order, "date_created", created)
            self._stamp(order, "date_modified", modified)
            if paid:
                self._stamp(order, "date_paid", created + timedelta(minutes=1))
            if status == "completed":
                self._stamp(order, "date_completed", modified)
            self._apply_meta(order, list(meta_data))
            self.orders[oid] = order
            return order


    # ------------------------------------------------------------------ inspection helpers
    def order(self, order_id):
        return self.orders[int(order_id)]

    @property
    def attached_invoices(self):
        """{order id: {"number", "url"}} for orders with the invoice meta the adapter writes."""
        return {oid: {"number": self.meta(o, "_b2b_invoice_number"), "url": self.meta(o, "_b2b_invoice_url")}
                for oid, o in self.orders.items() if self.meta(o, "_b2b_invoice_number")}

    # ------------------------------------------------------------------ orders
    def _get_order(self, ident, status=404):
        order = self.orders.get(ident)
        if not order:
            raise WooError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", status)
        return order

    def _r_orders_collection(self, request, body, _ident):
        if request.method == "POST":
            raise WooError("woocommerce_rest_cannot_create", "Creating orders is not part of this sandbox.", 501)
        items = list(self.orders.values())
        status = request.query.get("status", "any")
        wanted = {s.strip() for s in status.split(",") if s.strip()}
        unknown = wanted - set(ORDER_STATUSES) - {"any", "trash"}
        if unknown:
            raise WooError("rest_invalid_param", "Invalid parameter(s): status", 400, params={
                "status": f"status[0] is not one of {', '.join(('any',) + ORDER_STATUSES + ('trash',))}."})
        if "any" not in wanted:
            items = [o for o in items if o["status"] in wanted]
        else:
            items = [o for o in items if o["status"] not in ("trash", "checkout-draft")]
        gmt = str(request.query.get("dates_are_gmt", "")).lower() in ("1", "true")
        for param, field, after in (("after", "date_created", True), ("before", "date_created", False),
                                    ("modified_after", "date_modified", True),
                                    ("modified_before", "date_modified", False)):
            raw = request.query.get(param)
            if not raw:
                continue
            when = _parse_rest_date(raw)
            if when is None:
                raise WooError("rest_invalid_param", f"Invalid parameter(s): {param}", 400,
                               params={param: "Invalid date."})
            if when.tzinfo is not None:  # an explicit zone: compare in UTC
                when = when.astimezone(timezone.utc).replace(tzinfo=None)
                key = f"{field}_gmt"
            else:
                key = f"{field}_gmt" if gmt else field
            bound = _wp_date(when)
            items = [o for o in items if (o[key] > bound if after else o[key] < bound)]
        if request.query.get("customer"):
            items = [o for o in items if str(o["customer_id"]) == request.query["customer"]]
        include = self._id_list(request, "include")
        if include is not None:
            items = [o for o in items if o["id"] in include]
        items = self._order_by(request, items, ("date", "id", "include", "title", "slug", "modified"))
        return self._page(request, items)

    def _r_orders_item(self, request, body, ident):
        if request.method == "GET":
            return Response.json(self._get_order(ident))
        if request.method == "DELETE":
            raise WooError("woocommerce_rest_trash_not_supported", "Orders are not deleted in this sandbox.", 501)
        order = self._get_order(ident, status=400)
        staged = copy.deepcopy(order)
        if "status" in body:
            status = body["status"]
            if status not in ORDER_STATUSES:
                raise WooError("rest_invalid_param", "Invalid parameter(s): status", 400, params={
                    "status": f"status is not one of {', '.join(ORDER_STATUSES)}."})
            if status != order["status"]:
                now = self.now()
                staged["status"] = status
                if status in PAID_STATUSES and not staged["date_paid_gmt"]:
                    self._stamp(staged, "date_paid", now)
                if status == "completed":
                    self._stamp(staged, "date_completed", now)
                self.status_changes.append((ident, order["status"], status))
                self.notes[ident].append(self._note(
                    f"Order status changed from {order['status'].replace('-', ' ').title()} to "
                    f"{status.replace('-', ' ').title()}.", False, system=True))
        for key in ("customer_note", "transaction_id", "payment_method", "payment_method_title"):
            if key in body:
                staged[key] = body[key] or ""
        for key in ("billing", "shipping"):
            if isinstance(body.get(key), dict):
                staged[key].update({k: v for k, v in body[key].items() if k in staged[key]})
        self._apply_meta(staged, body.get("meta_data"))
        self._stamp(staged, "date_modified")
        self.orders[ident] = staged
        return Response.json(staged)

    def _note(self, text, customer_note, system=False):
        note = {"id": self._new_id(), "author": "system" if system else "WooCommerce", "note": text,
                "customer_note": bool(customer_note)}
        self._stamp(note, "date_created")
        return note

    def _r_notes_collection(self, request, body, ident):
        self._get_order(ident)
        if request.method == "GET":
            kind = request.query.get("type", "any")
            notes = list(reversed(self.notes[ident]))
            if kind == "customer":
                notes = [n for n in notes if n["customer_note"]]
            elif kind == "internal":
                notes = [n for n in notes if not n["customer_note"]]
            return Response.json(notes)
        text = body.get("note")
        if not text:
            raise WooError("rest_missing_callback_param", "Missing parameter(s): note", 400, params=["note"])
        note = self._note(text, body.get("customer_note"))
        self.notes[ident].append(note)
        return Response.json(note, status=201, headers={
            "Location": f"{self.url}/wp-json/wc/v3/orders/{ident}/notes/{note['id']}"})

    def _r_trackings_collection(self, request, body, ident):
        order = self._get_order(ident)
        if request.method == "GET":
            return Response.json(self.shipments[ident])
        number = (body.get("tracking_number") or "").strip()
        if not number:
            raise WooError("rest_missing_callback_param", "Missing parameter(s): tracking_number", 400,
                           params=["tracking_number"])
        provider = body.get("tracking_provider") or ""
        custom = body.get("custom_tracking_provider") or ""
        if not provider and not custom:
            raise WooError("woocommerce_shipment_tracking_invalid_provider",
                           "Either tracking_provider or custom_tracking_provider is needed.", 400)
        link_format = body.get("custom_tracking_link") if custom else TRACKING_PROVIDERS.get(provider, "")
        link = (link_format or "").replace("%1$s", number).replace(
            "%2$s", (order["shipping"].get("postcode") or "").replace(" ", "")).replace(
            "%3$s", order["shipping"].get("country") or "")
        item = {
            "tracking_id": hashlib.md5(f"{ident}-{number}-{len(self.shipments[ident])}".encode()).hexdigest(),
            "tracking_provider": provider, "custom_tracking_provider": custom,
            "custom_tracking_link": body.get("custom_tracking_link") or "", "tracking_number": number,
            "tracking_link": link, "date_shipped": body.get("date_shipped") or self.now().date().isoformat(),
        }
        self.shipments[ident].append(item)
        return Response.json(item, status=201)

