from odoo import fields, models

from odoo.addons.b2b_connector_base.tools import MANAGER_GROUP


class B2bShopBackend(models.Model):
    _inherit = "b2b.shop.backend"

    b2b_tracking_email = fields.Boolean(
        "Carrier Tracking E-mail", default=True, groups=MANAGER_GROUP,
        help="Customers of this shop get the tracking e-mail (number and link) once the label of a b2b-connect "
             "carrier is booked and the delivery done. Off: the shop (or nobody) tells them.")
