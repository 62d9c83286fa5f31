"""19.0.1.1.0, once every addon is loaded (the platform addons installed by pre-migrate included): the shops'
option rows follow the declarations of their platform's adapter (typed, documented), an empty value being the
default. A value equal to its option's default becomes empty (so the shop follows the platform's default);
options the platform declares get their row; invalid values are kept and shown as errors on the form."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    backends = env["b2b.shop.backend"].with_context(active_test=False).search([])
    backends.option_ids._shop_clear_defaults()
    backends._shop_sync_options()
