"""PEPPOL punch-out routes: the buyer's browser logs in with a signed login link; the final order arrives as
a PEPPOL BIS Ordering 3 Order signed with the shared secret (HMAC-SHA256 in ``X-Punchout-Signature``)."""
# pylint: disable=prefer-env-translation  # each handler binds _ = request.env._ first (the check sees a bare _)

import hashlib
import hmac

from odoo import http
from odoo.http import request

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.tools.errors import user_message

from ..protocol import peppol
from .common import DRAIN_LIMIT, ORDER_KIND, PunchoutController, log_exchange

PROTOCOL = peppol.PeppolProtocol


class PeppolPunchoutController(PunchoutController):
    @http.route(PROTOCOL.login_route, type="http", auth="public", methods=["GET", "POST"], csrf=False,
                website=True, sitemap=False)
    def peppol_login(self, **params):
        return self._browser_login(PROTOCOL, params, self._peppol_read_login)

    def _peppol_read_login(self, params):
        customer = request.env["res.partner"]._punchout_browse(params.get("partner"), PROTOCOL.code)
        return (customer, lambda: customer._punchout_check_link(params.get("exp"), params.get("sig")),
                params.get("return_url") or "", {})

    @http.route("/punchout/peppol/order", type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
                max_content_length=DRAIN_LIMIT)
    def peppol_order(self, **_kw):
        _ = request.env._

        def answer(code, message):
            return request.make_response(message, headers=[("Content-Type", "text/plain; charset=utf-8")],
                                         status=code)

        data, too_large = self._request_body(ORDER_KIND, PROTOCOL.name)
        if too_large:
            return answer(413, too_large)
        try:
            order = peppol.parse_order(data)
        except (peppol.PeppolError, safe_xml.XMLInputError) as exc:
            # a person at the buyer reads the answer, the supplier's staff the log: in the request's language
            message = user_message(exc, request.env)
            self._refused(ORDER_KIND, None, PROTOCOL.name, message, data, "Order.xml")
            return answer(400, message)
        partner = request.env["res.partner"]._punchout_find([order.buyer.endpoint_id], PROTOCOL.code)
        secret = partner.sudo()._b2b_secret("punchout_secret") if partner else ""
        expected = hmac.new((secret or "").encode(), data, hashlib.sha256).hexdigest() if secret else ""
        signature = request.httprequest.headers.get("X-Punchout-Signature", "")
        if not partner or not expected or not hmac.compare_digest(
                expected.encode(), signature.encode("utf-8", "surrogateescape")):
            self._refused(ORDER_KIND, partner, PROTOCOL.name, _("PEPPOL Order refused: unknown buyer or bad signature"),
                          data, "Order.xml")
            return answer(401, _("unknown buyer or bad signature"))
        exchange = log_exchange(ORDER_KIND, partner, "in", protocol=PROTOCOL.name)
        code, message = self._create_order(exchange, partner, order.final_order(), data, "Order.xml")
        return answer(code, f"{code} OK {message}" if code == 200 else f"{code} {message}")
