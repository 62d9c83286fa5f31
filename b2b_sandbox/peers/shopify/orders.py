"""Orders of the sandbox Shopify: listing, tags, fulfillments and tracking, cancellation, the invoice metafields."""

import json
import re
import uuid
from decimal import ROUND_HALF_UP, Decimal

from ..shop import decimal as _d
from ..shop import slug as _slug
from .search import SearchQuery
from .store import (
    CANCEL_REASONS,
    FULFILLMENT_EVENT_STATUSES,
    GATEWAY_NAMES,
    MAX_FIRST,
    PRIMARY_LOCATION,
    TWO,
    GraphQLError,
    ShopifyStore,
    _cursor,
    _iso,
    _parse_time,
    _uncursor,
)


class ShopifyOrders(ShopifyStore):
    """Seeding and the order operations."""

    def add_order(self, lines, *, number=None, email="buyer@example.com", customer=None, financial_status="PAID",
                  fulfillment_status="UNFULFILLED", cancelled=False, cancel_reason="CUSTOMER", shipping=(), fees=(),
                  gift_card=None, gateway="shopify_payments", taxes_included=True, tax_rate="21",
                  presentment_currency=None, presentment_rate="1", created_at=None, updated_at=None,
                  billing=None, shipping_address=None, note="", tags=(), refund_amount=None,
                  location=PRIMARY_LOCATION, customer_locale="en"):
        """Seed an order; returns its GID.

        ``lines``: dicts with ``sku``, ``title``, ``quantity``, ``price`` (unit, as the shop shows prices),
        optional ``discount`` (amount for the line) with ``code`` (a discount code) or ``automatic`` (the
        title of an automatic discount). ``shipping``: dicts with ``title``, ``price``, optional ``code``,
        ``discount`` and ``discount_code``. ``fees``: dicts with ``name`` and ``price``. ``gift_card``: the
        amount paid with a gift card. ``financial_status`` / ``fulfillment_status``: Shopify's display
        statuses (PAID, PENDING, AUTHORIZED, PARTIALLY_PAID, PARTIALLY_REFUNDED, REFUNDED, VOIDED, EXPIRED /
        UNFULFILLED, FULFILLED). ``customer_locale``: the language the customer bought in ("fr", "fr-CA")."""
        with self.lock:
            rate = _d(presentment_rate)
            tax_rate = _d(tax_rate)
            now = self._now()
            created = (_parse_time(created_at) if created_at else now).replace(microsecond=0)
            updated = (_parse_time(updated_at) if updated_at else created).replace(microsecond=0)
            gid = self._gid("Order")
            applications = []

            def application(kind, label, target):
                for app in applications:
                    if app["_key"] == (kind, label):
                        return app["index"]
                app = {"_key": (kind, label), "index": len(applications), "allocationMethod": "ACROSS",
                       "targetType": target}
                if kind == "code":
                    app.update({"__typename": "DiscountCodeApplication", "code": label})
                else:
                    app.update({"__typename": "AutomaticDiscountApplication", "title": label})
                applications.append(app)
                return app["index"]

            def taxed(amount):
                tax = amount * tax_rate / (100 + tax_rate) if taxes_included else amount * tax_rate / 100
                tax = tax.quantize(TWO, ROUND_HALF_UP)
                return tax, ([{"title": "VAT", "rate": float(tax_rate / 100), "ratePercentage": float(tax_rate),
                               "priceSet": self._bag(tax, rate, presentment_currency)}] if tax_rate else [])

            total_tax = Decimal(0)
            subtotal = Decimal(0)
            line_items = []
            for line in lines:
                quantity = int(line.get("quantity", 1))
                price = _d(line.get("price"))
                discount = _d(line.get("discount"))
                allocations = []
                if discount:
                    kind, label = ("code", line["code"]) if line.get("code") else (
                        "automatic", line.get("automatic") or "Automatic discount")
                    allocations.append({"allocatedAmountSet": self._bag(discount, rate, presentment_currency),
                                        "discountApplication": {"index": application(kind, label, "LINE_ITEM")}})
                amount = quantity * price - discount
                tax, tax_lines = taxed(amount)
                total_tax += tax
                subtotal += amount
                variant = self.variant_by_sku(line.get("sku")) if line.get("sku") else None
                line_items.append({
                    "id": self._gid("LineItem"), "name": line.get("title") or line.get("sku") or "Item",
                    "sku": line.get("sku"), "quantity": quantity,
                    "originalUnitPriceSet": self._bag(price, rate, presentment_currency),
                    "discountAllocations": allocations, "taxLines": tax_lines,
                    "product": {"id": variant["product"]} if variant else None,
                    "variant": {"id": variant["id"]} if variant else None,
                })
            shipping_lines = []
            for ship in shipping:
                price = _d(ship.get("price"))
                discount = _d(ship.get("discount"))
                allocations = []
                if discount:
                    kind, label = ("code", ship["discount_code"]) if ship.get("discount_code") else (
                        "automatic", ship.get("automatic") or "Free shipping")
                    allocations.append({"allocatedAmountSet": self._bag(discount, rate, presentment_currency),
                                        "discountApplication": {"index": application(kind, label, "SHIPPING_LINE")}})
                tax, tax_lines = taxed(price - discount)
                total_tax += tax
                subtotal += price - discount
                shipping_lines.append({"id": self._gid("ShippingLine"), "title": ship.get("title") or "Shipping",
                                       "code": ship.get("code") or _slug(ship.get("title") or "shipping"),
                                       "originalPriceSet": self._bag(price, rate, presentment_currency),
                                       "discountAllocations": allocations, "taxLines": tax_lines})
            additional_fees = []
            for fee in fees:
                price = _d(fee.get("price"))
                tax, tax_lines = taxed(price)
                total_tax += tax
                subtotal += price
                additional_fees.append({"id": self._gid("AdditionalFee"), "name": fee.get("name") or "Fee",
                                        "price": self._bag(price, rate, presentment_currency), "taxLines": tax_lines})
            total = subtotal if taxes_included else subtotal + total_tax
            gift = _d(gift_card)
            transactions = self._seed_transactions(financial_status, total - gift, gift, gateway, rate,
                                                   presentment_currency, refund_amount)
            status = financial_status.upper()
            fulfilled = fulfillment_status.upper() == "FULFILLED"
            fo_status = "CANCELLED" if cancelled else "CLOSED" if fulfilled else "OPEN"
            fulfillments = []
            if fulfilled:
                fulfillments.append({"id": self._gid("Fulfillment"), "status": "SUCCESS", "displayStatus": "FULFILLED",
                                     "trackingInfo": [], "createdAt": _iso(updated)})
            default_address = {"firstName": "Anna", "lastName": "de Vries", "company": "De Vries Interieur BV",
                               "address1": "Keizersgracht 123", "address2": "", "city": "Amsterdam", "zip": "1015 CJ",
                               "provinceCode": "NH", "countryCodeV2": "NL", "phone": "+31201234567"}
            customer_node = None
            if customer:
                found = self.customers.get(customer)
                address = (found or {}).get("email") or email
                customer_node = {"id": customer, "email": address,
                                 "defaultEmailAddress": {"emailAddress": address} if address else None}
            self.orders[gid] = {
                "id": gid, "name": f"#{number or self._ids.next('order_number')}", "_created": created,
                "_updated": updated, "createdAt": _iso(created), "updatedAt": _iso(updated),
                "cancelledAt": _iso(updated) if cancelled else None,
                "cancelReason": cancel_reason if cancelled else None,
                "closedAt": None, "note": note or None, "email": email, "customerLocale": customer_locale,
                "currencyCode": self.currency,
                "presentmentCurrencyCode": presentment_currency or self.currency, "taxesIncluded": bool(taxes_included),
                "displayFinancialStatus": status,
                "displayFulfillmentStatus": "FULFILLED" if fulfilled else "UNFULFILLED",
                "paymentGatewayNames": sorted({t["gateway"] for t in transactions}) or [gateway],
                "tags": list(tags), "customer": customer_node,
                "billingAddress": dict(default_address, **(billing or {})),
                "shippingAddress": dict(default_address, **(shipping_address or billing or {})),
                "totalPriceSet": self._bag(total, rate, presentment_currency),
                "totalTaxSet": self._bag(total_tax, rate, presentment_currency),
                "lineItems": line_items, "shippingLines": shipping_lines, "additionalFees": additional_fees,
                "discountApplications": [{k: v for k, v in a.items() if k != "_key"} for a in applications],
                "transactions": transactions,
                "fulfillmentOrders": [{"id": self._gid("FulfillmentOrder"), "status": fo_status,
                                       "assignedLocation": {"location": {"id": location}}}],
                "fulfillments": fulfillments, "metafields": {},
            }
            return gid

    def _seed_transactions(self, financial_status, rest, gift, gateway, rate, presentment_currency, refund_amount):
        """The transactions behind a seeded order's display status (``rest``: what the gift card left to pay)."""
        transactions = []

        def tx(kind, status, amount, gw=gateway):
            if amount <= 0 and kind not in ("VOID",):
                return
            transactions.append({
                "id": self._gid("OrderTransaction"), "kind": kind, "status": status, "gateway": gw,
                "formattedGateway": GATEWAY_NAMES.get(gw, gw.replace("_", " ").title()),
                "paymentId": f"r{uuid.uuid4().hex[:20]}" if gw != "gift_card" else None,
                "authorizationCode": f"{self._ids.next() % 1000000:06d}" if gw == "shopify_payments" else None,
                "amountSet": self._bag(amount, rate, presentment_currency),
            })

        if gift:
            tx("SALE", "SUCCESS", gift, "gift_card")
        status = financial_status.upper()
        if status in ("PAID", "PARTIALLY_REFUNDED", "REFUNDED"):
            tx("SALE", "SUCCESS", rest)
            if status != "PAID":
                refund = rest if status == "REFUNDED" else _d(refund_amount or (rest / 10).quantize(TWO))
                tx("REFUND", "SUCCESS", refund)
        elif status == "PARTIALLY_PAID":
            tx("SALE", "SUCCESS", (rest / 2).quantize(TWO))
        elif status in ("AUTHORIZED", "EXPIRED", "VOIDED"):
            tx("AUTHORIZATION", "SUCCESS", rest)
            if status == "VOIDED":
                tx("VOID", "SUCCESS", rest)
        else:
            tx("SALE", "PENDING", rest)
        return transactions


    # ------------------------------------------------------------------ orders
    @staticmethod
    def _order_search_fields(order):
        fulfillment = {"FULFILLED": ["shipped", "fulfilled"], "UNFULFILLED": ["unshipped", "unfulfilled"],
                       "PARTIALLY_FULFILLED": ["partial"]}.get(order["displayFulfillmentStatus"], [])
        status = "cancelled" if order["cancelledAt"] else "closed" if order["closedAt"] else "open"
        return {"updated_at": order["updatedAt"], "created_at": order["createdAt"],
                "financial_status": order["displayFinancialStatus"].lower(), "fulfillment_status": fulfillment,
                "status": status, "email": order["email"], "name": [order["name"], order["name"].lstrip("#")],
                "tag": order["tags"], "id": order["id"].rsplit("/", 1)[1]}

    def _line_page(self, order, first, after=None):
        items = order["lineItems"]
        start = 0
        if after:
            start = int(_uncursor(after).get("offset") or 0)
        page = items[start:start + first]
        return {"pageInfo": {"hasNextPage": start + first < len(items),
                             "endCursor": _cursor({"offset": start + len(page)}) if page else None},
                "nodes": page}

    def _order_node(self, order, line_first):
        node = {k: v for k, v in order.items() if not k.startswith("_") and k not in (
            "lineItems", "shippingLines", "discountApplications", "fulfillmentOrders", "metafields")}
        node["lineItems"] = self._line_page(order, line_first)
        node["shippingLines"] = {"nodes": order["shippingLines"][:10]}
        node["discountApplications"] = {"nodes": order["discountApplications"][:20]}
        node["transactions"] = order["transactions"][:20]
        return json.loads(json.dumps(node))  # a copy: the client must never hold our state

    def _q_orders(self, v):
        first = self._required(v, "first", "Int!")
        line_first = self._required(v, "lineFirst", "Int!")
        search = SearchQuery(v.get("query"))
        orders = sorted(self.orders.values(), key=lambda o: (o["_updated"], int(o["id"].rsplit("/", 1)[1])))
        orders = [o for o in orders if search.matches(self._order_search_fields(o))]
        start = 0
        if v.get("after"):
            last = _uncursor(v["after"])
            try:
                last_key = (_parse_time(last.get("last_value")), int(last.get("last_id")))
            except (TypeError, ValueError):
                raise GraphQLError("Invalid cursor for current pagination sort.", "BAD_REQUEST") from None
            start = next((n for n, o in enumerate(orders)
                          if (o["_updated"], int(o["id"].rsplit("/", 1)[1])) > last_key),
                         len(orders))
        page = orders[start:start + first]
        end = None
        if page:
            end = _cursor({"last_id": int(page[-1]["id"].rsplit("/", 1)[1]), "last_value": page[-1]["updatedAt"]})
        self._actual_cost = 2 + sum(42 + min(line_first, len(o["lineItems"])) for o in page)
        return {"orders": {"pageInfo": {"hasNextPage": start + first < len(orders), "endCursor": end},
                           "nodes": [self._order_node(o, line_first) for o in page]}}

    def _order(self, v, name="id"):
        return self.orders.get(self._gid_of(self._required(v, name, "ID!"), "Order", name))

    def _q_order_line_items(self, v):
        order = self._order(v)
        if not order:
            return {"order": None}
        return {"order": {"lineItems": json.loads(json.dumps(self._line_page(order, MAX_FIRST, v.get("after"))))}}

    def _q_order_for_update(self, v):
        order = self._order(v)
        if not order:
            return {"order": None}
        return {"order": json.loads(json.dumps({
            "id": order["id"], "name": order["name"], "cancelledAt": order["cancelledAt"], "tags": order["tags"],
            "displayFulfillmentStatus": order["displayFulfillmentStatus"],
            "fulfillmentOrders": {"nodes": order["fulfillmentOrders"][:20]},
            "fulfillments": order["fulfillments"][:20]}))}

    def _m_tags_add(self, v):
        gid = self._required(v, "id", "ID!")
        tags = self._required(v, "tags", "[String!]!")
        order = self.orders.get(self._gid_of(gid, "Order"))
        if not order:
            return {"tagsAdd": {"node": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}}
        for tag in tags:
            if tag not in order["tags"]:
                order["tags"].append(tag)
        self._touch(order)
        return {"tagsAdd": {"node": {"id": order["id"]}, "userErrors": []}}

    def _find_fulfillment_order(self, fo_id):
        for order in self.orders.values():
            for fo in order["fulfillmentOrders"]:
                if fo["id"] == fo_id:
                    return order, fo
        return None, None

    def _find_fulfillment(self, fulfillment_id):
        for order in self.orders.values():
            for fulfillment in order["fulfillments"]:
                if fulfillment["id"] == fulfillment_id:
                    return order, fulfillment
        return None, None

    @staticmethod
    def _tracking_errors(tracking):
        url = (tracking or {}).get("url")
        if url and not re.match(r"^https?://", url):
            return [{"field": ["fulfillment", "trackingInfo", "url"], "message": "Tracking url is invalid"}]
        return []

    def _m_fulfillment_create(self, v):
        data = self._required(v, "fulfillment", "FulfillmentInput!")
        groups = data.get("lineItemsByFulfillmentOrder")
        if not groups:
            raise GraphQLError("Variable $fulfillment of type FulfillmentInput! was provided invalid value",
                               "INVALID_VARIABLE", problems=[{"path": ["lineItemsByFulfillmentOrder"],
                                                              "explanation": "Expected value to not be null"}])

        def refused(message):
            return {"fulfillmentCreate": {"fulfillment": None,
                                          "userErrors": [{"field": ["fulfillment"], "message": message}]}}

        targets = []
        for group in groups:
            order, fo = self._find_fulfillment_order(group.get("fulfillmentOrderId"))
            if not fo:
                return refused("Invalid fulfillment order line items. Fulfillment order "
                               f"{group.get('fulfillmentOrderId')} does not exist.")
            if fo["status"] not in ("OPEN", "IN_PROGRESS"):
                return refused(f"Fulfillment order {fo['id']} has an unfulfillable status= {fo['status'].lower()}.")
            targets.append((order, fo))
        if len({o["id"] for o, _ in targets}) > 1:
            return refused("All fulfillment orders must belong to the same order.")
        if len({fo["assignedLocation"]["location"]["id"] for _, fo in targets}) > 1:
            return refused("All fulfillment orders must be assigned to the same location.")
        errors = self._tracking_errors(data.get("trackingInfo"))
        if errors:
            return {"fulfillmentCreate": {"fulfillment": None, "userErrors": errors}}
        order = targets[0][0]
        for _, fo in targets:
            fo["status"] = "CLOSED"
        tracking = [dict(data["trackingInfo"])] if data.get("trackingInfo") else []
        fulfillment = {"id": self._gid("Fulfillment"), "status": "SUCCESS", "displayStatus": "FULFILLED",
                       "trackingInfo": tracking, "createdAt": _iso(self._now())}
        order["fulfillments"].append(fulfillment)
        remaining = [fo for fo in order["fulfillmentOrders"] if fo["status"] in ("OPEN", "IN_PROGRESS")]
        order["displayFulfillmentStatus"] = "PARTIALLY_FULFILLED" if remaining else "FULFILLED"
        self._touch(order)
        self.shipments.append({"order": order["id"], "fulfillment": fulfillment["id"], "tracking": tracking,
                               "notify": bool(data.get("notifyCustomer")), "message": v.get("message")})
        return {"fulfillmentCreate": {"fulfillment": {k: fulfillment[k] for k in ("id", "status", "trackingInfo")},
                                      "userErrors": []}}

    def _m_fulfillment_tracking(self, v):
        fulfillment_id = self._required(v, "fulfillmentId", "ID!")
        tracking = self._required(v, "trackingInfoInput", "FulfillmentTrackingInput!")
        order, fulfillment = self._find_fulfillment(fulfillment_id)
        if not fulfillment:
            return {"fulfillmentTrackingInfoUpdate": {"fulfillment": None, "userErrors": [
                {"field": ["fulfillmentId"], "message": "Fulfillment does not exist."}]}}
        errors = self._tracking_errors(tracking)
        if errors:
            return {"fulfillmentTrackingInfoUpdate": {"fulfillment": None, "userErrors": errors}}
        fulfillment["trackingInfo"] = [dict(tracking)]
        self._touch(order)
        self.shipments.append({"order": order["id"], "fulfillment": fulfillment["id"], "tracking": [dict(tracking)],
                               "notify": bool(v.get("notifyCustomer")), "message": None})
        return {"fulfillmentTrackingInfoUpdate": {"fulfillment": {"id": fulfillment["id"],
                                                                  "trackingInfo": fulfillment["trackingInfo"]},
                                                  "userErrors": []}}

    def _m_fulfillment_event(self, v):
        data = self._required(v, "fulfillmentEvent", "FulfillmentEventInput!")
        self._enum(data.get("status"), FULFILLMENT_EVENT_STATUSES, "fulfillmentEvent", "FulfillmentEventInput!")
        order, fulfillment = self._find_fulfillment(data.get("fulfillmentId"))
        if not fulfillment:
            return {"fulfillmentEventCreate": {"fulfillmentEvent": None, "userErrors": [
                {"field": ["fulfillmentEvent", "fulfillmentId"], "message": "Fulfillment does not exist."}]}}
        event = {"id": self._gid("FulfillmentEvent"), "status": data["status"], "fulfillment": fulfillment["id"],
                 "order": order["id"]}
        fulfillment["displayStatus"] = data["status"]
        self.fulfillment_events.append(event)
        self._touch(order)
        return {"fulfillmentEventCreate": {"fulfillmentEvent": {"id": event["id"], "status": event["status"]},
                                           "userErrors": []}}

    def _m_order_cancel(self, v):
        reason = self._enum(self._required(v, "reason", "OrderCancelReason!"), CANCEL_REASONS, "reason",
                            "OrderCancelReason!")
        if not isinstance(v.get("restock"), bool):
            raise GraphQLError("Variable $restock of type Boolean! was provided invalid value", "INVALID_VARIABLE")
        # refundMethod (a oneOf input) replaces the deprecated refund flag, which is still honoured
        method = v.get("refundMethod") or {}
        if len(method) > 1:
            raise GraphQLError("OneOf Input Object 'OrderCancelRefundMethodInput' must specify exactly one key.",
                               "INVALID_VARIABLE")
        refund = bool(method.get("originalPaymentMethodsRefund") or method.get("storeCreditRefund")
                      or v.get("refund"))
        order = self._order(v, "orderId")

        def refused(message, code):
            return {"orderCancel": {"job": None, "orderCancelUserErrors": [
                {"field": ["orderId"], "message": message, "code": code}], "userErrors": []}}

        if not order:
            return refused("Order does not exist", "NOT_FOUND")
        if order["cancelledAt"]:
            return refused("Cannot cancel an order that has already been cancelled", "INVALID")
        if any(f["status"] == "SUCCESS" for f in order["fulfillments"]):
            return refused("Cannot cancel an order with fulfilled items. Cancel the fulfillments first.", "INVALID")
        order["cancelledAt"] = _iso(self._now())
        order["cancelReason"] = reason
        for fo in order["fulfillmentOrders"]:
            fo["status"] = "CANCELLED"
        if refund and order["displayFinancialStatus"] in ("PAID", "PARTIALLY_PAID"):
            order["displayFinancialStatus"] = "REFUNDED"
        elif order["displayFinancialStatus"] == "AUTHORIZED":
            order["displayFinancialStatus"] = "VOIDED"
        self._touch(order)
        self.cancellations.append({"order": order["id"], "reason": reason, "refund": refund,
                                   "restock": v["restock"], "notify": bool(v.get("notifyCustomer")),
                                   "staffNote": v.get("staffNote")})
        if v.get("staffNote"):
            self.notes.append((order["id"], v["staffNote"]))
        return {"orderCancel": {"job": {"id": self._gid("Job"), "done": False}, "orderCancelUserErrors": [],
                                "userErrors": []}}

    def _q_order_invoice(self, v):
        order = self._order(v)
        namespace = self._required(v, "namespace", "String!")
        if not order:
            return {"order": None}
        nodes = [{"key": key, "type": m["type"], "value": m["value"]}
                 for (ns, key), m in order["metafields"].items() if ns == namespace]
        return {"order": {"id": order["id"], "name": order["name"], "metafields": {"nodes": nodes[:10]}}}

