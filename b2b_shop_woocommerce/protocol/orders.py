"""Orders in from WooCommerce, and what Odoo tells back: status, tracking, notes, the invoice."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, dec, iso, money, parse_datetime
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text

from .client import TRACKING_NAMESPACE, WooCommerceClient, record_key, shop_text, woo_code

INVOICE_NUMBER_KEY = "_b2b_invoice_number"
INVOICE_URL_KEY = "_b2b_invoice_url"
MAX_PDF_BYTES = 20 * 1024 * 1024
# where WooCommerce Multilingual (WPML) keeps the language an order was placed in (WCML_Orders::KEY_LANGUAGE)
WPML_LANGUAGE_KEY = "wpml_language"


class WooCommerceOrders(WooCommerceClient):
    """``fetch_orders`` (and ``parse_order``), ``update_order``, ``attach_invoice``."""

    # -- orders in
    def fetch_orders(self, since=None, statuses=None):
        params = {"per_page": self.page_size, "orderby": "modified", "order": "asc"}
        if since is not None:
            since = parse_datetime(since)
            # modified_after is strict: one second earlier makes it "at or after"
            params["modified_after"] = iso(since - timedelta(seconds=1))
            params["dates_are_gmt"] = "true"
        if statuses:
            params["status"] = ",".join(statuses)
        page, pager = 1, self.pager(Phrase(_lt("the order list")))
        while True:
            doing = Phrase(_lt("the order list (page %(page)s)"), page=page)
            data, response = self._listing(self._wc("orders"), doing, dict(params, page=page))
            # an order modified while paging may show up twice: once is enough
            for raw in pager.page(data, key=record_key):
                yield self.parse_order(raw)
            if not pager.more(self._more_pages(response, page, len(data))):
                return
            page += 1

    def parse_order(self, raw):
        """A :class:`model.Order` from one WooCommerce order object."""
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ShopError("shop.woocommerce.order_no_id",
                            _lt("WooCommerce answered an order without id"), kind="answer")
        try:
            return self._order(raw)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ShopError("shop.woocommerce.order_form",
                            _lt("WooCommerce order %(order)s is not in the expected form: %(error)s"),
                            order=raw.get("id"), error=str(exc), kind="answer") from None

    def _order(self, raw):
        incl = bool(raw.get("prices_include_tax"))
        meta = {m.get("key"): m.get("value") for m in self._list(raw, "meta_data") if isinstance(m, dict)}
        vat = _text(meta.get(self.options["vat_meta_key"])) if self.options["vat_meta_key"] else ""
        rates = {}
        for tax in self._list(raw, "tax_lines"):
            if tax.get("rate_percent") not in (None, ""):
                rates[tax.get("rate_id")] = dec(tax.get("rate_percent"))
        lines = []
        for item in self._list(raw, "line_items"):
            quantity = dec(item.get("quantity"))
            subtotal, total = dec(item.get("subtotal")), dec(item.get("total"))
            subtotal_tax, total_tax = dec(item.get("subtotal_tax")), dec(item.get("total_tax"))
            if incl:
                subtotal, total = subtotal + subtotal_tax, total + total_tax
            product_id = item.get("variation_id") or item.get("product_id")
            lines.append(model.OrderLine(
                name=shop_text(item.get("name")),
                quantity=quantity,
                unit_price=self._unit(subtotal, quantity),
                kind="product",
                sku=_text(item.get("sku")),
                product_remote_id=_text(product_id) if product_id else "",
                remote_id=_text(item.get("id")),
                discount=subtotal - total,
                tax_amount=total_tax,
                tax_rate=self._rate(item, rates, total_tax),
            ))
        for item in self._list(raw, "shipping_lines"):
            total, total_tax = dec(item.get("total")), dec(item.get("total_tax"))
            lines.append(model.OrderLine(
                name=shop_text(item.get("method_title")) or _text(item.get("method_id")) or Phrase(_lt("Shipping")),
                quantity=Decimal(1), unit_price=total + total_tax if incl else total, kind="shipping",
                sku=_text(item.get("method_id")), remote_id=_text(item.get("id")), tax_amount=total_tax,
                tax_rate=self._rate(item, rates, total_tax),
            ))
        for item in self._list(raw, "fee_lines"):
            total, total_tax = dec(item.get("total")), dec(item.get("total_tax"))
            name = shop_text(item.get("name")) or Phrase(_lt("Fee"))
            gift = total < 0 and bool(self._gift_card_re.search(name))
            lines.append(model.OrderLine(
                name=name, quantity=Decimal(1), unit_price=total + total_tax if incl else total,
                kind="gift_card" if gift else "fee", remote_id=_text(item.get("id")), tax_amount=total_tax,
                tax_rate=self._rate(item, rates, total_tax),
            ))
        currency = _text(raw.get("currency"))
        for item in self._list(raw, "coupon_lines"):
            amount = dec(item.get("discount")) + (dec(item.get("discount_tax")) if incl else 0)
            code = _text(item.get("code"))
            lines.append(model.OrderLine(
                name=Phrase(_lt("Coupon %(code)s: -%(amount)s"), code=code,
                            amount=f"{money(amount)} {currency}".rstrip()), quantity=Decimal(1),
                unit_price=Decimal(0), kind="coupon", sku=code, remote_id=_text(item.get("id")),
            ))
        for card in self._list(raw, "gift_cards"):  # WooCommerce Gift Cards extension
            amount = dec(card.get("amount"))
            code = _text(card.get("code"))
            name = Phrase(_lt("Gift card %(code)s"), code=code) if code else Phrase(_lt("Gift card"))
            lines.append(model.OrderLine(
                name=name, quantity=Decimal(1), unit_price=-amount, kind="gift_card",
                sku=code, remote_id=_text(card.get("id")),
            ))
        billing = raw.get("billing") or {}
        paid_at = raw.get("date_paid_gmt") or raw.get("date_paid")
        total = dec(raw.get("total"))
        customer_id = raw.get("customer_id")
        return model.Order(
            remote_id=_text(raw["id"]),
            number=_text(raw.get("number")) or _text(raw["id"]),
            status=_text(raw.get("status")),
            created_at=parse_datetime(raw.get("date_created_gmt") or raw.get("date_created")),
            updated_at=parse_datetime(raw.get("date_modified_gmt") or raw.get("date_modified")),
            currency=currency,
            email=_text(billing.get("email")),
            customer_remote_id=_text(customer_id) if customer_id not in (None, 0, "0", "") else "",
            billing=self._address_in(billing, vat),
            shipping=self._address_in(raw.get("shipping") or {}),
            lines=lines,
            paid=bool(paid_at),
            paid_amount=total if paid_at else Decimal(0),
            payment_method=_text(raw.get("payment_method")) or _text(raw.get("payment_method_title")),
            transaction_id=_text(raw.get("transaction_id")),
            total=total,
            total_tax=dec(raw.get("total_tax")),
            prices_include_tax=incl,
            note=_text(raw.get("customer_note")),
            customer_lang=_order_language(raw),
            raw=raw,
        )

    @staticmethod
    def _list(raw, key):
        value = raw.get(key) or []
        if not isinstance(value, list):
            raise ValueError(f"{key} is not a list")
        return [v for v in value if isinstance(v, dict)]

    @staticmethod
    def _unit(amount, quantity):
        if not quantity:
            return amount
        unit = amount / quantity
        exact = unit.quantize(Decimal("0.000001"))
        return unit if unit == exact else exact

    @staticmethod
    def _rate(item, rates, total_tax):
        used = [t.get("id") for t in item.get("taxes") or [] if isinstance(t, dict) and dec(t.get("total")) != 0]
        if not used:
            return Decimal(0) if total_tax == 0 and rates else None
        if len(used) == 1 and used[0] in rates:
            return rates[used[0]]
        return None

    @staticmethod
    def _address_in(data, vat=""):
        return model.Address(
            first_name=_text(data.get("first_name")),
            last_name=_text(data.get("last_name")),
            company=_text(data.get("company")),
            street=_text(data.get("address_1")),
            street2=_text(data.get("address_2")),
            city=_text(data.get("city")),
            zip=_text(data.get("postcode")),
            state_code=_text(data.get("state")),
            country_code=_text(data.get("country")).upper(),
            email=_text(data.get("email")),
            phone=_text(data.get("phone")),
            vat=vat,
        )

    # -- orders out
    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        """Tracking first (so WooCommerce's "completed" e-mail carries it), then the status, then a note
        with the carrier and tracking number (a customer note when ``notify``). Repeating a call adds no
        second tracking item or note."""
        status = status or self.status_for(event)
        order_id = self._int_id(remote_id, "order")
        done = []
        has_shipment = shipment is not None and bool(shipment.tracking_number or shipment.carrier)
        if has_shipment and shipment.tracking_number and self._add_tracking(order_id, shipment):
            done.append(Phrase(_lt("tracking %(number)s"), number=shipment.tracking_number))
        doing = Phrase(_lt("the status of order %(order)s"), order=order_id)
        data = self._request("PUT", self._wc(f"orders/{order_id}"), doing,
                             json={"status": status})
        self._expect(data, dict, Phrase(_lt("the status of order %(order)s"), order=order_id))
        if _text(data.get("status")) != status:
            raise ShopError("shop.woocommerce.status_kept", _lt(
                "WooCommerce kept order %(order)s in status %(current)s instead of %(wanted)s (a plugin may refuse "
                "the change)"), order=order_id, current=repr(data.get("status")), wanted=repr(status), kind="remote")
        done.insert(0, Phrase(_lt("status %(status)s"), status=status))
        if has_shipment:
            sentences = self._shipment_note(shipment)
            # the tracking number marks the note as written; without one, its first sentence in any wording
            markers = (shipment.tracking_number,) if shipment.tracking_number else self.texts.forms(sentences[0])
            if not any(marker in _text(n.get("note")) for n in self._notes(order_id) for marker in markers):
                self._add_note(order_id, " ".join(self.texts.say(sentence) for sentence in sentences),
                               customer=notify)
                done.append(Phrase(_lt("note")))
        return Phrase(_lt("WooCommerce order %(order)s: %(done)s"), order=order_id, done=Phrase.join(done))

    def _add_tracking(self, order_id, shipment):
        """Add a Shipment Tracking item unless the number is there already; False when the extension is
        not installed (or switched off)."""
        if self._tracking_available is False:
            return False
        path = f"{TRACKING_NAMESPACE}/orders/{order_id}/shipment-trackings"
        what = Phrase(_lt("the shipment tracking of order %(order)s"), order=order_id)
        try:
            existing = self._request("GET", path, what)
        except ShopError as exc:
            if woo_code(exc) == "rest_no_route":
                self._tracking_available = False
                return False
            raise
        self._tracking_available = True
        for item in self._expect(existing, list, what):
            if isinstance(item, dict) and _text(item.get("tracking_number")) == shipment.tracking_number:
                return True
        body = {"tracking_number": shipment.tracking_number}
        if shipment.tracking_url:
            body["custom_tracking_provider"] = shipment.carrier or self.texts.say(Phrase(_lt("Carrier")))
            body["custom_tracking_link"] = shipment.tracking_url
        else:
            body["tracking_provider"] = shipment.carrier or self.texts.say(Phrase(_lt("Carrier")))
        if shipment.shipped_at:
            shipped = shipment.shipped_at
            body["date_shipped"] = (shipped.date() if isinstance(shipped, datetime) else shipped).isoformat()
        data = self._request("POST", path, what, json=body)
        self._expect(data, dict, what)
        return True

    @staticmethod
    def _shipment_note(shipment):
        """The sentences of the note the customer reads about their parcel (said in the shop's language)."""
        sentences = [Phrase(_lt("Your order has been shipped with %(carrier)s."), carrier=shipment.carrier)
                     if shipment.carrier else Phrase(_lt("Your order has been shipped."))]
        if shipment.tracking_number:
            sentences.append(Phrase(_lt("Tracking number: %(number)s."), number=shipment.tracking_number))
        if shipment.tracking_url:
            sentences.append(Phrase(_lt("Track it at %(url)s"), url=shipment.tracking_url))
        return sentences

    def _notes(self, order_id):
        doing = Phrase(_lt("the notes of order %(order)s"), order=order_id)
        data = self._request("GET", self._wc(f"orders/{order_id}/notes"), doing,
                             params={"type": "any"})
        doing = Phrase(_lt("the notes of order %(order)s"), order=order_id)
        return [n for n in self._expect(data, list, doing) if isinstance(n, dict)]

    def _add_note(self, order_id, text, customer=False):
        doing = Phrase(_lt("a note on order %(order)s"), order=order_id)
        data = self._request("POST", self._wc(f"orders/{order_id}/notes"), doing,
                             json={"note": text, "customer_note": bool(customer)})
        return self._expect(data, dict, Phrase(_lt("a note on order %(order)s"), order=order_id))

    def attach_invoice(self, remote_id, document):
        """Upload the PDF to the media library (with ``wp_user`` + application password), store the
        number and URL in the order's meta (``_b2b_invoice_number`` / ``_b2b_invoice_url``) and add a
        note with the link (the Odoo portal link when there is no upload). Returns the URL (or the number).
        An invoice number already on the order (meta, or an earlier invoice note) is not attached again."""
        order_id = self._int_id(remote_id, "order")
        what = Phrase(_lt("order %(order)s"), order=order_id)
        order = self._request("GET", self._wc(f"orders/{order_id}"), what)
        self._expect(order, dict, what)
        meta = {m.get("key"): m.get("value") for m in order.get("meta_data") or [] if isinstance(m, dict)}
        current = _text(meta.get(INVOICE_NUMBER_KEY))
        if current == document.number:
            return _text(meta.get(INVOICE_URL_KEY)) or document.number
        if current:  # another invoice came first: this one may be in an earlier note
            for note in self._notes(order_id):
                if self._mentions_invoice(_text(note.get("note")), document.number):
                    return document.number
        url = ""
        if self._app_password and self.options["wp_user"]:
            url = self._upload_pdf(document)
        url = url or document.url or ""
        doing = Phrase(_lt("the invoice meta of order %(order)s"), order=order_id)
        self._request("PUT", self._wc(f"orders/{order_id}"), doing, json={
            "meta_data": [{"key": INVOICE_NUMBER_KEY, "value": document.number},
                          {"key": INVOICE_URL_KEY, "value": url}]})
        self._add_note(order_id, self._invoice_note(document, url),
                       customer=self.options["invoice_note_to_customer"])
        return url or document.number

    def _upload_pdf(self, document):
        pdf = document.pdf or b""
        if not pdf.startswith(b"%PDF"):
            raise ShopError("shop.woocommerce.invoice_not_pdf", _lt("invoice %(invoice)s is not a PDF"),
                            invoice=document.number, kind="payload")
        if len(pdf) > MAX_PDF_BYTES:
            raise ShopError("shop.woocommerce.invoice_too_large",
                            _lt("invoice %(invoice)s is larger than %(limit)s MB"),
                            invoice=document.number, limit=MAX_PDF_BYTES // (1024 * 1024), kind="payload")
        filename = re.sub(r"[^A-Za-z0-9._-]+", "_", document.filename or f"{document.number}.pdf").strip("._")
        if not filename.lower().endswith(".pdf"):
            filename += ".pdf"
        doing = Phrase(_lt("the upload of invoice %(number)s"), number=document.number)
        data = self._request("POST", "wp/v2/media", doing, data=pdf,
                             auth="wp", headers={"Content-Type": "application/pdf",
                                                 "Content-Disposition": f'attachment; filename="{filename}"'})
        self._expect(data, dict, Phrase(_lt("the upload of invoice %(number)s"), number=document.number))
        url = _text(data.get("source_url"))
        if not url:
            raise ShopError("shop.woocommerce.no_source_url",
                            _lt("WordPress answered the upload of invoice %(invoice)s without source_url"),
                            invoice=document.number, kind="answer")
        return url

    def _invoice_note(self, document, url):
        details = []
        if isinstance(document.date, date):
            details.append(document.date.isoformat())
        if document.amount_total is not None:
            details.append(f"{document.currency} {money(document.amount_total)}".strip())
        text = self.texts.say(_invoice_marker(document.number))
        if details:
            text += f" ({', '.join(details)})"
        return text + (f": {url}" if url else ".")

    def _mentions_invoice(self, text, number):
        """Whether a note names invoice ``number`` as ours do, in whichever language it was written."""
        return any(re.search(rf"(?<!\w){re.escape(form)}(?=[\s:.(]|$)", text)
                   for form in self.texts.forms(_invoice_marker(number)))


def _order_language(raw):
    """The language the customer ordered in, where a multilingual plugin keeps it: WooCommerce Multilingual
    (WPML) stores it in the order meta ``wpml_language`` and adds ``lang`` to the REST order, the REST field
    Polylang for WooCommerce (with Polylang Pro) gives orders too; none (TranslatePress keeps no order
    language): empty, and the shop's language is used."""
    meta = {m.get("key"): m.get("value") for m in raw.get("meta_data") or [] if isinstance(m, dict)}
    return _text(raw.get("lang") or meta.get(WPML_LANGUAGE_KEY)).strip()


def _invoice_marker(number):
    """How our notes name an invoice (found again by :meth:`WooCommerceOrders._mentions_invoice`)."""
    return Phrase(_lt("Invoice %(number)s"), number=number)
