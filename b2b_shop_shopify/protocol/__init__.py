"""Shopify through the Admin GraphQL API.

Every call is ``POST {base_url}/admin/api/{api_version}/graphql.json`` with the header
``X-Shopify-Access-Token`` and a JSON body ``{query, variables, operationName}``. Answers are JSON:
``data`` (the selection), ``errors`` (top-level errors: bad variables, missing access scope,
``THROTTLED``, ``MAX_COST_EXCEEDED``, ``MAX_INPUT_SIZE_EXCEEDED``) and ``extensions.cost`` (requested
and actual query cost, and the leaky bucket: ``maximumAvailable``, ``currentlyAvailable``,
``restoreRate``). Mutations report refused records as ``userErrors`` (``field`` path, ``message``, and
a ``code`` for the payload types that have one) with HTTP 200; a wrong token is HTTP 401.

Rate limit: Shopify charges each call its calculated query cost from a per app and store bucket.
When the bucket cannot pay for a call, Shopify answers HTTP 200 with ``errors[].extensions.code =
"THROTTLED"``; the adapter then waits ``(requested - currentlyAvailable) / restoreRate`` seconds with
``self.sleep`` (the HTTP client's sleep, injectable) and sends the call again (``throttle_retries``).
HTTP 429/5xx are left to the HTTP client (Retry-After honoured; reads are marked idempotent).

Version: option ``api_version``, a selection of supported versions, default the one whose published schema
the documents are validated against (2026-07). Shopify answers a version it no longer supports with another
one, naming it in ``X-Shopify-API-Version``: the connection test fails then. ``inventorySetQuantities``
(2026-04+) carries ``@idempotent(key:)``, a new key per call that stays the same when the call is sent again,
and ``changeFromQuantity: null`` on every quantity (no compare and swap: Odoo's stock is the truth).

Input arrays are capped at 250 items by Shopify (``max_batch``); searches use the platform's search
syntax (``sku:...``, ``email:...``, ``updated_at:>=...``, ``financial_status:paid``, ``OR``).

The package: :mod:`.options` (credentials, options, statuses), :mod:`.queries` (the GraphQL documents),
:mod:`.client` (set-up, the request template's hooks, the GraphQL call), :mod:`.catalogue`, :mod:`.customers`,
:mod:`.orders`; the adapter is :class:`ShopifyAdapter`.
"""

from odoo.addons.b2b_ecommerce_sync.protocol.base import documented

from .catalogue import ShopifyCatalogue
from .client import ShopifyClient
from .customers import ShopifyCustomers
from .orders import ShopifyOrders
from .queries import IDEMPOTENT_OPERATIONS, QUERIES

__all__ = ["IDEMPOTENT_OPERATIONS", "QUERIES", "ShopifyAdapter", "ShopifyClient"]


@documented
class ShopifyAdapter(ShopifyOrders, ShopifyCustomers, ShopifyCatalogue):
    """Shopify Admin GraphQL API (version from the ``api_version`` option).

    ``http.base_url`` is the shop, e.g. ``https://my-shop.myshopify.com``; the adapter appends
    ``/admin/api/<api_version>/graphql.json``. The token goes in each GraphQL request's headers (never set
    it as a session header of ``http``: the invoice upload goes to a storage URL outside Shopify).

    Order status codes (``order_statuses``; Shopify has no custom order status, so the code is derived):
    ``cancelled`` (cancelledAt set) > ``refunded`` / ``voided`` / ``expired`` (displayFinancialStatus) >
    ``fulfilled`` (displayFulfillmentStatus FULFILLED and paid) > ``paid`` > ``partially_refunded`` >
    ``partially_paid`` > ``authorized`` > ``pending``. The ``statuses`` filter of ``fetch_orders`` is sent
    as search terms (``financial_status:paid OR status:cancelled``...) and checked again on the derived code.

    Events (``update_order``): ``confirmed`` adds the ``confirmed_tag``; ``shipped`` creates a fulfillment
    of the order's open fulfillment orders (one per location) with the shipment's tracking info, or adds
    the tracking number to the existing fulfillment when the order is already fulfilled; ``delivered``
    adds a DELIVERED fulfillment event to each fulfillment (fulfilling first when there is none);
    ``cancelled`` calls ``orderCancel`` (reason OTHER, no refundMethod: nothing refunded, restock true). The ``status``
    argument cannot be written to Shopify; it is only checked against ``order_statuses``.

    Orders: ``total`` is Shopify's ``totalPriceSet`` minus gift-card payments, which are ``gift_card``
    lines (negative), so the lines (plus tax when prices exclude it) add up to ``total``; ``paid_amount``
    is what other gateways captured, net of their refunds. Categories are custom collections: Shopify
    collections are flat, so ``parent_key`` is ignored. Products are single-variant (option "Title").
    """
