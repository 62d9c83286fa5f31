from odoo import models
from odoo.exceptions import AccessError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _check_access(self, operation):
        """An exchange's payload or response is read by those who may read the exchange *and* its related
        record (an EDI order's payload carries the order): the same rule as the form's preview."""
        result = super()._check_access(operation)
        if operation != "read" or self.env.su or not self:
            return result
        forbidden = result[0] if result else self.browse()
        payloads = (self - forbidden).sudo().filtered(
            lambda a: a.res_model == "b2b.exchange" and a.res_id and not a.public)
        if not payloads:
            return result
        exchanges = self.env["b2b.exchange"].browse(set(payloads.mapped("res_id")))
        readable = set(exchanges._b2b_payload_readable().ids)
        denied = payloads.filtered(lambda a: a.res_id not in readable)
        if not denied:
            return result
        forbidden = forbidden | denied.with_env(self.env)
        if result:
            return forbidden, result[1]

        def error_func():
            return AccessError(self.env._(
                "You may not read %(names)s: the exchange belongs to a record you cannot see.",
                names=", ".join(denied.mapped("name")[:6])))

        return forbidden, error_func
