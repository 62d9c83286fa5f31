"""Buyer users made before 19.0.1.1.0 carry no owner: the users this addon created for a customer (its login,
the customer as partner, a portal user) become that customer's dedicated user; any other user set as a
customer's punch-out user (an internal user, somebody's account) is unlinked, so the next punch-out makes a
dedicated one instead of logging buyers in as that user."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    partners = env["res.partner"].with_context(active_test=False).search([("punchout_user_id", "!=", False)])
    for partner in partners:
        user = partner.punchout_user_id
        made_here = user.login == f"punchout-{partner.id}@punchout.invalid" and user.partner_id == partner
        if made_here and user.share and not user._is_internal() and user._is_portal():
            user.b2b_punchout_partner_id = partner
        else:
            partner.punchout_user_id = False
