"""cXML punch-out routes: the procurement system's PunchOutSetupRequest and OrderRequest, each answered
with a cXML Response."""
# pylint: disable=prefer-env-translation  # each handler binds _ = request.env._ first (the check sees a bare _)

from odoo import http
from odoo.http import request

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.tools.errors import user_message

from ..protocol import cxml
from .common import DRAIN_LIMIT, ORDER_KIND, SETUP_KIND, PunchoutController, log_exchange

PROTOCOL = cxml.CxmlProtocol
STATUS_TEXT = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 409: "Conflict",
               413: "Request Entity Too Large", 500: "Internal Server Error"}


def _xml_text(message):
    # a Status message only holds what XML may carry
    return "".join(ch for ch in str(message) if ch in "\t\n\r" or ord(ch) >= 0x20)[:1000]


class CxmlPunchoutController(PunchoutController):
    def _cxml_answer(self, code, text=None, message="", start_url=None):
        body = cxml.build_response(code, text or STATUS_TEXT.get(code, "Bad Request"), _xml_text(message),
                                   start_url=start_url)
        status = code if 400 <= code < 600 else 200
        headers = [("Content-Type", "text/xml; charset=utf-8")]
        if code == 413:
            headers.append(("Connection", "close"))
        return request.make_response(body, headers=headers, status=status)

    def _cxml_request(self, kind, filename, parse):
        """Read, parse and authenticate a cXML request: (document, partner, exchange, data) or a response.
        Nothing of an unauthenticated request is stored but a masked 4 KB excerpt."""
        _ = request.env._
        data, too_large = self._request_body(kind, PROTOCOL.name)
        if too_large:
            return self._cxml_answer(413, message=too_large)
        try:
            document = parse(data)
        except (cxml.CXMLError, safe_xml.XMLInputError) as exc:
            # the Status message is what the buyer's system shows the person who punched out, and the log is
            # read by the supplier's staff: both in the request's language; the Status code and its text
            # attribute ("Bad Request") are for the procurement system and stay cXML's English
            message = user_message(exc, request.env)
            self._refused(kind, None, PROTOCOL.name, message, data, filename, cxml.mask_secrets)
            return self._cxml_answer(getattr(exc, "status", 400), message=message)
        identities = [document.sender.identity] + [c.identity for c in document.from_credentials]
        partner = request.env["res.partner"]._punchout_find(identities, PROTOCOL.code)
        if not partner:
            self._refused(kind, None, PROTOCOL.name, _("unknown buyer identity %(identity)s",
                                                        identity=document.sender.identity[:100]),
                          data, filename, cxml.mask_secrets)
            return self._cxml_answer(401, message=_("unknown buyer identity"))
        if not partner._punchout_check_secret(document.sender.shared_secret):
            self._refused(kind, partner, PROTOCOL.name, _("wrong shared secret"), data, filename, cxml.mask_secrets)
            return self._cxml_answer(401, message=_("wrong shared secret"))
        exchange = log_exchange(kind, partner, "in", protocol=PROTOCOL.name)
        return document, partner, exchange, data

    # ------------------------------------------------------------------ the setup request: a session and its start page
    @http.route("/punchout/cxml/setup", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=DRAIN_LIMIT)
    def cxml_setup(self, **_kw):
        _ = request.env._
        filename = "PunchOutSetupRequest.xml"
        result = self._cxml_request(SETUP_KIND, filename, cxml.parse_setup_request)
        if not isinstance(result, tuple):
            return result
        setup, partner, exchange, data = result

        def refuse(code, message):
            self._refused(SETUP_KIND, partner, PROTOCOL.name, message, data, filename, cxml.mask_secrets, exchange)
            return self._cxml_answer(code, message=message)

        if setup.payload_id and not exchange._b2b_claim(setup.payload_id[:500]):
            return refuse(409, _("this request was already used (payloadID %(id)s)", id=setup.payload_id[:100]))
        if not partner._punchout_check_return_url(setup.browser_form_post):
            return refuse(403, _("BrowserFormPost URL not allowed"))
        items = [{"part": i.supplier_part_id, "qty": str(i.quantity)} for i in setup.items]
        # the cart answers to the credentials the setup came from, from those it addressed us with
        credentials = {"from": [[c.domain[:100], c.identity[:200]] for c in setup.from_credentials[:5]],
                       "to": [[c.domain[:100], c.identity[:200]] for c in setup.to_credentials[:5]]}
        session, token = request.env["b2b.punchout.session"]._punchout_open(
            partner, PROTOCOL.code, setup.browser_form_post, operation=setup.operation,
            buyer_cookie=setup.buyer_cookie, item_data=items or False, return_options=credentials,
            buyer_lang=setup.language[:20] or False)
        start = f"{partner.get_base_url()}/punchout/start/{token}"
        exchange.sudo()._b2b_set_payload(cxml.mask_secrets(data), filename)
        exchange.sudo().write({"res_model": session._name, "res_id": session.id})
        exchange._b2b_done(f"session {session.name} ({setup.operation}) for {partner.name}")
        return self._cxml_answer(200, "OK", start_url=start)

    # ------------------------------------------------------------------ the buyer's final order
    @http.route("/punchout/cxml/order", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=DRAIN_LIMIT)
    def cxml_order(self, **_kw):
        result = self._cxml_request(ORDER_KIND, "OrderRequest.xml", cxml.parse_order_request)
        if not isinstance(result, tuple):
            return result
        order_request, partner, exchange, data = result
        code, message = self._create_order(exchange, partner, order_request.final_order(), data, "OrderRequest.xml",
                                           cxml.mask_secrets)
        return self._cxml_answer(code, "OK" if code == 200 else None, message)
