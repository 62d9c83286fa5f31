"""Orders in from Shopify, and what Odoo tells back: tags, fulfillments with tracking, cancellation, the invoice
PDF as a file and metafields."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from decimal import Decimal

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, dec, iso, money, parse_datetime
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text
from odoo.addons.b2b_ecommerce_sync.protocol.model import Address, Order, OrderLine

from .client import ShopifyClient, _email_of, _errors_text, _node_key
from .options import STATUS_SEARCH

MAX_UPLOAD_ANSWER_BYTES = 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
PAID_FINANCIAL = ("PAID", "PARTIALLY_REFUNDED")
OPEN_FULFILLMENT_ORDER = ("OPEN", "IN_PROGRESS")


class ShopifyOrders(ShopifyClient):
    """``fetch_orders`` (and ``parse_order``), ``update_order``, ``attach_invoice``."""

    # ------------------------------------------------------------------ orders in
    def _orders_query(self, since, statuses):
        terms = []
        if since:
            terms.append(f"updated_at:>='{iso(since)}Z'")
        if statuses:
            unknown = [s for s in statuses if s not in STATUS_SEARCH]
            if unknown:
                raise ShopError("shop.shopify.unknown_status", _lt("unknown Shopify order status %(status_code)s"),
                                status_code=repr(unknown[0]), kind="config")
            searches = sorted({STATUS_SEARCH[s] for s in statuses})
            terms.append(searches[0] if len(searches) == 1 else "(" + " OR ".join(searches) + ")")
        return " AND ".join(terms) or None

    def fetch_orders(self, since=None, statuses=None):
        statuses = list(statuses) if statuses else None
        query = self._orders_query(since, statuses)
        after, pager = None, self.pager(Phrase(_lt("the order list")))
        while True:
            data = self._call("Orders", {"first": self.page_size, "after": after, "query": query,
                                         "lineFirst": self.line_page_size})
            connection = data.get("orders")
            if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
                raise ShopError("shop.shopify.no_orders", _lt("Shopify answered Orders without orders"), kind="answer")
            for node in connection["nodes"]:
                if not isinstance(node, dict) or not node.get("id"):
                    raise ShopError("shop.shopify.order_no_id",
                                    _lt("Shopify answered an order without id"), kind="answer")
            for node in pager.page(connection["nodes"], key=_node_key):
                order = self.parse_order(node)
                if statuses and order.status not in statuses:
                    continue
                yield order
            page = connection.get("pageInfo") or {}
            if not pager.more(bool(page.get("hasNextPage"))):
                return
            if not page.get("endCursor") or page.get("endCursor") == after:
                raise ShopError("shop.shopify.no_cursor",
                                _lt("Shopify answered Orders with a next page but no new cursor"),
                                kind="answer")
            after = page["endCursor"]

    def _more_line_items(self, node):
        pager = self.pager(Phrase(_lt("the line items of order %(order)s"), order=node.get("name") or node["id"]))
        items = pager.page(((node.get("lineItems") or {}).get("nodes")) or [], key=_node_key)
        page = (node.get("lineItems") or {}).get("pageInfo") or {}
        while pager.more(bool(page.get("hasNextPage") and page.get("endCursor"))):
            data = self._call("OrderLineItems", {"id": node["id"], "after": page["endCursor"]})
            connection = ((data.get("order") or {}).get("lineItems")) or {}
            items.extend(pager.page(connection.get("nodes") or [], key=_node_key))
            page = connection.get("pageInfo") or {}
        return items

    @staticmethod
    def derive_status(node):
        if node.get("cancelledAt"):
            return "cancelled"
        financial = _text(node.get("displayFinancialStatus")).upper()
        fulfillment = _text(node.get("displayFulfillmentStatus")).upper()
        if financial in ("REFUNDED", "VOIDED", "EXPIRED"):
            return financial.lower()
        if fulfillment == "FULFILLED" and financial in PAID_FINANCIAL:
            return "fulfilled"
        return {"PAID": "paid", "PARTIALLY_REFUNDED": "partially_refunded", "PARTIALLY_PAID": "partially_paid",
                "AUTHORIZED": "authorized"}.get(financial, "pending")

    def _amount(self, bag):
        if not isinstance(bag, dict):
            return Decimal(0)
        key = "presentmentMoney" if self._opt("money") == "presentment" else "shopMoney"
        inner = bag.get(key) or bag.get("shopMoney") or {}
        return dec(inner.get("amount"))

    @staticmethod
    def _address(data, email=""):
        if not isinstance(data, dict):
            return Address(email=email)
        return Address(
            first_name=_text(data.get("firstName")), last_name=_text(data.get("lastName")),
            company=_text(data.get("company")), street=_text(data.get("address1")),
            street2=_text(data.get("address2")), city=_text(data.get("city")), zip=_text(data.get("zip")),
            state_code=_text(data.get("provinceCode")), country_code=_text(data.get("countryCodeV2")),
            email=email, phone=_text(data.get("phone")),
        )

    def _taxes(self, tax_lines):
        amount = sum((self._amount(t.get("priceSet")) for t in tax_lines or [] if isinstance(t, dict)), Decimal(0))
        rates = [t.get("ratePercentage") for t in tax_lines or [] if isinstance(t, dict)]
        rate = dec(rates[0], None) if len(rates) == 1 else None
        return amount, rate

    def parse_order(self, node):
        """Map one Shopify order (the ``Orders`` selection) to :class:`~.model.Order`."""
        applications = {}
        for app in ((node.get("discountApplications") or {}).get("nodes")) or []:
            if isinstance(app, dict) and app.get("index") is not None:
                applications[app["index"]] = app
        separate = self._opt("coupon_lines") != "allocated"
        code_totals = {}  # application index -> amount allocated to lines

        def discount_of(allocations):
            total = Decimal(0)
            for alloc in allocations or []:
                amount = self._amount(alloc.get("allocatedAmountSet"))
                index = (alloc.get("discountApplication") or {}).get("index")
                app = applications.get(index) or {}
                if app.get("__typename") == "DiscountCodeApplication" or app.get("code"):
                    code_totals[index] = code_totals.get(index, Decimal(0)) + amount
                    if separate:
                        continue
                total += amount
            return total

        lines = []
        for item in self._more_line_items(node):
            tax, rate = self._taxes(item.get("taxLines"))
            lines.append(OrderLine(
                name=_text(item.get("name")), quantity=dec(item.get("quantity")),
                unit_price=self._amount(item.get("originalUnitPriceSet")), kind="product",
                sku=_text(item.get("sku")), product_remote_id=_text((item.get("product") or {}).get("id")),
                remote_id=_text(item.get("id")), discount=discount_of(item.get("discountAllocations")),
                tax_amount=tax, tax_rate=rate,
            ))
        for ship in ((node.get("shippingLines") or {}).get("nodes")) or []:
            tax, rate = self._taxes(ship.get("taxLines"))
            lines.append(OrderLine(
                name=_text(ship.get("title")) or Phrase(_lt("Shipping")), quantity=Decimal(1),
                unit_price=self._amount(ship.get("originalPriceSet")), kind="shipping", sku=_text(ship.get("code")),
                remote_id=_text(ship.get("id")), discount=discount_of(ship.get("discountAllocations")),
                tax_amount=tax, tax_rate=rate,
            ))
        for fee in node.get("additionalFees") or []:
            tax, rate = self._taxes(fee.get("taxLines"))
            lines.append(OrderLine(name=_text(fee.get("name")) or Phrase(_lt("Fee")), quantity=Decimal(1),
                                   unit_price=self._amount(fee.get("price")), kind="fee",
                                   remote_id=_text(fee.get("id")), tax_amount=tax, tax_rate=rate))
        for index in sorted(code_totals):
            code = _text(applications[index].get("code"))
            amount = code_totals[index]
            lines.append(OrderLine(
                name=Phrase(_lt("Discount code %(code)s"), code=code) if separate else
                Phrase(_lt("Discount code %(code)s (-%(amount)s, in the lines)"), code=code, amount=money(amount)),
                quantity=Decimal(1), unit_price=-amount if separate else Decimal(0), kind="coupon", sku=code,
                remote_id=f"{node['id']}#discount-{index}",
            ))

        gift_cards, paid_amount, payment_method, transaction_id = self._payments(node, lines)
        presentment = self._opt("money") == "presentment"
        email = _text(node.get("email")) or _email_of(node.get("customer"))
        financial = _text(node.get("displayFinancialStatus")).upper()
        return Order(
            remote_id=node["id"], number=_text(node.get("name")), status=self.derive_status(node),
            created_at=parse_datetime(node.get("createdAt")), updated_at=parse_datetime(node.get("updatedAt")),
            currency=_text(node.get("presentmentCurrencyCode") if presentment else node.get("currencyCode")),
            email=email, customer_remote_id=_text((node.get("customer") or {}).get("id")),
            billing=self._address(node.get("billingAddress"), email),
            shipping=self._address(node.get("shippingAddress")),
            lines=lines, paid=financial in PAID_FINANCIAL, paid_amount=paid_amount,
            payment_method=payment_method, transaction_id=transaction_id,
            total=self._amount(node.get("totalPriceSet")) - gift_cards,
            total_tax=self._amount(node.get("totalTaxSet")),
            prices_include_tax=bool(node.get("taxesIncluded")), note=_text(node.get("note")),
            customer_lang=_text(node.get("customerLocale")), raw=node,
        )

    def _payments(self, node, lines):
        """The order's successful transactions: (gift cards used, amount paid otherwise, payment method,
        transaction id); a gift card is also added to ``lines`` (a negative line, its refund a positive one)."""
        gift_cards = Decimal(0)
        paid_amount = Decimal(0)
        payment_method = transaction_id = ""
        for tx in node.get("transactions") or []:
            if not isinstance(tx, dict) or _text(tx.get("status")).upper() != "SUCCESS":
                continue
            kind = _text(tx.get("kind")).upper()
            amount = self._amount(tx.get("amountSet"))
            sign = 1 if kind in ("SALE", "CAPTURE") else -1 if kind == "REFUND" else 0
            if not sign:
                continue
            if _text(tx.get("gateway")).lower() == "gift_card":
                gift_cards += sign * amount
                if sign > 0:
                    lines.append(OrderLine(name=Phrase(_lt("Gift card")), quantity=Decimal(1), unit_price=-amount,
                                           kind="gift_card", remote_id=_text(tx.get("id"))))
                else:
                    lines.append(OrderLine(name=Phrase(_lt("Gift card refund")), quantity=Decimal(1), unit_price=amount,
                                           kind="gift_card", remote_id=_text(tx.get("id"))))
                continue
            paid_amount += sign * amount
            if sign > 0 and not payment_method:
                payment_method = _text(tx.get("formattedGateway")) or _text(tx.get("gateway"))
                transaction_id = _text(tx.get("paymentId")) or _text(tx.get("id"))
        if not payment_method:
            gateways = [g for g in node.get("paymentGatewayNames") or [] if g != "gift_card"]
            payment_method = _text(gateways[0]) if gateways else ""
        return gift_cards, paid_amount, payment_method, transaction_id

    # ------------------------------------------------------------------ orders out
    def _order_for_update(self, order_id):
        data = self._call("OrderForUpdate", {"id": order_id})
        order = data.get("order")
        if not isinstance(order, dict):
            raise ShopError("shop.shopify.order_not_found", _lt("Shopify order %(order)s not found"), order=order_id,
                            kind="not_found")
        return order

    def _mutate(self, operation, field, variables, errors_key="userErrors"):
        payload = self._payload(self._call(operation, variables), operation, field)
        errors = payload.get(errors_key) or []
        if errors:
            raise ShopError("shop.shopify.user_errors", _lt("Shopify refused %(what)s: %(error)s"),
                            what=self._doing(operation), error=_errors_text(errors), kind="payload")
        return payload

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        status = self.status_for(event, {event: status} if status else None)
        if status not in dict(self.order_statuses):
            raise ShopError("shop.shopify.bad_status", _lt("%(status_code)s is not a Shopify order status code"),
                            status_code=repr(status), kind="config")
        order_id = self._gid("Order", remote_id)
        order = self._order_for_update(order_id)
        if event == "cancelled":
            if order.get("cancelledAt"):
                return Phrase(_lt("order %(order)s was already cancelled"), order=order.get("name"))
            # no refundMethod: nothing is refunded (authorized payments are voided by Shopify anyway)
            self._mutate("OrderCancel", "orderCancel", {
                "orderId": order_id, "reason": str(self._opt("cancel_reason")),
                "restock": bool(self._opt("cancel_restock")), "notifyCustomer": bool(notify),
                "staffNote": self.texts.say(Phrase(_lt("Cancelled in Odoo"))),
            }, errors_key="orderCancelUserErrors")
            return Phrase(_lt("order %(order)s cancelled"), order=order.get("name"))
        if order.get("cancelledAt"):
            raise ShopError("shop.shopify.order_cancelled", _lt("Shopify order %(order)s is cancelled"),
                            order=order.get("name"), kind="payload")
        if event == "confirmed":
            tag = str(self._opt("confirmed_tag"))
            if tag in (order.get("tags") or []):
                return Phrase(_lt("order %(order)s already tagged %(tag)s"), order=order.get("name"), tag=tag)
            self._mutate("OrderTagsAdd", "tagsAdd", {"id": order_id, "tags": [tag]})
            return Phrase(_lt("order %(order)s tagged %(tag)s"), order=order.get("name"), tag=tag)
        shipped = self._ship(order, shipment, notify)
        if event == "shipped":
            return shipped
        # delivered
        delivered = 0
        order = self._order_for_update(order_id)
        for fulfillment in order.get("fulfillments") or []:
            if _text(fulfillment.get("status")).upper() != "SUCCESS" or fulfillment.get("displayStatus") == "DELIVERED":
                continue
            self._mutate("FulfillmentEventCreate", "fulfillmentEventCreate", {
                "fulfillmentEvent": {"fulfillmentId": fulfillment["id"], "status": "DELIVERED"}})
            delivered += 1
        return Phrase(_lt("order %(order)s: %(count)s fulfillment(s) marked delivered"), order=order.get("name"),
                      count=delivered)

    def _tracking(self, shipment):
        if not shipment:
            return None
        info = {"company": shipment.carrier or None, "number": shipment.tracking_number or None,
                "url": shipment.tracking_url or None}
        info = {k: v for k, v in info.items() if v}
        return info or None

    def _ship(self, order, shipment, notify):
        tracking = self._tracking(shipment)
        open_orders = [fo for fo in ((order.get("fulfillmentOrders") or {}).get("nodes")) or []
                       if _text(fo.get("status")).upper() in OPEN_FULFILLMENT_ORDER]
        if open_orders:
            by_location = {}
            for fo in open_orders:
                location = (((fo.get("assignedLocation") or {}).get("location")) or {}).get("id") or ""
                by_location.setdefault(location, []).append({"fulfillmentOrderId": fo["id"]})
            created = []
            for groups in by_location.values():
                fulfillment = {"lineItemsByFulfillmentOrder": groups, "notifyCustomer": bool(notify)}
                if tracking:
                    fulfillment["trackingInfo"] = tracking
                payload = self._mutate("FulfillmentCreate", "fulfillmentCreate", {"fulfillment": fulfillment})
                created.append(_text((payload.get("fulfillment") or {}).get("id")))
            return Phrase(_lt("order %(order)s fulfilled (%(fulfillments)s)"), order=order.get("name"),
                          fulfillments=", ".join(created))
        fulfillments = [f for f in order.get("fulfillments") or [] if _text(f.get("status")).upper() == "SUCCESS"]
        if not fulfillments:
            raise ShopError("shop.shopify.nothing_to_fulfill",
                            _lt("Shopify order %(order)s has nothing left to fulfill"),
                            order=order.get("name"), kind="payload")
        number = (tracking or {}).get("number")
        known = {t.get("number") for f in fulfillments for t in f.get("trackingInfo") or []}
        if not number or number in known:
            return Phrase(_lt("order %(order)s was already fulfilled"), order=order.get("name"))
        self._mutate("FulfillmentTrackingUpdate", "fulfillmentTrackingInfoUpdate", {
            "fulfillmentId": fulfillments[-1]["id"], "trackingInfoInput": tracking, "notifyCustomer": bool(notify)})
        return Phrase(_lt("order %(order)s: tracking number %(number)s added"), order=order.get("name"), number=number)

    # ------------------------------------------------------------------ invoices
    def attach_invoice(self, remote_id, document):
        pdf = document.pdf or b""
        if not pdf.startswith(b"%PDF"):
            raise ShopError("shop.shopify.invoice_not_pdf", _lt("the invoice file is not a PDF"), kind="payload")
        if len(pdf) > MAX_PDF_BYTES:
            raise ShopError("shop.shopify.invoice_too_large", _lt("the invoice PDF is larger than %(limit)s MB"),
                            limit=MAX_PDF_BYTES // (1024 * 1024), kind="payload")
        if not document.number:
            raise ShopError("shop.shopify.invoice_no_number", _lt("the invoice has no number"), kind="payload")
        order_id = self._gid("Order", remote_id)
        namespace = str(self._opt("invoice_namespace"))
        data = self._call("OrderInvoice", {"id": order_id, "namespace": namespace})
        order = data.get("order")
        if not isinstance(order, dict):
            raise ShopError("shop.shopify.order_not_found", _lt("Shopify order %(order)s not found"), order=order_id,
                            kind="not_found")
        fields = {n.get("key"): n.get("value") for n in ((order.get("metafields") or {}).get("nodes")) or []
                  if isinstance(n, dict)}
        if fields.get("invoice_number") == document.number and fields.get("invoice_pdf"):
            return fields["invoice_pdf"]

        filename = document.filename or f"{document.number}.pdf"
        target = self._payload(self._call("StagedUploadsCreate", {"input": [{
            "resource": "FILE", "filename": filename, "mimeType": "application/pdf", "httpMethod": "POST",
            "fileSize": str(len(pdf))}]}), "StagedUploadsCreate", "stagedUploadsCreate")
        if target.get("userErrors"):
            raise ShopError("shop.shopify.upload_refused", _lt("Shopify refused the upload: %(error)s"),
                            error=_errors_text(target["userErrors"]), kind="payload")
        targets = target.get("stagedTargets") or []
        if not targets or not targets[0].get("url") or not targets[0].get("resourceUrl"):
            raise ShopError("shop.shopify.no_upload_target",
                            _lt("Shopify answered stagedUploadsCreate without an upload target"), kind="answer")
        self._upload(targets[0], filename, pdf)

        created = self._mutate("FileCreate", "fileCreate", {"files": [{
            "originalSource": targets[0]["resourceUrl"], "contentType": "FILE", "filename": filename,
            "alt": self.texts.say(Phrase(_lt("Invoice %(number)s"), number=document.number))}]})
        files = created.get("files") or []
        if not files or not files[0].get("id"):
            raise ShopError("shop.shopify.no_file", _lt("Shopify answered fileCreate without the file"), kind="answer")
        if _text(files[0].get("fileStatus")).upper() == "FAILED":
            raise ShopError("shop.shopify.file_failed", _lt("Shopify could not process the invoice file %(file)s"),
                            file=filename, kind="remote")
        file_id = files[0]["id"]
        self._mutate("MetafieldsSet", "metafieldsSet", {"metafields": [
            {"ownerId": order_id, "namespace": namespace, "key": "invoice_pdf", "type": "file_reference",
             "value": file_id},
            {"ownerId": order_id, "namespace": namespace, "key": "invoice_number",
             "type": "single_line_text_field", "value": document.number},
        ]})
        return file_id

    def _upload(self, target, filename, pdf):
        """POST the file to the staged target (a storage bucket form upload, not Shopify: no token)."""
        fields = [(p.get("name"), _text(p.get("value"))) for p in target.get("parameters") or [] if p.get("name")]
        response = self.http.post(target["url"], data=fields, files={"file": (filename, pdf, "application/pdf")},
                                  idempotent=True, expected=(400, 403))
        body = response.content or b""
        if response.status_code >= 300:
            code = message = ""
            if body.strip():
                try:
                    root = safe_xml.parse_xml(body, max_bytes=MAX_UPLOAD_ANSWER_BYTES, what="staged upload answer")
                    code, message = root.findtext("Code") or "", root.findtext("Message") or ""
                except safe_xml.XMLInputError as exc:
                    message = str(exc)
            if message:
                raise ShopError("shop.shopify.store_refused", _lt(
                    "the file store refused the invoice upload (HTTP %(http_status)s %(error_code)s): %(error)s"),
                    http_status=response.status_code, error_code=code, error=message, kind="remote")
            raise ShopError("shop.shopify.store_refused",
                            _lt("the file store refused the invoice upload (HTTP %(http_status)s %(error_code)s)"),
                            http_status=response.status_code, error_code=code, kind="remote")
        if body.strip():
            try:
                root = safe_xml.parse_xml(body, max_bytes=MAX_UPLOAD_ANSWER_BYTES, what="staged upload answer")
            except safe_xml.XMLInputError as exc:
                raise ShopError("shop.shopify.store_answer", _lt("the file store answered the upload with %(error)s"),
                                error=str(exc), kind="answer") from None
            if root.tag != "PostResponse" or not root.findtext("Key"):
                raise ShopError("shop.shopify.store_document",
                                _lt("the file store answered the upload with an unexpected document"), kind="answer")
