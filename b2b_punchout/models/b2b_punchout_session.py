import math
import secrets
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models

from odoo.addons.b2b_connector_base.tools.languages import bcp47, installed_lang
from odoo.addons.b2b_connector_base.tools.uom import unece_code

from ..protocol.base import Cart, CartLine, get_protocol
from ..tools import token_hash, unit_price

SESSION_MINUTES = 60  # a punch-out session lasts an hour
START_TOKEN_MINUTES = 5  # the one-time start page link must be opened within five minutes
CART_KIND = "punchout.cart"


class B2bPunchoutSession(models.Model):
    """One punch-out: from the buyer's setup (or login) to the cart going back."""

    _name = "b2b.punchout.session"
    _description = "Punch-out Session"
    _order = "id desc"

    name = fields.Char(default="/", readonly=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", "Logged in as")
    protocol = fields.Selection(selection="_selection_protocol", required=True)
    operation = fields.Selection([("create", "Create"), ("edit", "Edit"), ("inspect", "Inspect")], default="create")
    buyer_cookie = fields.Char()
    return_url = fields.Char(required=True)
    return_options = fields.Json(help="What the buyer's login asked of the cart return, as its protocol reads it")
    token_hash = fields.Char(index=True, copy=False, groups="base.group_system")
    expires_at = fields.Datetime(required=True)
    state = fields.Selection([("new", "Waiting for the buyer"), ("active", "Shopping"), ("returned", "Cart returned"),
                              ("expired", "Expired")], default="new", required=True, index=True)
    order_id = fields.Many2one("sale.order", "Cart", readonly=True)
    item_data = fields.Json(help="Items of an edit/inspect setup request, put in the cart on start")
    buyer_lang = fields.Char(
        "Buyer's Language", readonly=True,
        help="The language the buyer's procurement system asked for (cXML xml:lang, e.g. sv-SE): the cart's "
             "descriptions go back in it. Empty: the customer's language")
    exchange_ids = fields.Many2many(
        "b2b.exchange", string="Exchanges", compute="_compute_exchanges",
        help="The setup request or login that opened this session, the cart sent back and the buyer's final order")
    exchange_count = fields.Integer(compute="_compute_exchanges")
    cart_sent = fields.Text(
        compute="_compute_exchanges",
        help="What went back to the procurement system: the cXML PunchOutOrderMessage, the OCI fields or the "
             "PEPPOL cart, as the log keeps it")

    def _exchange_domain(self):
        """The exchanges of these sessions: logged with the session, or with its cart's sale order (the
        buyer's final order)."""
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        orders = self.sudo().order_id
        if orders:
            domain = ["|", "&", *domain, "&", ("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        return domain

    @api.depends("order_id", "state")
    def _compute_exchanges(self):
        # read as the user: the exchange rules and payload rights decide what the form shows
        Exchange = self.env["b2b.exchange"]
        exchanges = Exchange.search(self._exchange_domain(), order="id") if self.ids else Exchange
        for rec in self:
            order = rec.sudo().order_id
            targets = {(rec._name, rec.id)} | ({("sale.order", order.id)} if order else set())
            mine = exchanges.filtered(lambda e, targets=targets: (e.res_model, e.res_id) in targets)
            rec.exchange_ids = mine
            rec.exchange_count = len(mine)
            carts = mine.filtered(lambda e: e.kind == CART_KIND)
            rec.cart_sent = carts[-1:].payload_preview or False

    def action_view_exchanges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_exchange")
        action.update(domain=self._exchange_domain(), context={},
                      name=self.env._("Exchanges of %(session)s", session=self.name))
        return action

    @api.model
    def _selection_protocol(self):
        # the protocols of the customers: each protocol's addon extends that selection
        return self.env["res.partner"]._fields["punchout_protocol"].selection

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

    def _punchout_protocol(self):
        """The :class:`~..protocol.base.PunchoutProtocol` of this session."""
        self.ensure_one()
        return get_protocol(self.protocol)

    def _punchout_cart(self, order):
        """The cart of ``order`` (the sale order the buyer filled) as the protocols take it: unit prices at
        the product price precision, the products' UNSPSC codes, our identity at the buyer's system."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        currency = order.currency_id.name if order else "EUR"
        lines = order.order_line.filtered(
            lambda line: line.product_id and not line.display_type and line.product_uom_qty > 0) if order else []
        # the descriptions in the buyer's language (their system's, else the customer's), whoever shops
        asked = installed_lang(self.env, self.buyer_lang)
        lang = asked or partner.commercial_partner_id.lang or partner.lang or self.env.lang or "en_US"
        described = {line.id: line.product_id.with_context(lang=lang).display_name for line in lines}
        return Cart(
            reference=self.name, return_url=self.return_url, currency=currency,
            supplier=(order.company_id if order else self.company_id).name,
            buyer_identity=partner._punchout_buyer_identity(), buyer_domain=partner._punchout_buyer_domain(),
            buyer_name=partner.commercial_partner_id.name or "", buyer_cookie=self.buyer_cookie or "",
            options=dict(self.return_options or {}), supplier_domain=partner.punchout_supplier_domain or "",
            supplier_identity=partner.punchout_supplier_identity or "",
            default_classification=partner.punchout_default_classification or "",
            order_reference=order.name if order else "", language=self.buyer_lang if asked else bcp47(lang),
            total=sum((Decimal(str(line.price_subtotal)) for line in lines), Decimal(0)) if order else None,
            lines=[CartLine(part=line.product_id.default_code or str(line.product_id.id),
                            description=described[line.id], quantity=Decimal(str(line.product_uom_qty)),
                            price=unit_price(line), currency=currency,
                            unspsc=line.product_id.product_tmpl_id._b2b_unspsc(), line_ref=str(line.id),
                            tax_percent=Decimal(str(sum(t.amount for t in line.tax_ids if t.amount_type == "percent"))),
                            lead_time=math.ceil(line.customer_lead or 0),
                            unit=unece_code(line.product_uom_id)) for line in lines])
