"""What every punch-out protocol's controller shares: bounded request bodies, refusals recorded as failed
exchanges, login throttling, the start page that logs the buyer in, "Send order" (the cart goes back the
way the session's protocol says) and the buyer's final order completing the returned cart it refers to
(or becoming a new sale order), at our prices, delivered where the buyer says.

Each protocol's routes are a subclass of :class:`PunchoutController` in its own module (``cxml.py``,
``oci.py``, ``peppol.py``; another protocol's addon adds its own): Odoo merges them into one controller.
"""
# pylint: disable=prefer-env-translation  # each handler binds _ = request.env._ first (the check sees a bare _)

import logging
from decimal import Decimal

import werkzeug.exceptions
from markupsafe import Markup

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import float_compare, urls

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.tools.errors import user_message
from odoo.addons.b2b_connector_base.tools.languages import installed_lang

from ..protocol import guard
from ..protocol.base import PunchoutError, auto_submit_form
from ..tools import unit_price

_logger = logging.getLogger(__name__)

# the access log (werkzeug) and Odoo's request warnings never show an OCI password, a signed link's
# signature or a start token
guard.install_log_filter("werkzeug", "odoo.http")

SESSION_KEY = "b2b_punchout_session_id"
PENDING_KEY = "b2b_punchout_pending"  # sessions this browser logged in to, not started yet
SETUP_KIND = "punchout.setup"
CART_KIND = "punchout.cart"
ORDER_KIND = "punchout.order"
MAX_BODY = guard.MAX_BODY_BYTES
DRAIN_LIMIT = 4 * MAX_BODY  # an over-long body is read away (up to this) so the client gets its 413


def current_punchout_session():
    """The live punch-out session of this browser session (sudo), or an empty recordset."""
    Session = request.env["b2b.punchout.session"].sudo()
    session_id = request.session.get(SESSION_KEY)
    session = Session.browse(session_id).exists() if isinstance(session_id, int) else Session
    if session and not session._punchout_is_live():
        return Session
    return session


def log_exchange(kind, partner, direction, payload=None, filename=None, state="pending", **vals):
    # a punch-out exchange is made and settled within its request: no "created" message nor state tracking
    # in its chatter (a failure still posts its error); they were half of a setup request's time
    Exchange = request.env["b2b.exchange"].sudo().with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    return Exchange._b2b_log(
        kind, direction=direction, backend=partner or None, payload=payload, filename=filename, state=state,
        protocol=vals.pop("protocol", "punch-out"), **vals)


def _fail(exchange, message):
    exchange._b2b_fail(UserError(message))


def text_params(params):
    """The text parameters of a request (uploaded files are no login parameters); None when one holds
    a control character (NUL and the like would only break things further down)."""
    values = {k: v for k, v in params.items() if isinstance(v, str)}
    if any(ord(ch) < 0x20 and ch not in "\t\r\n" for v in values.values() for ch in v):
        return None
    return values


def read_body(limit=MAX_BODY):
    """The request body, or None when it is over ``limit`` bytes: nothing over the limit is kept in
    memory, whatever the Content-Length says (or when there is none: a chunked body)."""
    httpreq = request.httprequest
    # Odoo's request wrapper hides the input stream; werkzeug's request under it has it
    stream = getattr(getattr(httpreq, "_HTTPRequest__wrapped", None), "stream", None)
    declared = httpreq.content_length
    if declared is not None and declared > limit:
        _drain(stream)
        return None
    if stream is None:  # no stream to read in bounded steps: the declared length is the bound
        data = httpreq.get_data(cache=False) if declared else b""
        return data if len(data) <= limit else None
    chunks, size = [], 0
    try:
        while size <= limit:
            chunk = stream.read(min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except werkzeug.exceptions.RequestEntityTooLarge:
        return None
    if size > limit:
        _drain(stream)
        return None
    return b"".join(chunks)


def _drain(stream):
    """Read an over-long body away (up to a bound) so that the client gets to read our 413."""
    read = 0
    try:
        while stream is not None and read < DRAIN_LIMIT:
            chunk = stream.read(65536)
            if not chunk:
                break
            read += len(chunk)
    except (OSError, werkzeug.exceptions.HTTPException):  # pylint: disable=except-pass  # draining is best effort
        pass


class PunchoutController(http.Controller):
    # ------------------------------------------------------------------ refusals and answers
    def _refused(self, kind, partner, protocol, message, data=None, filename=None, mask=None, exchange=None):
        """Record a refused request as a failed exchange with, at most, a masked excerpt of its body."""
        exchange = exchange or log_exchange(kind, partner, "in", protocol=protocol)
        if data:
            exchange.sudo()._b2b_set_payload(guard.excerpt((mask or bytes)(data)), filename)
        _fail(exchange, message)
        return exchange

    def _refuse(self, status, message, headers=()):
        """The refusal page the buyer's browser gets: the shop's layout, the message, the HTTP status kept."""
        headers = [("Content-Type", "text/html; charset=utf-8"), *headers]
        try:
            # the layout's meta tags join the request path to the site's URL, which Odoo refuses for a path
            # with dot segments (a forged start link): that refusal gets a bare page
            urls.urljoin(request.httprequest.url_root, request.httprequest.path)
        except ValueError:
            return request.make_response(
                Markup("<html><body><h1>Punch-out refused</h1><p class='o_punchout_refused'>%s</p></body></html>")
                % message, headers=headers, status=status)
        return request.render("b2b_punchout.punchout_refused_page", {"message": message}, status=status,
                              headers=headers)

    def _request_body(self, kind, protocol):
        """(body, None), or (None, the message of the 413 answer) when the body is over the cap: the refusal
        is recorded, nothing of the body is kept."""
        data = read_body()
        if data is None:
            _ = request.env._
            self._refused(kind, None, protocol, _("request body over %(limit)s bytes refused", limit=MAX_BODY))
            return None, _("The request is over %(limit)s bytes.", limit=MAX_BODY)
        return data, None

    # ------------------------------------------------------------------ logins from the buyer's browser
    def _browser_login(self, protocol, params, read):
        """A login from the buyer's browser. ``read(parameters)`` is the protocol's part: it returns
        ``(customer or empty, authenticate, return URL, session values)``, ``authenticate()`` being true when
        the credentials or the signed link are right, or raises a ``PunchoutError``. Around it: parameters
        with control characters refused, throttling, the return URL checked, the session opened and the
        browser sent to its start page."""
        _ = request.env._
        if protocol.return_param:
            # a login link carries a return address; the one the buyer's system appends to it wins
            given = request.httprequest.values.getlist(protocol.return_param)
            if given:
                params = dict(params, **{protocol.return_param: given[-1]})
        values = text_params(params)
        if values is None:
            self._refused(SETUP_KIND, None, protocol.name,
                          _("%(protocol)s login with control characters refused", protocol=protocol.name))
            return self._refuse(400, _("The login parameters hold invalid characters."))
        try:
            partner, authenticate, return_url, session_values = read(values)
        except PunchoutError as exc:
            # the buyer reads the page, the supplier the log: both in the request's language
            message = user_message(exc, request.env)
            self._refused(SETUP_KIND, None, protocol.name, message)
            return self._refuse(400, message)
        throttled = self._login_throttled(partner)
        if throttled:
            return throttled
        if not (partner and authenticate()):
            self._login_failed(partner, protocol.name,
                               _("%(protocol)s login refused (credentials or link)", protocol=protocol.name))
            return self._refuse(401, _("Login refused: the credentials or the link are wrong or expired."))
        if not partner._punchout_check_return_url(return_url):
            self._refused(SETUP_KIND, partner, protocol.name,
                          _("return URL %(url)s is not allowed", url=return_url[:300]))
            return self._refuse(403, _("This return URL is not allowed."))
        return self._login_succeeded(partner, protocol, return_url, **session_values)

    def _login_throttled(self, partner):
        """A 429 response when this customer or this client address failed too often, else None."""
        Throttle = request.env["b2b.punchout.throttle"]
        wait = Throttle._punchout_blocked(Throttle._punchout_keys(partner, request.httprequest.remote_addr))
        if wait:
            return self._refuse(429, request.env._("Too many failed logins: try again in %(seconds)s seconds.",
                                                   seconds=wait), headers=[("Retry-After", str(wait))])
        return None

    def _login_failed(self, partner, protocol, message):
        Throttle = request.env["b2b.punchout.throttle"]
        blocked = Throttle._punchout_failed(Throttle._punchout_keys(partner, request.httprequest.remote_addr))
        if blocked:  # the attempts refused while blocked are not logged one by one; the block is
            message = request.env._("%(message)s; too many failures: %(keys)s blocked for %(seconds)s seconds",
                                    message=message, keys=", ".join(blocked), seconds=max(blocked.values()))
        self._refused(SETUP_KIND, partner, protocol, message)

    def _login_succeeded(self, partner, protocol, return_url, **values):
        """Open the session, remember it in this browser and send the browser to its start page."""
        Throttle = request.env["b2b.punchout.throttle"]
        Throttle._punchout_succeeded(Throttle._punchout_keys(partner))
        session, token = request.env["b2b.punchout.session"]._punchout_open(
            partner, protocol.code, return_url, **values)
        request.session[PENDING_KEY] = [*(request.session.get(PENDING_KEY) or [])[-4:], session.id]
        log_exchange(SETUP_KIND, partner, "in", protocol=protocol.name, state="done",
                     summary=request.env._("%(protocol)s login, session %(session)s", protocol=protocol.name,
                                           session=session.name), res_model=session._name,
                     res_id=session.id)
        return request.redirect(f"/punchout/start/{token}", local=True)

    # ------------------------------------------------------------------ start page: log in, open the shop
    @http.route("/punchout/start/<string:token>", type="http", auth="public", methods=["GET", "POST"], website=True,
                sitemap=False)
    def start(self, token, **_kw):
        _ = request.env._
        Session = request.env["b2b.punchout.session"]
        session = Session._punchout_peek(token)
        if not session:
            return self._refuse(403, _("This punch-out link is unknown, expired or was already used."))
        pending = request.session.get(PENDING_KEY) or []
        if session._punchout_protocol().login_route and session.id not in pending:
            # the buyer's browser logged in: the start link is for that browser only
            return self._refuse(403, _("This punch-out link belongs to the browser that logged in."))
        partner = session.partner_id
        uid = request.session.uid
        if uid and uid != partner.punchout_user_id.id and request.httprequest.method != "POST":
            # somebody else is signed in here: never switch users without asking (login CSRF); the
            # confirmation posts back with this browser's CSRF token
            return request.render("b2b_punchout.punchout_confirm_page", {
                "token": token, "partner_name": partner.name, "user_name": request.env.user.name})
        try:
            user = partner._punchout_user()
        except UserError as exc:
            self._refused(SETUP_KIND, partner, session.protocol, str(exc))
            return self._refuse(403, _("This punch-out cannot start; the supplier was told."))
        session = Session._punchout_redeem(token)
        if not session:
            return self._refuse(403, _("This punch-out link is unknown, expired or was already used."))
        request.session.logout(keep_db=True)
        request.session["pre_login"] = user.login
        request.session["pre_uid"] = user.id
        request.session.finalize(request.env)
        request.update_env(user=user.id)
        request.session[SESSION_KEY] = session.id
        session.user_id = user
        website = request.env["website"].get_current_website()
        cart = website.with_user(user).sudo()._create_cart() if hasattr(website, "_create_cart") else None
        if cart is not None:
            values = {}
            if partner.punchout_pricelist_id:
                values["pricelist_id"] = partner.punchout_pricelist_id.id
            values["client_order_ref"] = session.buyer_cookie or session.name
            cart.write(values)
            session.order_id = cart
            for item in session.item_data or []:  # edit / inspect: the cart the buyer had
                product = self._order_product(item["part"], cart.company_id)
                if product and product.sale_ok:
                    cart._cart_add(product.id, float(item["qty"]))
        path = "/shop/cart" if session.operation in ("edit", "inspect") else "/shop"
        lang = self._punchout_shop_lang(website, session)
        # the shop in the buyer's language, as the website's language switcher opens it (the website keeps it)
        return request.redirect(f"/{lang.url_code}{path}" if lang else path, local=True)

    @staticmethod
    def _punchout_shop_lang(website, session):
        """The website language the buyer shops in: the one their procurement system asked for, else the
        customer's, when the website has it and it is not its default; else nothing (the default)."""
        wanted = installed_lang(website.env, session.buyer_lang) or session.partner_id.commercial_partner_id.lang
        lang = website.language_ids.filtered(lambda language: language.code == wanted)[:1]
        return lang if lang and lang != website.default_lang_id else None

    # ------------------------------------------------------------------ Send order: the cart goes back
    @http.route("/punchout/return", type="http", auth="user", methods=["POST"], website=True, sitemap=False)
    def send_order(self, **_kw):
        session = current_punchout_session()
        if not session:
            return self._refuse(403, request.env._("There is no open punch-out session."))
        order = request.cart if getattr(request, "cart", None) else session.order_id
        order = (order or session.order_id).sudo()
        cart = session._punchout_cart(order)
        try:
            result = session._punchout_protocol().cart_return(cart)
        except (PunchoutError, safe_xml.XMLInputError) as exc:
            # e.g. a price OCI cannot carry: nothing goes back, the buyer and the log say why (in their language)
            error = user_message(exc, request.env)
            self._refused(CART_KIND, session.partner_id, session.protocol,
                          request.env._("cart of %(session)s not returned: %(error)s", session=session.name,
                                        error=error))
            return self._refuse(400, request.env._("This cart cannot be sent to your procurement system: "
                                                   "%(error)s", error=error))
        log_exchange(CART_KIND, session.partner_id, "out", payload=result.payload, filename=f"cart_{session.name}.xml",
                     state="done", protocol=session.protocol,
                     summary=request.env._("cart of %(session)s: %(count)s line(s)", session=session.name,
                                           count=len(cart.lines)),
                     res_model=session._name, res_id=session.id)
        session.write({"state": "returned"})
        form = auto_submit_form(session.return_url, result.fields, result.target)
        request.session.pop(SESSION_KEY, None)
        request.session.logout(keep_db=True)
        return request.render("b2b_punchout.punchout_return_page", {"form": Markup(form)})

    @http.route("/punchout/closed", type="http", auth="public", website=True, sitemap=False)
    def closed(self, **_kw):
        return request.render("b2b_punchout.punchout_closed_page", {})

    # ------------------------------------------------------------------ orders: our products, our prices
    def _order_product(self, part, company):
        """The product a buyer's part number names, in ``company`` (or shared); an empty recordset for
        unknown parts and for products of other companies alike."""
        if not part:
            return request.env["product.product"].sudo().browse()
        return request.env["product.product"].sudo().with_company(company).search(
            [("default_code", "=", part), ("company_id", "in", [False, company.id])], limit=1)

    def _create_order(self, exchange, partner, order, data, filename, mask=None):
        """The buyer's final order (a protocol :class:`~..protocol.base.FinalOrder`): it completes the
        returned cart it refers to, else becomes a new sale order; at our prices, idempotent by the buyer's
        order id. Returns (status code, message); the exchange holds the whole (masked) order when it was
        accepted, a 4 KB excerpt otherwise."""
        _ = request.env._
        mask = mask or bytes
        order_id = order.order_id
        exchange = exchange.sudo()
        company = partner.company_id or request.env.company
        exchange.write({"partner_id": partner.id, "company_id": company.id})
        Exchange = request.env["b2b.exchange"].sudo()
        earlier = Exchange.search([("kind", "=", ORDER_KIND), ("external_id", "=", order_id),
                                   ("backend_ref", "=", f"res.partner,{partner.id}"), ("parent_id", "=", False),
                                   ("id", "!=", exchange.id)], limit=1)
        if earlier.state == "done":
            exchange._b2b_set_payload(guard.excerpt(mask(data)), filename)
            exchange.write({"state": "cancelled", "summary": _("duplicate of %(exchange)s", exchange=earlier.name)})
            return 200, _("order %(order)s already received", order=order_id)
        if earlier:  # an earlier attempt failed (e.g. unknown product): this one replaces it
            earlier.write({"external_id": False, "state": "cancelled",
                           "summary": _("replaced by %(exchange)s", exchange=exchange.name)})
        if not exchange._b2b_claim(order_id):
            exchange._b2b_set_payload(guard.excerpt(mask(data)), filename)
            exchange.write({"state": "cancelled",
                            "summary": _("order %(order)s is being received right now", order=order_id)})
            return 200, _("order %(order)s already received", order=order_id)
        try:
            with request.env.cr.savepoint():
                sale, differences, completed = self._build_order(partner, company, order)
        except (UserError, ValidationError) as exc:
            message = exc.args[0]
            self._refused(ORDER_KIND, partner, exchange.protocol, _("order %(order)s: %(error)s", order=order_id,
                                                                     error=message), data, filename, mask, exchange)
            return 400, message
        except Exception:  # noqa: BLE001 - a bug: logged with its traceback, answered, recorded
            _logger.exception("punch-out order %s of %s could not be created", order_id, partner.name)
            self._refused(ORDER_KIND, partner, exchange.protocol, _("order %(order)s: internal error", order=order_id),
                          data, filename, mask, exchange)
            return 500, _("internal error; the supplier was told")
        exchange._b2b_set_payload(mask(data), filename)
        exchange.write({"res_model": "sale.order", "res_id": sale.id})
        how = _("completes the returned cart") if completed else _("new")
        if differences:
            exchange._b2b_done(_("%(sale)s from order %(order)s (%(how)s), to review: %(differences)s",
                                 sale=sale.name, order=order_id, how=how, differences=differences))
            return 200, _("%(order)s received; its prices differ from ours and are being reviewed", order=sale.name)
        exchange._b2b_done(_("%(sale)s from order %(order)s (%(how)s)", sale=sale.name, order=order_id, how=how))
        return 200, sale.name

    def _order_cart(self, partner, company, order):
        """The returned cart ``order`` completes: the sale order of one of this customer's returned
        punch-out sessions, still a quotation, that the order names (our session or sale order reference)
        or whose lines all its line references are; locked. Empty when there is none or more than one."""
        Session = request.env["b2b.punchout.session"].sudo()
        Sale = request.env["sale.order"].sudo()
        returned = [("partner_id", "=", partner.id), ("state", "=", "returned"), ("order_id", "!=", False),
                    ("company_id", "=", company.id)]
        refs = [ref[:200] for ref in order.cart_refs if ref]
        carts = Sale.browse()
        if refs:
            carts = Session.search(returned + ["|", ("name", "in", refs), ("order_id.name", "in", refs)]).order_id
        line_ids = {int(line.line_ref) for line in order.lines if line.line_ref.isdigit() and len(line.line_ref) < 10}
        if not carts and line_ids:
            lines = request.env["sale.order.line"].sudo().browse(line_ids).exists()
            if len(lines) == len(line_ids) and len(lines.order_id) == 1:
                carts = Session.search(returned + [("order_id", "=", lines.order_id.id)]).order_id
        carts = carts.filtered(lambda o: o.state in ("draft", "sent")
                               and o.partner_id.commercial_partner_id == partner.commercial_partner_id)
        if len(carts) != 1:
            return Sale.browse()
        # two orders for one cart: the second waits here, then finds it confirmed and makes its own
        request.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [carts.id])
        carts.invalidate_recordset(["state"])
        return carts if carts.state in ("draft", "sent") else Sale.browse()

    def _order_lines(self, sale, lines, products, reuse):
        """The sale order lines of the ordered ``lines``: with ``reuse`` (a returned cart) its lines the
        order refers to (line reference, else product) get the ordered quantity, lines it does not order
        any more go, new ones are added; otherwise every line is new."""
        SaleLine = request.env["sale.order.line"].sudo().with_company(sale.company_id)
        existing = sale.order_line.filtered(lambda ln: ln.product_id and not ln.display_type) if reuse else SaleLine
        by_ref = {str(line.id): line for line in existing}
        used, result = SaleLine.browse(), []
        for line, product in zip(lines, products, strict=False):
            found = by_ref.get(line.line_ref)
            if not found or found in used or found.product_id != product:
                found = next((ln for ln in existing if ln.product_id == product and ln not in used), None)
            if found:
                if float_compare(found.product_uom_qty, float(line.quantity),
                                 precision_rounding=found.product_uom_id.rounding or 0.01):
                    found.product_uom_qty = float(line.quantity)
            else:
                found = SaleLine.create({"order_id": sale.id, "product_id": product.id,
                                         "product_uom_qty": float(line.quantity)})
            used |= found
            result.append(found)
        (existing - used).unlink()
        return result

    def _order_products(self, order, company):
        """Our product of each line of the buyer's order; UserError for a line we refuse."""
        _ = request.env._
        products = []
        for n, line in enumerate(order.lines, 1):
            qty, price = line.quantity, line.price
            if not (isinstance(qty, Decimal) and qty.is_finite() and qty > 0):
                raise UserError(_("line %(line)s: the quantity must be a number greater than zero", line=n))
            if not (isinstance(price, Decimal) and price.is_finite() and price >= 0):
                raise UserError(_("line %(line)s: the price must be a number, not negative", line=n))
            product = self._order_product(line.part, company)
            if not product:
                raise UserError(_("unknown product %(part)s", part=line.part[:100]))
            if not product.sale_ok:
                raise UserError(_("product %(part)s is not for sale", part=line.part[:100]))
            products.append(product)
        return products

    def _build_order(self, partner, company, order):
        """(sale order, price differences to review, whether it completed a returned cart); raises
        UserError for what we refuse."""
        _ = request.env._
        products = self._order_products(order, company)
        sale = self._order_cart(partner, company, order)
        completed = bool(sale)
        if not sale:
            values = {"partner_id": partner.id, "company_id": company.id}
            if partner.punchout_pricelist_id:
                values["pricelist_id"] = partner.punchout_pricelist_id.id
            sale = request.env["sale.order"].sudo().with_company(company).create(values)
        values = {"client_order_ref": order.order_id[:200]}
        if order.customer_reference:
            values["punchout_customer_reference"] = order.customer_reference[:200]
        if order.ship_to and order.ship_to.is_postal():
            values["partner_shipping_id"] = partner._punchout_delivery_address(order.ship_to).id
        sale.write(values)
        ours = sale.currency_id
        for n, line in enumerate(order.lines, 1):
            if (line.currency or order.currency or ours.name) != ours.name:
                raise UserError(_("line %(line)s: we sell to you in %(ours)s, not in %(theirs)s", line=n,
                                  ours=ours.name, theirs=(line.currency or order.currency)[:10]))
        tolerance = Decimal(str(partner.punchout_price_tolerance or 0)) / 100
        minimum = Decimal(str(ours.rounding))
        differences = []
        sale_lines = self._order_lines(sale.with_company(company), order.lines, products, completed)
        for n, (line, sale_line) in enumerate(zip(order.lines, sale_lines, strict=False), 1):
            if sale_line.product_uom_qty <= 0:
                raise UserError(_("line %(line)s: quantity %(qty)s is below what we can deliver", line=n,
                                  qty=line.quantity))
            our_price = unit_price(sale_line)
            if abs(line.price - our_price) > max(our_price * tolerance, minimum):
                differences.append(_("line %(line)s (%(part)s): your price %(theirs)s, ours %(ours)s", line=n,
                                     part=line.part[:100], theirs=line.price, ours=our_price))
        if differences and partner.punchout_price_mismatch != "flag":
            more = _(" and %(count)s more", count=len(differences) - 3) if len(differences) > 3 else ""
            raise UserError(_("prices differ from ours: %(lines)s%(more)s", lines="; ".join(differences[:3]),
                              more=more))
        if order.ship_to and order.ship_to.deliver_to:
            sale.message_post(body=_("Punch-out order %(order)s: deliver to %(whom)s", order=order.order_id,
                                     whom=order.ship_to.deliver_to[:300]))
        if differences:
            sale.message_post(body=_("Punch-out order %(order)s: the buyer's prices differ from ours, the order "
                                     "was kept as a quotation at our prices: %(lines)s", order=order.order_id,
                                     lines="; ".join(differences)))
            return sale, "; ".join(differences)[:500], completed
        sale.action_confirm()
        return sale, "", completed
