"""Before 19.0.1.1.0 the Admin API version was free text (default 2025-01, which Shopify no longer serves: it
answers such a request with another version). It is a choice of supported versions now: a shop set to a
version that is no choice follows the default again instead of failing on its option."""

from odoo.addons.b2b_shop_shopify.protocol.options import API_VERSIONS


def migrate(cr, version):
    cr.execute("""
        UPDATE b2b_shop_option o SET value = NULL
          FROM b2b_shop_backend b
         WHERE o.backend_id = b.id AND b.platform = 'shopify' AND o.key = 'api_version'
           AND o.value IS NOT NULL AND o.value NOT IN %s""", [tuple(value for value, _label in API_VERSIONS)])
