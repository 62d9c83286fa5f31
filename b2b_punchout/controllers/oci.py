"""SAP OCI punch-out route: the buyer's browser logs in with HOOK_URL and USERNAME / PASSWORD, or with a
signed login link."""

from odoo import http
from odoo.http import request

from ..protocol import oci
from .common import PunchoutController

PROTOCOL = oci.OciProtocol


class OciPunchoutController(PunchoutController):
    @http.route(PROTOCOL.login_route, type="http", auth="public", methods=["GET", "POST"], csrf=False,
                website=True, sitemap=False)
    def oci_login(self, **params):
        return self._browser_login(PROTOCOL, params, self._oci_read_login)

    def _oci_read_login(self, params):
        login = oci.parse_login(params)
        Partner = request.env["res.partner"]
        if params.get("partner"):  # a signed login link
            partner = Partner._punchout_browse(params["partner"], PROTOCOL.code)

            def authenticate():
                return partner._punchout_check_link(params.get("exp"), params.get("sig"))
        else:
            partner = Partner._punchout_find([login.username], PROTOCOL.code)

            def authenticate():
                return partner._punchout_check_secret(login.password)
        return partner, authenticate, login.hook_url, {"return_options": {"target": login.target,
                                                                          "ok_code": login.ok_code}}
