import hashlib
import hmac
import re
import time
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP, check_manager, secret_fields

from ..protocol import cxml, guard, oci, peppol
from ..protocol.base import PROTOCOLS as ADAPTERS
from ..protocol.base import get_protocol, split_identity

LINK_DAYS = 365
# the protocols of this addon; another protocol's addon adds its own with selection_add
PROTOCOLS = [(p.code, p.label) for p in (cxml.CxmlProtocol, oci.OciProtocol, peppol.PeppolProtocol)]
USER_LOGIN = "punchout-{partner}{suffix}@punchout.invalid"
_ID_RE = re.compile(r"[0-9]{1,9}")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "b2b.secret.mixin"]

    # Every punch-out field is configuration: B2B managers only. Whoever sets the buyer user, the return
    # URLs or the identities decides who is logged in where, and who gets the carts.
    punchout_enabled = fields.Boolean("Punch-out", copy=False, groups=MANAGER_GROUP)
    # copy=False throughout: a duplicated contact is not a punch-out customer, and a copy by a user who may
    # not read these fields must not fail on them
    punchout_protocol = fields.Selection(PROTOCOLS, "Protocol", default="cxml", copy=False, groups=MANAGER_GROUP)
    punchout_identities = fields.Char(
        "Identities", copy=False, groups=MANAGER_GROUP,
        help="The buyer's identities at its procurement system, comma-separated (optionally domain:identity)")
    punchout_identities_help = fields.Char(compute="_compute_punchout_protocol_info", groups=MANAGER_GROUP)
    punchout_uses_login_link = fields.Boolean(
        compute="_compute_punchout_protocol_info", groups=MANAGER_GROUP,
        help="The buyers log in from their browser, with a signed login link")
    punchout_secret, punchout_secret_enc = secret_fields("Shared Secret")
    punchout_return_urls = fields.Text(
        "Allowed Return URLs", copy=False, groups=MANAGER_GROUP,
        help="One per line; a cart only goes back to an address under one of them (same scheme, host and "
             "port, path below the allowed path)")
    punchout_pricelist_id = fields.Many2one("product.pricelist", "Punch-out Pricelist", copy=False,
                                           groups=MANAGER_GROUP)
    punchout_price_tolerance = fields.Float(
        "Price Tolerance (%)", default=0.5, copy=False, groups=MANAGER_GROUP,
        help="How far the unit price of an incoming order may differ from ours (at least one cent is "
             "always tolerated); orders are always made at our prices")
    punchout_price_mismatch = fields.Selection(
        [("refuse", "Refuse the order"), ("flag", "Accept as quotation to review")], "Price Differences",
        default="refuse", copy=False, groups=MANAGER_GROUP,
        help="What to do with an incoming order whose prices differ beyond the tolerance")
    punchout_user_id = fields.Many2one(
        "res.users", "Punch-out User", copy=False, readonly=True, groups=MANAGER_GROUP,
        help="The dedicated portal user the buyers are logged in as; created by Odoo on the first punch-out "
             "(cleared, it is linked again or created anew)")
    punchout_link = fields.Char("Login Link", readonly=True, copy=False, groups=MANAGER_GROUP)
    punchout_supplier_domain = fields.Char(
        "Our Identity Domain", copy=False, groups=MANAGER_GROUP,
        help="The domain of our identity at this procurement system: the cXML credential domain (DUNS, "
             "NetworkId ...) or the PEPPOL endpoint scheme (0192, 0088 ...)")
    punchout_supplier_identity = fields.Char(
        "Our Identity", copy=False, groups=MANAGER_GROUP,
        help="Who we are at this procurement system: our DUNS number or network id, sent as the cXML From "
             "credential of the carts (empty: the To credential of the buyer's setup request), or our PEPPOL "
             "endpoint id")
    punchout_default_classification = fields.Char(
        "Classification without UNSPSC", copy=False, groups=MANAGER_GROUP,
        help="domain:code sent as the classification of products without a UNSPSC code, as this buyer's "
             "procurement system expects it (e.g. UNSPSC:44000000); empty: the domain 'custom' without a code")
    punchout_link_version = fields.Integer(default=1, copy=False, groups=MANAGER_GROUP)

    @api.depends("punchout_protocol")
    def _compute_punchout_protocol_info(self):
        for rec in self:
            adapter = ADAPTERS.get(rec.punchout_protocol)
            rec.punchout_identities_help = adapter.identities_help if adapter else ""
            rec.punchout_uses_login_link = bool(adapter and adapter.login_route)

    @api.constrains("punchout_enabled", "punchout_identities", "punchout_return_urls")
    def _check_punchout(self):
        for rec in self.filtered("punchout_enabled"):
            if not rec.punchout_identities:
                raise ValidationError(self.env._("%(partner)s: punch-out needs the buyer's identities.",
                                                 partner=rec.name))
            for url in rec._punchout_allowed_urls():
                if guard.split_url(url) is None:
                    raise ValidationError(self.env._("%(url)s is not a valid return URL.", url=url))

    @api.constrains("punchout_user_id")
    def _check_punchout_user(self):
        for rec in self.filtered("punchout_user_id"):
            if not rec._punchout_user_is_dedicated(rec.punchout_user_id):
                raise ValidationError(self.env._(
                    "%(partner)s: the punch-out user is created by Odoo for this customer; it cannot be "
                    "another user.", partner=rec.name))

    @api.constrains("punchout_default_classification")
    def _check_punchout_default_classification(self):
        for rec in self.filtered("punchout_default_classification"):
            domain, code = split_identity(rec.punchout_default_classification)
            if not (domain and code and ":" in rec.punchout_default_classification):
                raise ValidationError(self.env._(
                    "%(value)s: the classification without UNSPSC is written domain:code, e.g. UNSPSC:44000000.",
                    value=rec.punchout_default_classification))

    @api.constrains("punchout_price_tolerance")
    def _check_punchout_price_tolerance(self):
        for rec in self:
            if not 0 <= rec.punchout_price_tolerance <= 100:
                raise ValidationError(self.env._("The price tolerance is a percentage between 0 and 100."))

    # ------------------------------------------------------------------ checks used by the controllers
    def _punchout_identity_set(self):
        values = set()
        for raw in (self.punchout_identities or "").split(","):
            raw = raw.strip()
            if raw:
                values.add(raw.lower())
                values.add(raw.split(":", 1)[-1].lower())
        return values

    def _punchout_buyer_identity(self):
        """The identity a returned cart addresses the customer with: its first one, without domain or
        scheme."""
        self.ensure_one()
        first = next((raw.strip() for raw in (self.punchout_identities or "").split(",") if raw.strip()), "")
        return first.split(":", 1)[-1]

    def _punchout_buyer_domain(self):
        """The domain (cXML) or scheme (PEPPOL) of the customer's first identity, '' when it has none."""
        self.ensure_one()
        first = next((raw.strip() for raw in (self.punchout_identities or "").split(",") if raw.strip()), "")
        return first.split(":", 1)[0] if ":" in first else ""

    def _punchout_delivery_address(self, address):
        """The delivery contact of ``address`` (a protocol :class:`~..protocol.base.Address`): the customer
        itself or one of its delivery contacts when the address is theirs already (same name and address,
        whatever the case and spacing), else a new delivery contact of the customer. Sudo."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        country = self.env["res.country"].sudo().search([("code", "=ilike", address.country)], limit=1) \
            if address.country else self.env["res.country"]
        state = self.env["res.country.state"].sudo()
        if address.state and country:
            state = state.search([("country_id", "=", country.id), "|", ("code", "=ilike", address.state),
                                  ("name", "=ilike", address.state)], limit=1)
        vals = {"name": (address.name or address.deliver_to or customer.name)[:200],
                "street": address.street[:200] or False, "street2": address.street2[:200] or False,
                "city": address.city[:100] or False, "zip": address.postal_code[:24] or False,
                "country_id": country.id or False, "state_id": state.id or False}

        def norm(value):
            return " ".join(str(value or "").split()).casefold()

        def key(partner):
            return (norm(partner.name), norm(partner.street), norm(partner.street2), norm(partner.city),
                    norm(partner.zip), partner.country_id.id or False)

        wanted = (norm(vals["name"]), norm(vals["street"]), norm(vals["street2"]), norm(vals["city"]),
                  norm(vals["zip"]), vals["country_id"])
        for candidate in customer | customer.child_ids.filtered(lambda c: c.type == "delivery"):
            if key(candidate) == wanted:
                return candidate
        return self.env["res.partner"].sudo().create(dict(
            vals, type="delivery", parent_id=customer.id, company_id=customer.company_id.id or False,
            email=address.email[:200] or False, phone=address.phone[:64] or False))

    def _punchout_protocol(self):
        """The :class:`~..protocol.base.PunchoutProtocol` of this customer."""
        self.ensure_one()
        return get_protocol(self.punchout_protocol)

    @api.model
    def _punchout_find(self, identities, protocol):
        wanted = {i.lower() for i in identities if i}
        # one query: the customers of the protocol with their identities (no second read of every partner field)
        for partner in self.sudo().search_fetch(
                [("punchout_enabled", "=", True), ("punchout_protocol", "=", protocol)], ["punchout_identities"]):
            if wanted & partner._punchout_identity_set():
                return partner
        return self.browse()

    @api.model
    def _punchout_browse(self, value, protocol):
        """The punch-out customer of a signed link's ``partner`` parameter (sudo), or an empty recordset."""
        value = str(value or "")
        if not _ID_RE.fullmatch(value):
            return self.sudo().browse()
        partner = self.sudo().browse(int(value)).exists()
        if partner and partner.punchout_enabled and partner.punchout_protocol == protocol:
            return partner
        return self.sudo().browse()

    def _punchout_check_secret(self, secret):
        expected = self.sudo()._b2b_secret("punchout_secret") or ""
        return bool(expected) and hmac.compare_digest(expected.encode(), (secret or "").encode())

    def _punchout_allowed_urls(self):
        return [u.strip() for u in (self.punchout_return_urls or "").splitlines() if u.strip()]

    def _punchout_check_return_url(self, url):
        return guard.return_url_allowed(url, self._punchout_allowed_urls())

    # ------------------------------------------------------------------ the buyer user
    def _punchout_user_is_dedicated(self, user):
        """A user the buyers may be logged in as: an active portal (share) user that Odoo created for this
        customer, never an internal user."""
        self.ensure_one()
        user = user.sudo()
        return bool(user and user.active and user.share and not user._is_internal() and not user._is_public()
                    and user._is_portal() and user.b2b_punchout_partner_id == self
                    and user.partner_id == self)

    def _punchout_user(self):
        """The dedicated portal user of this customer: linked, or the one Odoo created earlier linked again,
        or a new one. Raises UserError when the linked user is no longer a dedicated portal user."""
        self.ensure_one()
        partner = self.sudo()
        user = partner.punchout_user_id
        if not user:
            earlier = self.env["res.users"].sudo().search(
                [("b2b_punchout_partner_id", "=", partner.id)], order="id desc")
            user = next((u for u in earlier if partner._punchout_user_is_dedicated(u)), None) \
                or partner._punchout_create_user()
            partner.punchout_user_id = user
        if not partner._punchout_user_is_dedicated(user):
            raise UserError(self.env._(
                "The punch-out user of %(partner)s is not a dedicated portal user any more; a B2B manager "
                "must clear it on the customer.", partner=partner.name))
        return user

    def _punchout_create_user(self):
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        suffix, n = "", 1
        while Users.search_count([("login", "=", USER_LOGIN.format(partner=self.id, suffix=suffix))]):
            n += 1
            suffix = f"-{n}"
        # no name of its own: the user's name is its partner's, and giving one would rename the customer
        return Users.with_context(no_reset_password=True).create({
            "login": USER_LOGIN.format(partner=self.id, suffix=suffix),
            "partner_id": self.id,
            "b2b_punchout_partner_id": self.id,
            "group_ids": [fields.Command.set([self.env.ref("base.group_portal").id])],
        })

    # ------------------------------------------------------------------ signed login links (OCI / PEPPOL)
    def _punchout_signature(self, expires):
        key = (self.sudo()._b2b_secret("punchout_secret") or "").encode()
        if not key:
            raise UserError(self.env._("%(partner)s has no punch-out shared secret.", partner=self.name))
        message = f"{self.id}:{expires}:{self.sudo().punchout_link_version}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def _punchout_check_link(self, expires, signature):
        try:
            expires = int(str(expires or ""))
        except ValueError:
            return False
        if expires < time.time() or not self.sudo()._b2b_secret("punchout_secret"):
            return False
        # bytes: compare_digest refuses non-ASCII text, which anybody can put in a query string
        return hmac.compare_digest(self._punchout_signature(expires).encode(),
                                   str(signature or "").encode("utf-8", "surrogateescape"))

    def action_punchout_generate_link(self):
        """A new signed login link (older links stop working)."""
        check_manager(self.env)  # field groups cover reads/writes; this the RPC-callable method
        self.ensure_one()
        if not (self.punchout_enabled and self.punchout_uses_login_link):
            raise UserError(self.env._("Login links are for punch-out customers whose buyers log in from their "
                                       "browser; this protocol starts with a setup request."))
        protocol = self._punchout_protocol()
        urls = self._punchout_allowed_urls()
        if protocol.return_param and not urls:
            raise UserError(self.env._(
                "Add the buyer's return URL to the allowed return URLs first: the login link carries it "
                "(%(param)s), that is where the carts go back.", param=protocol.return_param))
        self.sudo().punchout_link_version += 1
        expires = int(time.time()) + LINK_DAYS * 86400
        params = {"partner": self.id, "exp": expires, "sig": self._punchout_signature(expires)}
        if protocol.return_param:
            # a link that works as it is: the carts go back to the first allowed return URL, unless the
            # buyer's system appends its own (SAP SRM appends HOOK_URL), which must be allowed as well
            params[protocol.return_param] = urls[0]
        self.punchout_link = f"{self.get_base_url()}{protocol.login_route}?{urlencode(params)}"
        return True
