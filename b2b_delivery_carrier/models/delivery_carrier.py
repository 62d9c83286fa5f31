from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, secret_fields

from ..protocol.base import CarrierError, adapters, get_adapter

# Odoo's fields that say where a delivery method of ours sends its credentials: the carrier and test/production
ENDPOINT_FIELDS = frozenset({"delivery_type", "prod_environment"})


class DeliveryCarrier(models.Model):
    """A delivery method of one of our carriers (``delivery_type`` added by each carrier addon, Odoo's pattern).

    The carrier is a B2B backend: its credentials are encrypted and B2B Manager only, its HTTP settings and
    exchanges are the mixin's. Each carrier addon adds its services and implements
    ``_b2b_carrier_options()``; everything else (booking, labels, cancel, tracking) is shared here and in
    ``stock.picking``."""

    _name = "delivery.carrier"
    _inherit = ["delivery.carrier", "b2b.backend.mixin"]
    _b2b_channel_prefix = "carrier"

    b2b_carrier_account = fields.Char(
        "Carrier Account", groups=MANAGER_GROUP, copy=False,
        help="The account, contract or customer number of the carrier's web service")
    b2b_carrier_password, b2b_carrier_password_enc = secret_fields(
        "Carrier Password", help="The web-service password. Stored encrypted.")
    b2b_carrier_api_key, b2b_carrier_api_key_enc = secret_fields(
        "Carrier API Key",
        help="The carrier's API key, where it has one (tracking API, API gateway). Stored encrypted.")
    b2b_carrier_test_url = fields.Char(
        "Test URL", groups=MANAGER_GROUP, copy=False,
        help="Base address of the carrier's test environment (or of a sandbox), used while the delivery method is "
             "in test mode")
    b2b_carrier_production_url = fields.Char(
        "Production URL", groups=MANAGER_GROUP, copy=False,
        help="Base address of the carrier's production web service (empty: the carrier's published address)")
    b2b_carrier_label_format = fields.Selection(
        [("PDF", "PDF"), ("ZPL", "ZPL (thermal printers)")], "Label Format", default="PDF", required=True,
        groups=MANAGER_GROUP)
    b2b_carrier_tracking_email = fields.Boolean(
        "Tracking E-mail", default=True, groups=MANAGER_GROUP,
        help="E-mail the customer the tracking number and link once the label is booked and the delivery done "
             "(for shop orders, the shop decides)")
    b2b_is_carrier = fields.Boolean(compute="_compute_b2b_is_carrier")

    _b2b_config_fields = ("b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit",
                          "b2b_rate_period", "b2b_carrier_account", "b2b_carrier_test_url",
                          "b2b_carrier_production_url", "b2b_carrier_label_format", "b2b_carrier_tracking_email")

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("delivery_type") in adapters() for vals in vals_list):
            self._b2b_check_manager()
        return super().create(vals_list)

    def write(self, vals):
        # Odoo lets inventory administrators edit delivery methods; which carrier and environment get the account
        # of one of ours (and the label requests with its password) is B2B Managers' (toggle_prod_environment too)
        if ENDPOINT_FIELDS.intersection(vals) and (
                vals.get("delivery_type") in adapters() or any(self.mapped("b2b_is_carrier"))):
            self._b2b_check_manager()
        return super().write(vals)

    @api.depends("delivery_type")
    def _compute_b2b_is_carrier(self):
        codes = set(adapters())
        for carrier in self:
            carrier.b2b_is_carrier = carrier.delivery_type in codes

    # ------------------------------------------------------------------ what a carrier addon implements
    def _b2b_carrier_options(self):
        """``{"service": product code, ...}`` of this delivery method (each carrier addon)."""
        return {}

    # ------------------------------------------------------------------ building blocks
    def _b2b_carrier_adapter_class(self):
        self.ensure_one()
        try:
            return get_adapter(self.delivery_type)
        except CarrierError:
            raise UserError(self.env._("%(carrier)s is not a carrier of b2b-connect.", carrier=self.name)) from None

    def _b2b_carrier_base_url(self):
        self.ensure_one()
        settings = self.sudo()
        cls = self._b2b_carrier_adapter_class()
        if settings.prod_environment:
            url = settings.b2b_carrier_production_url or cls.production_url
        else:
            url = settings.b2b_carrier_test_url or cls.test_url
        if not url:
            raise UserError(self.env._(
                "%(carrier)s is in test mode but has no test URL (the carrier has no public test environment): "
                "enter the address of its test environment or of a sandbox, or switch to production.",
                carrier=self.name))
        return url.rstrip("/")

    def _b2b_carrier_adapter(self, exchange=None, retries=None):
        """The adapter of this delivery method, its calls recorded on ``exchange``."""
        self.ensure_one()
        settings = self.sudo()
        cls = self._b2b_carrier_adapter_class()
        options = dict(self._b2b_carrier_options())
        options.setdefault("test_mode", not settings.prod_environment)
        kw = {} if retries is None else {"retries": retries}
        http = self._b2b_http(exchange, base_url=self._b2b_carrier_base_url(), **kw)
        return cls(http, account=settings.b2b_carrier_account, password=self._b2b_secret("b2b_carrier_password"),
                   api_key=self._b2b_secret("b2b_carrier_api_key"), options=options)

    def _b2b_carrier_tracking_link(self, picking):
        numbers = [n.strip() for n in (picking.carrier_tracking_ref or "").split(",") if n.strip()]
        if not numbers:
            return False
        adapter = self._b2b_carrier_adapter_class()(None)
        return adapter.tracking_url(numbers, picking.b2b_carrier_shipment_ref or "") or False

    def _b2b_carrier_rate(self, order):
        """Our carriers quote no rates: the delivery product's price, as a fixed-price method."""
        return self.fixed_rate_shipment(order)

    def _b2b_carrier_send_shipping(self, pickings):
        """``send_shipping`` called by others than the validation (which books through the exchange log): book
        now and raise when the carrier refuses, as Odoo's carriers do."""
        pickings = self._b2b_carrier_pickings(pickings)
        results = []
        for picking in pickings:
            exchange = picking._b2b_carrier_request_booking(now=True, raise_if_failed=True)
            results.append({"exact_price": 0.0, "tracking_number": picking.carrier_tracking_ref or False,
                            "exchange": exchange.id})
        return results

    def _b2b_carrier_cancel_shipment(self, pickings):
        self._b2b_carrier_pickings(pickings)._b2b_carrier_cancel(raise_if_failed=True)

    def _b2b_carrier_pickings(self, pickings):
        """The deliveries ``send_shipping`` / ``cancel_shipment`` were given (public methods: over RPC, ids), which
        the user must be allowed to change."""
        if not isinstance(pickings, models.BaseModel):
            pickings = self.env["stock.picking"].browse(pickings)
        pickings.check_access("write")
        return pickings
