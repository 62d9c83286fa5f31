import hashlib
import hmac
import logging
from decimal import Decimal

from markupsafe import Markup

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.b2b_connector_base.lib import safe_xml

from ..models.punchout import mask_shared_secret
from ..protocol import cxml, oci, peppol

_logger = logging.getLogger(__name__)

SESSION_KEY = "b2b_punchout_session_id"
SETUP_KIND = "punchout.setup"
CART_KIND = "punchout.cart"
ORDER_KIND = "punchout.order"


def current_punchout_session():
    """The live punch-out session of this browser session (sudo), or an empty recordset."""
    Session = request.env["b2b.punchout.session"].sudo()
    session_id = request.session.get(SESSION_KEY)
    session = Session.browse(session_id).exists() if session_id else Session
    if session and not session._punchout_is_live():
        return Session
    return session


def _log(kind, partner, direction, payload=None, filename=None, state="pending", **vals):
    return request.env["b2b.exchange"].sudo()._b2b_log(
        kind, direction=direction, backend=partner or None, payload=payload, filename=filename, state=state,
        protocol=vals.pop("protocol", "punch-out"), **vals)


def _fail(exchange, message):
    exchange._b2b_fail(UserError(message))


class PunchoutController(http.Controller):
    # ------------------------------------------------------------------ cXML setup
    @http.route("/punchout/cxml/setup", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def cxml_setup(self, **_kw):
        data = request.httprequest.get_data(cache=False)
        exchange = _log(SETUP_KIND, None, "in", payload=mask_shared_secret(data), filename="PunchOutSetupRequest.xml",
                        protocol="cXML")
        try:
            setup = cxml.parse_setup_request(data)
        except (cxml.CXMLError, safe_xml.XMLInputError) as exc:
            _fail(exchange, str(exc))
            return self._cxml_answer(getattr(exc, "status", 400), "Bad Request", str(exc))
        identities = [setup.sender.identity] + [c.identity for c in setup.from_credentials]
        partner = request.env["res.partner"]._punchout_find(identities, "cxml")
        if not partner:
            _fail(exchange, f"unknown buyer identity {setup.sender.identity}")
            return self._cxml_answer(401, "Unauthorized", "unknown buyer identity")
        exchange.sudo().write({"backend_ref": f"res.partner,{partner.id}", "partner_id": partner.id,
                               "company_id": (partner.company_id or request.env.company).id})
        if not partner._punchout_check_secret(setup.sender.shared_secret):
            _fail(exchange, "wrong shared secret")
            return self._cxml_answer(401, "Unauthorized", "wrong shared secret")
        if setup.payload_id and not exchange._b2b_claim(setup.payload_id):
            _fail(exchange, f"replayed PunchOutSetupRequest {setup.payload_id}")
            return self._cxml_answer(409, "Conflict", "this request was already used")
        if not partner._punchout_check_return_url(setup.browser_form_post):
            _fail(exchange, f"return URL {setup.browser_form_post} is not allowed for {partner.name}")
            return self._cxml_answer(403, "Forbidden", "BrowserFormPost URL not allowed")
        items = [{"part": i.supplier_part_id, "qty": str(i.quantity)} for i in setup.items]
        session, token = request.env["b2b.punchout.session"]._punchout_open(
            partner, "cxml", setup.browser_form_post, operation=setup.operation, buyer_cookie=setup.buyer_cookie,
            item_data=items or False)
        start = f"{partner.get_base_url()}/punchout/start/{token}"
        exchange.sudo().write({"res_model": session._name, "res_id": session.id})
        exchange._b2b_done(f"session {session.name} ({setup.operation}) for {partner.name}")
        return self._cxml_answer(200, "OK", start_url=start)

    def _cxml_answer(self, code, text, message="", start_url=None):
        body = cxml.build_response(code, text, message, start_url=start_url)
        return request.make_response(body, headers=[("Content-Type", "text/xml; charset=utf-8")],
                                     status=200 if code == 200 else (code if code in (400, 401, 403, 409) else 400))

    # ------------------------------------------------------------------ OCI / PEPPOL logins
    @http.route("/punchout/oci/login", type="http", auth="public", methods=["GET", "POST"], csrf=False, website=True,
                sitemap=False)
    def oci_login(self, **params):
        try:
            login = oci.parse_login(params)
        except oci.OCIError as exc:
            return self._refuse(400, str(exc))
        Partner = request.env["res.partner"].sudo()
        if params.get("partner"):
            partner = Partner.browse(int(params["partner"]) if str(params["partner"]).isdigit() else 0).exists()
            ok = partner and partner.punchout_enabled and partner.punchout_protocol == "oci" and \
                partner._punchout_check_link(params.get("exp"), params.get("sig"))
        else:
            partner = Partner._punchout_find([login.username], "oci")
            ok = partner and partner._punchout_check_secret(login.password)
        if not ok:
            _fail(_log(SETUP_KIND, partner, "in", protocol="OCI"), "OCI login refused (credentials or link)")
            return self._refuse(401, "Login refused.")
        if not partner._punchout_check_return_url(login.hook_url):
            _fail(_log(SETUP_KIND, partner, "in", protocol="OCI"), f"HOOK_URL {login.hook_url} is not allowed")
            return self._refuse(403, "This HOOK_URL is not allowed.")
        session, token = request.env["b2b.punchout.session"]._punchout_open(
            partner, "oci", login.hook_url, oci_target=login.target, oci_ok_code=login.ok_code)
        _log(SETUP_KIND, partner, "in", protocol="OCI", state="done", summary=f"OCI login, session {session.name}",
             res_model=session._name, res_id=session.id)
        return request.redirect(f"/punchout/start/{token}", local=True)

    @http.route("/punchout/peppol/login", type="http", auth="public", methods=["GET", "POST"], csrf=False,
                website=True, sitemap=False)
    def peppol_login(self, partner=None, exp=None, sig=None, return_url=None, **_kw):
        Partner = request.env["res.partner"].sudo()
        customer = Partner.browse(int(partner) if partner and str(partner).isdigit() else 0).exists()
        if not (customer and customer.punchout_enabled and customer.punchout_protocol == "peppol"
                and customer._punchout_check_link(exp, sig)):
            _fail(_log(SETUP_KIND, customer, "in", protocol="PEPPOL"), "PEPPOL punch-out login refused")
            return self._refuse(401, "Login refused: the link is invalid or expired.")
        if not customer._punchout_check_return_url(return_url):
            _fail(_log(SETUP_KIND, customer, "in", protocol="PEPPOL"), f"return URL {return_url} is not allowed")
            return self._refuse(403, "This return URL is not allowed.")
        session, token = request.env["b2b.punchout.session"]._punchout_open(customer, "peppol", return_url)
        _log(SETUP_KIND, customer, "in", protocol="PEPPOL", state="done",
             summary=f"PEPPOL login, session {session.name}", res_model=session._name, res_id=session.id)
        return request.redirect(f"/punchout/start/{token}", local=True)

    def _refuse(self, status, message):
        return request.make_response(
            Markup("<html><body><h1>Punch-out refused</h1><p class='o_punchout_refused'>%s</p></body></html>") % message,
            headers=[("Content-Type", "text/html; charset=utf-8")], status=status)

    # ------------------------------------------------------------------ start page: log in, open the shop
    @http.route("/punchout/start/<string:token>", type="http", auth="public", website=True, sitemap=False)
    def start(self, token, **_kw):
        session = request.env["b2b.punchout.session"]._punchout_redeem(token)
        if not session:
            return self._refuse(403, "This punch-out link is unknown, expired or was already used.")
        user = session.partner_id._punchout_user()
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
            if session.partner_id.punchout_pricelist_id:
                values["pricelist_id"] = session.partner_id.punchout_pricelist_id.id
            values["client_order_ref"] = session.buyer_cookie or session.name
            cart.write(values)
            session.order_id = cart
            for item in session.item_data or []:  # edit / inspect: the cart the buyer had
                product = request.env["product.product"].sudo().search([("default_code", "=", item["part"])], limit=1)
                if product:
                    cart._cart_add(product.id, float(item["qty"]))
        return request.redirect("/shop/cart" if session.operation in ("edit", "inspect") else "/shop", local=True)

    # ------------------------------------------------------------------ Send order: the cart goes back
    @http.route("/punchout/return", type="http", auth="user", methods=["POST"], website=True, sitemap=False)
    def send_order(self, **_kw):
        session = current_punchout_session()
        if not session:
            return self._refuse(403, "There is no open punch-out session.")
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
    @http.route("/punchout/cxml/order", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def cxml_order(self, **_kw):
        data = request.httprequest.get_data(cache=False)
        exchange = _log(ORDER_KIND, None, "in", payload=mask_shared_secret(data), filename="OrderRequest.xml",
                        protocol="cXML")
        try:
            order_request = cxml.parse_order_request(data)
        except (cxml.CXMLError, safe_xml.XMLInputError) as exc:
            _fail(exchange, str(exc))
            return self._cxml_answer(getattr(exc, "status", 400), "Bad Request", str(exc))
        identities = [order_request.sender.identity] + [c.identity for c in order_request.from_credentials]
        partner = request.env["res.partner"]._punchout_find(identities, "cxml")
        if not partner or not partner._punchout_check_secret(order_request.sender.shared_secret):
            _fail(exchange, "OrderRequest refused: unknown identity or wrong shared secret")
            return self._cxml_answer(401, "Unauthorized", "unknown identity or wrong shared secret")
        lines = [(i.supplier_part_id, i.quantity, i.unit_price) for i in order_request.items]
        code, text, message = self._create_order(exchange, partner, order_request.order_id, lines)
        return self._cxml_answer(code, text, message)

    @http.route("/punchout/peppol/order", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def peppol_order(self, **_kw):
        data = request.httprequest.get_data(cache=False)
        exchange = _log(ORDER_KIND, None, "in", payload=data, filename="Order.xml", protocol="PEPPOL")
        try:
            order = peppol.parse_order(data)
        except (peppol.PeppolError, safe_xml.XMLInputError) as exc:
            _fail(exchange, str(exc))
            return request.make_response(str(exc), status=400)
        partner = request.env["res.partner"]._punchout_find([order.buyer.endpoint_id], "peppol")
        secret = partner.sudo()._b2b_secret("punchout_secret") if partner else ""
        expected = hmac.new((secret or "").encode(), data, hashlib.sha256).hexdigest() if secret else ""
        if not partner or not expected or not hmac.compare_digest(
                expected, request.httprequest.headers.get("X-Punchout-Signature", "")):
            _fail(exchange, "PEPPOL Order refused: unknown buyer or bad signature")
            return request.make_response("unknown buyer or bad signature", status=401)
        lines = [(l.seller_item_id, l.quantity, l.price) for l in order.lines]
        code, text, message = self._create_order(exchange, partner, order.order_id, lines)
        return request.make_response(f"{code} {text} {message}".strip(), status=200 if code == 200 else code)

    def _create_order(self, exchange, partner, order_id, lines):
        """Sale order from the buyer's final order; idempotent by the buyer's order id."""
        exchange = exchange.sudo()
        exchange.write({"backend_ref": f"res.partner,{partner.id}", "partner_id": partner.id,
                        "company_id": (partner.company_id or request.env.company).id})
        Exchange = request.env["b2b.exchange"].sudo()
        earlier = Exchange.search([("kind", "=", ORDER_KIND), ("external_id", "=", order_id),
                                   ("backend_ref", "=", f"res.partner,{partner.id}"), ("parent_id", "=", False),
                                   ("id", "!=", exchange.id)], limit=1)
        if earlier.state == "done":
            exchange.write({"state": "cancelled", "summary": f"duplicate of {earlier.name}"})
            return 200, "OK", f"order {order_id} already received"
        if earlier:  # an earlier attempt failed (e.g. unknown product): this one replaces it
            earlier.write({"external_id": False, "state": "cancelled", "summary": f"replaced by {exchange.name}"})
        if not exchange._b2b_claim(order_id):
            exchange.write({"state": "cancelled", "summary": f"order {order_id} is being received right now"})
            return 200, "OK", f"order {order_id} already received"
        try:
            with request.env.cr.savepoint():
                Product = request.env["product.product"].sudo()
                order_lines = []
                for part, qty, price in lines:
                    product = Product.search([("default_code", "=", part)], limit=1)
                    if not product:
                        raise UserError(f"unknown product {part}")
                    order_lines.append((0, 0, {"product_id": product.id, "product_uom_qty": float(qty),
                                               "price_unit": float(price)}))
                sale = request.env["sale.order"].sudo().create({
                    "partner_id": partner.id, "client_order_ref": order_id, "order_line": order_lines,
                    "company_id": (partner.company_id or request.env.company).id,
                    "pricelist_id": partner.punchout_pricelist_id.id or False,
                })
                for line, (_part, _qty, price) in zip(sale.order_line, lines):
                    line.price_unit = float(Decimal(price))
                sale.action_confirm()
        except UserError as exc:
            _fail(exchange, f"order {order_id}: {exc.args[0]}")
            return 400, "Bad Request", exc.args[0]
        exchange.write({"res_model": "sale.order", "res_id": sale.id})
        exchange._b2b_done(f"{sale.name} from order {order_id}")
        return 200, "OK", sale.name
