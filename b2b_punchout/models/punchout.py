import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models

from .res_partner import PROTOCOLS

SESSION_MINUTES = 60  # a punch-out session lasts an hour
START_TOKEN_MINUTES = 5  # the one-time start page link must be opened within five minutes


def token_hash(token):
    return hashlib.sha256(str(token or "").encode("utf-8", "surrogateescape")).hexdigest()


class B2bPunchoutSession(models.Model):
    """One punch-out: from the buyer's setup (or login) to the cart going back."""

    _name = "b2b.punchout.session"
    _description = "Punch-out Session"
    _order = "id desc"

    name = fields.Char(default="/", readonly=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", "Logged in as")
    protocol = fields.Selection(PROTOCOLS, required=True)
    operation = fields.Selection([("create", "Create"), ("edit", "Edit"), ("inspect", "Inspect")], default="create")
    buyer_cookie = fields.Char()
    return_url = fields.Char(required=True)
    oci_target = fields.Char()
    oci_ok_code = fields.Char()
    token_hash = fields.Char(index=True, copy=False, groups="base.group_system")
    expires_at = fields.Datetime(required=True)
    state = fields.Selection([("new", "Waiting for the buyer"), ("active", "Shopping"), ("returned", "Cart returned"),
                              ("expired", "Expired")], default="new", required=True, index=True)
    order_id = fields.Many2one("sale.order", "Cart", readonly=True)
    item_data = fields.Json(help="Items of an edit/inspect setup request, put in the cart on start")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = f"PO-{secrets.token_hex(4).upper()}"
        return super().create(vals_list)

    @api.model
    def _punchout_open(self, partner, protocol, return_url, **values):
        """A new session with a one-time start token; returns (session, token)."""
        token = secrets.token_urlsafe(32)
        session = self.sudo().create(dict(
            values, partner_id=partner.id, company_id=(partner.company_id or self.env.company).id, protocol=protocol,
            return_url=return_url, token_hash=token_hash(token),
            expires_at=fields.Datetime.now() + timedelta(minutes=START_TOKEN_MINUTES)))
        return session, token

    @api.model
    def _punchout_peek(self, token):
        """The waiting session of a start token (sudo) without using it; empty when unknown, used or expired."""
        session = self.sudo().search([("token_hash", "=", token_hash(token))], limit=1)
        if not session or session.state != "new" or session.expires_at < fields.Datetime.now():
            return self.sudo().browse()
        return session

    @api.model
    def _punchout_redeem(self, token):
        """The session of a start token, once; empty when unknown, used or expired."""
        session = self._punchout_peek(token)
        if not session:
            return session
        session.write({"state": "active", "token_hash": False,
                       "expires_at": fields.Datetime.now() + timedelta(minutes=SESSION_MINUTES)})
        return session

    def _punchout_is_live(self):
        self.ensure_one()
        return self.state == "active" and self.expires_at >= fields.Datetime.now()

    @api.model
    def _cron_expire(self):
        self.sudo().search([("state", "in", ("new", "active")), ("expires_at", "<", fields.Datetime.now())]).write(
            {"state": "expired"})

    def _punchout_cart_items(self, order):
        """The cart lines as (product, quantity, net unit price, currency, line) tuples."""
        lines = order.order_line.filtered(lambda l: l.product_id and not l.display_type and l.product_uom_qty > 0)
        return [(line.product_id, Decimal(str(line.product_uom_qty)), Decimal(str(unit_price(line))),
                 order.currency_id.name, line) for line in lines]


def unit_price(line):
    """What one unit of a sale order line costs the buyer, discount included, taxes excluded: the price of
    the cart we send and the price an incoming order is compared with."""
    return line.currency_id.round(line.price_reduce_taxexcl)
