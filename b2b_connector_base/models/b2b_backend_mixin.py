from odoo import api, fields, models

from ..lib.http import HttpClient
from ..tools import MANAGER_GROUP, DbRequestBudget, check_manager
from ..tools.errors import say


class B2bBackendMixin(models.AbstractModel):
    """What every B2B backend (wholesaler partner, shop, BaseLinker account...) shares: HTTP settings
    and client, request budget, job channel, exchange log access, "Test connection" plumbing.

    Field names are prefixed ``b2b_`` so the mixin can also extend ``res.partner``.
    """

    _name = "b2b.backend.mixin"
    _inherit = ["b2b.secret.mixin", "b2b.exchange.consumer.mixin"]
    _description = "B2B Backend"
    _b2b_backend = True
    _b2b_exchange_link = "backend_ref"  # a backend's exchanges are those logged with backend=it
    _b2b_channel_prefix = None  # e.g. "edi", "shop", "baselinker"

    # configuration: B2B Managers only (also on res.partner, which every internal user may write);
    # not copied by the ORM, which would refuse a plain user's duplicate of a partner (see copy_data)
    b2b_timeout = fields.Integer("Read Timeout (s)", default=30, groups=MANAGER_GROUP, copy=False)
    b2b_connect_timeout = fields.Integer("Connect Timeout (s)", default=10, groups=MANAGER_GROUP, copy=False)
    b2b_retries = fields.Integer("Retries", default=3, groups=MANAGER_GROUP, copy=False,
                                 help="Retries of a failed call (timeouts, 5xx, 429)")
    b2b_rate_limit = fields.Integer(
        "Max. Requests", default=0, groups=MANAGER_GROUP, copy=False,
        help="Request budget: at most this many calls per period (0: no limit)")
    b2b_rate_period = fields.Integer("Per (seconds)", default=60, groups=MANAGER_GROUP, copy=False)

    _b2b_config_fields = ("b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit", "b2b_rate_period")

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):  # a manager's copy keeps the HTTP settings
            for rec, vals in zip(self, vals_list, strict=False):
                if vals is not None:
                    for name in self._b2b_config_fields:
                        vals.setdefault(name, rec[name])
        return vals_list

    @api.model
    def _b2b_check_manager(self):
        """Refuse anyone but a B2B Manager (or the superuser): call it first in every public method that
        configures a backend or reaches its peer (a hidden button is no protection against RPC)."""
        check_manager(self.env)

    def _b2b_exchange_domain(self):
        return [("backend_ref", "in", [f"{self._name},{rid}" for rid in self.ids])]

    def _b2b_exchange_owner_id(self, value):
        # a Reference groups as a record or as its "model,id" string depending on the value
        return int(value.split(",")[1]) if isinstance(value, str) else value.id

    def action_b2b_view_exchanges(self):
        action = super().action_b2b_view_exchanges()
        action["domain"] = action["domain"] + [("parent_id", "=", False)]  # the runs, not each record of them
        return action

    # ------------------------------------------------------------------ building blocks
    def _b2b_job_channel(self):
        self.ensure_one()
        prefix = self._b2b_channel_prefix or self._name.replace(".", "_")
        return f"root.b2b.{prefix}_{self.id}"

    def _b2b_budget(self):
        self.ensure_one()
        settings = self.sudo()  # manager-only fields; whoever triggers the call uses the backend's settings
        if not settings.b2b_rate_limit:
            return None
        return DbRequestBudget(self.env.registry, f"{self._name}:{self.id}", settings.b2b_rate_limit,
                               settings.b2b_rate_period or 60)

    def _b2b_http(self, exchange=None, base_url="", headers=None, auth=None, secrets=(), **kw):
        """An :class:`HttpClient` with this backend's timeouts, retries and budget; every call is
        recorded on ``exchange`` (if given) with secrets masked."""
        self.ensure_one()
        settings = self.sudo()
        options = dict(
            base_url=base_url,
            timeout=(float(settings.b2b_connect_timeout or 10), float(settings.b2b_timeout or 30)),
            retries=settings.b2b_retries if settings.b2b_retries is not None else 3,
            budget=self._b2b_budget(),
            headers=headers,
            auth=auth,
            secrets=tuple(secrets) + tuple(self._b2b_secret_values()),
            on_call=exchange._b2b_record_call if exchange else None,
        )
        options.update(kw)
        return HttpClient(**options)

    def _b2b_exchange(self, kind, **kw):
        """Create an exchange of this backend (see ``b2b.exchange._b2b_log``)."""
        self.ensure_one()
        return self.env["b2b.exchange"]._b2b_log(kind, backend=self, **kw)

    def _b2b_notify(self, message, level="success", sticky=False, title=None):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": title or self.display_name, "message": message, "type": level, "sticky": sticky},
        }

    def _b2b_test_connection(self, check):
        """Run ``check(exchange)`` (a remote call) synchronously as a logged exchange and return a
        notification naming the cause of a failure (auth, URL, TLS, timeout...). B2B Managers only."""
        self.ensure_one()
        self._b2b_check_manager()
        exchange = self._b2b_exchange("test_connection", direction="internal", summary=self.env._("Test connection"))
        calls = []
        exchange_ctx = exchange.with_context(b2b_call_collector=calls)
        exchange.sudo().attempt_count = 1  # exchanges are written by code, not by their users
        try:
            with self.env.cr.savepoint():
                message = say(self.env, check(exchange_ctx))  # a protocol package's Phrase in the user's language
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged on the exchange
            exchange._b2b_store_calls(calls)
            exchange._b2b_fail(exc, self._b2b_secret_values())
            exchange.sudo().write({"auto_retry": False, "next_retry_at": False})  # nothing to retry by itself
            return self._b2b_notify(exchange.error, level="danger", sticky=True,
                                    title=self.env._("Connection failed"))
        exchange._b2b_store_calls(calls)
        exchange._b2b_done(message or self.env._("Connection OK"))
        return self._b2b_notify(message or self.env._("Connection OK"), title=self.env._("Connection OK"))

    @api.model
    def _b2b_enqueue_method(self, records, method, *args, description=None, **kwargs):
        """Queue ``records.method(*args)`` on each record's channel."""
        for rec in records:
            getattr(rec.with_delay(channel=rec._b2b_job_channel(), description=description), method)(*args, **kwargs)
