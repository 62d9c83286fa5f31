import hashlib
import hmac
import re
import secrets
import time
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.models.b2b_secret_mixin import MANAGER_GROUP

SESSION_MINUTES = 60  # a punch-out session lasts an hour
START_TOKEN_MINUTES = 5  # the one-time start page link must be opened within five minutes
LINK_DAYS = 365
SECRET_RE = re.compile(rb"(<SharedSecret>)(.*?)(</SharedSecret>)", re.S)
PROTOCOLS = [("cxml", "cXML (Ariba, Coupa, ...)"), ("oci", "SAP OCI 4/5"), ("peppol", "PEPPOL BIS Punch Out 3 (Proceedo)")]


def mask_shared_secret(data):
    """Never store a buyer's shared secret in the exchange log."""
    return SECRET_RE.sub(rb"\1********\3", data)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "b2b.secret.mixin"]
    _b2b_secret_fields = ("punchout_secret",)

    punchout_enabled = fields.Boolean("Punch-out", copy=False)
    punchout_protocol = fields.Selection(PROTOCOLS, "Protocol", default="cxml")
    punchout_identities = fields.Char(
        "Identities", help="The buyer's identities, comma-separated: cXML From/Sender credential identities "
                           "(optionally domain:identity), the OCI USERNAME, or the PEPPOL endpoint id")
    punchout_secret = fields.Char(
        "Shared Secret", compute="_compute_b2b_secrets", inverse="_inverse_b2b_secrets", groups=MANAGER_GROUP)
    punchout_secret_enc = fields.Char(groups=MANAGER_GROUP, copy=False)
    punchout_return_urls = fields.Text(
        "Allowed Return URLs", help="One per line; a cart only goes back to an address starting with one of them")
    punchout_pricelist_id = fields.Many2one("product.pricelist", "Punch-out Pricelist")
    punchout_user_id = fields.Many2one("res.users", "Punch-out User", copy=False,
                                       help="The shop user the buyers are logged in as (created when needed)")
    punchout_link = fields.Char("Login Link", readonly=True, copy=False)
    punchout_link_version = fields.Integer(default=1, copy=False)

    @api.constrains("punchout_enabled", "punchout_identities", "punchout_return_urls")
    def _check_punchout(self):
        for rec in self.filtered("punchout_enabled"):
            if not rec.punchout_identities:
                raise ValidationError(self.env._("%s: punch-out needs the buyer's identities.", rec.name))
            for url in rec._punchout_allowed_urls():
                if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
                    raise ValidationError(self.env._("%s is not a valid return URL.", url))

    # ------------------------------------------------------------------ checks used by the controllers
    def _punchout_identity_set(self):
        values = set()
        for raw in (self.punchout_identities or "").split(","):
            raw = raw.strip()
            if raw:
                values.add(raw.lower())
                values.add(raw.split(":", 1)[-1].lower())
        return values

    @api.model
    def _punchout_find(self, identities, protocol):
        wanted = {i.lower() for i in identities if i}
        for partner in self.sudo().search([("punchout_enabled", "=", True), ("punchout_protocol", "=", protocol)]):
            if wanted & partner._punchout_identity_set():
                return partner
        return self.browse()

    def _punchout_check_secret(self, secret):
        expected = self.sudo()._b2b_secret("punchout_secret") or ""
        return bool(expected) and hmac.compare_digest(expected.encode(), (secret or "").encode())

    def _punchout_allowed_urls(self):
        return [u.strip() for u in (self.punchout_return_urls or "").splitlines() if u.strip()]

    def _punchout_check_return_url(self, url):
        url = (url or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        for allowed in self._punchout_allowed_urls():
            a = urlsplit(allowed)
            if (parts.scheme, parts.netloc.lower()) == (a.scheme, a.netloc.lower()) and parts.path.startswith(a.path):
                return True
        return False

    def _punchout_user(self):
        self.ensure_one()
        partner = self.sudo()
        if partner.punchout_user_id:
            return partner.punchout_user_id
        user = self.env["res.users"].sudo().with_context(no_reset_password=True).create({
            "name": f"{partner.name} (punch-out)",
            "login": f"punchout-{partner.id}@punchout.invalid",
            "partner_id": partner.id,
            "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
        })
        partner.punchout_user_id = user
        return user

    # ------------------------------------------------------------------ signed login links (OCI / PEPPOL)
    def _punchout_signature(self, expires):
        key = (self.sudo()._b2b_secret("punchout_secret") or "").encode()
        if not key:
            raise UserError(self.env._("%s has no punch-out shared secret.", self.name))
        message = f"{self.id}:{expires}:{self.punchout_link_version}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def _punchout_check_link(self, expires, signature):
        try:
            expires = int(expires)
        except (TypeError, ValueError):
            return False
        if expires < time.time():
            return False
        return hmac.compare_digest(self._punchout_signature(expires), signature or "")

    def action_punchout_generate_link(self):
        """A new signed login link (older links stop working)."""
        self.ensure_one()
        if not self.punchout_enabled or self.punchout_protocol not in ("oci", "peppol"):
            raise UserError(self.env._("Login links are for OCI and PEPPOL punch-out customers."))
        self.sudo().punchout_link_version += 1
        expires = int(time.time()) + LINK_DAYS * 86400
        base = self.get_base_url()
        query = urlencode({"partner": self.id, "exp": expires, "sig": self._punchout_signature(expires)})
        self.punchout_link = f"{base}/punchout/{self.punchout_protocol}/login?{query}"
        return True


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
    def _punchout_redeem(self, token):
        """The session of a start token, once; False when unknown, used or expired."""
        session = self.sudo().search([("token_hash", "=", token_hash(token or ""))], limit=1)
        if not session or session.state != "new" or session.expires_at < fields.Datetime.now():
            return self.browse()
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
        """The cart lines as (product, quantity, unit price, currency) tuples."""
        lines = order.order_line.filtered(lambda l: l.product_id and not l.display_type and l.product_uom_qty > 0)
        return [(line.product_id, Decimal(str(line.product_uom_qty)), Decimal(str(line.price_unit)),
                 order.currency_id.name, line) for line in lines]
