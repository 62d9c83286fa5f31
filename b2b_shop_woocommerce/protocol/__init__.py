"""WooCommerce (WordPress + WooCommerce REST API v3) as a shop adapter.

Endpoints (all under the shop's URL + ``api_root``, default ``/wp-json``):

* ``GET  /wc/v3/orders`` - ``per_page`` (<= 100), ``page``, ``orderby=modified&order=asc``,
  ``modified_after`` + ``dates_are_gmt=true``, ``status`` (comma list); paging headers ``X-WP-Total`` /
  ``X-WP-TotalPages``; ``GET/PUT /wc/v3/orders/{id}``; ``GET/POST /wc/v3/orders/{id}/notes``;
* ``POST /wc/v3/products/batch``, ``/wc/v3/products/categories/batch``, ``/wc/v3/customers/batch``
  (``create`` / ``update``, at most 100 objects per request, per-item ``error`` objects);
  ``GET /wc/v3/products?sku=a,b,c`` and ``GET /wc/v3/customers?email=..&role=all`` to link existing records;
* Shipment Tracking extension: ``GET/POST /wc-shipment-tracking/v3/orders/{id}/shipment-trackings``;
* WordPress: ``GET /`` (site index, no authentication) and ``POST /wp/v2/media`` (invoice PDF upload,
  WordPress application password).

Authentication: HTTP Basic with the consumer key and secret (or, option ``query_string_auth``, as the
``consumer_key`` / ``consumer_secret`` query parameters for servers that drop the Authorization header).
The adapter sets the header on each request itself, so the injected client must carry no ``auth``.

Errors: WooCommerce answers ``{"code", "message", "data": {"status"}}``. 401/403 stay the client's
``TransportError`` (kind "auth"); 400/404/409/410/413/422 become :class:`ShopError` with WooCommerce's
message and ``code`` (attribute ``woo_code``); an answer that is not WooCommerce JSON is
``ShopError(kind="answer")``. A 413 ``woocommerce_rest_request_entity_too_large`` (a site that lowered
``woocommerce_rest_batch_items_limit``) makes the adapter halve the batch and go on.

The package: :mod:`.options` (credentials, options, statuses), :mod:`.client` (set-up, the request
template's hooks, batches, lookups), :mod:`.catalogue`, :mod:`.customers`, :mod:`.orders`; the adapter is
:class:`WooCommerceAdapter`.
"""

from odoo.addons.b2b_ecommerce_sync.protocol.base import documented

from .catalogue import WooCommerceCatalogue
from .client import TRACKING_NAMESPACE, WooCommerceClient
from .customers import WooCommerceCustomers
from .orders import WooCommerceOrders

__all__ = ["TRACKING_NAMESPACE", "WooCommerceAdapter", "WooCommerceClient"]


@documented
class WooCommerceAdapter(WooCommerceOrders, WooCommerceCustomers, WooCommerceCatalogue):
    """WooCommerce REST API v3 (see the package docstring for the endpoints).

    Order lines: product lines carry their coupon discount (``discount = subtotal - total``, as WooCommerce
    spreads coupons over the lines), so coupon lines are informational (amount 0, code in ``sku``);
    shipping and fee lines carry their amounts; gift cards (WooCommerce Gift Cards' ``gift_cards`` or a
    negative fee named like one) are negative ``gift_card`` lines. With ``prices_include_tax`` the unit
    prices and discounts include tax, else they exclude it.
    """
