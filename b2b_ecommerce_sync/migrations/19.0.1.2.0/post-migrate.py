"""19.0.1.2.0: shops have a language (``shop_lang``), what Odoo writes into them is worded in it. An existing
shop gets its own company's language (the column's default was taken in the company of whoever upgraded);
English when that language is not installed, as its notes were until now."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    installed = {code for code, _name in env["res.lang"].get_installed()}
    for backend in env["b2b.shop.backend"].with_context(active_test=False).search([]):
        lang = backend.company_id.partner_id.lang
        backend.shop_lang = lang if lang in installed else False
