"""Shop orders in (as sale orders) and their progress back to the shop."""

import itertools
import json
import logging
from datetime import timedelta
from decimal import Decimal

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import float_compare

from odoo.addons.b2b_connector_base.lib.errors import Phrase
from odoo.addons.b2b_connector_base.tools.errors import say
from odoo.addons.b2b_connector_base.tools.invoice_pdf import invoice_pdf
from odoo.addons.b2b_connector_base.tools.job_transactions import queued_now

from ..protocol import model as shop
from ..protocol import serialize
from ..tools.customer_reservations import reserve_customers, reserve_pricelist
from ..tools.order_customers import order_partners
from ..tools.order_lookups import OrderLookups
from ..tools.order_pages import queue_order_page
from ..tools.order_payments import register_payments
from ..tools.order_totals import note_total_mismatches
from ..tools.values import unit_excluding_tax

_logger = logging.getLogger(__name__)

STATUS_KIND = "shop.status"
INVOICE_KIND = "shop.invoice"
NO_ECHO = "b2b_shop_no_echo"  # context key: a change that came from the shop is not sent back to it
# what ties a sale order to its shop order: written by the import (as superuser) only
SHOP_LINK_FIELDS = frozenset({"b2b_shop_backend_id", "b2b_shop_order_id", "b2b_shop_order_number", "b2b_shop_status",
                              "b2b_shop_paid", "b2b_shop_payment_id"})
# orders modified this long before the last run are fetched again: a shop's clock may be behind ours
ORDER_OVERLAP = timedelta(minutes=10)
ORDER_PAGE = 100  # orders of a run imported by one job
KEEP_ORDER_DATE = "b2b_shop_keep_order_date"  # context key: confirming keeps the order date (the shop's)


def _clean(text):
    return (text or "").strip()


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "b2b.exchange.consumer.mixin"]
    _b2b_processors = ("_b2b_shop_import_order", "_b2b_shop_send_progress", "_b2b_shop_send_invoice")

    b2b_shop_backend_id = fields.Many2one("b2b.shop.backend", "Web Shop", readonly=True, copy=False, index=True)
    b2b_shop_order_id = fields.Char("Shop Order ID", readonly=True, copy=False, index=True)
    b2b_shop_order_number = fields.Char("Shop Order Number", readonly=True, copy=False)
    b2b_shop_status = fields.Char("Shop Status", readonly=True, copy=False, tracking=True)
    b2b_shop_paid = fields.Boolean("Paid in Shop", readonly=True, copy=False)
    b2b_shop_payment_id = fields.Many2one("account.payment", "Shop Payment", readonly=True, copy=False)

    _shop_order_unique = models.UniqueIndex(
        "(b2b_shop_backend_id, b2b_shop_order_id) WHERE b2b_shop_order_id IS NOT NULL",
        "This shop order was already imported.")

    # ------------------------------------------------------------------ its messages
    def _b2b_exchange_owners(self):
        """{(model, id): order ids}: the records whose exchanges are this order's, i.e. the order (its import,
        confirmation, cancellation), its deliveries (tracking numbers) and its invoices (their PDFs)."""
        owners = {}
        for order in self.sudo():  # whoever sees the order sees what was exchanged about it
            for records in (order, order.picking_ids, order.invoice_ids):
                for record in records:
                    owners.setdefault((record._name, record.id), set()).add(order.id)
        return owners

    def _b2b_exchange_domain(self):
        by_model = {}
        for model, res_id in self._b2b_exchange_owners():
            by_model.setdefault(model, []).append(res_id)
        return list(Domain.OR(Domain("res_model", "=", model) & Domain("res_id", "in", ids)
                              for model, ids in by_model.items()))

    def _compute_b2b_exchange_count(self):
        owners = self._b2b_exchange_owners() if self.ids else {}
        total, failed = {}, {}
        if owners:
            Exchange = self.env["b2b.exchange"].sudo()
            domain = Domain(self._b2b_exchange_domain()) & Domain("company_id", "in", self.env.companies.ids)
            for model, res_id, state, count in Exchange._read_group(domain, ["res_model", "res_id", "state"],
                                                                      ["__count"]):
                for order_id in owners.get((model, res_id), ()):
                    total[order_id] = total.get(order_id, 0) + count
                    if state == "failed":
                        failed[order_id] = failed.get(order_id, 0) + count
        for rec in self:
            rec.b2b_exchange_count = total.get(rec.id, 0)
            rec.b2b_failed_count = failed.get(rec.id, 0)

    # ------------------------------------------------------------------ import
    @api.model
    def _b2b_shop_read_orders(self, backend, run):
        """The orders run of ``backend``: read the orders modified since the last run; each becomes its own
        exchange (idempotent by the shop's order id, status and modification time), and each page of them is
        imported by one job (:meth:`_b2b_shop_import_page`)."""
        statuses = [s.code for s in backend.status_ids if s.import_order or s.cancel_order]
        if not statuses:
            raise UserError(self.env._("Shop %(backend)s imports no order status: tick at least one in its Orders tab.",
                                       backend=backend.name))
        adapter = backend._shop_adapter(run)
        since = backend.last_order_sync - ORDER_OVERLAP if backend.last_order_sync else None
        queued = seen = 0
        newest = backend.last_order_sync
        orders = adapter.fetch_orders(since=since, statuses=statuses)
        while batch := list(itertools.islice(orders, ORDER_PAGE)):
            for order in batch:
                stamp = order.updated_at or order.created_at
                newest = max(newest, stamp) if newest and stamp else (stamp or newest)
            # each page committed with its job at once: other workers import it while this run reads on
            with queued_now(self.env) as env:
                queued += queue_order_page(self.with_env(env), backend.with_env(env), batch)
            seen += len(batch)
            run._b2b_progress(seen)
        run._b2b_progress(seen, seen)
        backend.sudo().last_order_sync = newest or fields.Datetime.now()
        return backend._shop_with_warnings(self.env._(
            "%(seen)s order(s) read since %(since)s, %(queued)s queued for import, %(known)s already known.",
            seen=seen, since=since or "the beginning", queued=queued, known=seen - queued), adapter)

    @api.model
    def _b2b_shop_enqueue_page(self, exchanges):
        """One job importing the order exchanges ``exchanges`` (a page of a run) on their channel."""
        exchanges = exchanges.sudo()
        job = self.with_delay(
            channel=exchanges[:1]._b2b_job_channel(),
            description=f"B2B shop orders {exchanges[:1].name} ... {exchanges[-1:].name} ({len(exchanges)})",
            identity_key=f"b2b.shop_order_page:{exchanges.ids[0]}-{exchanges.ids[-1]}:{len(exchanges)}",
        )._b2b_shop_import_page(exchanges)
        exchanges.job_uuid = getattr(job, "uuid", False) or False
        return job

    @api.model_create_multi
    def create(self, vals_list):
        self._b2b_shop_check_link(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._b2b_shop_check_link([vals])
        return super().write(vals)

    def _b2b_shop_check_link(self, vals_list):
        """Whoever may edit an order may not tie it to a shop order (readonly is no protection against RPC):
        its confirmation, cancellation and invoice would go to that order, of any shop."""
        if self.env.su or not any(SHOP_LINK_FIELDS.intersection(vals) for vals in vals_list):
            return
        raise AccessError(self.env._("The link of a sale order to its shop order is set by the shop import only."))

    @api.model
    def _b2b_shop_import_order(self, exchange):
        """The processor of one order exchange (a retry, or an order its page could not import with the others):
        the same code as a page's, for a page of one."""
        backend = exchange.backend_ref
        if not backend or backend._name != "b2b.shop.backend":
            raise UserError(self.env._("This order message has no shop."))
        order = serialize.loads(shop.Order, exchange._b2b_get_payload())
        newer = backend._shop_newer_state(exchange, order.remote_id)
        if newer:  # e.g. the order failed to import, was then cancelled in the shop, and the old state is retried
            exchange._b2b_done(self.env._("Superseded by %(newer)s (a newer state of shop order %(n)s): nothing "
                                          "imported.", newer=newer[-1].name, n=order.number or order.remote_id),
                               state="cancelled")
            return None
        self = self.with_company(backend.company_id).sudo()
        existing = self.search([("b2b_shop_backend_id", "=", backend.id), ("b2b_shop_order_id", "=", order.remote_id)],
                               limit=1)
        status = backend.status_ids.filtered(lambda s: s.code == order.status)[:1]
        if existing:
            exchange.sudo().write({"res_model": existing._name, "res_id": existing.id,
                                   "partner_id": existing.partner_id.id})
        if status.cancel_order:
            if not existing:
                return self.env._("Order %(n)s is %(s)s in the shop and was never imported: nothing to do.",
                                  n=order.number, s=order.status)
            existing.b2b_shop_status = order.status
            if existing.state == "cancel":
                return self.env._("%(order)s was already cancelled.", order=existing.name)
            existing.with_context(**{NO_ECHO: True, "disable_cancel_warning": True})._action_cancel()
            existing.message_post(body=self.env._("Cancelled: the order is %(status)s in the shop.",
                                                  status=order.status))
            return self.env._("%(so)s cancelled (shop status %(s)s).", so=existing.name, s=order.status)
        if existing:
            existing.b2b_shop_status = order.status
            if order.paid and not existing.b2b_shop_payment_id:
                existing._b2b_shop_register_payments(backend, [order])
            return self.env._("Already imported as %(so)s; shop status now %(s)s.", so=existing.name, s=order.status)
        if not status.import_order:
            return self.env._("Order %(n)s not imported: shop status %(s)s is not imported by %(shop)s.",
                              n=order.number, s=order.status, shop=backend.name)
        lookups = OrderLookups(self.env, backend)
        sale = self._b2b_shop_create_orders(backend, [self._b2b_shop_order_values(backend, order, lookups)])
        exchange.sudo().write(self._b2b_shop_imported_values(sale))
        return self._b2b_shop_created_summary(sale, order)

    def _b2b_shop_imported_values(self, sale):
        return {"res_model": sale._name, "res_id": sale.id, "partner_id": sale.partner_id.id}

    def _b2b_shop_created_summary(self, sale, order):
        return self.env._("%(so)s created from shop order %(n)s (%(lines)s line(s), %(state)s).", so=sale.name,
                          n=order.number, lines=len(sale.order_line), state=sale.state)

    # ------------------------------------------------------------------ a page of orders at once
    @api.model
    def _b2b_shop_import_page(self, exchanges):
        """queue_job: import the order exchanges of one page of an orders run together. The new orders to
        import (most of them) are prepared one by one (an order that cannot be imported is refused before
        anything of it is written, and left out), then created, confirmed and paid together, with what they look
        up read once for the page. Every other exchange (cancellations, orders known already, superseded states,
        and the orders left out) goes through :meth:`_b2b_shop_import_order` alone, as a retry would, and so
        does every order of the page when their creation together fails: an order fails alone, as its own
        exchange, and the others import."""
        exchanges = exchanges.sudo().exists()
        todo = exchanges.filtered(lambda e: e.state not in ("done", "sent", "cancelled"))
        batch, alone = self._b2b_shop_page_split(todo)
        if batch:
            alone |= self._b2b_shop_import_batch(batch)
        alone.sorted("id")._b2b_process()
        done = exchanges.filtered(lambda e: e.state == "done")
        return f"{len(done)}/{len(exchanges)} done"

    def _b2b_shop_page_split(self, exchanges):
        """([(exchange, order)] new orders to import together, the exchanges to process alone)."""
        Exchange = self.env["b2b.exchange"].sudo()
        alone = Exchange
        by_backend = {}
        for exchange in exchanges:
            backend = exchange.backend_ref
            if (exchange.process_model, exchange.process_method) != (self._name, "_b2b_shop_import_order") or \
                    not backend or backend._name != "b2b.shop.backend":
                alone |= exchange
                continue
            by_backend.setdefault(backend, []).append(exchange)
        batch = []
        for backend, group in by_backend.items():
            if len(by_backend) > 1:  # a page is one shop's; anything else is processed as it comes
                alone |= Exchange.union(*group)
                continue
            orders = {}
            for exchange in group:
                try:
                    orders[exchange] = serialize.loads(shop.Order, exchange._b2b_get_payload())
                except Exception:  # noqa: BLE001 - the exchange's own processing records the error
                    alone |= exchange
            remote_ids = [order.remote_id for order in orders.values()]
            twice = {rid for rid in remote_ids if remote_ids.count(rid) > 1}
            existing = set(self.sudo().search([("b2b_shop_backend_id", "=", backend.id),
                                               ("b2b_shop_order_id", "in", remote_ids)]).mapped("b2b_shop_order_id"))
            imported = {s.code for s in backend.status_ids if s.import_order and not s.cancel_order}
            newer = backend._shop_newer_states(list(orders), [order.remote_id for order in orders.values()])
            for exchange, order in orders.items():
                if (order.remote_id in twice or order.remote_id in existing or order.status not in imported
                        or exchange in newer):
                    alone |= exchange
                else:
                    batch.append((exchange, order))
        return batch, alone

    def _b2b_shop_import_batch(self, batch):
        """Import ``batch`` ([(exchange, order)], new orders of one shop) together; returns the exchanges left
        to process alone."""
        backend = batch[0][0].backend_ref
        self = self.with_company(backend.company_id).sudo()
        Exchange = self.env["b2b.exchange"].sudo()
        left = Exchange
        try:
            with self.env.cr.savepoint():
                lookups = OrderLookups(self.env, backend)
                lookups.prefetch([order for _e, order in batch])
                # the page's new customers locked at once, in order (one by one, two pages could deadlock)
                reserve_customers(self.env, [lookups.email_of(order) for _e, order in batch
                                             if not lookups.known_customer(order)], lookups.reserved_emails)
                prepared = []
                for exchange, order in batch:
                    try:
                        prepared.append((exchange, self._b2b_shop_order_values(backend, order, lookups)))
                    except UserError:  # refused before anything was written: processed alone, which says why
                        left |= exchange
                if not prepared:
                    return left
                sales = self._b2b_shop_create_orders(backend, [values for _e, values in prepared])
                now = fields.Datetime.now()
                for (exchange, values), sale in zip(prepared, sales, strict=False):
                    # what _b2b_process_one and the processor write on an exchange imported alone
                    exchange.write(dict(
                        self._b2b_shop_imported_values(sale), attempt_count=exchange.attempt_count + 1,
                        state="done", error=False, next_retry_at=False, auto_retry=False, date_done=now,
                        summary=self._b2b_shop_created_summary(sale, values["order"])))
        except psycopg2.OperationalError:
            raise  # a concurrent transaction (another page, a user): queue_job runs the page again later
        except Exception as exc:  # noqa: BLE001 - every order of the batch is processed alone instead
            _logger.info("Shop orders of %s imported one by one: together they failed (%s)", backend.name, exc)
            return Exchange.union(*(exchange for exchange, _o in batch))
        return left

    # ------------------------------------------------------------------ creating sale orders
    def _b2b_shop_order_values(self, backend, order, lookups):
        """What the sale order of ``order`` is made of (its customer found or created); raises a UserError,
        before writing anything, when the order cannot be imported. ``lookups``: an ``OrderLookups`` of the
        page."""
        problems = []
        currency = backend.company_id.currency_id
        if order.currency and order.currency != currency.name:
            currency = lookups.currency(order.currency)
            if not currency:
                problems.append(self.env._("unknown currency %(currency)s", currency=order.currency))
        lines = self._b2b_shop_order_lines(backend, order, problems, lookups)
        if problems:  # refused before anything is written (a page goes on with its other orders)
            raise UserError(self.env._("Shop order %(n)s cannot be imported: %(p)s.", n=order.number,
                                       p="; ".join(problems)))
        pricelist = self._b2b_shop_pricelist(backend, currency, lookups) if currency else self.env["product.pricelist"]
        partner, invoice, delivery = self._b2b_shop_partners(backend, order, lookups)
        # our words on the lines (a coupon, a gift card...) are the customer's, as Odoo words product lines
        customer = self.env(context=dict(self.env.context, lang=partner.lang or self.env.lang))
        for line in lines:
            if isinstance(line.get("name"), Phrase):
                line["name"] = say(customer, line["name"])
        values = {
            "partner_id": partner.id,
            "partner_invoice_id": invoice.id,
            "partner_shipping_id": delivery.id,
            "company_id": backend.company_id.id,
            "warehouse_id": backend.warehouse_id.id,
            "team_id": backend.team_id.id or False,
            "user_id": backend.user_id.id or False,
            "client_order_ref": order.number,
            "origin": f"{backend.name} #{order.number}",
            "date_order": order.created_at or fields.Datetime.now(),
            "b2b_shop_backend_id": backend.id,
            "b2b_shop_order_id": order.remote_id,
            "b2b_shop_order_number": order.number,
            "b2b_shop_status": order.status,
            "order_line": [Command.create(line) for line in lines],
        }
        if pricelist:
            values["pricelist_id"] = pricelist.id
        if order.note:
            values["note"] = say(customer, order.note)
        return {"order": order, "values": values, "lines": lines}

    def _b2b_shop_create_orders(self, backend, prepared):
        """The sale orders of ``prepared`` (``_b2b_shop_order_values``), created with one ``create``, confirmed
        and paid together; in the order given."""
        sales = self.with_context(**{NO_ECHO: True}).create([p["values"] for p in prepared])
        for sale, item in zip(sales, prepared, strict=False):
            # the shop's prices win over the pricelist's (Odoo would recompute them on the product)
            for line, vals in zip(sale.order_line, item["lines"], strict=False):
                if float_compare(line.price_unit, vals["price_unit"], precision_digits=6):
                    line.price_unit = vals["price_unit"]
        sales._b2b_shop_check_totals([item["order"] for item in prepared])  # after all prices: totals in one go
        if backend.order_mode == "confirmed":
            # the shop's order date stays the order date (confirming would make it now)
            sales.with_context(**{NO_ECHO: True, KEEP_ORDER_DATE: True}).action_confirm()
            if backend.notify_mode == "odoo" and backend.mail_confirmed_template_id:
                for sale in sales:
                    sale._send_order_notification_mail(backend.mail_confirmed_template_id,
                                                       allow_deferred_sending=False)
        paid = [(sale, item["order"]) for sale, item in zip(sales, prepared, strict=False) if item["order"].paid]
        if paid:
            self.browse([sale.id for sale, _o in paid])._b2b_shop_register_payments(
                backend, [order for _s, order in paid])
        return sales

    def _prepare_confirmation_values(self):
        values = super()._prepare_confirmation_values()
        if self.env.context.get(KEEP_ORDER_DATE):
            values.pop("date_order", None)
        return values

    def _b2b_shop_pricelist(self, backend, currency, lookups):
        """The pricelist carrying the order's currency: the shop's, another one in that currency, or a new
        one named after the shop (the shop's prices are kept on the lines anyway)."""
        pricelist = backend.pricelist_id
        if pricelist and pricelist.currency_id == currency:
            return pricelist
        if currency.id in lookups.pricelists:
            return lookups.pricelists[currency.id]
        Pricelist = self.env["product.pricelist"].sudo()
        pricelist = Pricelist.search([("currency_id", "=", currency.id),
                                      ("company_id", "in", (False, backend.company_id.id))], limit=1)
        if not pricelist and not (currency == backend.company_id.currency_id and not backend.pricelist_id):
            reserve_pricelist(self.env, backend.company_id, currency)  # another page may be making it now
            if not currency.active:
                currency.sudo().active = True
            pricelist = Pricelist.create({"name": f"{backend.name} ({currency.name})", "currency_id": currency.id,
                                          "company_id": backend.company_id.id})
            backend.message_post(body=self.env._("Pricelist %(p)s created for the shop's orders in %(c)s.",
                                                 p=pricelist.name, c=currency.name))
        lookups.pricelists[currency.id] = pricelist
        return pricelist

    def _b2b_shop_check_totals(self, orders):
        """A note on each of these orders whose Odoo total differs from its shop's (``tools.order_totals``)."""
        return note_total_mismatches(self, orders)

    def _b2b_shop_order_lines(self, backend, order, problems, lookups):
        lines = []

        def with_taxes(vals, line):
            # the company's sale tax of the shop's rate, so the order is taxed as the shop taxed it; none known
            # (or no rate said): the product's taxes apply
            taxes = lookups.tax(line.tax_rate) if line.tax_rate is not None else None
            if taxes is not None:
                vals["tax_ids"] = [Command.set(taxes.ids)]
            return vals
        for line in order.product_lines():
            product = lookups.product(line)
            if not product:
                problems.append(self.env._("unknown product %(sku)s (%(name)s)",
                                           sku=line.sku or line.product_remote_id or "?", name=line.name))
                continue
            if line.quantity <= 0:
                problems.append(self.env._("line %(line)s has no quantity", line=line.name))
                continue
            unit = unit_excluding_tax(line, order)
            gross = line.quantity * line.unit_price
            discount = float(line.discount / gross * 100) if line.discount and gross else 0.0
            lines.append(with_taxes({"product_id": product.id, "product_uom_qty": float(line.quantity),
                                     "price_unit": float(unit), "discount": round(discount, 6)}, line))
        specials = {"shipping": backend.shipping_product_id, "fee": backend.fee_product_id,
                    "gift_card": backend.gift_card_product_id, "coupon": backend.coupon_product_id}
        for line in order.other_lines():
            product = specials.get(line.kind)
            if not product:
                problems.append(self.env._("no product for %(kind)s lines", kind=line.kind))
                continue
            quantity = line.quantity or Decimal(1)
            amount = unit_excluding_tax(line, order) * quantity - line.discount
            if line.kind in ("coupon", "gift_card"):
                # reduces the order; a code whose discount is already in the product lines comes with 0
                amount = -abs(amount)
                if order.prices_include_tax and line.tax_rate is None and not line.tax_amount:
                    amount = amount / (1 + lookups.excluded_rate(product))  # a tax-included discount, taxed
            vals = {"product_id": product.id, "product_uom_qty": 1.0, "price_unit": float(amount),
                    "name": line.name or product.display_name}
            lines.append(with_taxes(vals, line) if line.kind in ("shipping", "fee") else vals)
        return lines

    # ------------------------------------------------------------------ customers of incoming orders
    def _b2b_shop_partners(self, backend, order, lookups):
        """(customer, invoice address, delivery address): the shop customer matched by its shop id or
        e-mail, created only when unknown (``tools.order_customers``)."""
        return order_partners(self.env, backend, order, lookups)

    # ------------------------------------------------------------------ payments
    def _b2b_shop_register_payments(self, backend, orders):
        """The shop's payments of these sale orders, posted together (``tools.order_payments``)."""
        return register_payments(self, backend, orders)

    # ------------------------------------------------------------------ progress back to the shop
    def action_confirm(self):
        result = super().action_confirm()
        if not self.env.context.get(NO_ECHO):
            for order in self.filtered(lambda o: o.b2b_shop_backend_id and o.state == "sale"):
                order._b2b_shop_progress("confirmed")
        return result

    def _action_cancel(self):
        shop_orders = self.filtered(lambda o: o.b2b_shop_backend_id and o.state != "cancel")
        result = super()._action_cancel()
        if not self.env.context.get(NO_ECHO):
            for order in shop_orders:
                order._b2b_shop_progress("cancelled")
        return result

    def action_b2b_shop_delivered(self):
        # a change of the order: whoever may not edit it (a portal customer reading their own) may not say so
        self.check_access("write")
        for order in self:
            if not order.b2b_shop_backend_id or order.state != "sale":
                raise UserError(self.env._("Only confirmed shop orders can be marked as delivered."))
            if order.delivery_status != "full":
                raise UserError(self.env._("%(order)s is not delivered yet: validate its deliveries first.",
                                           order=order.name))
            order._b2b_shop_progress("delivered")
        return True

    def _b2b_shop_progress(self, event, record=None):
        """Queue the message telling the shop about ``event`` (once per order, event and picking)."""
        self.ensure_one()
        # the salesman confirming the order may not read the shop's configuration; the message is theirs all the same
        backend = self.b2b_shop_backend_id.sudo()
        record = record or self
        external_id = f"sale.order:{self.id}:{event}" + (f":{record._name}:{record.id}" if record != self else "")
        Exchange = self.env["b2b.exchange"]
        if Exchange._b2b_find(STATUS_KIND, external_id, backend=backend, direction="out"):
            return Exchange
        exchange = backend._b2b_exchange(
            STATUS_KIND, direction="out", protocol=backend._platform_label(), record=record,
            partner=self.partner_id, external_id=external_id,
            payload=json.dumps({"event": event, "order": self.b2b_shop_order_id,
                                "record": f"{record._name},{record.id}"}),
            filename=f"status_{event}.json", process=("sale.order", "_b2b_shop_send_progress"),
            summary=self.env._("%(so)s: %(event)s", so=self.name, event=event))
        exchange._b2b_enqueue()
        return exchange

    @api.model
    def _b2b_shop_send_progress(self, exchange):
        backend = exchange.backend_ref
        data = json.loads(exchange._b2b_get_payload() or b"{}")
        event = data.get("event")
        record = exchange.record_ref
        if not record:
            raise UserError(self.env._("The record of this status message no longer exists."))
        order = record if record._name == "sale.order" else record.sale_id
        shipment = None
        if record._name == "stock.picking":
            shipment = shop.Shipment(
                carrier=record.carrier_id.name or "", tracking_number=record.carrier_tracking_ref or "",
                tracking_url=record.carrier_tracking_url or "", shipped_at=record.date_done)
        status = backend._shop_status_overrides().get(event)
        adapter = backend._shop_adapter(exchange)
        said = adapter.update_order(order.b2b_shop_order_id, event, status=status, shipment=shipment,
                                    notify=backend.notify_mode == "shop")
        order.sudo().b2b_shop_status = status or adapter.status_for(event)
        if backend.notify_mode == "odoo":
            template = {"confirmed": backend.mail_confirmed_template_id,
                        "cancelled": backend.mail_cancelled_template_id,
                        "shipped": backend.mail_shipped_template_id}.get(event)
            if template and template.model == record._name:
                if record._name == "sale.order":
                    record._send_order_notification_mail(template, allow_deferred_sending=False)
                else:
                    record.with_context(force_send=True).message_post_with_source(
                        template, subtype_xmlid="mail.mt_comment")
        text = self._b2b_shop_event_label(event)
        if shipment and shipment.tracking_number:
            text = self.env._("%(event)s, tracking %(number)s", event=text, number=shipment.tracking_number)
        order.message_post(body=self.env._("Shop %(shop)s told: %(text)s.", shop=backend.name, text=text))
        return self.env._("%(so)s: shop order %(remote)s %(text)s (%(said)s)", so=order.name,
                          remote=order.b2b_shop_order_number, text=text, said=say(self.env, said) or "-")

    def _b2b_shop_event_label(self, event):
        """What Odoo told the shop (``shop.PROGRESS_EVENTS``), in the user's language."""
        return {"confirmed": self.env._("confirmed"), "shipped": self.env._("shipped"),
                "delivered": self.env._("delivered"), "cancelled": self.env._("cancelled")}.get(event, event)

    # ------------------------------------------------------------------ invoices
    def _b2b_shop_attach_invoice(self, invoice):
        """Give this shop order the PDF of ``invoice``: one exchange per invoice and order, processed now;
        a second call finds it and does nothing."""
        self.ensure_one()
        backend = self.b2b_shop_backend_id.sudo()
        if not backend or not backend.send_invoices:
            return self.env._("not a shop order")
        external_id = f"account.move:{invoice.id}:order:{self.id}"
        Exchange = self.env["b2b.exchange"]
        exchange = Exchange._b2b_find(INVOICE_KIND, external_id, backend=backend, direction="out")
        if exchange and exchange.state in ("done", "cancelled"):
            return exchange
        if not exchange:
            exchange = backend._b2b_exchange(
                INVOICE_KIND, direction="out", protocol=backend._platform_label(), record=invoice,
                partner=self.partner_id, external_id=external_id,
                payload=json.dumps({"order": self.id, "shop_order": self.b2b_shop_order_id}),
                filename="invoice.json", process=("sale.order", "_b2b_shop_send_invoice"),
                summary=self.env._("%(inv)s to shop order %(n)s", inv=invoice.name, n=self.b2b_shop_order_number))
        exchange._b2b_process()
        return exchange

    @api.model
    def _b2b_shop_send_invoice(self, exchange):
        backend = exchange.backend_ref
        invoice = exchange.record_ref
        if not invoice or invoice._name != "account.move" or invoice.state != "posted":
            raise UserError(self.env._("The invoice of this message is not posted (any more)."))
        data = json.loads(exchange._b2b_get_payload() or b"{}")
        order = self.browse(data.get("order")).exists()
        if not order:
            raise UserError(self.env._("The shop order of this invoice no longer exists."))
        pdf = invoice_pdf(invoice)  # Odoo's stored invoice PDF (an ir.attachment): the one everybody gets
        if exchange.response_attachment_id.checksum != pdf.checksum:
            exchange._b2b_set_payload(pdf.raw, pdf.name, "application/pdf", field="response_attachment_id")
        invoice.sudo()._portal_ensure_token()
        url = invoice.get_base_url() + invoice.sudo().get_portal_url(report_type="pdf", download=True)
        document = shop.InvoiceDocument(
            number=invoice.name, pdf=pdf.raw, filename=pdf.name, url=url, date=invoice.invoice_date,
            amount_total=Decimal(str(invoice.amount_total)), currency=invoice.currency_id.name)
        reference = backend._shop_adapter(exchange).attach_invoice(order.b2b_shop_order_id, document)
        order.message_post(body=self.env._("Invoice %(inv)s sent to the shop (%(ref)s).", inv=invoice.name,
                                           ref=say(self.env, reference) or "-"))
        return self.env._("%(inv)s attached to shop order %(n)s: %(ref)s", inv=invoice.name,
                          n=order.b2b_shop_order_number, ref=say(self.env, reference) or "-")
