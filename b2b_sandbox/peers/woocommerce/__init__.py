"""Sandbox WooCommerce: an in-memory WordPress + WooCommerce store speaking the REST API v3.

Written from WooCommerce's and WordPress's public REST API documentation:

* ``/wp-json/`` site index (no authentication; ``_fields`` honoured) listing the namespaces;
* ``/wp-json/wc/v3/``: ``products`` (``sku`` comma list, ``include``, ``search``, ``status``),
  ``products/{id}``, ``products/batch``; ``products/categories`` (+ ``/{id}``, ``/batch``);
  ``customers`` (``email``, ``role``; + ``/{id}``, ``/batch``); ``orders`` (``status`` comma list,
  ``after``/``before``/``modified_after``/``modified_before`` with ``dates_are_gmt``, ``orderby`` date,
  id, modified, ``order``, ``customer``), ``orders/{id}`` GET/PUT, ``orders/{id}/notes`` GET/POST;
* ``/wp-json/wc-shipment-tracking/v3/orders/{id}/shipment-trackings`` GET/POST (the Shipment Tracking
  extension; ``shipment_tracking=False`` plays a shop without it: ``rest_no_route``);
* ``/wp-json/wp/v2/media`` POST (raw body + Content-Disposition, WordPress application password) and the
  uploaded files under ``/wp-content/uploads/``.

Behaviour as the real API: HTTP Basic auth with the consumer key/secret (or ``consumer_key`` /
``consumer_secret`` query parameters) - wrong key or secret answers 401
``woocommerce_rest_authentication_error``, no credentials 401 ``woocommerce_rest_cannot_*``, a read-only
key writing 401; errors are ``{"code", "message", "data": {"status"}}``; lists page with ``page`` /
``per_page`` (default 10, 1..100, else 400 ``rest_invalid_param``) and answer ``X-WP-Total``,
``X-WP-TotalPages`` and a ``Link`` header; batches take at most ``batch_limit`` (100) objects in
create+update+delete (else 413 ``woocommerce_rest_request_entity_too_large``) and answer per-item
``error`` objects (duplicate SKU ``product_invalid_sku`` with ``resource_id``, bad GTIN, invalid or
existing e-mail, ``term_exists`` with ``resource_id``, unknown ids); dates are site-local
(``gmt_offset`` hours) in ``date_*`` and UTC in ``date_*_gmt``.

Names as WordPress keeps them: product names and category names are stored and answered with ``&``, ``<``
and ``>`` as HTML entities (``Desks &amp; tables``; creating "Desks & tables" again is ``term_exists``), and
order line items carry the product's stored name (seeded ones may carry ``&ndash;`` / ``&#8211;`` as real
shops' variation and texturized titles do).

WooCommerce's REST API v3 has no rate limit of its own (hosts add one); ``rate_limit=N`` per
``rate_period`` seconds plays one the way WooCommerce's Store API limiter does: 429
``rate_limit_exceeded`` with ``Retry-After`` and ``RateLimit-*`` headers. The clock is injectable.

Demo credentials (``demo_peers()``, http://127.0.0.1:8072): consumer key ``ck_sandbox_b2b_demo_key``,
consumer secret ``cs_sandbox_b2b_demo_secret``; WordPress user ``shop-manager`` with application password
``Sand box0 B2B0 Demo 0App Pass word``.

The package: :mod:`.store` (state, clock, ids, routing, authentication, paging, batches), :mod:`.catalogue`,
:mod:`.customers`, :mod:`.orders`, :mod:`.media`; the peer is :class:`WooCommercePeer`.
"""

from datetime import timedelta

from .catalogue import WooCommerceCatalogue
from .customers import WooCommerceCustomers
from .media import WooCommerceMedia
from .orders import ORDER_STATUSES, PAID_STATUSES, TRACKING_PROVIDERS, WooCommerceOrders
from .store import DEMO_APP_PASSWORD, DEMO_KEY, DEMO_SECRET, DEMO_WP_USER, WooError

__all__ = ["DEMO_APP_PASSWORD", "DEMO_KEY", "DEMO_SECRET", "DEMO_WP_USER", "ORDER_STATUSES", "PAID_STATUSES",
           "TRACKING_PROVIDERS", "WooCommercePeer", "WooError", "demo_peers"]


class WooCommercePeer(WooCommerceOrders, WooCommerceCustomers, WooCommerceCatalogue, WooCommerceMedia):
    """The sandbox WooCommerce shop (see the package docstring)."""


def demo_peers():
    """The demo WooCommerce shop on port 8072 (credentials in the module docstring): three products
    (SHOP-DESK, SHOP-CHAIR, SHOP-LAMP), a customer, and orders 1001 (paid, coupon B2B10, flat-rate
    shipping), 1002 (pending bank transfer) and 1003 (cancelled)."""
    peer = WooCommercePeer(port=8072)
    furniture = peer.add_category("Office furniture")
    lighting = peer.add_category("Lighting")
    peer.add_product("SHOP-DESK", "Standing desk Oak 160", "349.00", stock=12, categories=[furniture["id"]],
                     weight="38")
    peer.add_product("SHOP-CHAIR", "Ergonomic chair Mesh", "189.00", stock=40, categories=[furniture["id"]],
                     weight="14")
    peer.add_product("SHOP-LAMP", "Desk lamp LED", "49.90", stock=0, categories=[lighting["id"]], weight="1.2")
    customer = peer.add_customer("anna@devries-interieur.example", "Anna", "de Vries", billing={
        "company": "De Vries Interieur BV", "address_1": "Keizersgracht 100", "city": "Amsterdam",
        "postcode": "1015 AA", "country": "NL", "email": "anna@devries-interieur.example"})
    now = peer.now()
    peer.add_order(1001, "processing", customer_id=customer["id"], transaction_id="pi_3PDemo1001",
                   created=now - timedelta(hours=5), items=[
                       {"sku": "SHOP-DESK", "quantity": 1, "price": "349.00", "discount": "34.90"},
                       {"sku": "SHOP-CHAIR", "quantity": 2, "price": "189.00", "discount": "37.80"}],
                   coupons=[{"code": "b2b10"}], shipping_lines=[{"method_title": "Flat rate", "total": "25.00"}],
                   customer_note="Please deliver to the back entrance.")
    peer.add_order(1002, "pending", payment_method="bacs", payment_method_title="Direct bank transfer",
                   created=now - timedelta(hours=3), billing={
                       "first_name": "Jan", "last_name": "Jansen", "company": "Jansen Architecten",
                       "email": "jan@jansen-architecten.example", "address_1": "Oudegracht 12",
                       "city": "Utrecht", "postcode": "3511 AB", "state": "UT"},
                   shipping={"first_name": "Jan", "last_name": "Jansen", "company": "Jansen Architecten",
                             "address_1": "Oudegracht 12", "city": "Utrecht", "postcode": "3511 AB", "state": "UT"},
                   items=[{"sku": "SHOP-LAMP", "quantity": 3, "price": "49.90"}],
                   shipping_lines=[{"method_title": "Flat rate", "total": "6.95"}])
    peer.add_order(1003, "cancelled", paid=False, created=now - timedelta(hours=2),
                   items=[{"sku": "SHOP-CHAIR", "quantity": 1, "price": "189.00"}],
                   shipping_lines=[{"method_title": "Free shipping", "method_id": "free_shipping", "total": "0"}])
    return [peer]
