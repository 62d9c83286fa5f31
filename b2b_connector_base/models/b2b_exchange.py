import json
import logging
import traceback
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from ..lib.masking import mask_text
from ..tools import CallCollector, is_retryable, user_message
from .b2b_exchange_type import DIRECTIONS

_logger = logging.getLogger(__name__)

STATES = [
    ("pending", "Pending"),
    ("sent", "Sent"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]
PREVIEW_LIMIT = 64 * 1024


class B2bExchange(models.Model):
    """One row per message or operation exchanged with a B2B peer, for every b2b-connect addon.

    An exchange names *what* is processed (its type, ``direction``, payload), *with whom* (backend,
    partner), *on what* (related record), and *how it went* (state, error, attempts, HTTP calls).
    Processing is delegated to ``process_model``/``process_method`` (a ``_b2b_*`` method receiving
    the exchange, declared in that model's ``_b2b_processors``), run in a savepoint: on failure
    nothing of the business change remains and the exchange records the error; transient failures
    are retried with backoff by a cron, any failure can be retried by hand.

    Exchanges are written by code only (as superuser): users read them and may Retry or Cancel.
    """

    _name = "b2b.exchange"
    _description = "B2B Exchange"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_names_search = ["name", "external_id", "summary"]
    # B2B users cannot write exchanges but comment on them (the Retry message is theirs)
    _mail_post_access = "read"

    name = fields.Char(required=True, readonly=True, copy=False, default="/", index="trigram")
    direction = fields.Selection(DIRECTIONS, required=True, default="out", index=True)
    type_id = fields.Many2one("b2b.exchange.type", "Type", required=True, index=True, ondelete="restrict")
    # the type's code, kept with the exchange (set from the type): what the code searches for and what makes a
    # received message unique; exchanges logged before their type existed are linked by it (see the type)
    kind = fields.Char("Type Code", required=True, readonly=True, index=True)
    protocol = fields.Char(help="Protocol or platform, e.g. INSBOU003, WooCommerce, cXML")
    summary = fields.Char(help="One-line description of what happened")
    state = fields.Selection(STATES, default="pending", required=True, index=True, tracking=True)
    # set by the code that logs the exchange, never by hand (a log row moved to another backend lies)
    backend_ref = fields.Reference(selection="_selection_backend_ref", string="Backend", index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Partner", index=True, ondelete="set null")
    res_model = fields.Char("Related Model", index=True)
    res_id = fields.Many2oneReference("Related Record ID", model_field="res_model", index=True)
    record_ref = fields.Reference(
        selection="_selection_record_ref", string="Related Record", compute="_compute_record_ref",
    )
    external_id = fields.Char(
        "External ID", index=True, copy=False,
        help="The peer's identifier of this message or record; with the kind and the backend it makes an "
        "import idempotent.",
    )
    parent_id = fields.Many2one("b2b.exchange", string="Run", index=True, ondelete="cascade")
    child_ids = fields.One2many("b2b.exchange", "parent_id", string="Records")
    child_count = fields.Integer(compute="_compute_child_count")
    payload_attachment_id = fields.Many2one("ir.attachment", string="Payload", copy=False, ondelete="set null")
    payload_name = fields.Char(related="payload_attachment_id.name", string="Payload File")
    payload_preview = fields.Text(compute="_compute_payload_preview")
    payload_access = fields.Boolean(
        compute="_compute_payload_preview",
        help="The payload and response are shown to users who may read the related record")
    response_attachment_id = fields.Many2one("ir.attachment", string="Response", copy=False, ondelete="set null")
    error = fields.Text(copy=False)
    error_detail = fields.Text(copy=False, groups="b2b_connector_base.group_b2b_manager")
    attempt_count = fields.Integer("Attempts", default=0, copy=False)
    max_attempts = fields.Integer(default=5, help="Automatic retries stop after this many attempts (from the type)")
    next_retry_at = fields.Datetime("Next Retry", copy=False, index=True)
    auto_retry = fields.Boolean(copy=False, help="Set when the last failure was transient (network, 5xx)")
    process_model = fields.Char(copy=False)
    process_method = fields.Char(copy=False)
    job_uuid = fields.Char("Job", copy=False, index=True)
    progress_done = fields.Integer(copy=False)
    progress_total = fields.Integer(copy=False)
    progress = fields.Float(compute="_compute_progress")
    user_id = fields.Many2one("res.users", string="User", default=lambda self: self.env.user, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
    )
    date_done = fields.Datetime(copy=False)
    call_ids = fields.One2many("b2b.exchange.call", "exchange_id", string="HTTP Calls")
    call_count = fields.Integer(compute="_compute_call_count")
    color = fields.Integer(compute="_compute_color")
    light = fields.Selection(
        [("normal", "In progress"), ("done", "Done"), ("blocked", "Failed")],
        compute="_compute_color",
        help="Colored state light: grey pending/sent/cancelled, green done, red failed",
    )

    _external_unique = models.UniqueIndex(
        "(kind, direction, backend_ref, external_id) WHERE external_id IS NOT NULL AND parent_id IS NULL",
        "This message was already received from this backend.",
    )

    # ------------------------------------------------------------------ selections / computes
    @api.model
    def _selection_backend_ref(self):
        models_ = [("res.partner", "Partner")]
        for name, model in self.env.registry.items():
            if getattr(model, "_b2b_backend", False) and not model._abstract and name != "res.partner":
                models_.append((name, model._description or name))
        return models_

    @api.model
    def _selection_record_ref(self):
        return [(m.model, m.name) for m in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for rec in self:
            ok = rec.res_model and rec.res_id and rec.res_model in self.env
            rec.record_ref = f"{rec.res_model},{rec.res_id}" if ok else False

    def _compute_child_count(self):
        data = dict(self._read_group([("parent_id", "in", self.ids)], ["parent_id"], ["__count"]))
        for rec in self:
            rec.child_count = data.get(rec, 0)

    def _compute_call_count(self):
        data = dict(self.env["b2b.exchange.call"]._read_group(
            [("exchange_id", "in", self.ids)], ["exchange_id"], ["__count"]))
        for rec in self:
            rec.call_count = data.get(rec, 0)

    @api.depends("progress_done", "progress_total")
    def _compute_progress(self):
        for rec in self:
            rec.progress = 100.0 * rec.progress_done / rec.progress_total if rec.progress_total else 0.0

    @api.depends("state")
    def _compute_color(self):
        colors = {"pending": 0, "sent": 4, "done": 10, "failed": 1, "cancelled": 3}
        lights = {"done": "done", "failed": "blocked"}
        for rec in self:
            rec.color = colors.get(rec.state, 0)
            rec.light = lights.get(rec.state, "normal")

    @api.depends("payload_attachment_id")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_payload_preview(self):
        readable = self._b2b_payload_readable()
        for rec in self:
            rec.payload_access = rec in readable
            att = rec.payload_attachment_id.sudo()
            text = False
            if rec.payload_access and rec._b2b_owns(att) and (att.mimetype or "").startswith(
                    ("text/", "application/xml", "application/json")):
                raw = att.raw or b""
                text = raw[:PREVIEW_LIMIT].decode("utf-8", "replace")
                if len(raw) > PREVIEW_LIMIT:
                    text += "\n" + self.env._("... (%(count)s more bytes, download the payload)",
                                               count=len(raw) - PREVIEW_LIMIT)
            rec.payload_preview = text

    def _b2b_owns(self, attachment):
        """Payloads are attachments of their exchange (see ``_b2b_set_payload``): never show another one."""
        self.ensure_one()
        attachment = attachment.sudo()
        return bool(attachment) and attachment.res_model == self._name and attachment.res_id == self.id

    def _b2b_payload_readable(self):
        """The exchanges of ``self`` whose payload and response the current user may read: those of an
        allowed company whose related record (if any) the user may read. The payload of an EDI order or
        a shop order carries what the record does, so it follows the user's rights on that record."""
        if self.env.su:
            return self
        companies = set(self.env.companies.ids)
        readable_ids = set()
        by_model = defaultdict(list)
        for rec in self.sudo():
            if rec.company_id.id not in companies:
                continue
            if rec.res_model and rec.res_id:
                by_model[rec.res_model].append(rec)
            else:
                readable_ids.add(rec.id)
        for model, exchanges in by_model.items():
            if model not in self.env:
                continue  # the model is gone: nobody knows who may read its data
            records = self.env[model].browse({e.res_id for e in exchanges}).exists()._filtered_access("read")
            readable_ids.update(e.id for e in exchanges if e.res_id in records._ids)
        return self.filtered(lambda e: e.id in readable_ids)

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")  # before anything is looked up for a caller who may not create
        seq = self.env["ir.sequence"].sudo()
        vals_list = self._b2b_resolve_types(vals_list)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = seq.next_by_code("b2b.exchange") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "kind" in vals or "type_id" in vals:
            vals = self._b2b_resolve_types([vals], defaults=False)[0]
        return super().write(vals)

    @api.model
    def _b2b_resolve_types(self, vals_list, defaults=True):
        """The type and its code, whichever of them the values name (``kind`` a type's code, or
        ``type_id``); on creation the type also gives the direction and the number of attempts unless the
        values say otherwise."""
        Type = self.env["b2b.exchange.type"].sudo()
        by_code = Type._b2b_get({vals["kind"] for vals in vals_list if vals.get("kind") and not vals.get("type_id")})
        result = []
        for vals in vals_list:
            vals = dict(vals)
            type_ = Type.browse(vals["type_id"]) if vals.get("type_id") else by_code.get(vals.get("kind"))
            if type_:
                if vals.get("kind") and vals["kind"] != type_.code:
                    raise ValueError(f"exchange type {type_.code} given with the code {vals['kind']}")
                vals.update(type_id=type_.id, kind=type_.code)
                if defaults:
                    vals.setdefault("direction", type_.direction)
                    vals.setdefault("max_attempts", type_.max_attempts)
            result.append(vals)
        return result

    def _get_mail_thread_data_attachments(self):
        # the chatter lists the exchange's attachments (payload, response): only to who may read them
        self.ensure_one()
        if not self._b2b_payload_readable():
            return self.env["ir.attachment"]
        return super()._get_mail_thread_data_attachments()

    # ------------------------------------------------------------------ creation helpers
    @api.model
    def _b2b_log(self, kind, direction=None, backend=None, partner=None, record=None, payload=None,
                 filename=None, mimetype=None, external_id=None, process=None, state="pending", **vals):
        """Create an exchange (as superuser, keeping the acting user); returns it in the caller's env.

        ``kind`` the code of a declared ``b2b.exchange.type`` (which also gives the direction when
        ``direction`` is not given), ``backend`` a record of a backend model (or a partner), ``record`` the
        related business record, ``payload`` bytes/str stored as attachment, ``process`` a (model, method)
        pair that (re)processes the exchange.
        """
        return self._b2b_log_batch(kind, [dict(vals, partner=partner, record=record, payload=payload,
                                               filename=filename, mimetype=mimetype, external_id=external_id)],
                                   direction=direction, backend=backend, process=process, state=state)

    @api.model
    def _b2b_log_batch(self, kind, entries, direction=None, backend=None, process=None, state="pending"):
        """The exchanges of ``entries`` created at once (one insert for them, one for their payloads); each entry
        holds what :meth:`_b2b_log` takes per exchange (``partner``, ``record``, ``payload``, ``summary``...)."""
        vals_list, payloads = [], []
        for entry in entries:
            entry = dict(entry)
            partner, record = entry.pop("partner", None), entry.pop("record", None)
            payloads.append((entry.pop("payload", None), entry.pop("filename", None), entry.pop("mimetype", None)))
            values = {
                "kind": kind,
                "state": state,
                "external_id": entry.pop("external_id", None),
                "user_id": self.env.user.id,
                "company_id": entry.pop("company_id", None) or self._b2b_company_of(backend, record).id,
            }
            if direction:
                values["direction"] = direction
            if backend:
                values["backend_ref"] = f"{backend._name},{backend.id}"
                if backend._name == "res.partner" and not (partner or entry.get("partner_id")):
                    values["partner_id"] = backend.id
            if partner:
                values["partner_id"] = partner.id
            if record:
                values.update(res_model=record._name, res_id=record.id)
            if process:
                values.update(process_model=process[0], process_method=process[1])
            values.update(entry)
            vals_list.append(values)
        exchanges = self.sudo().create(vals_list)
        stored = [(exchange, data, filename, mimetype)
                  for exchange, (data, filename, mimetype) in zip(exchanges, payloads, strict=True) if data is not None]
        if stored:
            attachments = self.env["ir.attachment"].sudo().create([
                exchange._b2b_attachment_values(data, filename or f"{exchange.name.replace('/', '_')}.txt", mimetype)
                for exchange, data, filename, mimetype in stored])
            for (exchange, *_payload), attachment in zip(stored, attachments, strict=True):
                exchange.payload_attachment_id = attachment
        return exchanges.with_env(self.env)

    def _b2b_company_of(self, backend, record):
        for rec in (record, backend):
            if rec and "company_id" in rec._fields and rec.company_id:
                return rec.company_id
        return self.env.company

    @api.model
    def _b2b_find(self, kind, external_id, backend=None, direction=None):
        domain = [("kind", "=", kind), ("external_id", "=", external_id), ("parent_id", "=", False)]
        if backend:
            domain.append(("backend_ref", "=", f"{backend._name},{backend.id}"))
        if direction:
            domain.append(("direction", "=", direction))
        return self.sudo().search(domain, limit=1).with_env(self.env)

    def _b2b_claim(self, external_id):
        """Give this (top-level) exchange the peer's message id, once: False when another exchange of the
        same kind, direction and backend has it (a replay), also when that other one is being received at
        this very moment (the unique index makes this transaction wait for the other one, then refuses)."""
        self.ensure_one()
        exchange = self.sudo()
        if exchange.search_count([
                ("kind", "=", exchange.kind), ("direction", "=", exchange.direction),
                ("external_id", "=", external_id), ("parent_id", "=", False), ("id", "!=", exchange.id),
                ("backend_ref", "=",
                 exchange.backend_ref and f"{exchange.backend_ref._name},{exchange.backend_ref.id}")]):
            return False
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                exchange.external_id = external_id
                exchange.flush_recordset(["external_id"])
        except psycopg2.IntegrityError:
            exchange.invalidate_recordset(["external_id"])
            return False
        return True

    def _b2b_set_payload(self, data, filename, mimetype=None, field="payload_attachment_id"):
        self.ensure_one()
        att = self.env["ir.attachment"].sudo().create(self._b2b_attachment_values(data, filename, mimetype))
        self.sudo()[field] = att
        return att

    def _b2b_attachment_values(self, data, filename, mimetype=None):
        """The values of the attachment holding ``data`` (bytes or str) for this exchange."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not mimetype:
            head = data.lstrip()[:1]
            mimetype = {b"<": "application/xml", b"{": "application/json", b"[": "application/json"}.get(
                head, "application/octet-stream" if data[:4] == b"%PDF" else "text/plain")
            if data[:4] == b"%PDF":
                mimetype = "application/pdf"
        return {"name": filename, "raw": data, "mimetype": mimetype, "res_model": self._name, "res_id": self.id,
                "company_id": self.company_id.id}

    def _b2b_get_payload(self, field="payload_attachment_id"):
        self.ensure_one()
        return self.sudo()[field].raw or b""

    # ------------------------------------------------------------------ state changes
    def _b2b_done(self, summary=None, state="done"):
        vals = {"state": state, "error": False, "next_retry_at": False, "auto_retry": False}
        if state == "done":
            vals["date_done"] = fields.Datetime.now()
        if summary:
            vals["summary"] = summary
        self.sudo().write(vals)

    def _b2b_fail(self, exc, secrets=()):
        """Record a failure: clear message, traceback for managers, retry planning for transient errors."""
        backend = self[:1].sudo().backend_ref
        peer = backend.exists().display_name if backend else None  # "the server of <peer> did not answer"
        message = mask_text(user_message(exc, env=self.env, peer=peer), secrets)
        detail = mask_text("".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-20000:], secrets)
        retry_after = getattr(exc, "retry_after", None)  # the peer said when to come back (Retry-After)
        retry_after = retry_after if isinstance(retry_after, (int, float)) and retry_after > 0 else 0
        for rec in self.sudo():
            retry = is_retryable(exc) and rec.attempt_count < rec.max_attempts
            backoff = rec.type_id._b2b_backoff(rec.attempt_count)
            rec.write({
                "state": "failed",
                "error": message,
                "error_detail": detail,
                "auto_retry": retry,
                "next_retry_at": fields.Datetime.now() + max(backoff, timedelta(seconds=retry_after))
                if retry else False,
            })
            rec.message_post(body=self.env._("Failed: %(message)s", message=message))
        _logger.warning("B2B exchange %s failed: %s", ",".join(self.mapped("name")), message)

    def _b2b_progress(self, done, total=None):
        vals = {"progress_done": done}
        if total is not None:
            vals["progress_total"] = total
        self.sudo().write(vals)

    # ------------------------------------------------------------------ processing
    @api.model
    def _b2b_declared_processors(self, model_name):
        """The processor methods ``model_name`` declares: every ``_b2b_processors`` tuple along its
        inheritance chain (each addon lists the ``_b2b_*`` methods it adds to the model)."""
        if model_name not in self.env:
            return frozenset()
        names = set()
        for klass in type(self.env[model_name]).__mro__:
            names.update(klass.__dict__.get("_b2b_processors", ()))
        return frozenset(name for name in names if name.startswith("_b2b_"))

    def _b2b_process(self):
        """Run each exchange's processor in a savepoint. Returns True when all succeeded."""
        ok = True
        for exchange in self:
            ok &= exchange._b2b_process_one()
        return ok

    def _b2b_process_one(self):
        self.ensure_one()
        exchange = self.sudo()
        # "sent" is done on our side (an answer is awaited): a job run twice must not send it again
        if exchange.state in ("done", "sent", "cancelled"):
            return True
        if not exchange.process_model or not exchange.process_method:
            raise UserError(self.env._("Exchange %(exchange)s has no processor.", exchange=exchange.name))
        if exchange.process_method not in self._b2b_declared_processors(exchange.process_model):
            # only what an addon declared runs (as superuser, from a job): never a method named in the data
            exchange._b2b_fail(UserError(self.env._(
                "%(model)s.%(method)s is not a declared processor: the exchange was not processed.",
                model=exchange.process_model, method=exchange.process_method)))
            return False
        calls = CallCollector()
        handler_env = exchange.with_context(b2b_call_collector=calls)
        processor = getattr(self.env[exchange.process_model], exchange.process_method)
        exchange.attempt_count += 1
        secrets = ()
        try:
            with self.env.cr.savepoint():
                result = processor(handler_env)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the exchange
            backend = exchange.backend_ref
            if backend and hasattr(backend, "_b2b_secret_values"):
                secrets = backend._b2b_secret_values()
            exchange._b2b_store_calls(calls)
            exchange._b2b_fail(exc, secrets)
            on_failure = getattr(self.env[exchange.process_model], "_b2b_on_failure", None)
            if on_failure:  # e.g. show the failure on the business record (outside the rolled-back savepoint)
                on_failure(exchange)
            return False
        exchange._b2b_store_calls(calls)
        if exchange.state in ("pending", "failed"):
            exchange._b2b_done(result if isinstance(result, str) else None)
        return True

    def _b2b_store_calls(self, records):
        if not records:
            return
        self.env["b2b.exchange.call"].sudo().create([{
            "exchange_id": self.id,
            "method": r.method,
            "url": r.url[:2000],
            "attempt": r.attempt,
            "status": r.status or 0,
            "kind": r.kind,
            "duration": r.duration,
            "waited": r.waited,
            "error": r.error,
            "request_headers": json.dumps(r.request_headers, indent=1, default=str),
            "request_body": r.request_body,
            "response_body": r.response_body,
        } for r in records])
        records.clear()

    def _b2b_record_call(self, record):
        """``on_call`` hook for :class:`HttpClient`: collected during processing (so a rolled-back
        savepoint does not lose them), written at once otherwise."""
        collector = self.env.context.get("b2b_call_collector")
        if collector is not None:
            collector.append(record)
        elif self:
            self.sudo()._b2b_store_calls([record])

    def _b2b_job_channel(self):
        """The type's channel when it has one, else the backend's."""
        if self.type_id.job_channel:
            return self.type_id.job_channel
        backend = self.backend_ref
        if backend and hasattr(backend, "_b2b_job_channel"):
            return backend._b2b_job_channel()
        return "root.b2b"

    def _b2b_enqueue(self, priority=None, eta=None):
        """Process in the background (queue_job), on the backend's channel."""
        for exchange in self.sudo():
            job = exchange.with_delay(
                channel=exchange._b2b_job_channel(),
                priority=priority,
                eta=eta,
                description=f"B2B {exchange.type_id.name} {exchange.name}",
                identity_key=f"b2b.exchange:{exchange.id}:{exchange.attempt_count}",
            )._b2b_job_run()
            exchange.job_uuid = getattr(job, "uuid", False) or False
        return True

    def _b2b_job_run(self):
        """queue_job entry point."""
        self._b2b_process()
        return ", ".join(f"{e.name}: {e.state}" for e in self)

    # ------------------------------------------------------------------ actions
    def action_retry(self):
        # users may not write exchanges: the retry writes as superuser, for exchanges the user may see
        self.check_access("read")
        retryable = self.filtered(lambda e: e.state in ("failed", "cancelled", "pending") and e.process_method)
        if not retryable:
            raise UserError(self.env._("Only failed, cancelled or pending exchanges with a processor can be retried."))
        retryable.sudo().write({"state": "pending", "next_retry_at": False, "auto_retry": False})
        for exchange in retryable:
            exchange.message_post(body=self.env._("Retry requested by %(user)s.", user=self.env.user.name))
        retryable._b2b_enqueue(priority=5)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._("%(count)s exchange(s) queued for retry.", count=len(retryable)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_cancel(self):
        self.check_access("read")
        self.filtered(lambda e: e.state in ("pending", "failed")).sudo().write(
            {"state": "cancelled", "next_retry_at": False, "auto_retry": False})

    def action_open_record(self):
        self.ensure_one()
        if not self.record_ref:
            raise UserError(self.env._("This exchange is not linked to a record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def action_view_children(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Records of %(name)s", name=self.name),
            "res_model": "b2b.exchange",
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id)],
        }

    def action_download_payload(self):
        self.ensure_one()
        if not self.payload_attachment_id:
            raise UserError(self.env._("This exchange has no payload."))
        if not self.payload_access:
            raise AccessError(self.env._("You may not read the payload of %(exchange)s: it belongs to a record "
                                         "you cannot see.", exchange=self.name))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.payload_attachment_id.id}?download=true",
            "target": "self",
        }

    def related_action_b2b_exchange(self):
        """queue_job "Related" button: open the exchange the job processes."""
        return {
            "type": "ir.actions.act_window",
            "res_model": "b2b.exchange",
            "view_mode": "form" if len(self) == 1 else "list,form",
            "res_id": self.id if len(self) == 1 else False,
            "domain": [("id", "in", self.ids)],
        }

    # ------------------------------------------------------------------ crons
    @api.model
    def _cron_retry_failed(self, limit=200):
        """Re-queue failed exchanges whose transient failure is due for a retry."""
        due = self.sudo().search([
            ("state", "=", "failed"),
            ("auto_retry", "=", True),
            ("next_retry_at", "<=", fields.Datetime.now()),
            ("process_method", "!=", False),
        ], limit=limit, order="next_retry_at")
        due = due.filtered(lambda e: e.attempt_count < e.max_attempts)
        due.write({"state": "pending", "auto_retry": False, "next_retry_at": False})
        due._b2b_enqueue()
        return len(due)

    @api.model
    def _cron_cleanup(self, days=180):
        """Delete done/cancelled exchanges (and their payloads) older than ``days``."""
        limit_date = fields.Datetime.now() - timedelta(days=days)
        old = self.sudo().search([("state", "in", ("done", "cancelled")), ("create_date", "<", limit_date)])
        self.env["ir.attachment"].sudo().search([("res_model", "=", self._name), ("res_id", "in", old.ids)]).unlink()
        old.unlink()
        return len(old)
