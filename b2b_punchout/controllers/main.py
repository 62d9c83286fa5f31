import hashlib
import hmac
import logging
from decimal import Decimal

import werkzeug.exceptions
from markupsafe import Markup

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.b2b_connector_base.lib import safe_xml

from ..models.punchout import unit_price
from ..protocol import cxml, guard, oci, peppol

_logger = logging.getLogger(__name__)

# the access log (werkzeug) and Odoo's request warnings never show an OCI password, a signed link's
# signature or a start token
guard.install_log_filter("werkzeug", "odoo.http")

SESSION_KEY = "b2b_punchout_session_id"
PENDING_KEY = "b2b_punchout_pending"  # sessions this browser logged in to (OCI / PEPPOL), not started yet
SETUP_KIND = "punchout.setup"
CART_KIND = "punchout.cart"
ORDER_KIND = "punchout.order"
MAX_BODY = cxml.MAX_BYTES
DRAIN_LIMIT = 4 * MAX_BODY  # an over-long body is read away (up to this) so the client gets its 413
CXML_STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 409: "Conflict",
                    413: "Request Entity Too Large", 500: "Internal Server Error"}


def current_punchout_session():
    """The live punch-out session of this browser session (sudo), or an empty recordset."""
    Session = request.env["b2b.punchout.session"].sudo()
    session_id = request.session.get(SESSION_KEY)
    session = Session.browse(session_id).exists() if isinstance(session_id, int) else Session
    if session and not session._punchout_is_live():
        return Session
    return session


def _log(kind, partner, direction, payload=None, filename=None, state="pending", **vals):
    return request.env["b2b.exchange"].sudo()._b2b_log(
        kind, direction=direction, backend=partner or None, payload=payload, filename=filename, state=state,
        protocol=vals.pop("protocol", "punch-out"), **vals)


def _fail(exchange, message):
    exchange._b2b_fail(UserError(message))


def _text_params(params):
    """The text parameters of a request (uploaded files are no login parameters); None when one holds
    a control character (NUL and the like would only break things further down)."""
    values = {k: v for k, v in params.items() if isinstance(v, str)}
    if any(ord(ch) < 0x20 and ch not in "\t\r\n" for v in values.values() for ch in v):
        return None
    return values


def _read_body(limit=MAX_BODY):
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
    except (OSError, werkzeug.exceptions.HTTPException):
        pass


def _xml_text(message):
    # a Status message only holds what XML may carry
    return "".join(ch for ch in str(message) if ch in "\t\n\r" or ord(ch) >= 0x20)[:1000]


class PunchoutController(http.Controller):
    # ------------------------------------------------------------------ refusals and answers
    def _refused(self, kind, partner, protocol, message, data=None, filename=None, mask=None, exchange=None):
        """Record a refused request as a failed exchange with, at most, a masked excerpt of its body."""
        exchange = exchange or _log(kind, partner, "in", protocol=protocol)
        if data:
            exchange.sudo()._b2b_set_payload(guard.excerpt((mask or bytes)(data)), filename)
        _fail(exchange, message)
        return exchange

    def _cxml_answer(self, code, text=None, message="", start_url=None):
        body = cxml.build_response(code, text or CXML_STATUS_TEXT.get(code, "Bad Request"), _xml_text(message),
                                   start_url=start_url)
        status = code if 400 <= code < 600 else 200
        headers = [("Content-Type", "text/xml; charset=utf-8")]
        if code == 413:
            headers.append(("Connection", "close"))
        return request.make_response(body, headers=headers, status=status)

    def _refuse(self, status, message, headers=()):
        return request.make_response(
            Markup("<html><body><h1>Punch-out refused</h1><p class='o_punchout_refused'>%s</p></body></html>") % message,
            headers=[("Content-Type", "text/html; charset=utf-8"), *headers], status=status)

    def _cxml_request(self, kind, filename, parse):
        """Read, parse and authenticate a cXML request: (document, partner, exchange, data) or a response.
        Nothing of an unauthenticated request is stored but a masked 4 KB excerpt."""
        _ = request.env._
        data = _read_body()
        if data is None:
            self._refused(kind, None, "cXML", _("request body over %(limit)s bytes refused", limit=MAX_BODY))
            return self._cxml_answer(413, message=_("The request is over %(limit)s bytes.", limit=MAX_BODY))
        try:
            document = parse(data)
        except (cxml.CXMLError, safe_xml.XMLInputError) as exc:
            self._refused(kind, None, "cXML", str(exc), data, filename, cxml.mask_secrets)
            return self._cxml_answer(getattr(exc, "status", 400), message=str(exc))
        identities = [document.sender.identity] + [c.identity for c in document.from_credentials]
        partner = request.env["res.partner"]._punchout_find(identities, "cxml")
        if not partner:
            self._refused(kind, None, "cXML", _("unknown buyer identity %(identity)s",
                                                 identity=document.sender.identity[:100]),
                          data, filename, cxml.mask_secrets)
            return self._cxml_answer(401, message=_("unknown buyer identity"))
        if not partner._punchout_check_secret(document.sender.shared_secret):
            self._refused(kind, partner, "cXML", _("wrong shared secret"), data, filename, cxml.mask_secrets)
            return self._cxml_answer(401, message=_("wrong shared secret"))
        exchange = _log(kind, partner, "in", protocol="cXML")
        return document, partner, exchange, data

    # ------------------------------------------------------------------ cXML setup
    @http.route("/punchout/cxml/setup", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=DRAIN_LIMIT)
    def cxml_setup(self, **_kw):
        _ = request.env._
        result = self._cxml_request(SETUP_KIND, "PunchOutSetupRequest.xml", cxml.parse_setup_request)
        if not isinstance(result, tuple):
            return result
        setup, partner, exchange, data = result

        def refuse(code, message):
            self._refused(SETUP_KIND, partner, "cXML", message, data, "PunchOutSetupRequest.xml", cxml.mask_secrets,
                          exchange)
            return self._cxml_answer(code, message=message)

        if setup.payload_id and not exchange._b2b_claim(setup.payload_id[:500]):
            return refuse(409, _("this request was already used (payloadID %(id)s)", id=setup.payload_id[:100]))
        if not partner._punchout_check_return_url(setup.browser_form_post):
            return refuse(403, _("BrowserFormPost URL not allowed"))
        items = [{"part": i.supplier_part_id, "qty": str(i.quantity)} for i in setup.items]
        session, token = request.env["b2b.punchout.session"]._punchout_open(
            partner, "cxml", setup.browser_form_post, operation=setup.operation, buyer_cookie=setup.buyer_cookie,
            item_data=items or False)
        start = f"{partner.get_base_url()}/punchout/start/{token}"
        exchange.sudo()._b2b_set_payload(cxml.mask_secrets(data), "PunchOutSetupRequest.xml")
        exchange.sudo().write({"res_model": session._name, "res_id": session.id})
        exchange._b2b_done(f"session {session.name} ({setup.operation}) for {partner.name}")
        return self._cxml_answer(200, "OK", start_url=start)

    # ------------------------------------------------------------------ OCI / PEPPOL logins
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
            partner, protocol.lower(), return_url, **values)
        request.session[PENDING_KEY] = [*(request.session.get(PENDING_KEY) or [])[-4:], session.id]
        _log(SETUP_KIND, partner, "in", protocol=protocol, state="done",
             summary=f"{protocol} login, session {session.name}", res_model=session._name, res_id=session.id)
        return request.redirect(f"/punchout/start/{token}", local=True)

    @http.route("/punchout/oci/login", type="http", auth="public", methods=["GET", "POST"], csrf=False, website=True,
                sitemap=False)
    def oci_login(self, **params):
        _ = request.env._
        params = _text_params(params)
        if params is None:
            self._refused(SETUP_KIND, None, "OCI", _("OCI login with control characters refused"))
            return self._refuse(400, _("The login parameters hold invalid characters."))
        try:
            login = oci.parse_login(params)
        except oci.OCIError as exc:
            self._refused(SETUP_KIND, None, "OCI", str(exc))
            return self._refuse(400, str(exc))
        Partner = request.env["res.partner"]
        if params.get("partner"):
            partner = Partner._punchout_browse(params["partner"], "oci")
        else:
            partner = Partner._punchout_find([login.username], "oci")
        throttled = self._login_throttled(partner)
        if throttled:
            return throttled
        if params.get("partner"):
            ok = partner and partner._punchout_check_link(params.get("exp"), params.get("sig"))
        else:
            ok = partner and partner._punchout_check_secret(login.password)
        if not ok:
            self._login_failed(partner, "OCI", _("OCI login refused (credentials or link)"))
            return self._refuse(401, _("Login refused."))
        if not partner._punchout_check_return_url(login.hook_url):
            self._refused(SETUP_KIND, partner, "OCI", _("HOOK_URL %(url)s is not allowed", url=login.hook_url[:300]))
            return self._refuse(403, _("This HOOK_URL is not allowed."))
        return self._login_succeeded(partner, "OCI", login.hook_url, oci_target=login.target,
                                     oci_ok_code=login.ok_code)

    @http.route("/punchout/peppol/login", type="http", auth="public", methods=["GET", "POST"], csrf=False,
                website=True, sitemap=False)
    def peppol_login(self, **params):
        _ = request.env._
        params = _text_params(params)
        if params is None:
            self._refused(SETUP_KIND, None, "PEPPOL", _("PEPPOL login with control characters refused"))
            return self._refuse(400, _("The login parameters hold invalid characters."))
        customer = request.env["res.partner"]._punchout_browse(params.get("partner"), "peppol")
        throttled = self._login_throttled(customer)
        if throttled:
            return throttled
        if not (customer and customer._punchout_check_link(params.get("exp"), params.get("sig"))):
            self._login_failed(customer, "PEPPOL", _("PEPPOL punch-out login refused"))
            return self._refuse(401, _("Login refused: the link is invalid or expired."))
        return_url = params.get("return_url") or ""
        if not customer._punchout_check_return_url(return_url):
            self._refused(SETUP_KIND, customer, "PEPPOL", _("return URL %(url)s is not allowed", url=return_url[:300]))
            return self._refuse(403, _("This return URL is not allowed."))
        return self._login_succeeded(customer, "PEPPOL", return_url)

    # ------------------------------------------------------------------ start page: log in, open the shop
    @http.route("/punchout/start/<string:token>", type="http", auth="public", methods=["GET", "POST"], website=True,
                sitemap=False)
    def start(self, token, **_kw):
        _ = request.env._
        Session = request.env["b2b.punchout.session"]
        session = Session._punchout_peek(token)
        if not session:
            return self._refuse(403, _("This punch-out link is unknown, expired or was already used."))
        if session.protocol in ("oci", "peppol") and session.id not in (request.session.get(PENDING_KEY) or []):
            # the login happened in another browser: this link is not for this one
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
        return request.redirect("/shop/cart" if session.operation in ("edit", "inspect") else "/shop", local=True)

    # ------------------------------------------------------------------ Send order: the cart goes back
    @http.route("/punchout/return", type="http", auth="user", methods=["POST"], website=True, sitemap=False)
    def send_order(self, **_kw):
        session = current_punchout_session()
        if not session:
            return self._refuse(403, request.env._("There is no open punch-out session."))
        order = request.cart if getattr(request, "cart", None) else session.order_id
        order = (order or session.order_id).sudo()
        items = session._punchout_cart_items(order) if order else []
        partner = session.partner_id
        if session.protocol == "cxml":
            cart_items = [cxml.CartItem(
                supplier_part_id=product.default_code or str(product.id), quantity=qty, unit_price=price,
                currency=currency, description=product.display_name[:100], unit="EA",
                classification=product.categ_id.name or "", aux_id=str(line.id)) for product, qty, price, currency, line in items]
            data = cxml.build_order_message(
                session.buyer_cookie or "", cart_items, order.currency_id.name if order else "EUR",
                [cxml.Credential("NetworkId", request.env.company.name)],
                [cxml.Credential("NetworkId", next(iter(partner._punchout_identity_set()), ""))],
                cxml.Credential("NetworkId", request.env.company.name))
            fields_ = [("cxml-base64", cxml.encode_form_value(data))]
            target = "_top"
        elif session.protocol == "oci":
            data_items = [oci.Item(description=product.display_name, quantity=qty, unit="PCE", price=price,
                                   currency=currency, vendor_mat=product.default_code or str(product.id),
                                   mat_group=product.categ_id.name or "")
                          for product, qty, price, currency, _line in items]
            login = oci.Login(hook_url=session.return_url, ok_code=session.oci_ok_code or "",
                              target=session.oci_target or "_top")
            fields_ = oci.cart_fields(data_items, login)
            data = "\n".join(f"{k}={v}" for k, v in fields_).encode()
            target = session.oci_target or "_top"
        else:
            lines = [peppol.Line(seller_item_id=product.default_code or str(product.id), name=product.display_name,
                                 quantity=qty, price=price, currency=currency)
                     for product, qty, price, currency, _line in items]
            data = peppol.build_cart(session.name, peppol.Party(name=request.env.company.name),
                                     peppol.Party(endpoint_id=next(iter(partner._punchout_identity_set()), "")), lines)
            fields_ = [(peppol.FORM_FIELD, peppol.encode_cart(data))]
            target = "_top"
        _log(CART_KIND, partner, "out", payload=data, filename=f"cart_{session.name}.xml", state="done",
             protocol=session.protocol, summary=f"cart of {session.name}: {len(items)} line(s)",
             res_model=session._name, res_id=session.id)
        session.write({"state": "returned"})
        form = oci.auto_submit_form(session.return_url, fields_, target)
        request.session.pop(SESSION_KEY, None)
        request.session.logout(keep_db=True)
        return request.render("b2b_punchout.punchout_return_page", {"form": Markup(form)})

    @http.route("/punchout/closed", type="http", auth="public", website=True, sitemap=False)
    def closed(self, **_kw):
        return request.render("b2b_punchout.punchout_closed_page", {})

    # ------------------------------------------------------------------ the buyer's final order
    @http.route("/punchout/cxml/order", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=DRAIN_LIMIT)
    def cxml_order(self, **_kw):
        result = self._cxml_request(ORDER_KIND, "OrderRequest.xml", cxml.parse_order_request)
        if not isinstance(result, tuple):
            return result
        order_request, partner, exchange, data = result
        lines = [(i.supplier_part_id, i.quantity, i.unit_price, i.currency) for i in order_request.items]
        code, message = self._create_order(exchange, partner, order_request.order_id, lines,
                                           order_request.currency, data, "OrderRequest.xml", cxml.mask_secrets)
        return self._cxml_answer(code, "OK" if code == 200 else None, message)

    @http.route("/punchout/peppol/order", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=DRAIN_LIMIT)
    def peppol_order(self, **_kw):
        _ = request.env._
        def answer(code, message):
            return request.make_response(message, headers=[("Content-Type", "text/plain; charset=utf-8")],
                                         status=code)

        data = _read_body()
        if data is None:
            self._refused(ORDER_KIND, None, "PEPPOL", _("request body over %(limit)s bytes refused", limit=MAX_BODY))
            return answer(413, _("The request is over %(limit)s bytes.", limit=MAX_BODY))
        try:
            order = peppol.parse_order(data)
        except (peppol.PeppolError, safe_xml.XMLInputError) as exc:
            self._refused(ORDER_KIND, None, "PEPPOL", str(exc), data, "Order.xml")
            return answer(400, str(exc))
        partner = request.env["res.partner"]._punchout_find([order.buyer.endpoint_id], "peppol")
        secret = partner.sudo()._b2b_secret("punchout_secret") if partner else ""
        expected = hmac.new((secret or "").encode(), data, hashlib.sha256).hexdigest() if secret else ""
        signature = request.httprequest.headers.get("X-Punchout-Signature", "")
        if not partner or not expected or not hmac.compare_digest(
                expected.encode(), signature.encode("utf-8", "surrogateescape")):
            self._refused(ORDER_KIND, partner, "PEPPOL", _("PEPPOL Order refused: unknown buyer or bad signature"),
                          data, "Order.xml")
            return answer(401, _("unknown buyer or bad signature"))
        exchange = _log(ORDER_KIND, partner, "in", protocol="PEPPOL")
        lines = [(l.seller_item_id, l.quantity, l.price, l.currency or order.currency) for l in order.lines]
        code, message = self._create_order(exchange, partner, order.order_id, lines, order.currency, data, "Order.xml")
        return answer(code, f"{code} OK {message}" if code == 200 else f"{code} {message}")

    # ------------------------------------------------------------------ orders: our products, our prices
    def _order_product(self, part, company):
        """The product a buyer's part number names, in ``company`` (or shared); an empty recordset for
        unknown parts and for products of other companies alike."""
        if not part:
            return request.env["product.product"].sudo().browse()
        return request.env["product.product"].sudo().with_company(company).search(
            [("default_code", "=", part), ("company_id", "in", [False, company.id])], limit=1)

    def _create_order(self, exchange, partner, order_id, lines, currency, data, filename, mask=None):
        """Sale order from the buyer's final order at our prices; idempotent by the buyer's order id.
        Returns (status code, message); the exchange holds the whole (masked) order when it was accepted,
        a 4 KB excerpt otherwise."""
        _ = request.env._
        mask = mask or bytes
        exchange = exchange.sudo()
        company = partner.company_id or request.env.company
        exchange.write({"partner_id": partner.id, "company_id": company.id})
        Exchange = request.env["b2b.exchange"].sudo()
        earlier = Exchange.search([("kind", "=", ORDER_KIND), ("external_id", "=", order_id),
                                   ("backend_ref", "=", f"res.partner,{partner.id}"), ("parent_id", "=", False),
                                   ("id", "!=", exchange.id)], limit=1)
        if earlier.state == "done":
            exchange._b2b_set_payload(guard.excerpt(mask(data)), filename)
            exchange.write({"state": "cancelled", "summary": f"duplicate of {earlier.name}"})
            return 200, _("order %(order)s already received", order=order_id)
        if earlier:  # an earlier attempt failed (e.g. unknown product): this one replaces it
            earlier.write({"external_id": False, "state": "cancelled", "summary": f"replaced by {exchange.name}"})
        if not exchange._b2b_claim(order_id):
            exchange._b2b_set_payload(guard.excerpt(mask(data)), filename)
            exchange.write({"state": "cancelled", "summary": f"order {order_id} is being received right now"})
            return 200, _("order %(order)s already received", order=order_id)
        try:
            with request.env.cr.savepoint():
                sale, differences = self._build_order(partner, company, order_id, lines, currency)
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
        if differences:
            exchange._b2b_done(f"{sale.name} from order {order_id}, to review: {differences}")
            return 200, _("%(order)s received; its prices differ from ours and are being reviewed", order=sale.name)
        exchange._b2b_done(f"{sale.name} from order {order_id}")
        return 200, sale.name

    def _build_order(self, partner, company, order_id, lines, currency):
        """(sale order, price differences to review); raises UserError for what we refuse."""
        _ = request.env._
        products = []
        for n, (part, qty, price, _line_currency) in enumerate(lines, 1):
            if not (isinstance(qty, Decimal) and qty.is_finite() and qty > 0):
                raise UserError(_("line %(line)s: the quantity must be a number greater than zero", line=n))
            if not (isinstance(price, Decimal) and price.is_finite() and price >= 0):
                raise UserError(_("line %(line)s: the price must be a number, not negative", line=n))
            product = self._order_product(part, company)
            if not product:
                raise UserError(_("unknown product %(part)s", part=part[:100]))
            if not product.sale_ok:
                raise UserError(_("product %(part)s is not for sale", part=part[:100]))
            products.append(product)
        values = {"partner_id": partner.id, "client_order_ref": order_id[:200], "company_id": company.id}
        if partner.punchout_pricelist_id:
            values["pricelist_id"] = partner.punchout_pricelist_id.id
        sale = request.env["sale.order"].sudo().with_company(company).create(values)
        ours = sale.currency_id
        for n, (_part, _qty, _price, line_currency) in enumerate(lines, 1):
            if (line_currency or currency or ours.name) != ours.name:
                raise UserError(_("line %(line)s: we sell to you in %(ours)s, not in %(theirs)s", line=n,
                                  ours=ours.name, theirs=(line_currency or currency)[:10]))
        tolerance = Decimal(str(partner.punchout_price_tolerance or 0)) / 100
        minimum = Decimal(str(ours.rounding))
        differences = []
        SaleLine = request.env["sale.order.line"].sudo().with_company(company)
        for n, ((part, qty, price, _currency), product) in enumerate(zip(lines, products), 1):
            line = SaleLine.create({"order_id": sale.id, "product_id": product.id, "product_uom_qty": float(qty)})
            if line.product_uom_qty <= 0:
                raise UserError(_("line %(line)s: quantity %(qty)s is below what we can deliver", line=n, qty=qty))
            our_price = Decimal(str(unit_price(line)))
            if abs(price - our_price) > max(our_price * tolerance, minimum):
                differences.append(_("line %(line)s (%(part)s): your price %(theirs)s, ours %(ours)s", line=n,
                                     part=part[:100], theirs=price, ours=our_price))
        if differences and partner.punchout_price_mismatch != "flag":
            more = _(" and %(count)s more", count=len(differences) - 3) if len(differences) > 3 else ""
            raise UserError(_("prices differ from ours: %(lines)s%(more)s", lines="; ".join(differences[:3]),
                              more=more))
        if differences:
            sale.message_post(body=_("Punch-out order %(order)s: the buyer's prices differ from ours, the order "
                                     "was kept as a quotation at our prices: %(lines)s", order=order_id,
                                     lines="; ".join(differences)))
            return sale, "; ".join(differences)[:500]
        sale.action_confirm()
        return sale, ""
