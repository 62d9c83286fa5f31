"""Orders in from PrestaShop, and what Odoo tells back: order states, tracking numbers, messages, invoices."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re
import secrets as _secrets
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, dec

from .client import PrestaShopClient
from .webservice import _DIGITS, RecordRefused, _flag, _or_safe, _pick, _slug, assoc_ids, lang_text

# the writable fields of an order carrier (OrderCarrier::$definition), sent back whole with its new tracking number
ORDER_CARRIER_FIELDS = ("id_order", "id_carrier", "id_order_invoice", "weight", "shipping_cost_tax_excl",
                        "shipping_cost_tax_incl", "date_add")


class PrestaShopOrders(PrestaShopClient):
    """``fetch_orders``, ``update_order``, ``attach_invoice``."""

    # ------------------------------------------------------------------ orders
    def fetch_orders(self, since=None, statuses=None):
        filters = {}
        if since is not None:
            filters["date_upd"] = f"[{self._local(since)},9999-12-31 23:59:59]"
        if statuses:
            codes = [str(s).strip() for s in statuses]
            if any(not _DIGITS.match(c) for c in codes):
                raise ShopError("shop.prestashop.state_ids", _lt("PrestaShop order states are ids; got %(states)s"),
                                states=str(codes), kind="config")
            filters["current_state"] = "[" + "|".join(codes) + "]"
        offset, pager = 0, self.pager(Phrase(_lt("the order list")))
        while True:
            page = self._list("orders", filters, sort="[date_upd_ASC,id_ASC]",
                              limit=f"{offset},{self.page_size}", date=True)
            fresh = pager.page(page, key=lambda o: str(o["id"]))
            if fresh:
                context = self._order_context(fresh)
                for raw in fresh:
                    yield self._map_order(raw, context)
            # no paging headers: a short page is the last one
            if not pager.more(len(page) >= self.page_size):
                return
            offset += len(page)

    def _order_states(self):
        if "order_states_all" not in self._cache:
            self._cache["order_states_all"] = {str(r["id"]): r for r in self._list("order_states")}
        return self._cache["order_states_all"]

    def _order_context(self, orders):
        ids = [str(o["id"]) for o in orders]
        group = {}

        def by_order(rows, field="id_order"):
            out = {}
            for row in rows:
                out.setdefault(str(row.get(field)), []).append(row)
            return out

        group["details"] = by_order(self._list_in("order_details", "id_order", ids))
        group["cart_rules"] = by_order(self._list_in("order_cart_rules", "id_order", ids))
        references = [str(o.get("reference") or "") for o in orders if _or_safe(str(o.get("reference") or "x"))]
        group["payments"] = by_order(self._list_in("order_payments", "order_reference", references), "order_reference")
        threads = self._list_in("customer_threads", "id_order", ids)
        messages = self._list_in("customer_messages", "id_customer_thread", [t["id"] for t in threads])
        thread_order = {str(t["id"]): str(t.get("id_order")) for t in threads}
        group["messages"] = {}
        for message in sorted(messages, key=lambda m: int(m["id"])):
            if str(message.get("id_employee") or "0") == "0" and not _flag(message.get("private")):
                order_id = thread_order.get(str(message.get("id_customer_thread")))
                group["messages"].setdefault(order_id, []).append(message)
        group["customers"] = {str(r["id"]): r for r in self._list_in(
            "customers", "id", [o.get("id_customer") for o in orders],
            display="[id,email,is_guest,firstname,lastname]")}
        group["addresses"] = {str(r["id"]): r for r in self._list_in(
            "addresses", "id", [o.get(f) for o in orders for f in ("id_address_invoice", "id_address_delivery")])}
        group["countries"] = self._by_id("countries", [a.get("id_country") for a in group["addresses"].values()])
        group["states"] = self._by_id("states", [a.get("id_state") for a in group["addresses"].values()])
        group["currencies"] = self._by_id("currencies", [o.get("id_currency") for o in orders])
        group["carriers"] = self._by_id("carriers", [o.get("id_carrier") for o in orders])
        group["taxes"] = self._by_id("taxes", [t for rows in group["details"].values() for d in rows
                                               for t in assoc_ids(d, "taxes")])
        group["cart_rule_defs"] = self._by_id(
            "cart_rules", [r.get("id_cart_rule") for rows in group["cart_rules"].values() for r in rows])
        group["order_states"] = self._order_states()
        group["languages"] = self._languages([o.get("id_lang") for o in orders])
        return group

    def _languages(self, ids):
        """{id: language} of the languages the customers ordered in (none for a key that may not read them)."""
        return self._optional_languages(lambda: self._by_id("languages", ids))

    def _address(self, raw, ctx, email):
        if not raw:
            return model.Address()
        country = ctx["countries"].get(str(raw.get("id_country")), {})
        state = ctx["states"].get(str(raw.get("id_state")), {})
        return model.Address(
            first_name=raw.get("firstname") or "",
            last_name=raw.get("lastname") or "",
            company=raw.get("company") or "",
            street=raw.get("address1") or "",
            street2=raw.get("address2") or "",
            city=raw.get("city") or "",
            zip=raw.get("postcode") or "",
            state_code=str(state.get("iso_code") or ""),
            country_code=str(country.get("iso_code") or "").upper(),
            email=email,
            phone=raw.get("phone") or raw.get("phone_mobile") or "",
            vat=raw.get("vat_number") or "",
        )

    def _map_order(self, raw, ctx):
        oid = str(raw["id"])
        what = Phrase(_lt("order %(order)s"), order=oid)
        try:
            details = sorted(ctx["details"].get(oid, []), key=lambda d: int(d["id"]))
            lines = [self._product_line(d, ctx) for d in details]
            shipping_excl = dec(raw.get("total_shipping_tax_excl"))
            shipping_incl = dec(raw.get("total_shipping_tax_incl"), shipping_excl)
            if shipping_excl or shipping_incl:
                carrier = ctx["carriers"].get(str(raw.get("id_carrier")), {})
                lines.append(model.OrderLine(
                    name=lang_text(carrier.get("name")) or Phrase(_lt("Shipping")), quantity=Decimal(1),
                    unit_price=shipping_excl, kind="shipping", remote_id="shipping",
                    tax_amount=shipping_incl - shipping_excl, tax_rate=dec(raw.get("carrier_tax_rate"), None)))
            wrapping_excl = dec(raw.get("total_wrapping_tax_excl"))
            wrapping_incl = dec(raw.get("total_wrapping_tax_incl"), wrapping_excl)
            if wrapping_excl or wrapping_incl:
                lines.append(model.OrderLine(
                    name=Phrase(_lt("Gift wrapping")), quantity=Decimal(1), unit_price=wrapping_excl, kind="fee",
                    remote_id="wrapping", tax_amount=wrapping_incl - wrapping_excl))
            for rule in sorted(ctx["cart_rules"].get(oid, []), key=lambda r: int(r["id"])):
                if _flag(rule.get("deleted")):
                    continue
                definition = ctx["cart_rule_defs"].get(str(rule.get("id_cart_rule")), {})
                code = str(definition.get("code") or "")
                name = (str(rule.get("name") or lang_text(definition.get("name"), self.language) or "")
                        or Phrase(_lt("Discount")))
                value_incl, value_excl = dec(rule.get("value")), dec(rule.get("value_tax_excl"))
                gift = bool(self.gift_card_re.search(name) or (code and self.gift_card_re.search(code)))
                lines.append(model.OrderLine(
                    name=Phrase("%(name)s (%(code)s)", name=name, code=code) if code and code not in name else name,
                    quantity=Decimal(1),
                    unit_price=-value_excl, kind="gift_card" if gift else "coupon", sku=code,
                    remote_id=f"cart_rule:{rule['id']}", tax_amount=-(value_incl - value_excl)))
            customer = ctx["customers"].get(str(raw.get("id_customer")), {})
            email = str(customer.get("email") or "")
            state = ctx["order_states"].get(str(raw.get("current_state")), {})
            total = dec(raw.get("total_paid_tax_incl"), dec(raw.get("total_paid")))
            paid_real = dec(raw.get("total_paid_real"))
            payments = sorted(ctx["payments"].get(str(raw.get("reference") or ""), []), key=lambda p: int(p["id"]))
            transaction = next((str(p.get("transaction_id")) for p in reversed(payments)
                                if p.get("transaction_id")), "")
            currency = ctx["currencies"].get(str(raw.get("id_currency")), {})
            notes = [str(m.get("message") or "").strip() for m in ctx["messages"].get(oid, [])]
            if _flag(raw.get("gift")) and raw.get("gift_message"):
                notes.append(Phrase(_lt("Gift message: %(message)s"), message=raw["gift_message"]))
            if raw.get("note"):
                notes.append(str(raw["note"]))
            return model.Order(
                remote_id=oid,
                number=str(raw.get("reference") or oid),
                status=str(raw.get("current_state") or ""),
                created_at=self._utc(raw.get("date_add")),
                updated_at=self._utc(raw.get("date_upd")),
                currency=str(currency.get("iso_code") or ""),
                email=email,
                customer_remote_id=("" if _flag(customer.get("is_guest")) or not customer
                                    else str(raw.get("id_customer"))),
                billing=self._address(ctx["addresses"].get(str(raw.get("id_address_invoice"))), ctx, email),
                shipping=self._address(ctx["addresses"].get(str(raw.get("id_address_delivery"))), ctx, email),
                lines=lines,
                paid=_flag(state.get("paid")) or (total > 0 and paid_real >= total),
                paid_amount=paid_real,
                payment_method=str(raw.get("payment") or raw.get("module") or ""),
                transaction_id=transaction,
                total=total,
                total_tax=total - dec(raw.get("total_paid_tax_excl"), total),
                prices_include_tax=False,
                note=_joined([n for n in notes if n]),
                customer_lang=_language_code(ctx["languages"].get(str(raw.get("id_lang")))),
                raw={"order": raw, "order_details": ctx["details"].get(oid, []),
                     "order_cart_rules": ctx["cart_rules"].get(oid, []),
                     "order_payments": payments},
            )
        except ShopError as exc:
            raise ShopError("shop.prestashop.bad_order",
                            _lt("PrestaShop %(what)s: %(error)s"), what=what, error=exc,
                            kind="answer") from None

    def _product_line(self, detail, ctx):
        quantity = dec(detail.get("product_quantity"))
        net = dec(detail.get("total_price_tax_excl"))
        gross_unit = dec(detail.get("product_price"))  # before reductions, tax excluded
        net_unit = dec(detail.get("unit_price_tax_excl"))
        unit = gross_unit if gross_unit * quantity >= net else net_unit
        discount = max(Decimal(0), unit * quantity - net)
        rates = [dec(ctx["taxes"].get(t, {}).get("rate")) for t in assoc_ids(detail, "taxes") if t in ctx["taxes"]]
        return model.OrderLine(
            name=str(detail.get("product_name") or ""),
            quantity=quantity,
            unit_price=unit,
            kind="product",
            sku=str(detail.get("product_reference") or ""),
            product_remote_id=str(detail.get("product_id") or ""),
            remote_id=str(detail["id"]),
            discount=discount,
            tax_amount=dec(detail.get("total_price_tax_incl"), net) - net,
            tax_rate=sum(rates, Decimal(0)) if rates else None,
        )

    def _order(self, remote_id):
        order = self._get("orders", "order", remote_id)
        if order is None:
            raise ShopError("shop.prestashop.no_order", _lt("PrestaShop has no order %(order)s"), order=remote_id,
                            kind="not_found", status=404)
        return order

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        try:
            state = str(status or self.status_for(event)).strip()
            if not _DIGITS.match(state):
                raise ShopError("shop.prestashop.state_ids", _lt("PrestaShop order states are ids; got %(states)s"),
                                states=repr(state), kind="config")
            order = self._order(remote_id)
            oid = str(order["id"])
            done = []
            if shipment is not None and shipment.tracking_number:
                done += self._set_tracking(order, shipment, notify)
            if str(order.get("current_state")) != state:
                params = {"sendemail": "1"} if notify else None
                self._write("POST", "order_histories", "order_history", {"id_order": oid, "id_order_state": state},
                            params=params, what=Phrase(_lt("changing the state of order %(order)s to %(state)s"),
                                               order=oid, state=state))
                done.append(Phrase(_lt("state %(state)s (customer e-mailed if the state says so)"), state=state)
                            if notify else Phrase(_lt("state %(state)s"), state=state))
            return Phrase(_lt("PrestaShop order %(order)s: %(done)s"), order=oid,
                          done=Phrase.join(done) if done else Phrase(_lt("already up to date")))
        except RecordRefused as exc:  # one order: nothing else to keep going with
            raise ShopError(exc.code, exc.message_en, kind="payload", status=exc.status, **exc.params) from None

    def _set_tracking(self, order, shipment, notify):
        oid = str(order["id"])
        done = []
        carriers = sorted(self._list("order_carriers", {"id_order": f"[{oid}]"}), key=lambda c: int(c["id"]))
        if not carriers:
            raise RecordRefused("shop.prestashop.no_carrier",
                                _lt("order %(order)s has no carrier to put the tracking number on"),
                                order=oid)
        current = carriers[-1]
        if str(current.get("tracking_number") or "") != shipment.tracking_number:
            # the order carrier is saved whole (PUT: PrestaShop's OrderCarrier::updateWs, also on 1.7, which
            # has no PATCH); sendemail=1 makes PrestaShop send its "in transit" e-mail with the tracking link
            cid = str(current["id"])
            fields = {name: "" if current[name] is None else str(current[name])
                      for name in ORDER_CARRIER_FIELDS if name in current}
            fields.update(id=cid, tracking_number=shipment.tracking_number)
            mail = bool(notify and self.options.get("tracking_email"))
            self._write("PUT", "order_carriers", "order_carrier", fields, cid,
                        params={"sendemail": "1"} if mail else None,
                        what=Phrase(_lt("setting the tracking number of order %(order)s"), order=oid))
            done.append(Phrase(_lt("tracking number %(number)s (PrestaShop e-mails it if the carrier has a tracking "
                                   "URL)"), number=shipment.tracking_number) if mail else
                        Phrase(_lt("tracking number %(number)s"), number=shipment.tracking_number))
        if notify and shipment.tracking_url and self.options.get("tracking_message"):
            shipped = (Phrase(_lt("Your order has been shipped with %(carrier)s."), carrier=shipment.carrier)
                       if shipment.carrier else Phrase(_lt("Your order has been shipped.")))
            tracking = Phrase(_lt("Tracking number %(number)s: %(url)s"), number=shipment.tracking_number,
                              url=shipment.tracking_url)
            text = f"{self.texts.say(shipped)} {self.texts.say(tracking)}"
            # written once per tracking number, in whichever language: the sentence up to the link names it
            markers = self.texts.forms(Phrase(tracking.message_en, number=shipment.tracking_number, url=""))
            thread, messages = self._thread(order)
            if not any(marker.strip() in str(m.get("message") or "") for m in messages for marker in markers):
                self._add_message(thread, text, oid)
                done.append(Phrase(_lt("tracking message")))
        return done

    # ------------------------------------------------------------------ invoices
    def _thread(self, order, create=True):
        """The customer-service thread of an order and its messages (the thread is opened if needed)."""
        oid = str(order["id"])
        threads = sorted(self._list("customer_threads", {"id_order": f"[{oid}]"}), key=lambda t: int(t["id"]))
        if threads:
            thread = threads[0]
            messages = self._list_in("customer_messages", "id_customer_thread", [t["id"] for t in threads])
            return thread, messages
        if not create:
            return None, []
        customer = None
        if str(order.get("id_customer") or "0") != "0":
            customer = self._get("customers", "customer", order.get("id_customer"))
        email = str((customer or {}).get("email") or "")
        thread = self._write("POST", "customer_threads", "customer_thread", {
            "id_lang": order.get("id_lang") or self.language,
            "id_shop": order.get("id_shop") or self.shop or "1",
            "id_contact": self.options["contact"],
            "id_customer": order.get("id_customer") or "0",
            "id_order": oid,
            "email": email,
            "token": _secrets.token_hex(6),
            "status": "open",
        }, what=Phrase(_lt("opening a message thread on order %(order)s"), order=oid))
        return thread, []

    def _add_message(self, thread, text, oid, private=False):
        return self._write("POST", "customer_messages", "customer_message", {
            "id_customer_thread": str(thread["id"]),
            "id_employee": self.options["employee"],
            "message": text,
            "private": "1" if private else "0",
        }, what=Phrase(_lt("adding a message to order %(order)s"), order=oid))

    def attach_invoice(self, remote_id, document):
        """PrestaShop cannot store a file on an order: the order gets a customer-visible message
        "Invoice <number>: <portal URL>" (``document.url``); with ``upload_pdf`` the PDF also becomes a
        PrestaShop attachment named after the invoice (without a URL the message is then a private note
        for the staff). The order's messages are read first: an invoice number already there is not
        attached again (the existing message is returned). Returns "customer_message:<id>
        [attachment:<id>]"."""
        number = (document.number or "").strip()
        if not number:
            raise ShopError("shop.prestashop.invoice_no_number", _lt("the invoice has no number"), kind="payload")
        upload = bool(self.options.get("upload_pdf"))
        if not document.url and not upload:
            raise ShopError("shop.prestashop.no_invoice_upload", _lt(
                "PrestaShop has no invoice upload for orders: the invoice needs a portal URL (or enable the option "
                "upload_pdf)"), kind="config")
        try:
            order = self._order(remote_id)
            oid = str(order["id"])
            # our message names the invoice first ("Invoice <number>: ..."), in whichever language it was written
            marker = re.compile("|".join(rf"{re.escape(form)}\s?:" for form in
                                         self.texts.forms(Phrase(_lt("Invoice %(number)s"), number=number))))
            thread, messages = self._thread(order)
            for message in messages:
                if marker.search(str(message.get("message") or "")):
                    return Phrase(_lt("customer_message:%(id)s (already there)"), id=message["id"])
            references = []
            attachment = None
            if upload:
                attachment = self._upload_pdf(number, document)
                references.append(f"attachment:{attachment['id']}")
            amount = ""
            if document.amount_total is not None:
                currency = f"{document.currency} " if document.currency else ""
                amount = f" ({currency}{Decimal(document.amount_total):.2f})"
            if document.url:
                text = self.texts.say(Phrase(_lt("Invoice %(number)s: %(url)s%(amount)s"), number=number,
                                             url=document.url, amount=amount))
                message = self._add_message(thread, text, oid)
            else:  # only the PDF in the shop's files: a note for the staff, the customer cannot open it
                text = self.texts.say(Phrase(_lt("Invoice %(number)s: PDF filed as PrestaShop attachment "
                                                 "%(attachment)s%(amount)s"), number=number,
                                             attachment=attachment["id"], amount=amount))
                message = self._add_message(thread, text, oid, private=True)
            return " ".join([f"customer_message:{message['id']}"] + references)
        except RecordRefused as exc:
            raise ShopError(exc.code, exc.message_en, kind="payload", status=exc.status, **exc.params) from None

    def _upload_pdf(self, number, document):
        pdf = document.pdf or b""
        if not pdf.startswith(b"%PDF"):
            raise ShopError("shop.prestashop.invoice_not_pdf", _lt("invoice %(invoice)s is not a PDF"), invoice=number,
                            kind="payload")
        name = number[:32]
        index, _unsearchable = self._find_by_values("attachments", "name", [name])
        existing = _pick(index.get(name.casefold()), name, "name", self.language)
        if existing is not None:
            return existing
        return self._send("POST", "attachments/file", "attachment",
                          what=Phrase(_lt("uploading invoice %(number)s"), number=number),
                          files={"file": (document.filename or f"{_slug(number)}.pdf", pdf, "application/pdf")},
                          data={"name": name})


def _joined(notes):
    """The notes of an order, one per line; a Phrase when one of them is ours (said in the customer's language)."""
    if any(isinstance(note, Phrase) for note in notes):
        return Phrase.join(notes, "\n")
    return "\n".join(notes)


def _language_code(language):
    """A PrestaShop language's code: its locale ("fr-FR", PrestaShop 1.7.7 and later), else its language code
    ("fr-fr") or ISO code ("fr")."""
    language = language or {}
    return str(language.get("locale") or language.get("language_code") or language.get("iso_code") or "").strip()
