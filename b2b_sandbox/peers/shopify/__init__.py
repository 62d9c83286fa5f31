"""Sandbox Shopify store: the Admin GraphQL API as Shopify's public documentation describes it.

* endpoint ``POST /admin/api/<version>/graphql.json`` (version like ``2026-07`` or ``unstable``; any
  other path answers 404 ``{"errors": "Not Found"}``), body ``{query, variables, operationName}``; every
  answer says the version it ran in ``X-Shopify-API-Version``: a version Shopify no longer supports
  (``supported_versions``, 2025-10 .. 2026-10 and unstable) is served as the oldest supported one, not refused;
* the contract of the Admin API 2026-07: ``inventorySetQuantities`` needs ``@idempotent(key:)`` on the
  mutation (refused without, BAD_REQUEST), takes no ``ignoreCompareQuantity`` / ``compareQuantity`` (undefined
  input fields, INVALID_VARIABLE) and wants ``changeFromQuantity`` on every quantity (null: no compare and swap;
  a value that is not the current quantity: CHANGE_FROM_QUANTITY_STALE); a key seen before answers the first
  result again (other parameters: IDEMPOTENCY_KEY_PARAMETER_MISMATCH); customers are written with
  ``customerSet`` (``identifier: {id}`` to update; the address list is replaced), collections with the
  ``collection`` argument, products to update named by ``productSet``'s ``identifier``, ``orderCancel`` takes
  ``refundMethod`` (no refund when absent); customers answer ``defaultEmailAddress``;
* auth: header ``X-Shopify-Access-Token``; a wrong or missing token answers HTTP 401
  ``{"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}``;
  an operation outside the token's ``scopes`` answers an ``ACCESS_DENIED`` error (``shopLocales``, the shop's
  published ``locales``, needs read_locales);
* the peer does not parse GraphQL: it dispatches on ``operationName`` (the query text must declare that
  operation, else ``No operation named ...``), validates ``variables`` as the real query or mutation
  would (required arguments and enums -> ``INVALID_VARIABLE``, input arrays over 250 items ->
  ``MAX_INPUT_SIZE_EXCEEDED``, ``first`` over 250) and answers the documented response shape of the
  fields the b2b-connect adapter selects (more fields than selected may come back);
* cost: every answer carries ``extensions.cost`` (requested/actual cost and the leaky bucket
  ``maximumAvailable`` / ``currentlyAvailable`` / ``restoreRate``). Costs are approximated per
  operation: mutations 10; a connection 2 + first x 1 per node; a query over 1000 points answers
  ``MAX_COST_EXCEEDED``. When the bucket cannot pay, the answer is HTTP 200 with
  ``errors[{message: "Throttled", extensions: {code: "THROTTLED"}}]`` and ``actualQueryCost`` null;
* paging: connections take ``first`` / ``after`` and answer ``pageInfo {hasNextPage endCursor}`` with
  opaque base64 cursors; ``orders`` sorts by ``UPDATED_AT`` (then id), oldest first;
* search: ``query`` strings use Shopify's search syntax (``field:value``, ``field:>=value``, quotes,
  ``AND`` / ``OR`` / ``NOT`` / ``-``, parentheses, ``*`` suffix) on the fields each query documents;
* refused records: ``userErrors [{field, message, code}]`` with HTTP 200 (``code`` only where the
  real payload type has one), e.g. "Email is invalid", "Email has already been taken", "Title can't be
  blank", ``INVALID_INVENTORY_ITEM``; ``inventorySetQuantities`` and ``metafieldsSet`` apply all or
  nothing. Shopify does not refuse duplicate SKUs, so neither does the peer;
* file uploads: ``stagedUploadsCreate`` hands out a form upload target on this server (playing the
  storage bucket): ``POST /staged-uploads`` multipart with the returned parameters and ``file`` last;
  answers 201 with an XML ``PostResponse``, or 403/400 with an XML ``Error`` (bad signature, size).

Operations: ShopInfo, CollectionsByTitle, CollectionCreate, CollectionUpdate, VariantsBySku, ProductById,
ProductSet, VariantPrices, InventorySet, InventoryItemTracking, CustomersByEmail, CustomerCreate and
CustomerUpdate (both customerSet), Orders, OrderLineItems, OrderForUpdate, OrderTagsAdd, FulfillmentCreate,
FulfillmentTrackingUpdate, FulfillmentEventCreate, OrderCancel, OrderInvoice, StagedUploadsCreate,
FileCreate, MetafieldsSet.

Simplified: one shop currency (presentment amounts use a fixed rate), no bulk operations or webhooks,
one variant per seeded product, customer addresses are replaced on update, fileCreate answers FAILED at
once for a source it cannot fetch (Shopify does that asynchronously), orders older than 60 days need no
extra scope. The clock is injectable (``clock=``) so tests run the bucket on simulated time.

Demo (``demo_peers``): ``http://127.0.0.1:8075``, shop ``b2b-connect-demo.myshopify.com``, Admin API
access token ``shpat_sandbox_b2b_connect_demo``, location ``gid://shopify/Location/64000000001``.

The package: :mod:`.store` (state, clock, ids, the GraphQL front and its cost bucket), :mod:`.search` (the
search syntax), :mod:`.catalogue`, :mod:`.customers`, :mod:`.orders`, :mod:`.files`; the peer is
:class:`ShopifyPeer`.
"""

from datetime import datetime, timedelta, timezone

from .catalogue import ShopifyCatalogue
from .customers import ShopifyCustomers
from .files import ShopifyFiles
from .orders import ShopifyOrders
from .store import DEMO_DOMAIN, DEMO_TOKEN, PRIMARY_LOCATION, WAREHOUSE_LOCATION, GraphQLError

__all__ = ["DEMO_DOMAIN", "DEMO_TOKEN", "PRIMARY_LOCATION", "WAREHOUSE_LOCATION", "GraphQLError", "ShopifyPeer",
           "demo_peers"]


class ShopifyPeer(ShopifyOrders, ShopifyCustomers, ShopifyCatalogue, ShopifyFiles):
    """The sandbox Shopify store (see the package docstring)."""


def demo_peers():
    """The demo Shopify store on port 8075 (token ``shpat_sandbox_b2b_connect_demo``, location
    ``gid://shopify/Location/64000000001``): products SHOP-DESK, SHOP-CHAIR, SHOP-LAMP, and three
    orders: a paid one with shipping, a coupon and a gift card, a pending bank transfer, a cancelled one."""
    peer = ShopifyPeer(port=8075, token=DEMO_TOKEN, shop_name="B2B Connect Demo", domain=DEMO_DOMAIN)
    peer.add_product("SHOP-DESK", "Standing desk", price="499.00", quantity=12, barcode="8712345000017")
    peer.add_product("SHOP-CHAIR", "Ergonomic office chair", price="299.00", quantity=25, barcode="8712345000024")
    peer.add_product("SHOP-LAMP", "LED desk lamp", price="49.90", quantity=80, barcode="8712345000031")
    buyer = peer.add_customer("inkoop@devries-interieur.example", "Anna", "de Vries", phone="+31201234567")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    peer.add_order(
        [{"sku": "SHOP-DESK", "title": "Standing desk", "quantity": 2, "price": "499.00", "discount": "99.80",
          "code": "WELCOME10"},
         {"sku": "SHOP-LAMP", "title": "LED desk lamp", "quantity": 2, "price": "49.90"}],
        email="inkoop@devries-interieur.example", customer=buyer, financial_status="PAID",
        shipping=[{"title": "DHL Parcel", "price": "14.95", "code": "DHL-STANDARD"}], gift_card="50.00",
        created_at=now - timedelta(hours=5), note="Please deliver to the loading dock.")
    peer.add_order(
        [{"sku": "SHOP-CHAIR", "title": "Ergonomic office chair", "quantity": 4, "price": "299.00"}],
        email="facilitair@kantoorplein.example", financial_status="PENDING", gateway="bank_deposit",
        shipping=[{"title": "Freight", "price": "45.00", "code": "FREIGHT"}],
        billing={"firstName": "Joris", "lastName": "Bakker", "company": "Kantoorplein BV", "address1": "Stationsweg 8",
                 "city": "Utrecht", "zip": "3511 ED", "provinceCode": "UT", "countryCodeV2": "NL"},
        created_at=now - timedelta(hours=3))
    peer.add_order(
        [{"sku": "SHOP-LAMP", "title": "LED desk lamp", "quantity": 10, "price": "49.90"}],
        email="orders@studio-noord.example", financial_status="VOIDED", cancelled=True, cancel_reason="CUSTOMER",
        shipping=[{"title": "DHL Parcel", "price": "9.95", "code": "DHL-STANDARD"}],
        created_at=now - timedelta(hours=2))
    return [peer]
