import logging
import re
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, begin_run, secret_fields

from ..protocol import model as shop
from ..protocol.base import ShopError, get_adapter

_logger = logging.getLogger(__name__)

PLATFORMS = [
    ("woocommerce", "WooCommerce"),
    ("prestashop", "PrestaShop"),
    ("magento2", "Magento 2"),
    ("shopify", "Shopify"),
]
FLOWS = [
    ("catalogue", "Catalogue (categories and products)"),
    ("prices", "Prices"),
    ("stock", "Stock"),
    ("customers", "Customers"),
    ("orders", "Orders"),
]
# orders modified this long before the last run are fetched again: a shop's clock may be behind ours
ORDER_OVERLAP = timedelta(minutes=10)
RUN_LOCK = 0x5B2B  # advisory lock namespace of shop runs (second key: the backend id)
_STAMP_RE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)?$")


def state_key(remote_id, status, stamp):
    """The external id of one received state of a remote record: "<remote id>:<status>:<modified, ISO>" (the
    stamp may be empty). The same state read twice has the same key; see ``_shop_newer_state``."""
    return f"{remote_id}:{status}:{stamp or ''}"


def _like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class B2bShopBackend(models.Model):
    """One web shop: the ERP is the master of its catalogue, prices, stock and customers; the shop is the
    master of its orders, which come in as sale orders and get their progress and invoices back."""

    _name = "b2b.shop.backend"
    _inherit = ["b2b.backend.mixin", "b2b.schedule.mixin", "mail.thread"]
    _description = "Web Shop Backend"
    _b2b_channel_prefix = "shop"

    # Everything that says where the shop is, what is sent to it and how its orders come in is B2B Manager
    # only (groups=MANAGER_GROUP); B2B Users and salesmen see the shop's name, counts and exchanges.
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    platform = fields.Selection(PLATFORMS, required=True, default="woocommerce", tracking=True, groups=MANAGER_GROUP)
    url = fields.Char("Shop URL", required=True, help="The shop's base address, e.g. https://shop.example.com",
                      tracking=True, groups=MANAGER_GROUP)
    api_key, api_key_enc = secret_fields(
        "API Key / Token",
        help="WooCommerce: consumer key. PrestaShop: webservice key. Magento 2: integration access token. "
             "Shopify: Admin API access token. Stored encrypted.")
    api_secret, api_secret_enc = secret_fields("API Secret", help="WooCommerce: consumer secret. Stored encrypted.")
    api_extra, api_extra_enc = secret_fields(
        "Extra Secret", help="WooCommerce: WordPress application password (to upload invoice PDFs). Stored encrypted.")
    option_ids = fields.One2many("b2b.shop.option", "backend_id", "Platform Options", copy=True, groups=MANAGER_GROUP)

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
    shipping_product_id = fields.Many2one(
        "product.product", "Shipping Product", required=True, groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("b2b_ecommerce_sync.product_shop_shipping", raise_if_not_found=False))
    fee_product_id = fields.Many2one(
        "product.product", "Fee Product", required=True, groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("b2b_ecommerce_sync.product_shop_fee", raise_if_not_found=False))
    gift_card_product_id = fields.Many2one(
        "product.product", "Gift Card Product", required=True, groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("b2b_ecommerce_sync.product_shop_gift_card", raise_if_not_found=False))
    coupon_product_id = fields.Many2one(
        "product.product", "Discount Product", required=True, groups=MANAGER_GROUP,
        default=lambda self: self.env.ref("b2b_ecommerce_sync.product_shop_coupon", raise_if_not_found=False))
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

    @api.constrains("url")
    def _check_url(self):
        for rec in self:
            if not (rec.url or "").startswith(("http://", "https://")):
                raise ValidationError(self.env._("The shop URL must start with http:// or https://."))

    # ------------------------------------------------------------------ platform defaults
    def _adapter_class(self):
        self.ensure_one()
        try:
            return get_adapter(self.platform)
        except ShopError as exc:
            raise UserError(str(exc)) from None

    def _platform_defaults(self):
        """Status table, status mapping and options of the platform, for a new backend or a platform change."""
        self.ensure_one()
        cls = self._adapter_class()
        imported, cancelling = set(cls.default_import_statuses), set(cls.default_cancel_statuses)
        statuses = [Command.clear()] + [Command.create({"code": code, "name": label, "import_order": code in imported,
                                                        "cancel_order": code in cancelling, "sequence": n})
                                        for n, (code, label) in enumerate(cls.order_statuses)]
        options = [Command.clear()] + [Command.create({"key": k, "value": "" if v is None else str(v)})
                                       for k, v in sorted(getattr(cls, "option_defaults", {}).items())]
        values = {"status_ids": statuses, "option_ids": options}
        for event in shop.PROGRESS_EVENTS:
            values[f"status_{event}"] = cls.default_status_map.get(event) or False
        return values

    @api.onchange("platform")
    def _onchange_platform(self):
        if self.platform:
            self.update(self._platform_defaults())

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for rec, vals in zip(records, vals_list):
            defaults = rec._platform_defaults()
            options = defaults.pop("option_ids")
            values = {k: v for k, v in defaults.items() if not vals.get(k)}
            # options given on creation win; the platform's other options are added
            given = set(rec.option_ids.mapped("key"))
            values["option_ids"] = [cmd for cmd in options[1:] if cmd[2]["key"] not in given]
            rec.write(values)
        return records

    def action_reset_platform_defaults(self):
        self._b2b_check_manager()
        for rec in self:
            rec.write(rec._platform_defaults())
        return True

    # ------------------------------------------------------------------ schedules
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
            raise UserError(self.env._("Shop %s is archived.", self.name))
        exchange = self._b2b_exchange(
            f"shop.{flow}", direction="in" if flow == "orders" else "out", protocol=self._platform_label(),
            process=("b2b.shop.backend", f"_b2b_run_{flow}"),
            summary=self.env._("%(flow)s run of %(shop)s", flow=dict(FLOWS)[flow], shop=self.name))
        exchange._b2b_enqueue()
        return exchange

    def _platform_label(self):
        return dict(PLATFORMS).get(self.platform, self.platform)

    # ------------------------------------------------------------------ the adapter
    def _shop_options(self):
        self.ensure_one()
        cls = self._adapter_class()
        options = dict(getattr(cls, "option_defaults", {}))
        for opt in self.option_ids:
            if opt.key:
                options[opt.key.strip()] = opt.value or ""
        return options

    def _shop_credentials(self):
        self.ensure_one()
        creds = {}
        for key, name in (("key", "api_key"), ("secret", "api_secret"), ("extra", "api_extra")):
            value = self._b2b_secret(name)
            if value:
                creds[key] = value
        return creds

    def _shop_adapter(self, exchange=None):
        """The platform adapter on an HTTP client recording its calls on ``exchange``."""
        self.ensure_one()
        creds = self._shop_credentials()
        if not creds.get("key"):
            raise UserError(self.env._("Shop %s has no API key / token.", self.name))
        http = self._b2b_http(exchange, base_url=self.url)
        return self._adapter_class()(http, creds, self._shop_options())

    @staticmethod
    def _shop_with_warnings(summary, adapter):
        """A run's summary with what the adapter warned about (a listing stopped early, see protocol.base.Pager)."""
        warnings = getattr(adapter, "warnings", None)
        return " ".join([summary, *warnings]) if warnings else summary

    def _shop_status_overrides(self):
        return {event: self[f"status_{event}"] for event in shop.PROGRESS_EVENTS if self[f"status_{event}"]}

    def action_test_connection(self):
        self.ensure_one()
        self._b2b_check_manager()
        return self._b2b_test_connection(lambda exchange: self._shop_adapter(exchange).test_connection())

    # ------------------------------------------------------------------ smart buttons
    def action_view_products(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": self.env._("Products on %s", self.name),
            "res_model": "b2b.shop.product", "view_mode": "list,form",
            "domain": [("backend_id", "=", self.id)], "context": {"default_backend_id": self.id},
        }

    def action_view_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": self.env._("Customers on %s", self.name),
            "res_model": "b2b.shop.partner", "view_mode": "list,form",
            "domain": [("backend_id", "=", self.id)], "context": {"default_backend_id": self.id},
        }

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update({"domain": [("b2b_shop_backend_id", "=", self.id)], "context": {},
                       "name": self.env._("Orders of %s", self.name)})
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

    # ------------------------------------------------------------------ received states
    def _shop_newer_state(self, exchange, remote_id):
        """The exchanges that brought a newer state of the same remote record than ``exchange`` (same kind and
        shop, external ids made by :func:`state_key`), oldest first; empty when there is none. Newer: modified later in the shop;
        with the same or no modification time, received later (a higher exchange id). An import applies only
        when nothing newer was received, so an old state retried, or processed late, never overrides a newer one."""
        self.ensure_one()
        prefix = f"{remote_id}:"
        mine = _STAMP_RE.search(exchange.external_id or "").group(1) or ""
        others = self.env["b2b.exchange"].sudo().search([
            ("kind", "=", exchange.kind), ("direction", "=", exchange.direction), ("parent_id", "=", False),
            ("backend_ref", "=", f"{self._name},{self.id}"), ("id", "!=", exchange.id),
            ("external_id", "=like", _like_escape(prefix) + "%"),
        ], order="id")
        newer = self.env["b2b.exchange"]
        for other in others:
            stamp = _STAMP_RE.search(other.external_id).group(1) or ""
            if stamp and mine and stamp != mine:
                is_newer = stamp > mine
            else:
                is_newer = other.id > exchange.id
            if is_newer:
                newer |= other
        return newer

    # ------------------------------------------------------------------ run helpers
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

    def _shop_log_children(self, run, kind, results, records_by_key, summary_fn):
        """One child exchange per record of a run (done or failed), created in bulk."""
        Exchange = self.env["b2b.exchange"].sudo().with_context(tracking_disable=True, mail_create_nolog=True,
                                                                 mail_notrack=True)
        now = fields.Datetime.now()
        vals_list = []
        for result in results:
            record = records_by_key.get(result.key)
            vals = {
                "kind": kind, "direction": run.direction, "parent_id": run.id, "protocol": run.protocol,
                "backend_ref": f"{self._name},{self.id}", "company_id": self.company_id.id, "user_id": run.user_id.id,
                "external_id": result.remote_id or False, "summary": summary_fn(result, record)[:250],
                "state": "done" if result.ok else "failed", "error": result.error or False,
                "date_done": now if result.ok else False, "attempt_count": 1,
            }
            if record:
                vals.update(res_model=record._name, res_id=record.id)
            vals_list.append(vals)
        children = Exchange.create(vals_list) if vals_list else Exchange
        return children
