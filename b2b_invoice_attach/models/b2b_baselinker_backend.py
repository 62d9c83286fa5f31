import collections
import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, begin_run, secret_fields
from odoo.addons.b2b_connector_base.tools.errors import say
from odoo.addons.b2b_connector_base.tools.invoice_pdf import invoice_pdf

from ..protocol import baselinker as bl
from ..tools import unix_time

RUN_KIND = "baselinker.run"
UPLOAD_KIND = "baselinker.upload"
MAX_DAYS_BACK = 14
MAX_DAYS_BACK_EXTENDED = 150


class B2bBaselinkerBackend(models.Model):
    """One BaseLinker account: posted invoices' PDFs go to its matching orders."""

    _name = "b2b.baselinker.backend"
    _inherit = ["b2b.backend.mixin", "b2b.schedule.mixin", "mail.thread"]
    _description = "BaseLinker Backend"
    _b2b_channel_prefix = "baselinker"
    _b2b_processors = ("_b2b_process_run", "_b2b_process_upload")

    # what drives the calls to BaseLinker is B2B Manager only (groups=MANAGER_GROUP); B2B Users see the account's
    # name, its last run and its exchanges
    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    url = fields.Char("API URL", required=True, default=bl.API_URL, groups=MANAGER_GROUP)
    api_token, api_token_enc = secret_fields("API Token", help="BaseLinker: My account > API. Stored encrypted.")
    # BaseLinker blocks a token that makes more than 100 requests per minute
    b2b_rate_limit = fields.Integer(default=bl.RATE_LIMIT, groups=MANAGER_GROUP)
    b2b_rate_period = fields.Integer(default=bl.RATE_PERIOD, groups=MANAGER_GROUP)

    # -- which orders
    days_back = fields.Integer(
        default=7, required=True, groups=MANAGER_GROUP,
        help="Each run looks at orders confirmed in the last N days (1-14, up to 150 when extended).")
    extended_window = fields.Boolean(help="Allow a days-back window of up to 150 days.",
                                     groups=MANAGER_GROUP)
    setup_date = fields.Datetime("Set Up On", default=fields.Datetime.now, required=True, copy=False,
                                 groups=MANAGER_GROUP)
    initial_mode = fields.Selection(
        [("new", "Only orders confirmed after set-up"), ("days", "Also orders of the last days before set-up")],
        "Orders Before Set-up", default="new", required=True, groups=MANAGER_GROUP)
    initial_days = fields.Integer("Days Before Set-up", default=7, help="7 to 90 days", groups=MANAGER_GROUP)
    status_filter = fields.Selection(
        [("all", "All statuses"), ("selected", "Chosen statuses")], default="all", required=True,
        groups=MANAGER_GROUP)
    status_ids = fields.Many2many(
        "b2b.baselinker.status", "b2b_baselinker_backend_status_rel", "backend_id", "status_id",
        "Statuses", domain="[('backend_id', '=', id)]", groups=MANAGER_GROUP)
    after_upload_status_id = fields.Many2one(
        "b2b.baselinker.status", "Status After Upload", domain="[('backend_id', '=', id)]", groups=MANAGER_GROUP,
        help="Empty: keep the order's status.")
    no_invoice_status_id = fields.Many2one(
        "b2b.baselinker.status", "Status When No Invoice", domain="[('backend_id', '=', id)]", groups=MANAGER_GROUP,
        help="Orders with no posted Odoo invoice get this status (empty: keep).")
    no_invoice_after_hours = fields.Integer(
        "No Invoice After (hours)", default=24, groups=MANAGER_GROUP,
        help="Only orders confirmed at least this long ago count as 'no invoice found'.")
    # -- which documents, how matched
    send_invoices = fields.Boolean("Invoices", default=True, groups=MANAGER_GROUP)
    send_refunds = fields.Boolean("Credit Notes", default=False, groups=MANAGER_GROUP)
    match_mode = fields.Selection(
        [("client_order_ref", "Sale order's customer reference"),
         ("origin", "Invoice source document"),
         ("field", "Another invoice field")],
        "Match Odoo", default="client_order_ref", required=True, groups=MANAGER_GROUP)
    match_field_id = fields.Many2one(
        "ir.model.fields", "Invoice Field", ondelete="set null", groups=MANAGER_GROUP,
        domain="[('model', '=', 'account.move'), ('ttype', 'in', ('char', 'text')), ('store', '=', True)]")
    order_key = fields.Selection(
        [("order_id", "Order ID"), ("shop_order_id", "Shop order ID"), ("external_order_id", "External order ID"),
         ("extra_field_1", "Extra field 1"), ("extra_field_2", "Extra field 2")],
        "With BaseLinker", default="order_id", required=True, groups=MANAGER_GROUP)
    max_pages = fields.Integer(
        "Max. Pages per Run", default=bl.MAX_PAGES, required=True, groups=MANAGER_GROUP,
        help="A run reads at most this many pages of 100 orders, whatever BaseLinker answers (the run's summary "
             "says when it stopped there).")
    invoice_series_id = fields.Integer(
        "Invoice Series ID", groups=MANAGER_GROUP,
        help="BaseLinker numbering series used when the order has no invoice yet (addInvoice).")
    last_run_at = fields.Datetime(readonly=True, copy=False)
    last_run_summary = fields.Char(readonly=True, copy=False)
    status_count = fields.Integer(compute="_compute_status_count")

    @api.depends("days_back")
    def _compute_status_count(self):
        groups = self.env["b2b.baselinker.status"].sudo()._read_group(  # statuses are managers' to read
            [("backend_id", "in", self.ids)], ["backend_id"], ["__count"])
        counts = {backend.id: count for backend, count in groups}
        for rec in self:
            rec.status_count = counts.get(rec.id, 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains("days_back", "extended_window")
    def _check_days_back(self):
        for rec in self:
            limit = MAX_DAYS_BACK_EXTENDED if rec.extended_window else MAX_DAYS_BACK
            if not 1 <= rec.days_back <= limit:
                raise ValidationError(self.env._(
                    "Days back must be between 1 and %(limit)s (extend the window for up to %(ext)s days).",
                    limit=limit, ext=MAX_DAYS_BACK_EXTENDED))

    @api.constrains("max_pages")
    def _check_max_pages(self):
        for rec in self:
            if rec.max_pages < 1:
                raise ValidationError(self.env._("A run reads at least one page of orders."))

    @api.constrains("initial_mode", "initial_days")
    def _check_initial_days(self):
        for rec in self:
            if rec.initial_mode == "days" and not 7 <= rec.initial_days <= 90:
                raise ValidationError(self.env._("Days before set-up must be between 7 and 90."))

    @api.constrains("b2b_rate_limit", "b2b_rate_period")
    def _check_rate(self):
        for rec in self:
            rate = rec.b2b_rate_limit / max(rec.b2b_rate_period, 1)
            if not rec.b2b_rate_limit or rate > bl.RATE_LIMIT / bl.RATE_PERIOD:
                raise ValidationError(self.env._(
                    "BaseLinker blocks a token above 100 requests per minute: keep the request budget at or below it."))

    @api.constrains("match_mode", "match_field_id")
    def _check_match(self):
        for rec in self:
            if rec.match_mode == "field" and not rec.match_field_id:
                raise ValidationError(self.env._("Choose the invoice field that holds the BaseLinker reference."))

    @api.constrains("send_invoices", "send_refunds")
    def _check_documents(self):
        for rec in self:
            if not (rec.send_invoices or rec.send_refunds):
                raise ValidationError(self.env._("Send invoices, credit notes, or both."))

    # ------------------------------------------------------------------ schedules
    def _b2b_default_schedules(self):
        return [("upload", "Upload invoice PDFs", 30, 0.0, 24.0)]

    def action_b2b_run_flow(self):
        self._b2b_check_manager()
        return super().action_b2b_run_flow()

    def _b2b_run_flow(self, flow):
        if flow != "upload":
            return super()._b2b_run_flow(flow)
        self._b2b_check_manager()  # also reached by a schedule's "Run now"; the cron runs as superuser
        for rec in self:
            rec._bl_queue_run()
        return self.env._("invoice upload queued")

    def _bl_queue_run(self):
        self.ensure_one()
        exchange = self._b2b_exchange(
            RUN_KIND, direction="out", protocol="BaseLinker",
            process=(self._name, "_b2b_process_run"), summary=self.env._("Invoice upload run"))
        exchange._b2b_enqueue()
        return exchange

    def action_run_now(self):
        self.ensure_one()
        self._b2b_check_manager()
        exchange = self._bl_queue_run()
        return self._b2b_notify(self.env._("Run %(exchange)s queued; its result appears in the exchange log.",
                                           exchange=exchange.name),
                                level="info")

    # ------------------------------------------------------------------ remote
    def _b2b_budget(self):
        budget = super()._b2b_budget()
        if budget is not None:
            # BaseLinker counts requests as they arrive and blocks the token over 100 a minute: each call counts
            # until its answer came, so no request can arrive within the minute of the 100th before it
            budget.settles = True
        return budget

    def _bl_client(self, exchange):
        self.ensure_one()
        token = self._b2b_secret("api_token")
        if not token:
            raise UserError(self.env._("Backend %(name)s has no BaseLinker API token.", name=self.name))
        return bl.BaseLinkerClient(self._b2b_http(exchange), token, path=self.url)

    def _bl_sync_statuses(self, client):
        statuses = client.get_order_status_list()
        Status = self.env["b2b.baselinker.status"].sudo()
        existing = {s.bl_id: s for s in Status.search([("backend_id", "=", self.id)])}
        for seq, status in enumerate(statuses):
            vals = {"name": status.name or str(status.id), "name_for_customer": status.name_for_customer,
                    "color": status.color, "sequence": seq}
            if status.id in existing:
                existing[status.id].write(vals)
            else:
                Status.create(dict(vals, backend_id=self.id, bl_id=status.id))
        return statuses

    def action_test_connection(self):
        self.ensure_one()
        self._b2b_check_manager()

        def check(exchange):
            statuses = self._bl_sync_statuses(self._bl_client(exchange))
            return self.env._("Connected to BaseLinker: %(count)s order statuses loaded.", count=len(statuses))

        return self._b2b_test_connection(check)

    # ------------------------------------------------------------------ the run
    def _bl_window_start(self, now=None):
        """The oldest confirmation date a run looks at (naive UTC datetime)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        start = now - timedelta(days=self.days_back)
        floor = self.setup_date
        if self.initial_mode == "days":
            floor -= timedelta(days=self.initial_days)
        return max(start, floor)

    def _bl_status_ids(self):
        return set(self.status_ids.mapped("bl_id")) if self.status_filter == "selected" else None

    def _bl_move_types(self):
        types = []
        if self.send_invoices:
            types.append("out_invoice")
        if self.send_refunds:
            types.append("out_refund")
        return types

    def _bl_match(self, keys):
        """Posted customer invoices/credit notes for BaseLinker order keys: {key: moves}."""
        self.ensure_one()
        keys = [k for k in keys if k]
        Move = self.env["account.move"]
        result = {}
        if not keys:
            return result
        base = [("state", "=", "posted"), ("move_type", "in", self._bl_move_types()),
                ("company_id", "=", self.company_id.id)]
        if self.match_mode == "client_order_ref":
            orders = self.env["sale.order"].search([("client_order_ref", "in", keys),
                                                    ("company_id", "=", self.company_id.id)])
            for order in orders:
                moves = order.invoice_ids.filtered_domain(base)
                if moves:
                    result.setdefault(order.client_order_ref, Move)
                    result[order.client_order_ref] |= moves
            return result
        fname = "invoice_origin" if self.match_mode == "origin" else self.match_field_id.name
        if not fname or fname not in Move._fields:
            raise UserError(self.env._("The invoice field to match BaseLinker orders with is not set."))
        for move in Move.search(base + [(fname, "in", keys)]):
            result.setdefault(move[fname], Move)
            result[move[fname]] |= move
        return result

    def _b2b_process_run(self, exchange):
        backend = exchange.backend_ref
        # one run per account at a time, taken before reading what was already uploaded: two runs at once
        # would queue the same uploads twice
        if busy := begin_run(backend, exchange, backend.env._("upload run")):
            return busy
        client = backend._bl_client(exchange)
        now = fields.Datetime.now()
        start = backend._bl_window_start(now)
        wanted = backend._bl_status_ids()
        if wanted is not None and not wanted:
            raise UserError(backend.env._("Status filter is 'chosen statuses' but none is chosen."))
        single = next(iter(wanted)) if wanted and len(wanted) == 1 else None
        orders = [o for o in client.iter_orders(unix_time(start), status_id=single, max_pages=backend.max_pages)
                  if wanted is None or o.order_status_id in wanted]
        matches = backend._bl_match({o.key(backend.order_key) for o in orders})
        Exchange = backend.env["b2b.exchange"]
        skipped = no_invoice = 0
        todo = []  # (order, move, external_id): documents not handled yet
        grace = unix_time(now - timedelta(hours=backend.no_invoice_after_hours or 0))
        for order in orders:
            moves = matches.get(order.key(backend.order_key))
            if not moves:
                if (backend.no_invoice_status_id and order.date_confirmed <= grace
                        and order.order_status_id != backend.no_invoice_status_id.bl_id):
                    client.set_order_status(order.order_id, backend.no_invoice_status_id.bl_id)
                    no_invoice += 1
                continue
            for move in moves:
                # one upload per invoice and BaseLinker order (an invoice grouping two orders goes to both)
                external_id = f"account.move:{move.id}:order:{order.order_id}"
                if Exchange._b2b_find(UPLOAD_KIND, external_id, backend=backend, direction="out"):
                    skipped += 1  # already uploaded, or queued/failed and retried by its own exchange
                    continue
                todo.append((order, move, external_id))
        plans = []
        if todo:
            # what BaseLinker has for all of them, from a few paged getInvoices (an invoice is never older than its
            # order) instead of calls per order: each upload then costs one addOrderInvoiceFile
            since = min(order.date_add or order.date_confirmed for order, _move, _eid in todo)
            plans = bl.plan_uploads(
                client, [(order.order_id, bl.invoice_kind(move.move_type == "out_refund"), move.name)
                         for order, move, _eid in todo], since, max_pages=backend.max_pages)
        counts = collections.Counter()
        for n, ((order, move, external_id), plan) in enumerate(zip(todo, plans, strict=False), 1):
            upload = backend._b2b_exchange(
                UPLOAD_KIND, direction="out", protocol="BaseLinker", record=move, external_id=external_id,
                partner=move.commercial_partner_id,
                payload=json.dumps(dict(plan.to_json(), order_id=order.order_id, move=move.name)),
                filename=f"upload_{move.name.replace('/', '_')}.json",
                process=(backend._name, "_b2b_process_upload"),
                summary=backend.env._("%(move)s to BaseLinker order %(order)s", move=move.name, order=order.order_id))
            upload._b2b_enqueue()
            counts[plan.action] += 1
            exchange._b2b_progress(n, len(todo))
        summary = backend.env._(
            "%(orders)s order(s) since %(start)s: %(queued)s upload(s) queued, %(skipped)s already handled, "
            "%(none)s marked without invoice", orders=len(orders), start=start, queued=len(todo), skipped=skipped,
            none=no_invoice)
        env = backend.env
        details = [text for count, text in (
            (counts[bl.CREATE], env._("%(count)s without a BaseLinker invoice yet", count=counts[bl.CREATE])),
            (counts[bl.PRESENT], env._("%(count)s already in BaseLinker", count=counts[bl.PRESENT])),
            (counts[bl.CONFLICT], env._("%(count)s with another system's file", count=counts[bl.CONFLICT])),
            (counts[bl.CHECK], env._("%(count)s to look at again", count=counts[bl.CHECK]))) if count]
        if details:
            summary += " (" + ", ".join(details) + ")"
        if client.warnings:  # a listing stopped early: say so where people look
            summary += ". " + " ".join(say(env, warning) for warning in client.warnings)
        backend.sudo().write({"last_run_at": now, "last_run_summary": summary[:250]})
        return summary

    # ------------------------------------------------------------------ one upload
    def _bl_external_number(self, move):
        """The invoice number addOrderInvoiceFile writes over BaseLinker's own (its external_invoice_number, a
        varchar(30)): the move's name, never shortened (the document would carry a number that is not its own)."""
        try:
            return bl.check_external_number(move.name)
        except bl.BaseLinkerError:  # ERROR_EXTERNAL_NUMBER: said here with what to do about it
            raise UserError(self.env._(
                "Invoice number %(number)s has %(count)s characters; BaseLinker takes at most %(max)s as the "
                "invoice's external number, which replaces BaseLinker's own number on the document, so it is not "
                "shortened. Give the journal a shorter sequence, then retry.",
                number=move.name, count=len(move.name or ""), max=bl.MAX_EXTERNAL_NUMBER)) from None

    def _b2b_process_upload(self, exchange):
        backend = exchange.backend_ref
        move = exchange.record_ref
        if not move or move._name != "account.move":
            raise UserError(backend.env._("The invoice of this upload no longer exists."))
        if move.state != "posted":
            raise UserError(backend.env._("%(move)s is not posted (any more): nothing to upload.", move=move.name))
        try:
            payload = json.loads(exchange._b2b_get_payload() or b"{}")
            order_id = int(payload["order_id"])
        except (ValueError, KeyError, TypeError):
            raise UserError(backend.env._("The upload has no BaseLinker order id.")) from None
        number = backend._bl_external_number(move)
        kind = bl.invoice_kind(move.move_type == "out_refund")
        client = backend._bl_client(exchange)
        plan = bl.Plan.from_json(payload)
        if plan.action in (bl.CREATE, bl.CHECK) or backend._bl_may_have_sent(exchange):
            # the run's listing may be stale for these, and an earlier attempt may have reached BaseLinker: never
            # a second invoice or a second upload, whatever happened in between
            plan = bl.look(client, order_id, kind, number)
        if plan.action == bl.CONFLICT:
            raise UserError(backend.env._(
                "BaseLinker invoice %(invoice)s of order %(order)s already has a file uploaded by another system "
                "(invoice number %(other)s): %(move)s was not uploaded over it.",
                invoice=plan.number or plan.invoice_id, order=order_id, other=plan.other or "-", move=move.name))
        if plan.action == bl.CREATE and kind == "correcting":
            raise UserError(backend.env._(
                "BaseLinker order %(order)s has no correcting invoice for credit note %(move)s; create it in "
                "BaseLinker, then retry.", order=order_id, move=move.name))
        pdf = invoice_pdf(move)  # Odoo's stored invoice PDF (an ir.attachment): the one everybody gets
        invoice_id = plan.invoice_id
        if plan.action == bl.CREATE:
            invoice_id = client.add_invoice(order_id, backend.invoice_series_id)
        if plan.action != bl.PRESENT:
            client.add_order_invoice_file(invoice_id, pdf.raw, number)
        if backend.after_upload_status_id:
            client.set_order_status(order_id, backend.after_upload_status_id.bl_id)
        exchange._b2b_set_payload(pdf.raw, pdf.name, "application/pdf", field="response_attachment_id")
        move.sudo().write({
            "b2b_baselinker_order_id": str(order_id),
            "b2b_baselinker_invoice_id": invoice_id,
            "b2b_baselinker_uploaded_at": fields.Datetime.now(),
        })
        move.message_post(body=backend.env._(
            "Invoice PDF attached to BaseLinker order %(order)s (%(backend)s).", order=order_id, backend=backend.name))
        if plan.action == bl.PRESENT:
            return backend.env._("%(move)s was already on BaseLinker order %(order)s (invoice %(inv)s): not uploaded "
                                 "again", move=move.name, order=order_id, inv=invoice_id)
        return backend.env._("%(move)s uploaded to BaseLinker order %(order)s (invoice %(inv)s)",
                             move=move.name, order=order_id, inv=invoice_id)

    def _bl_may_have_sent(self, exchange):
        """Whether an earlier attempt of this upload may have reached BaseLinker: a later attempt of the exchange,
        or its job run again after a worker died mid-job (queue_job requeues it with one more retry; that
        attempt's own transaction, attempt counter included, was lost)."""
        if exchange.attempt_count > 1:
            return True
        if not exchange.job_uuid:
            return False
        job = self.env["queue.job"].sudo().search([("uuid", "=", exchange.job_uuid)], limit=1)
        return bool(job.retry)

    # ------------------------------------------------------------------ demo
    @api.model
    def _b2b_demo_invoice_orders(self, order_ids):
        """Demo data: confirm and invoice sale orders (posted invoices to upload)."""
        orders = self.env["sale.order"].browse(order_ids).exists().filtered(lambda o: o.state in ("draft", "sent"))
        orders.action_confirm()
        for order in orders:  # one invoice per marketplace order
            order._create_invoices()._post()
        return True
