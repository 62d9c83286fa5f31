import werkzeug.exceptions
import werkzeug.utils

from odoo import models
from odoo.http import request

# website_sale routes that would check out the cart (a punch-out buyer returns it instead) or change its
# pricelist (a punch-out buyer gets the prices of its customer's punch-out pricelist)
BLOCKED_PREFIXES = ("/shop/checkout", "/shop/address", "/shop/update_address", "/shop/payment", "/shop/extra_info",
                    "/shop/express_checkout", "/shop/confirmation", "/shop/set_delivery_method",
                    "/shop/delivery_methods", "/shop/get_delivery_rate", "/shop/change_pricelist")


class _SeeOther(werkzeug.exceptions.HTTPException):
    code = 303

    def __init__(self, location):
        super().__init__()
        self.location = location

    def get_response(self, environ=None, scope=None):
        return werkzeug.utils.redirect(self.location, 303)


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):  # pylint: disable=missing-return  # Odoo's returns nothing
        super()._pre_dispatch(rule, args)
        path = request.httprequest.path
        if path.startswith(BLOCKED_PREFIXES) and request.session.get("b2b_punchout_session_id"):
            # in a punch-out session the normal checkout does not exist: back to the shop
            raise _SeeOther("/shop")

    @classmethod
    def _handle_error(cls, exception):
        # answered as a plain redirect, not rendered as a website error page for status 303
        if isinstance(exception, _SeeOther):
            return request.redirect(exception.location, 303, local=True)
        return super()._handle_error(exception)
