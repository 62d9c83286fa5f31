from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, begin_run, secret_fields
from odoo.addons.b2b_connector_base.tools.errors import say
from odoo.addons.b2b_connector_base.tools.translate import declared_text
from odoo.addons.base.models.res_partner import _lang_get

from ..protocol import model as shop
from ..tools import like_prefix, newer_states, result_error
from ..tools.shop_texts import OdooShopTexts

FLOWS = [
    ("catalogue", "Catalogue (categories and products)"),
    ("prices", "Prices"),
    ("stock", "Stock"),
    ("customers", "Customers"),
    ("orders", "Orders"),
]
NO_PLATFORM = "none"
# the secrets an adapter may read (``Credential.name``) and the fields holding them
SECRET_FIELDS = {"key": "api_key", "secret": "api_secret", "extra": "api_extra"}
RUN_LOCK = 0x5B2B  # advisory lock namespace of shop runs (second key: the backend id)


def _special_product(xmlid):
    """The default of a special product field: the product ``xmlid`` of this addon's data."""
    return lambda self: self.env.ref(f"b2b_ecommerce_sync.{xmlid}", raise_if_not_found=False)


class B2bShopBackend(models.Model):
    """One web shop: the ERP is the master of its catalogue, prices, stock and customers; the shop is the
    master of its orders, which come in as sale orders and get their progress and invoices back.

    The platform is a selection each platform addon extends (``selection_add``), as payment providers'
    ``code``; its addon also returns its adapter from :meth:`_shop_adapter_class`, so what a database knows
    of platforms is what its installed addons bring. What the form shows of the platform (which secrets it
    reads, their labels and help, its options) comes from the adapter's declarations."""

    _name = "b2b.shop.backend"
    _inherit = ["b2b.backend.mixin", "b2b.schedule.mixin", "mail.thread"]
    _description = "Web Shop Backend"
    _b2b_channel_prefix = "shop"
    _b2b_processors = ("_b2b_run_catalogue", "_b2b_run_prices", "_b2b_run_stock", "_b2b_run_customers",
                       "_b2b_run_orders")

    # Everything that says where the shop is, what is sent to it and how its orders come in is B2B Manager
    # only (groups=MANAGER_GROUP); B2B Users and salesmen see the shop's name, counts and exchanges.
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    # a backend whose platform addon is uninstalled falls back to "No platform" (ondelete "set default" of
    # each platform): it keeps its records and shop ids, and runs nothing until its platform is back
    platform = fields.Selection([(NO_PLATFORM, "No platform")], required=True, default=NO_PLATFORM, tracking=True,
                                groups=MANAGER_GROUP, help="Each platform is an addon (b2b_shop_<platform>)")
    url = fields.Char("Shop URL", required=True, help="The shop's base address, e.g. https://shop.example.com",
                      tracking=True, groups=MANAGER_GROUP)
    api_key, api_key_enc = secret_fields("Key", help="The platform's main credential. Stored encrypted.")
    api_secret, api_secret_enc = secret_fields("Secret", help="A second credential, for platforms that read one. "
                                                              "Stored encrypted.")
    api_extra, api_extra_enc = secret_fields("Extra Secret", help="A third credential, for platforms that read "
                                                                  "one. Stored encrypted.")
    # what the platform's adapter says of each secret (its ``credential_specs``)
    api_key_used = fields.Boolean(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_key_label = fields.Char(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_key_help = fields.Char(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_secret_used = fields.Boolean(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_secret_label = fields.Char(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_secret_help = fields.Char(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_extra_used = fields.Boolean(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_extra_label = fields.Char(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    api_extra_help = fields.Char(compute="_compute_credential_specs", groups=MANAGER_GROUP)
    option_ids = fields.One2many("b2b.shop.option", "backend_id", "Platform Options", copy=True, groups=MANAGER_GROUP)
    options_outdated = fields.Boolean(
        compute="_compute_options_outdated", groups=MANAGER_GROUP,
        help="The platform declares options (or choices) this shop has no row for yet; they take their defaults")

    # what Odoo writes into the shop is in this language whoever (or whichever job) writes it: the fingerprint of a
    # product does not change with the user who runs the catalogue, and the shop's customers read their language
    shop_lang = fields.Selection(
        _lang_get, "Shop Language", default=lambda self: self._default_shop_lang(), tracking=True,
        groups=MANAGER_GROUP,
        help="The language of what Odoo writes into the shop: the product names and descriptions it sends, and "
             "the notes and comments the shop's customers and staff read (the parcel's tracking, the invoice, a "
             "cancellation). Empty: English")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    warehouse_id = fields.Many2one(
        "stock.warehouse", "Warehouse", required=True, check_company=True, groups=MANAGER_GROUP,
        default=lambda self: self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1))
    pricelist_id = fields.Many2one("product.pricelist", "Pricelist", check_company=True, groups=MANAGER_GROUP,
                                   help="Prices sent to the shop and used for its orders")
    team_id = fields.Many2one("crm.team", "Sales Team", check_company=True, groups=MANAGER_GROUP)
    user_id = fields.Many2one("res.users", "Salesperson", help="Salesperson of imported orders", groups=MANAGER_GROUP)

    # -- catalogue out
    product_binding_ids = fields.One2many("b2b.shop.product", "backend_id", "Products")
    product_count = fields.Integer(compute="_compute_counts")
    category_map_ids = fields.One2many("b2b.shop.category.map", "backend_id", "Category Mapping", copy=False,
                                       groups=MANAGER_GROUP)
    field_map_ids = fields.One2many("b2b.shop.field.map", "backend_id", "Custom Fields", copy=True,
                                    groups=MANAGER_GROUP)
    tax_map_ids = fields.One2many("b2b.shop.tax.map", "backend_id", "Tax Classes", copy=True, groups=MANAGER_GROUP)
    stock_mode = fields.Selection(
        [("qty_available", "On hand"), ("virtual_available", "Forecast"), ("free_qty", "Free (on hand - reserved)")],
        "Stock Sent", default="free_qty", required=True, groups=MANAGER_GROUP)
    send_restock_date = fields.Boolean(
        "Restock Dates", default=True, groups=MANAGER_GROUP,
        help="For products out of stock, send the date of the next incoming receipt")
    # -- customers out
    partner_binding_ids = fields.One2many("b2b.shop.partner", "backend_id", "Customers")
    customer_count = fields.Integer(compute="_compute_counts")
    group_map_ids = fields.One2many("b2b.shop.group.map", "backend_id", "Customer Groups", copy=True,
                                    groups=MANAGER_GROUP)

    # -- orders in
    status_ids = fields.One2many("b2b.shop.status", "backend_id", "Shop Order Statuses", copy=True,
                                 groups=MANAGER_GROUP)
    order_mode = fields.Selection(
        [("quotation", "Quotation"), ("confirmed", "Confirmed sale order")], "Import Orders As",
        default="confirmed", required=True, groups=MANAGER_GROUP)
    # what the order lines that are no product become (data/shop_data.xml)
    shipping_product_id = fields.Many2one("product.product", "Shipping Product", required=True, groups=MANAGER_GROUP,
                                          default=_special_product("product_shop_shipping"))
    fee_product_id = fields.Many2one("product.product", "Fee Product", required=True, groups=MANAGER_GROUP,
                                     default=_special_product("product_shop_fee"))
    gift_card_product_id = fields.Many2one("product.product", "Gift Card Product", required=True,
                                           groups=MANAGER_GROUP, default=_special_product("product_shop_gift_card"))
    coupon_product_id = fields.Many2one("product.product", "Discount Product", required=True, groups=MANAGER_GROUP,
                                        default=_special_product("product_shop_coupon"))
    payment_journal_id = fields.Many2one(
        "account.journal", "Payment Journal", check_company=True, domain="[('type', 'in', ('bank', 'cash'))]",
        groups=MANAGER_GROUP,
        help="Paid shop orders get their payment registered in this journal (empty: no payment)")
    order_count = fields.Integer(compute="_compute_counts")
    last_order_sync = fields.Datetime(
        "Orders Read Up To", copy=False, default=lambda self: fields.Datetime.now() - timedelta(days=7),
        groups=MANAGER_GROUP,
        help="Orders modified after this moment are read by the next run (a new shop starts a week back)")

    # -- back to the shop
    status_confirmed = fields.Char("Status When Confirmed", groups=MANAGER_GROUP)
    status_shipped = fields.Char("Status When Shipped", groups=MANAGER_GROUP)
    status_delivered = fields.Char("Status When Delivered", groups=MANAGER_GROUP)
    status_cancelled = fields.Char("Status When Cancelled", groups=MANAGER_GROUP)
    notify_mode = fields.Selection(
        [("none", "Nobody"), ("shop", "The shop e-mails the customer"), ("odoo", "Odoo e-mails the customer")],
        "Customer Notifications", default="shop", required=True, groups=MANAGER_GROUP)
    mail_confirmed_template_id = fields.Many2one(
        "mail.template", "Confirmation E-mail", domain="[('model', '=', 'sale.order')]", groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("sale.mail_template_sale_confirmation", raise_if_not_found=False))
    mail_shipped_template_id = fields.Many2one(
        "mail.template", "Shipping E-mail", domain="[('model', '=', 'stock.picking')]", groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("stock.mail_template_data_delivery_confirmation", raise_if_not_found=False))
    mail_cancelled_template_id = fields.Many2one(
        "mail.template", "Cancellation E-mail", domain="[('model', '=', 'sale.order')]", groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("sale.mail_template_sale_cancellation", raise_if_not_found=False))
    send_invoices = fields.Boolean("Invoice PDFs to the Shop", default=True, groups=MANAGER_GROUP)

    _name_company_unique = models.Constraint("UNIQUE(name, company_id)", "A shop with this name already exists.")

    # ------------------------------------------------------------------ computes / constraints
    def _compute_counts(self):
        def count(model, domain_field):
            groups = self.env[model].sudo()._read_group([(domain_field, "in", self.ids)], [domain_field], ["__count"])
            return {rec.id: n for rec, n in groups}

        products = count("b2b.shop.product", "backend_id")
        partners = count("b2b.shop.partner", "backend_id")
        orders = count("sale.order", "b2b_shop_backend_id")
        for rec in self:
            rec.product_count = products.get(rec.id, 0)
            rec.customer_count = partners.get(rec.id, 0)
            rec.order_count = orders.get(rec.id, 0)

    @api.depends("platform")
    @api.depends_context("lang")  # the labels are shown in the user's language
    def _compute_credential_specs(self):
        for rec in self:
            cls = rec._shop_adapter_class()
            specs = {spec.name: spec for spec in (cls.credential_specs if cls else ())}
            for name, field in SECRET_FIELDS.items():
                spec = specs.get(name)
                rec[f"{field}_used"] = bool(spec)
                rec[f"{field}_label"] = rec._shop_declared_text(spec.label) if spec else False
                rec[f"{field}_help"] = (rec._shop_declared_text(spec.help)
                                        + ("" if spec.required else self.env._(" (optional)")) if spec else False)

    @api.depends("platform", "option_ids.key")
    def _compute_options_outdated(self):
        Choice = self.env["b2b.shop.option.choice"].sudo()
        for rec in self:
            cls = rec._shop_adapter_class()
            declared = cls.option_specs if cls else ()
            missing = {spec.name for spec in declared} - set(rec.option_ids.mapped("key"))
            rec.options_outdated = bool(missing or (cls and not Choice._shop_in_step(cls)))

    def _default_shop_lang(self):
        """The company's language (its partner's), else the user's, when it is installed."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        return next((lang for lang in (self.env.company.partner_id.lang, self.env.lang) if lang in installed), False)

    @api.constrains("url")
    def _check_url(self):
        for rec in self:
            if not (rec.url or "").startswith(("http://", "https://")):
                raise ValidationError(self.env._("The shop URL must start with http:// or https://."))

    # ------------------------------------------------------------------ the platform
    def _shop_adapter_class(self):
        """The adapter class (a ``protocol.base.ShopAdapter``) of this shop's platform, None when no installed
        addon knows it. Each platform addon overrides this method: it returns its adapter when ``self.platform``
        is its code, else ``super()``'s (as payment providers check their ``code``)."""
        self.ensure_one()
        return None

    def _shop_platform_class(self):
        """The adapter class of this shop's platform, or the error saying why there is none."""
        cls = self._shop_adapter_class()  # pylint: disable=assignment-from-none  # a platform overrides it
        if cls is None:
            raise UserError(self.env._("Shop %(shop)s has no platform: install the addon of its platform and choose "
                                       "it on the shop.", shop=self.name))
        return cls

    def _platform_label(self):
        return dict(self._fields["platform"]._description_selection(self.env)).get(self.platform, self.platform)

    def _platform_defaults(self):
        """Status table and status mapping of the platform, for a new backend or a platform change."""
        self.ensure_one()
        cls = self._shop_adapter_class()  # pylint: disable=assignment-from-none  # a platform overrides it
        values = {"status_ids": [Command.clear()]}
        for event in shop.PROGRESS_EVENTS:
            values[f"status_{event}"] = cls.default_status_map.get(event) if cls else False
        if cls:
            imported, cancelling = set(cls.default_import_statuses), set(cls.default_cancel_statuses)
            values["status_ids"] += [Command.create({"code": code, "name": label, "import_order": code in imported,
                                                     "cancel_order": code in cancelling, "sequence": n})
                                     for n, (code, label) in enumerate(cls.order_statuses)]
        return values

    @api.onchange("platform")
    def _onchange_platform(self):
        # the option rows follow the new platform when the shop is saved (_shop_sync_options)
        self.update(self._platform_defaults())

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for rec, vals in zip(records, vals_list, strict=False):
            defaults = rec._platform_defaults()
            rec.write({key: value for key, value in defaults.items() if not vals.get(key)})
            rec._shop_sync_options()  # options given on creation win; the platform's other ones are added
        return records

    def write(self, vals):
        changed = self.filtered(lambda rec: rec.platform != vals["platform"]) if "platform" in vals else self.browse()
        result = super().write(vals)
        changed._shop_sync_options(drop_undeclared=True)
        if "option_ids" in vals:  # a declared option whose row was removed is back to its default
            (self - changed)._shop_sync_options()
        return result

    def action_reset_platform_defaults(self):
        self._b2b_check_manager()
        for rec in self:
            rec.write(rec._platform_defaults())
            rec._shop_sync_options(reset=True)
        return True

    def action_shop_sync_options(self):
        """Add the rows (and choices) of options the platform declares since this shop's were made."""
        self._b2b_check_manager()
        self._shop_sync_options()
        return True

    # ------------------------------------------------------------------ options and credentials
    def _shop_sync_options(self, reset=False, drop_undeclared=False):
        """One option row per option the platform declares, in its order, empty (the default) when new; rows of
        options it does not declare are kept (their value still reaches the adapter), unless
        ``drop_undeclared`` (the platform changed). ``reset``: every row is made anew. A shop without platform
        keeps its rows as they are (its platform addon may come back). The choices of the platform's selection
        options are brought in step first."""
        Option = self.env["b2b.shop.option"].sudo()
        for rec in self.sudo():
            cls = rec._shop_adapter_class()
            if not cls:
                continue
            declared = {spec.name for spec in cls.option_specs}
            if reset:
                rec.option_ids.unlink()
            elif drop_undeclared:
                rec.option_ids.filtered(lambda row, declared=declared: row.key not in declared).unlink()
            self.env["b2b.shop.option.choice"].sudo()._shop_sync(cls)
            rows = {row.key: row for row in rec.option_ids}
            for sequence, spec in enumerate(cls.option_specs):
                if spec.name in rows:
                    rows[spec.name].sequence = sequence
                else:
                    Option.create({"backend_id": rec.id, "key": spec.name, "sequence": sequence})

    def _shop_write_options(self, values):
        """Set options by name (``{name: value}``, values as text or typed): the helper of demo data and tests."""
        for rec in self:
            for name, value in values.items():
                row = rec.option_ids.filtered(lambda o, name=name: o.key == name)
                if not row:
                    row = self.env["b2b.shop.option"].create({"backend_id": rec.id, "key": name})
                row.value = "" if value is None else str(value)
        return True

    def _shop_options(self):
        """What the adapter gets: the options set on the shop, as text (empty ones are left out: their
        default applies)."""
        self.ensure_one()
        return {opt.key.strip(): opt.value for opt in self.sudo().option_ids if opt.key and opt.value}

    def _shop_credentials(self):
        """The secrets the platform reads, by their ``Credential.name``."""
        self.ensure_one()
        creds = {}
        for spec in self._shop_platform_class().credential_specs:
            value = self._b2b_secret(SECRET_FIELDS[spec.name])
            if value:
                creds[spec.name] = value
        return creds

    def _shop_declared_text(self, text):
        """A label or help the platform's adapter declares, in the user's language: as the platform addon
        translates it, else as this addon does (the options every adapter has)."""
        cls = self._shop_adapter_class() if len(self) == 1 else None
        return declared_text(self.env, text, *([cls.__module__] if cls else []), "b2b_ecommerce_sync")

    def _shop_adapter(self, exchange=None):
        """The platform adapter on an HTTP client recording its calls on ``exchange``."""
        self.ensure_one()
        cls = self._shop_platform_class()
        creds = self._shop_credentials()
        missing = [self._shop_declared_text(spec.label) for spec in cls.credential_specs
                   if spec.required and not creds.get(spec.name)]
        if missing:
            raise UserError(self.env._("Shop %(shop)s has no %(what)s.", shop=self.name, what=", ".join(missing)))
        http = self._b2b_http(exchange, base_url=self.url)
        return cls(http, creds, self._shop_options(), texts=OdooShopTexts(self.env, self.shop_lang))

    def _shop_with_warnings(self, summary, adapter):
        """A run's summary with what the adapter warned about (a listing stopped early, see protocol.base.Pager),
        in the user's language."""
        warnings = getattr(adapter, "warnings", None)
        return " ".join([summary, *(say(self.env, warning) for warning in warnings)]) if warnings else summary

    def _shop_status_overrides(self):
        return {event: self[f"status_{event}"] for event in shop.PROGRESS_EVENTS if self[f"status_{event}"]}

    def action_test_connection(self):
        self.ensure_one()
        self._b2b_check_manager()
        return self._b2b_test_connection(lambda exchange: self._shop_adapter(exchange).test_connection())

    # ------------------------------------------------------------------ schedules and runs
    def _b2b_default_schedules(self):
        return [
            ("catalogue", "Catalogue (nightly)", 1440, 1.0, 5.0),
            ("customers", "Customers (nightly)", 1440, 1.0, 5.0),
            ("prices", "Prices (hourly)", 60, 0.0, 24.0),
            ("stock", "Stock (hourly)", 60, 0.0, 24.0),
            ("orders", "Orders (hourly)", 60, 0.0, 24.0),
        ]

    def action_b2b_run_flow(self):
        self._b2b_check_manager()
        return super().action_b2b_run_flow()

    def _b2b_run_flow(self, flow):
        if flow not in dict(FLOWS):
            return super()._b2b_run_flow(flow)
        self._b2b_check_manager()  # also reached by a schedule's "Run now"; the cron runs as superuser
        runs = self.env["b2b.exchange"]
        for rec in self:
            runs |= rec._shop_queue_run(flow)
        return self.env._("%(flow)s queued (%(runs)s)", flow=flow, runs=", ".join(runs.mapped("name")))

    def _shop_queue_run(self, flow):
        self.ensure_one()
        if not self.active:
            raise UserError(self.env._("Shop %(name)s is archived.", name=self.name))
        self._shop_platform_class()
        exchange = self._b2b_exchange(
            f"shop.{flow}", direction="in" if flow == "orders" else "out", protocol=self._platform_label(),
            process=("b2b.shop.backend", f"_b2b_run_{flow}"),
            summary=self.env._("%(flow)s run of %(shop)s", flow=dict(FLOWS)[flow], shop=self.name))
        exchange._b2b_enqueue()
        return exchange

    def _shop_begin_run(self, run):
        """Start ``run``, a run exchange of this shop, as the only run of its flow (``tools.begin_run``: None
        when it may go on, else the "Already running" sentence it ended with). Runs of other flows of the shop
        wait for each other (one run of a shop at a time, whatever the job runner's channel capacity; queue_job
        runs each job in its own transaction)."""
        self.ensure_one()
        flow = run.kind.removeprefix("shop.")
        busy = begin_run(self, run, self.env._("%(flow)s run", flow=dict(FLOWS).get(flow, flow)))
        if busy is None:
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RUN_LOCK, self.id])
        return busy

    # the run processors (queued by _shop_queue_run): each flow's work is done by the models of its records
    def _b2b_run_catalogue(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        adapter = backend._shop_adapter(exchange)
        categories = backend.category_map_ids._shop_push(exchange, adapter)
        products = backend.env["b2b.shop.product"].with_context(active_test=False).search(
            [("backend_id", "=", backend.id)])._shop_push(exchange, adapter)
        summary = backend.env._(
            "Categories: %(cok)s sent, %(cfail)s failed. Products: %(ok)s sent, %(failed)s failed, "
            "%(same)s unchanged.", cok=categories.ok, cfail=categories.failed, ok=products.ok,
            failed=products.failed, same=products.unchanged)
        if products.created:  # products new in the shop get their stock now, not at the next stock run
            stock = backend._shop_queue_run("stock")
            summary += " " + backend.env._("Stock of %(n)s new product(s) queued (%(run)s).",
                                           n=products.created, run=stock.name)
        return backend._shop_with_warnings(summary, adapter)

    def _b2b_run_prices(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        return backend._shop_sent_bindings()._shop_send_prices(exchange)

    def _b2b_run_stock(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        return backend._shop_sent_bindings()._shop_send_stock(exchange)

    def _b2b_run_customers(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        bindings = backend.env["b2b.shop.partner"].search([("backend_id", "=", backend.id), ("push", "=", True)])
        pushed = bindings._shop_push(exchange)  # the adapter is made when a customer is to be sent
        return backend._shop_with_warnings(backend.env._(
            "Customers: %(ok)s sent, %(failed)s failed, %(same)s unchanged.", ok=pushed.ok, failed=pushed.failed,
            same=pushed.unchanged), pushed.adapter)

    def _b2b_run_orders(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        return backend.env["sale.order"]._b2b_shop_read_orders(backend, exchange)

    def _shop_sent_bindings(self):
        """The product bindings of this shop that are in the shop (they have a shop id)."""
        self.ensure_one()
        return self.env["b2b.shop.product"].search([("backend_id", "=", self.id), ("remote_id", "!=", False)])

    def _shop_newer_state(self, exchange, remote_id):
        """The exchanges that brought a newer state of the same remote record than ``exchange`` (same kind and
        shop, external ids made by ``tools.state_key``), oldest first; empty when there is none. An import
        applies only when nothing newer was received, so an old state retried, or processed late, never
        overrides a newer one (see ``tools.newer_states``)."""
        self.ensure_one()
        others = self.env["b2b.exchange"].sudo().search([
            ("kind", "=", exchange.kind), ("direction", "=", exchange.direction), ("parent_id", "=", False),
            ("backend_ref", "=", f"{self._name},{self.id}"), ("id", "!=", exchange.id),
            ("external_id", "=like", like_prefix(f"{remote_id}:")),
        ], order="id")
        return newer_states(exchange, others)

    def _shop_newer_states(self, exchanges, remote_ids):
        """:meth:`_shop_newer_state` for many exchanges at once (``remote_ids``: the remote record of each, in
        the same order), in one search: the exchanges of ``exchanges`` a newer state was received for."""
        self.ensure_one()
        if not exchanges:
            return set()
        prefixes = sorted({f"{remote_id}:" for remote_id in remote_ids})
        domain = ["|"] * (len(prefixes) - 1) + [("external_id", "=like", like_prefix(p)) for p in prefixes]
        first = exchanges[0]
        others = self.env["b2b.exchange"].sudo().search(domain + [
            ("kind", "=", first.kind), ("direction", "=", first.direction), ("parent_id", "=", False),
            ("backend_ref", "=", f"{self._name},{self.id}")], order="id")
        newer = set()
        for exchange, remote_id in zip(exchanges, remote_ids, strict=False):
            prefix = f"{remote_id}:"
            candidates = others.filtered(lambda o, p=prefix, e=exchange: o.id != e.id and o.external_id.startswith(p))
            if candidates and newer_states(exchange, candidates):
                newer.add(exchange)
        return newer

    def _shop_log_children(self, run, kind, results, records_by_key, summary_fn):
        """One child exchange per record of a run (done or failed), created in bulk: named after their run
        (``<run>/<n>``, no sequence number each), the backend written once for all."""
        Exchange = self.env["b2b.exchange"].sudo().with_context(tracking_disable=True, mail_create_nolog=True,
                                                                 mail_notrack=True)
        now = fields.Datetime.now()
        # their names in one go (the summaries name them): one by one, 10,000 products cost 40,000 queries
        by_model = {}
        for record in records_by_key.values():
            if record:
                by_model.setdefault(record._name, set()).add(record.id)
        for model, ids in by_model.items():
            self.env[model].browse(sorted(ids)).mapped("display_name")
        start = Exchange.search_count([("parent_id", "=", run.id)])
        vals_list = []
        for n, result in enumerate(results, start=start + 1):
            record = records_by_key.get(result.key)
            vals = {
                "name": f"{run.name}/{n}",
                "kind": kind, "direction": run.direction, "parent_id": run.id, "protocol": run.protocol,
                "company_id": self.company_id.id, "user_id": run.user_id.id,
                "external_id": result.remote_id or False, "summary": summary_fn(result, record)[:250],
                "state": "done" if result.ok else "failed", "error": result_error(self.env, result) or False,
                "date_done": now if result.ok else False, "attempt_count": 1,
            }
            if record:
                vals.update(res_model=record._name, res_id=record.id)
            vals_list.append(vals)
        if not vals_list:
            return Exchange
        children = Exchange.create(vals_list)
        # one value for all: checked once (a reference given at creation is checked once per record)
        children.backend_ref = f"{self._name},{self.id}"
        return children

    # ------------------------------------------------------------------ smart buttons
    def _shop_action(self, name, model, view_mode="list,form"):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": name, "res_model": model, "view_mode": view_mode,
            "domain": [("backend_id", "=", self.id)], "context": {"default_backend_id": self.id},
        }

    def action_view_products(self):
        return self._shop_action(self.env._("Products on %(name)s", name=self.name), "b2b.shop.product")

    def action_view_customers(self):
        return self._shop_action(self.env._("Customers on %(name)s", name=self.name), "b2b.shop.partner")

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update({"domain": [("b2b_shop_backend_id", "=", self.id)], "context": {},
                       "name": self.env._("Orders of %(name)s", name=self.name)})
        return action

    def action_fill_category_map(self):
        """Add a mapping row for every category (and its parents) of the products sold on this shop."""
        self._b2b_check_manager()
        for rec in self:
            categories = rec.product_binding_ids.product_id.categ_id
            categories |= categories.mapped(lambda c: c.search([("id", "parent_of", c.id)]))
            existing = rec.category_map_ids.category_id
            self.env["b2b.shop.category.map"].create([
                {"backend_id": rec.id, "category_id": categ.id}
                for categ in categories.sorted("parent_path") if categ not in existing])
        return True
