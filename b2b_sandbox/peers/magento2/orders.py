"""Orders of the sandbox Magento 2: comments, cancellation, shipments and tracks, invoices."""

from decimal import ROUND_HALF_UP, Decimal

from ..shop import decimal as _d
from .store import (
    CENT,
    NOT_FOUND_ORDER,
    PAYMENT_TITLES,
    REQUIRED,
    STATE_STATUSES,
    STATUS_STATE,
    Magento2Store,
    _fmt,
    _money,
    _Refusal,
)


class Magento2Orders(Magento2Store):
    """Seeding and the REST resources of orders, shipments and invoices."""

    def add_order(self, order_id=None, increment_id=None, status="pending", state=None, created_at=None,
                  updated_at=None, items=(), shipping_amount=0, shipping_tax_percent=0, shipping_discount=0,
                  shipping_method="flatrate_flatrate", shipping_description="Flat Rate - Fixed", coupon_code=None,
                  discount_description=None, gift_cards=(), store_credit=0, gift_wrapping=0, paid=None,
                  payment_method="checkmo", transaction_id="", currency="EUR", base_currency=None, rate=1,
                  customer_id=None, email="buyer@example.com", firstname="Jane", lastname="Doe", billing=None,
                  shipping_address=None, store_id=1, is_virtual=False, **extra):
        """A placed order with consistent totals. ``items``: dicts with sku, name, qty, price and optional
        tax_percent, discount (row amount), product_id, configurable (adds the child row Magento stores
        under a configurable parent), bundle_children (list of child item dicts of a dynamic bundle)."""
        with self.lock:
            order_id = self._ids.claim("order", order_id or self._next("order"))
            now = self._now()
            rate = Decimal(str(rate))
            base_currency = base_currency or currency
            state = state or STATUS_STATE.get(status, "new")
            rows, subtotal, tax, item_discount, qty_total = self._order_rows(order_id, items, rate, now)
            shipping = _d(shipping_amount)
            ship_disc = _d(shipping_discount)
            ship_tax = ((shipping - ship_disc) * _d(shipping_tax_percent) / 100).quantize(CENT, ROUND_HALF_UP)
            tax += ship_tax
            cards = [dict(card, id=card.get("id", n + 1)) for n, card in enumerate(gift_cards)]
            cards_total = sum((_d(c["amount"]) for c in cards), Decimal(0))
            wrapping = _d(gift_wrapping)
            credit = _d(store_credit)
            discount_total = item_discount + ship_disc
            grand = subtotal - discount_total + shipping + tax + wrapping - cards_total - credit
            if paid is None:
                paid = state in ("processing", "complete", "closed")
            street = ["Keizersgracht 1"]
            billing = dict({"address_type": "billing", "firstname": firstname, "lastname": lastname,
                            "street": street, "city": "Amsterdam", "postcode": "1015 CJ", "country_id": "NL",
                            "telephone": "+31 20 555 0101", "email": email, "region": None, "region_code": None},
                           **(billing or {}))
            billing.update(entity_id=order_id * 10 + 1, parent_id=order_id)
            ship_addr = dict(billing, address_type="shipping", entity_id=order_id * 10 + 2, **(shipping_address or {}))
            ext = {}
            if not is_virtual:
                ext["shipping_assignments"] = [{"shipping": {"address": ship_addr, "method": shipping_method,
                                                             "total": {"shipping_amount": _money(shipping)}},
                                                "items": [dict(r) for r in rows]}]
            if cards:
                ext["gift_cards"] = [{"id": c["id"], "code": c["code"], "amount": _money(_d(c["amount"])),
                                      "base_amount": _money(_d(c["amount"]) / rate)} for c in cards]
                ext["gift_cards_amount"] = _money(cards_total)
                ext["base_gift_cards_amount"] = _money(cards_total / rate)
            if credit:
                ext["customer_balance_amount"] = _money(credit)
                ext["base_customer_balance_amount"] = _money(credit / rate)
            if wrapping:
                ext["gw_price"] = str(_money(wrapping))
                ext["gw_base_price"] = str(_money(wrapping / rate))
            order = {
                "entity_id": order_id, "increment_id": increment_id or f"{order_id:09d}",
                "state": state, "status": status, "store_id": store_id,
                "store_name": "Main Website\nMain Website Store\nDefault Store View",
                "created_at": _fmt(created_at) if created_at else now,
                "updated_at": _fmt(updated_at) if updated_at else (_fmt(created_at) if created_at else now),
                "customer_email": email, "customer_firstname": firstname, "customer_lastname": lastname,
                "customer_id": customer_id, "customer_is_guest": 0 if customer_id else 1,
                "customer_group_id": 1 if customer_id else 0,
                "order_currency_code": currency, "base_currency_code": base_currency,
                "global_currency_code": base_currency, "store_currency_code": base_currency,
                "base_to_order_rate": float(rate),
                "subtotal": _money(subtotal), "base_subtotal": _money(subtotal / rate),
                "discount_amount": -_money(discount_total), "base_discount_amount": -_money(discount_total / rate),
                "shipping_amount": _money(shipping), "base_shipping_amount": _money(shipping / rate),
                "shipping_tax_amount": _money(ship_tax), "base_shipping_tax_amount": _money(ship_tax / rate),
                "shipping_discount_amount": _money(ship_disc),
                "base_shipping_discount_amount": _money(ship_disc / rate),
                "shipping_incl_tax": _money(shipping + ship_tax),
                "shipping_description": None if is_virtual else shipping_description,
                "tax_amount": _money(tax), "base_tax_amount": _money(tax / rate),
                "grand_total": _money(grand), "base_grand_total": _money(grand / rate),
                "total_paid": _money(grand) if paid else 0, "base_total_paid": _money(grand / rate) if paid else 0,
                "total_due": 0 if paid else _money(grand),
                "total_item_count": len([r for r in rows if "parent_item_id" not in r]),
                "total_qty_ordered": float(qty_total), "is_virtual": 1 if is_virtual else 0,
                "items": rows, "billing_address": billing,
                "payment": {"method": payment_method,
                            "additional_information": [PAYMENT_TITLES.get(payment_method, payment_method)],
                            "last_trans_id": transaction_id or None, "amount_ordered": _money(grand),
                            "amount_paid": _money(grand) if paid else None, "parent_id": order_id},
                "status_histories": [], "extension_attributes": ext,
            }
            if coupon_code:
                order["coupon_code"] = coupon_code
                order["discount_description"] = discount_description or coupon_code
            elif discount_description:
                order["discount_description"] = discount_description
            order.update(extra)
            self.orders[order_id] = order
            if paid and state in ("processing", "complete", "closed"):
                self._create_invoice(order, capture=bool(transaction_id), notify=False)
        return order

    def _order_rows(self, order_id, items, rate, now):
        """The item rows of a seeded order as Magento stores them (a configurable's child row and a bundle's
        children under their parent), with the sums of the priced rows: subtotal, tax, discount, quantity."""
        rows, item_ids = [], iter(range(order_id * 100 + 1, order_id * 100 + 99))
        subtotal = tax = item_discount = qty_total = Decimal(0)

        def row_for(spec, parent_id=None, priced=True):
            nonlocal subtotal, tax, item_discount, qty_total
            q = _d(spec.get("qty", 1))
            price = _d(spec.get("price", 0)) if priced else Decimal(0)
            rate_pct = _d(spec.get("tax_percent", 0))
            discount = _d(spec.get("discount", 0)) if priced else Decimal(0)
            row_total = q * price
            row_tax = ((row_total - discount) * rate_pct / 100).quantize(CENT, ROUND_HALF_UP)
            if priced:
                subtotal += row_total
                tax += row_tax
                item_discount += discount
                if parent_id is None:
                    qty_total += q
            row = {
                "item_id": next(item_ids), "order_id": order_id, "sku": spec["sku"],
                "name": spec.get("name") or spec["sku"],
                "product_id": spec.get("product_id") or (self.products.get(spec["sku"]) or {}).get("id"),
                "product_type": spec.get("product_type", "simple"),
                "qty_ordered": float(q), "qty_shipped": 0, "qty_invoiced": 0, "qty_canceled": 0,
                "price": _money(price), "base_price": _money(price / rate),
                "original_price": _money(price), "price_incl_tax": _money(price * (1 + rate_pct / 100)),
                "row_total": _money(row_total), "base_row_total": _money(row_total / rate),
                "row_total_incl_tax": _money(row_total * (1 + rate_pct / 100)),
                "tax_percent": float(rate_pct), "tax_amount": _money(row_tax),
                "base_tax_amount": _money(row_tax / rate), "discount_amount": _money(discount),
                "base_discount_amount": _money(discount / rate), "discount_percent": 0,
                "weight": spec.get("weight", 1), "created_at": now, "updated_at": now,
            }
            if parent_id is not None:
                row["parent_item_id"] = parent_id
            rows.append(row)
            return row

        for spec in items:
            if spec.get("configurable"):
                parent = row_for(dict(spec, product_type="configurable"))
                row_for(dict(spec, name=spec.get("child_name") or spec.get("name")), parent["item_id"],
                        priced=False)
            elif spec.get("bundle_children"):
                parent = row_for(dict(spec, product_type="bundle", price=0, discount=0))
                for child in spec["bundle_children"]:
                    row_for(dict(child, qty=child.get("qty", 1)), parent["item_id"])
            else:
                row_for(spec)
        return rows, subtotal, tax, item_discount, qty_total


    # ------------------------------------------------------------------ orders
    def _order(self, id):
        order = self.orders.get(int(id))
        if not order:
            raise _Refusal(404, NOT_FOUND_ORDER)
        return order

    def _touch(self, order):
        order["updated_at"] = self._now()

    def _set_state(self, order, state):
        order["state"] = state
        order["status"] = STATE_STATUSES[state][0]

    def _search_orders(self, request, store, body):
        return self._search(request, self.orders.values())

    def _get_order(self, request, store, body, id):
        return self._order(id)

    def _get_comments(self, request, store, body, id):
        items = self._order(id)["status_histories"]
        return {"items": [dict(c) for c in items], "search_criteria": {"filter_groups": []}, "total_count": len(items)}

    def _post_comment(self, request, store, body, id):
        order = self._order(id)
        history = self._member(body, "statusHistory")
        status = history.get("status")
        if not status:
            order["status"] = None  # what Magento < 2.4.7 does with a comment without status
        elif status != order["status"]:
            allowed = STATE_STATUSES.get(order["state"], ())
            if not self.strict_status or status in allowed:
                order["status"] = status
        comment = {"entity_id": self._next("comment"), "parent_id": order["entity_id"], "entity_name": "order",
                   "comment": history.get("comment") or "", "status": order["status"],
                   "is_customer_notified": int(bool(history.get("is_customer_notified"))),
                   "is_visible_on_front": int(bool(history.get("is_visible_on_front"))), "created_at": self._now()}
        order["status_histories"].insert(0, comment)
        if comment["is_customer_notified"]:
            self.notifications.append(("order_comment", order["entity_id"], comment["comment"]))
        self._touch(order)
        return True

    def _cancel(self, request, store, body, id):
        order = self._order(id)
        invoiced = any(r["qty_invoiced"] for r in order["items"])
        if order["state"] in ("canceled", "complete", "closed", "holded", "payment_review") or invoiced:
            return False
        for row in order["items"]:
            row["qty_canceled"] = row["qty_ordered"] - row["qty_shipped"]
        self._set_state(order, "canceled")
        self._touch(order)
        return True

    def _ship(self, request, store, body, id):
        order = self._order(id)
        body = body if isinstance(body, dict) else {}
        shippable = [r for r in order["items"] if "parent_item_id" not in r
                     and r["qty_ordered"] - r["qty_shipped"] - r["qty_canceled"] > 0]
        if order["state"] in ("canceled", "complete", "closed", "holded") or not shippable or order.get("is_virtual"):
            raise _Refusal(400, "Shipment Document Validation Error(s):\n"
                                "The order does not allow a shipment to be created.")
        tracks = body.get("tracks") or []
        for track in tracks:
            for field in ("track_number", "carrier_code"):
                if not str((track or {}).get(field) or "").strip():
                    raise _Refusal(400, "Shipment Document Validation Error(s):\n%1 is required.", [field])
        shipment_id = self._next("shipment")
        shipment = {"entity_id": shipment_id, "increment_id": f"{shipment_id:09d}", "order_id": order["entity_id"],
                    "created_at": self._now(), "total_qty": sum(r["qty_ordered"] - r["qty_shipped"] for r in shippable),
                    "items": [{"order_item_id": r["item_id"], "sku": r["sku"],
                               "qty": r["qty_ordered"] - r["qty_shipped"]} for r in shippable],
                    "tracks": [], "comments": []}
        for track in tracks:
            shipment["tracks"].append(self._track(shipment, track))
        comment = body.get("comment") if body.get("appendComment") else None
        if isinstance(comment, dict) and comment.get("comment"):
            shipment["comments"].append({"comment": comment["comment"],
                                         "is_visible_on_front": int(bool(comment.get("is_visible_on_front")))})
        for row in shippable:
            row["qty_shipped"] = row["qty_ordered"] - row["qty_canceled"]
        self.shipments[shipment_id] = shipment
        invoiced = all(r["qty_invoiced"] >= r["qty_ordered"] - r["qty_canceled"]
                       for r in order["items"] if "parent_item_id" not in r)
        self._set_state(order, "complete" if invoiced else "processing")
        self._touch(order)
        if body.get("notify"):
            self.notifications.append(("shipment", order["entity_id"], shipment["increment_id"]))
        return str(shipment_id)

    def _track(self, shipment, track):
        return {"entity_id": self._next("track"), "parent_id": shipment["entity_id"], "order_id": shipment["order_id"],
                "track_number": str(track.get("track_number")), "title": track.get("title") or "",
                "carrier_code": track.get("carrier_code"), "created_at": self._now()}

    def _search_shipments(self, request, store, body):
        return self._search(request, self.shipments.values())

    def _post_track(self, request, store, body):
        entity = self._member(body, "entity")
        shipment = self.shipments.get(int(entity.get("parent_id") or 0))
        if not shipment:
            raise _Refusal(404, "The entity that was requested doesn't exist. Verify the entity and try again.")
        for field in ("track_number", "carrier_code"):
            if not str(entity.get(field) or "").strip():
                raise _Refusal(400, REQUIRED, {"fieldName": field})
        track = self._track(shipment, entity)
        shipment["tracks"].append(track)
        return track

    def _create_invoice(self, order, capture, notify):
        rows = [r for r in order["items"] if "parent_item_id" not in r]
        invoice_id = self._next("invoice")
        invoice = {"entity_id": invoice_id, "increment_id": f"{invoice_id:09d}", "order_id": order["entity_id"],
                   "state": 2, "grand_total": order["grand_total"], "base_grand_total": order["base_grand_total"],
                   "order_currency_code": order["order_currency_code"], "created_at": self._now(),
                   "items": [{"order_item_id": r["item_id"], "sku": r["sku"], "qty": r["qty_ordered"]} for r in rows],
                   "captured": bool(capture)}
        for row in order["items"]:
            row["qty_invoiced"] = row["qty_ordered"] - row["qty_canceled"]
        order["total_paid"], order["base_total_paid"] = order["grand_total"], order["base_grand_total"]
        order["total_due"] = 0
        order["payment"]["amount_paid"] = order["grand_total"]
        self.invoices[invoice_id] = invoice
        if notify:
            self.notifications.append(("invoice", order["entity_id"], invoice["increment_id"]))
        return invoice

    def _invoice(self, request, store, body, id):
        order = self._order(id)
        body = body if isinstance(body, dict) else {}
        open_rows = [r for r in order["items"] if r["qty_ordered"] - r["qty_invoiced"] - r["qty_canceled"] > 0]
        if order["state"] in ("canceled", "closed", "holded", "payment_review") or not open_rows:
            raise _Refusal(400, "The order does not allow an invoice to be created.")
        invoice = self._create_invoice(order, capture=bool(body.get("capture")), notify=bool(body.get("notify")))
        shipped = all(r["qty_shipped"] >= r["qty_ordered"] - r["qty_canceled"]
                      for r in order["items"] if "parent_item_id" not in r)
        self._set_state(order, "complete" if shipped and not order.get("is_virtual") else "processing")
        self._touch(order)
        return str(invoice["entity_id"])

    def _search_invoices(self, request, store, body):
        return self._search(request, self.invoices.values())


