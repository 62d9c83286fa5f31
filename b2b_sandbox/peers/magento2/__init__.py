"""Sandbox Magento 2 / Adobe Commerce: the REST API (``/rest/<store code>/V1/...``) as its public
documentation describes it, in memory.

* auth: ``Authorization: Bearer <integration access token>``; a wrong or missing token answers HTTP 401
  ``{"message": "The consumer isn't authorized to access %resources.", "parameters": {"resources": ...}}``;
* store codes in the path: "all", "default" and those given to the constructor; an unknown one answers
  404; ``/index.php/rest/...`` works too; an unknown route answers 404 "Request does not match any route.";
* searches (``GET /V1/orders``, ``/V1/products``, ``/V1/customers/search``, ``/V1/categories/list``,
  ``/V1/shipments``, ``/V1/invoices``, ``/V1/inventory/source-items``) take ``searchCriteria[filter_groups]
  [i][filters][j][field|value|condition_type]`` (groups ANDed, filters ORed; eq, neq, in, nin, like, gt,
  gteq, lt, lteq, null, notnull), ``[sortOrders][k][field|direction]``, ``[pageSize]`` (at most
  ``max_page_size``: "Maximum SearchCriteria pageSize is %max"), ``[currentPage]`` (past the end: the last
  page again, as Magento does) and answer ``{items, search_criteria, total_count}``;
* input list limit: a batch body with more than ``input_list_limit`` entries answers 400
  'Maximum items of type "%type" is %max' (Magento's web API input limits, default 20);
* errors: ``{"message": "... %1 / %name", "parameters": [...] / {...}}`` with 400/404, validation
  failures of a batch as ``{"message": "Validation Failed", "errors": [...]}``;
* throttling: Magento has none of its own; a front proxy (Fastly on Adobe Commerce Cloud) answers
  429 with ``Retry-After``: ``rate_limit`` requests per ``rate_period`` seconds (off by default);
* directory: ``GET /V1/directory/countries/{countryId}`` answers the country with its ``available_regions``
  (:mod:`.directory`: NL, BE, GB without regions, DE and US with theirs); customer addresses of a country
  with regions store ``region_id`` (an id that is not one of the country's regions: 400); without it the
  address is refused where the country requires a state (US: '"regionId" is required'), else stored
  without region;
* behaviours kept from the real platform: POST /V1/products with an existing SKU updates it; the MSI
  source items are saved all or nothing; base/special price calls save the valid rows and list the
  others; an order comment without a status blanks the order's status (Magento < 2.4.7 bug);
  ``strict_status=True`` behaves like 2.4.7+, where a comment cannot give a status that is not
  assigned to the order's current state.

Demo (``demo_peers()``): port 8074, store code "default", access token ``sandbox-magento-token``.

Inspectable state: ``products`` (by SKU), ``categories``, ``customers``, ``orders`` (by entity id),
``source_items`` (by (sku, source_code)), ``special_prices`` (by (sku, store_id)), ``shipments``,
``invoices``, ``notifications`` (e-mails Magento would send); ``comments(order_id)`` lists an order's
comments (the "notes"), ``invoice_comments(order_id)`` those naming an invoice.

The package: :mod:`.store` (state, clock, ids, routing, authentication, searches), :mod:`.search` (search
criteria), :mod:`.catalogue`, :mod:`.directory`, :mod:`.customers`, :mod:`.orders`; the peer is :class:`Magento2Peer`.
"""

import time
from datetime import datetime, timezone

from .catalogue import Magento2Catalogue
from .customers import Magento2Customers
from .orders import Magento2Orders
from .store import DEMO_TOKEN

__all__ = ["DEMO_TOKEN", "Magento2Peer", "demo_peers"]


class Magento2Peer(Magento2Orders, Magento2Customers, Magento2Catalogue):
    """The sandbox Magento 2 store (see the package docstring)."""


def demo_peers():
    """The demo Magento 2 store on port 8074 (store code "default", access token "sandbox-magento-token"),
    with the SHOP-DESK / SHOP-CHAIR / SHOP-LAMP catalogue and three orders: 000000101 paid (card, with
    shipping and the coupon WELCOME10), 000000102 pending (bank transfer), 000000103 cancelled."""
    peer = Magento2Peer(port=8074)
    now = time.time()
    office = peer.add_category("Office furniture")
    desk = peer.add_product("SHOP-DESK", "Standing desk", price=499.0, qty=12, weight=32,
                            custom_attributes=[{"attribute_code": "category_ids", "value": [str(office["id"])]}])
    chair = peer.add_product("SHOP-CHAIR", "Ergonomic chair", price=289.0, qty=30, weight=14,
                             custom_attributes=[{"attribute_code": "category_ids", "value": [str(office["id"])]}])
    lamp = peer.add_product("SHOP-LAMP", "LED desk lamp", price=39.9, qty=150, weight=1.2)
    customer = peer.add_customer("inkoop@example.com", "Sanne", "de Vries", addresses=[{
        "firstname": "Sanne", "lastname": "de Vries", "company": "De Vries Architecten", "street": ["Herengracht 100"],
        "city": "Amsterdam", "postcode": "1015 BS", "country_id": "NL", "telephone": "+31 20 555 0199",
        "default_billing": True, "default_shipping": True}])

    def at(hours_ago):
        return datetime.fromtimestamp(now - hours_ago * 3600, timezone.utc)

    address = {"firstname": "Sanne", "lastname": "de Vries", "company": "De Vries Architecten",
               "street": ["Herengracht 100"], "city": "Amsterdam", "postcode": "1015 BS", "country_id": "NL",
               "telephone": "+31 20 555 0199", "vat_id": "NL123456789B01"}
    peer.add_order(101, status="processing", created_at=at(5), updated_at=at(4), customer_id=customer["id"],
                   email="inkoop@example.com", firstname="Sanne", lastname="de Vries", billing=address,
                   items=[{"sku": "SHOP-DESK", "name": desk["name"], "qty": 1, "price": 499.0, "tax_percent": 21,
                           "discount": 49.9, "product_id": desk["id"]},
                          {"sku": "SHOP-LAMP", "name": lamp["name"], "qty": 2, "price": 39.9, "tax_percent": 21,
                           "product_id": lamp["id"]}],
                   shipping_amount=15, shipping_tax_percent=21, coupon_code="WELCOME10",
                   discount_description="Welcome 10% off desks", payment_method="braintree",
                   transaction_id="bt_7QK2M9", paid=True)
    peer.add_order(102, status="pending", created_at=at(3), updated_at=at(3), email="facilitair@example.org",
                   firstname="Pieter", lastname="Jansen",
                   items=[{"sku": "SHOP-CHAIR", "name": chair["name"], "qty": 4, "price": 289.0, "tax_percent": 21,
                           "product_id": chair["id"]}],
                   shipping_amount=0, shipping_method="freeshipping_freeshipping",
                   shipping_description="Free Shipping - Free", payment_method="banktransfer")
    peer.add_order(103, status="canceled", created_at=at(30), updated_at=at(2), email="klant@example.net",
                   firstname="Eva", lastname="Bakker",
                   items=[{"sku": "SHOP-LAMP", "name": lamp["name"], "qty": 1, "price": 39.9, "tax_percent": 21,
                           "product_id": lamp["id"]}],
                   shipping_amount=6.95, shipping_tax_percent=21, payment_method="checkmo")
    return [peer]
