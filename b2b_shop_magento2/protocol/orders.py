"""Orders in from Magento 2, and what Odoo tells back: status comments, shipments, cancellation, invoices."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, dec, parse_datetime

from .client import _CENT, MAGENTO_DATETIME, MAX_PAGE_SIZE, Magento2Client, _truthy


def _order_key(item):
    """What tells two orders of a listing apart (an order without entity_id is refused when it is read)."""
    return str(item.get("entity_id")).strip() if isinstance(item, dict) else repr(item)


# what else than money pays part of an order (Adobe Commerce): the order field -> its line's name
STORED_VALUE_LINES = {"customer_balance_amount": _lt("Store credit"), "reward_currency_amount": _lt("Reward points")}


class Magento2Orders(Magento2Client):
    """``fetch_orders``, ``update_order``, ``attach_invoice``."""

    # ------------------------------------------------------------------ orders in
    def fetch_orders(self, since=None, statuses=None):
        if statuses is not None:
            statuses = [s for s in statuses if s]
            if not statuses:
                return
        groups = []
        if since is not None:
            groups.append([("updated_at", parse_datetime(since).strftime(MAGENTO_DATETIME), "gteq")])
        if statuses:
            groups.append([("status", ",".join(statuses), "in")])
        if self.order_store_ids:
            groups.append([("store_id", ",".join(self.order_store_ids), "in")])
        sort = [("updated_at", "ASC"), ("entity_id", "ASC")]
        page, pager = 1, self.pager(Phrase(_lt("the order list")))
        while True:
            doing = Phrase(_lt("page %(page)s of the orders"), page=page)
            items, total = self._search("orders", doing, groups, sort, self.page_size, page)
            for item in pager.page(items, key=_order_key):
                yield self._order(item)
            # page by total_count; a page with nothing new is Magento repeating its last page
            if not pager.more(page * self.page_size < total):
                return
            page += 1

    def _amount(self, data, field):
        if self.use_base_currency:
            return dec(data.get(f"base_{field}"))
        return dec(data.get(field))

    def _order(self, data):
        try:
            remote_id = self._entity_id(data.get("entity_id"), "an order")
        except ShopError:
            raise ShopError("shop.magento2.order_no_id", _lt("Magento answered an order without entity_id: %(data)s"),
                            data=str(data)[:120], kind="answer") from None
        if not data.get("created_at"):
            raise ShopError("shop.magento2.order_no_date", _lt("Magento answered order %(order)s without created_at"),
                            order=remote_id, kind="answer")
        ext = data.get("extension_attributes") if isinstance(data.get("extension_attributes"), dict) else {}
        lines = self._product_lines(data)
        lines += self._other_lines(data, ext, lines)
        payment = data.get("payment") if isinstance(data.get("payment"), dict) else {}
        total = self._amount(data, "grand_total")
        paid_amount = self._amount(data, "total_paid")
        if not paid_amount and payment:
            paid_amount = self._amount(payment, "amount_paid")
        guest = _truthy(data.get("customer_is_guest"))
        email = str(data.get("customer_email") or "")
        billing = _address(data.get("billing_address"), email)
        shipping = model.Address()
        for assignment in ext.get("shipping_assignments") or []:
            address = ((assignment or {}).get("shipping") or {}).get("address")
            if isinstance(address, dict):
                shipping = _address(address, email)
                break
        return model.Order(
            remote_id=remote_id,
            number=str(data.get("increment_id") or remote_id),
            status=str(data.get("status") or ""),
            created_at=parse_datetime(data.get("created_at")),
            updated_at=parse_datetime(data.get("updated_at")),
            currency=str(data.get("base_currency_code" if self.use_base_currency else "order_currency_code") or ""),
            email=email,
            customer_remote_id="" if guest or not data.get("customer_id") else str(data.get("customer_id")),
            billing=billing,
            shipping=shipping,
            lines=lines,
            paid=total > 0 and paid_amount >= total or (total == 0 and data.get("state") in ("processing", "complete")),
            paid_amount=paid_amount,
            payment_method=str(payment.get("method") or ""),
            transaction_id=str(payment.get("last_trans_id") or ""),
            total=total,
            total_tax=self._amount(data, "tax_amount"),
            prices_include_tax=False,
            note=str(data.get("customer_note") or ""),
            customer_lang=self._store_locales().get(str(data.get("store_id")), ""),
            raw=data,
        )

    def _store_locales(self):
        """{store id: locale} of the store views: an order is in the language of the store view it was placed in.
        A token that may not read them imports its orders all the same, without the customers' language."""
        return {view["id"]: view["locale"] for view in self._store_views()}

    def _product_lines(self, data):
        rows = [r for r in (data.get("items") or []) if isinstance(r, dict)]
        children = {}
        for row in rows:
            if row.get("parent_item_id"):
                children.setdefault(str(row["parent_item_id"]), []).append(row)
        lines = []
        for row in rows:
            if row.get("parent_item_id"):
                continue
            kids = children.get(str(row.get("item_id")), [])
            # a bundle with dynamic price carries its amounts on the children
            if (row.get("product_type") == "bundle" and kids and not self._amount(row, "price")
                    and any(self._amount(k, "price") for k in kids)):
                for kid in kids:
                    lines.append(self._item_line(kid, prefix=f"{row.get('name') or row.get('sku')}: "))
            else:
                lines.append(self._item_line(row))
        return lines

    def _item_line(self, row, prefix=""):
        rate = row.get("tax_percent")
        return model.OrderLine(
            name=prefix + str(row.get("name") or row.get("sku") or ""),
            quantity=dec(row.get("qty_ordered")),
            unit_price=self._amount(row, "price"),
            kind="product",
            sku=str(row.get("sku") or ""),
            product_remote_id=str(row.get("product_id") or ""),
            remote_id=str(row.get("item_id") or ""),
            discount=abs(self._amount(row, "discount_amount")),
            tax_amount=self._amount(row, "tax_amount"),
            tax_rate=dec(rate) if rate not in (None, "") else None,
        )

    def _other_lines(self, data, ext, product_lines):
        lines = []
        shipping_amount = self._amount(data, "shipping_amount")
        shipping_discount = abs(self._amount(data, "shipping_discount_amount"))
        shipping_tax = self._amount(data, "shipping_tax_amount")
        method = str(data.get("shipping_method") or "")
        for assignment in ext.get("shipping_assignments") or []:
            method = str(((assignment or {}).get("shipping") or {}).get("method") or method)
            break
        if shipping_amount or data.get("shipping_description") or (method and not _truthy(data.get("is_virtual"))):
            net = shipping_amount - shipping_discount
            lines.append(model.OrderLine(
                name=str(data.get("shipping_description") or "") or Phrase(_lt("Shipping")), quantity=Decimal(1),
                unit_price=shipping_amount, kind="shipping", sku=method, discount=shipping_discount,
                tax_amount=shipping_tax,
                tax_rate=(shipping_tax * 100 / net).quantize(_CENT) if net and shipping_tax else None,
            ))
        # gift wrapping (Adobe Commerce): order, items and printed card
        for field, tax_field, name in (("gw_price", "gw_tax_amount", "Gift wrapping"),
                                       ("gw_items_price", "gw_items_tax_amount", "Gift wrapping (items)"),
                                       ("gw_card_price", "gw_card_tax_amount", "Printed card")):
            amount = self._amount(ext, field) or self._amount(data, field)
            if amount:
                lines.append(model.OrderLine(name=name, quantity=Decimal(1), unit_price=amount, kind="fee",
                                             sku=field,
                                             tax_amount=self._amount(ext, tax_field) or self._amount(data, tax_field)))
        # coupon: the discount is on the product and shipping lines; the coupon line carries the code
        # and whatever part of the order discount is on neither (usually nothing)
        discount = abs(self._amount(data, "discount_amount"))
        residual = discount - sum((line.discount for line in product_lines), Decimal(0)) - shipping_discount
        if abs(residual) < _CENT:
            residual = Decimal(0)
        code = str(data.get("coupon_code") or "")
        if code or residual:
            label = str(data.get("discount_description") or "")
            if code:
                name = (Phrase(_lt("Coupon %(code)s (%(label)s)"), code=code, label=label)
                        if label and label != code else Phrase(_lt("Coupon %(code)s"), code=code))
            else:
                name = label or Phrase(_lt("Discount"))
            lines.append(model.OrderLine(name=name, quantity=Decimal(1), unit_price=-residual, kind="coupon", sku=code))
        # gift cards, store credit and reward points (Adobe Commerce) pay part of the order
        cards = [c for c in (ext.get("gift_cards") or []) if isinstance(c, dict)]
        for card in cards:
            amount = self._amount(card, "amount")
            if amount:
                name = (Phrase(_lt("Gift card %(code)s"), code=card["code"]) if card.get("code")
                        else Phrase(_lt("Gift card")))
                lines.append(model.OrderLine(name=name, quantity=Decimal(1),
                                             unit_price=-amount, kind="gift_card", sku=str(card.get("code") or ""),
                                             remote_id=str(card.get("id") or "")))
        if not cards:
            amount = self._amount(ext, "gift_cards_amount") or self._amount(data, "gift_cards_amount")
            if amount:
                lines.append(model.OrderLine(name=Phrase(_lt("Gift cards")), quantity=Decimal(1), unit_price=-amount,
                                             kind="gift_card"))
        for field, name in STORED_VALUE_LINES.items():
            amount = self._amount(ext, field) or self._amount(data, field)
            if amount:
                lines.append(model.OrderLine(name=Phrase(name), quantity=Decimal(1), unit_price=-abs(amount),
                                             kind="gift_card", sku=field))
        return lines

    # ------------------------------------------------------------------ orders out
    def _get_order(self, remote_id):
        if not str(remote_id or "").strip().isdigit():
            raise ShopError("shop.magento2.bad_order_id", _lt("%(order)s is not a Magento order id (entity_id)"),
                            order=repr(remote_id), kind="not_found")
        data = self._request("GET", f"orders/{int(remote_id)}", Phrase(_lt("order %(order)s"), order=remote_id))
        if not isinstance(data, dict) or "entity_id" not in data:
            raise ShopError("shop.magento2.not_order",
                            _lt("Magento answered order %(order)s with something else than an order"),
                            order=remote_id, kind="answer")
        return data

    def _add_comment(self, order, text, status, notify, visible):
        """An order comment. The status is always sent: without one, Magento sets the order's status to
        nothing (the order then drops out of the order grid)."""
        body = {"statusHistory": {
            "comment": self.texts.say(text), "status": status or order.get("status"),
            "is_customer_notified": 1 if notify else 0, "is_visible_on_front": 1 if visible else 0,
            "parent_id": int(order["entity_id"]),
        }}
        doing = Phrase(_lt("the comment on order %(order)s"), order=order.get("increment_id"))
        answer = self._request("POST", f"orders/{int(order['entity_id'])}/comments",
                               doing, json=body)
        if answer is not True:
            raise ShopError("shop.magento2.comment_not_added",
                            _lt("Magento did not add the comment to order %(order)s (%(answer)s)"),
                            order=order.get("increment_id"), answer=repr(answer), kind="answer")

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        target = self.status_for(event, {event: status} if status else None)
        order = self._get_order(remote_id)
        number = order.get("increment_id") or remote_id
        if event == "cancelled":
            return self._cancel(order, target, notify)
        if event == "shipped":
            summary = self._ship(order, shipment, notify)
            if status:  # an explicit status for shipped orders: set it with a comment
                summary = Phrase.join([summary, self._set_status(self._get_order(remote_id), target,
                                                                 Phrase(_lt("Order shipped.")), notify)], "; ")
            return summary
        text = {"confirmed": Phrase(_lt("Order confirmed.")), "delivered": Phrase(_lt("Order delivered."))}[event]
        return Phrase(_lt("order %(order)s: %(done)s"), order=number,
                      done=self._set_status(order, target, text, notify))

    def _set_status(self, order, target, text, notify):
        if order.get("status") == target:
            return Phrase(_lt("already %(status)s"), status=target)
        self._add_comment(order, text, target, notify, visible=True)
        after = self._get_order(order["entity_id"])
        if after.get("status") != target:
            return Phrase(_lt("comment added, but Magento kept status %(current)s (status %(status)s is not assigned "
                              "to order state %(state)s)"), current=repr(after.get("status")), status=repr(target),
                          state=repr(after.get("state")))
        return Phrase(_lt("status %(status)s"), status=target)

    def _cancel(self, order, target, notify):
        number = order.get("increment_id")
        if order.get("state") != "canceled":
            answer = self._request("POST", f"orders/{int(order['entity_id'])}/cancel",
                                   Phrase(_lt("the cancellation of order %(order)s"), order=number), idempotent=True)
            if answer is not True:
                raise ShopError("shop.magento2.cannot_cancel", _lt(
                    "Magento cannot cancel order %(order)s (state %(state)s: invoiced, shipped or on hold orders "
                    "must be credited or released in Magento)"), order=number, state=repr(order.get("state")),
                    kind="remote")
            order = self._get_order(order["entity_id"])
        if target != order.get("status"):
            return Phrase(_lt("order %(order)s cancelled; %(done)s"), order=number,
                          done=self._set_status(order, target, Phrase(_lt("Order cancelled.")), notify))
        return Phrase(_lt("order %(order)s cancelled"), order=number)

    def _ship(self, order, shipment, notify):
        order_id = int(order["entity_id"])
        number = order.get("increment_id")
        shipments, _total = self._search("shipments", Phrase(_lt("the shipments of order %(order)s"), order=number),
                                         [[("order_id", order_id, "eq")]], page_size=MAX_PAGE_SIZE)
        tracking = (shipment.tracking_number or "").strip() if shipment else ""
        known = {str(t.get("track_number")) for s in shipments for t in (s.get("tracks") or []) if isinstance(t, dict)}
        if tracking and tracking in known:
            return Phrase(_lt("order %(order)s already shipped with tracking number %(number)s"), order=number,
                          number=tracking)
        track = None
        if tracking:
            carrier = (shipment.carrier or "").strip()
            code = carrier.lower() if carrier.lower() in self.carrier_codes else "custom"
            title = carrier or self.texts.say(Phrase(_lt("Carrier")))
            track = {"track_number": tracking, "title": title, "carrier_code": code}
        body = {"notify": bool(notify), "tracks": [track] if track else []}
        if shipment and shipment.tracking_url:
            body["appendComment"] = True
            body["comment"] = {"comment": self.texts.say(Phrase(_lt("Track your parcel: %(url)s"),
                                                                 url=shipment.tracking_url)), "is_visible_on_front": 1}
        try:
            doing = Phrase(_lt("the shipment of order %(order)s"), order=number)
            answer = self._request("POST", f"order/{order_id}/ship", doing, json=body)
        except ShopError as exc:
            if exc.kind != "payload" or not shipments:
                raise
            # fully shipped already: the tracking number goes onto the last shipment
            if not track:
                return Phrase(_lt("order %(order)s already shipped"), order=number)
            last = max(shipments, key=lambda s: int(s.get("entity_id") or 0))
            entity = dict(track, order_id=order_id, parent_id=int(last["entity_id"]))
            doing = Phrase(_lt("the tracking number of order %(order)s"), order=number)
            self._request("POST", "shipment/track", doing, json={"entity": entity})
            label = last.get("increment_id") or last["entity_id"]
            return Phrase(_lt("order %(order)s: tracking number %(number)s added to shipment %(shipment)s"),
                          order=number, number=tracking, shipment=label)
        shipment_id = self._entity_id(answer, Phrase(_lt("the shipment of order %(order)s"), order=number))
        if tracking:
            return Phrase(_lt("order %(order)s shipped (shipment %(shipment)s, tracking %(number)s)"), order=number,
                          shipment=shipment_id, number=tracking)
        return Phrase(_lt("order %(order)s shipped (shipment %(shipment)s)"), order=number, shipment=shipment_id)

    # ------------------------------------------------------------------ invoices
    def attach_invoice(self, remote_id, document):
        number = (document.number or "").strip()
        if not number:
            raise ShopError("shop.magento2.invoice_no_number", _lt("the invoice has no number"), kind="payload")
        order = self._get_order(remote_id)
        order_id = int(order["entity_id"])
        marker = Phrase(_lt("Invoice %(number)s"), number=number)
        comments = self._request("GET", f"orders/{order_id}/comments",
                                 Phrase(_lt("the comments of order %(order)s"), order=order.get("increment_id")))
        if not isinstance(comments, dict) or not isinstance(comments.get("items", []), list):
            raise ShopError("shop.magento2.comments_not_list",
                            _lt("Magento answered the order comments without a list of items"), kind="answer")
        for comment in comments.get("items") or []:
            text = str((comment or {}).get("comment") or "")
            if any(_mentions(text, form) for form in self.texts.forms(marker)):
                return Phrase(_lt("Invoice %(number)s already on order %(order)s"), number=number,
                              order=order.get("increment_id"))
        invoice_note = ""
        if self.create_invoice:
            doing = Phrase(_lt("the invoices of order %(order)s"), order=order.get("increment_id"))
            invoices, _total = self._search("invoices", doing,
                                            [[("order_id", order_id, "eq")]], page_size=MAX_PAGE_SIZE)
            if invoices:
                invoice_note = Phrase(_lt("Magento invoice %(invoice)s"),
                                      invoice=invoices[0].get("increment_id") or invoices[0].get("entity_id"))
            else:
                try:
                    doing = Phrase(_lt("the invoice of order %(order)s"), order=order.get("increment_id"))
                    answer = self._request("POST", f"order/{order_id}/invoice",
                                           doing,
                                           json={"capture": False, "notify": self.invoice_notify})
                    invoice_note = Phrase(_lt("Magento invoice %(invoice)s created"),
                                          invoice=self._entity_id(answer, Phrase(_lt("the invoice"))))
                    order = self._get_order(order_id)  # invoicing moves the order on (e.g. to processing)
                except ShopError as exc:
                    if exc.kind != "payload":
                        raise
                    invoice_note = Phrase(_lt("no Magento invoice (%(error)s)"), error=exc)
        text = self.texts.say(marker)
        if document.amount_total is not None:
            currency = document.currency or order.get("order_currency_code") or ""
            text += f" ({Decimal(document.amount_total).quantize(_CENT)} {currency}".rstrip() + ")"
        if document.url:
            text += f": {document.url}"
        self._add_comment(order, text, order.get("status"), self.invoice_notify, visible=True)
        if invoice_note:
            return Phrase(_lt("Invoice %(number)s on order %(order)s (%(magento)s)"), number=number,
                          order=order.get("increment_id"), magento=invoice_note)
        return Phrase(_lt("Invoice %(number)s on order %(order)s"), number=number, order=order.get("increment_id"))



def _mentions(text, marker):
    position = text.find(marker)
    while position >= 0:
        end = position + len(marker)
        before_ok = position == 0 or not text[position - 1].isalnum()
        after_ok = end == len(text) or text[end] in " :,;.()\n\t" and not (
            text[end] == "." and end + 1 < len(text) and text[end + 1].isalnum())
        if before_ok and after_ok:
            return True
        position = text.find(marker, position + 1)
    return False



def _address(data, email=""):
    if not isinstance(data, dict):
        return model.Address()
    street = data.get("street") or []
    if isinstance(street, str):
        street = street.splitlines()
    street = [str(s) for s in street if s]
    region = data.get("region")
    state = data.get("region_code") or (region.get("region_code") if isinstance(region, dict) else "") or ""
    return model.Address(
        first_name=str(data.get("firstname") or ""),
        last_name=str(data.get("lastname") or ""),
        company=str(data.get("company") or ""),
        street=street[0] if street else "",
        street2=", ".join(street[1:]),
        city=str(data.get("city") or ""),
        zip=str(data.get("postcode") or ""),
        state_code=str(state),
        country_code=str(data.get("country_id") or ""),
        email=str(data.get("email") or email or ""),
        phone=str(data.get("telephone") or ""),
        vat=str(data.get("vat_id") or ""),
    )

