"""Sandbox PrestaShop 8: an in-memory shop behind the webservice (``/api``), as PrestaShop documents it.

* auth: HTTP Basic with the webservice key as user name and no password (or ``?ws_key=``). No key:
  401 code 16, empty key 17, not 32 characters 18, unknown or disabled key 20 + 21, always with
  ``WWW-Authenticate: Basic realm="Welcome to PrestaShop Webservice, ..."``; a resource the key may not
  use: 401 code 26, a method it may not use: 405 code 25; ``enabled = False``: 503 code 22;
* answers in XML unless ``output_format=JSON`` (or the ``Output-Format``/``Io-Format`` header); JSON
  lists are ``{"products": [...]}``, an empty list ``[]``, one record ``{"product": {...}}``, errors
  ``{"errors": [{"code", "message"}]}``; XML errors ``<prestashop><errors><error><code/><message/>``;
* lists: ``display`` (absent: ids only; ``full``; ``[a,b]``), ``filter[field]=`` with PrestaShop's syntax
  (``[a|b]`` OR, ``[1,10]`` interval, ``[x]%`` / ``%[x]%`` LIKE, ``>[x]``, ``<[x]``, ``![x]``, plain
  value; case-insensitive like MySQL), ``date=1`` required to filter or sort on ``date_add``/``date_upd``,
  ``sort=[field_ASC,...]``, ``limit=count`` or ``offset,count`` (no paging headers, no maximum),
  ``language`` (one id: multilingual fields as strings; else ``[{"id", "value"}]``);
* writes: XML bodies (``<prestashop><product>...``); POST (201; an ``id`` is refused: 400 code 91), PUT
  (optional fields left out are blanked), PATCH (only the fields sent; ``id`` required: 400 code 90;
  unknown id 404 code 92), DELETE (unknown id 404 code 87); required field missing: 400 code 41;
  read-only field: 400 code 93; validation as PrestaShop's ``Validate`` class (e-mail, customer names,
  references, prices, EAN-13, link rewrite, clean HTML...): 400 code 85 (84 for multilingual fields),
  ``Validation error: "Property Customer->email is not valid"``; malformed XML: 500 code 127.
  Like PrestaShop, duplicate product references and customer e-mails are accepted (nothing in the
  webservice prevents them): the adapter has to avoid creating them;
* ``POST /api/order_histories[?sendemail=1]`` changes an order's state (``current_state``, ``valid``,
  ``date_upd``); with ``sendemail=1`` and a state that has ``send_email``, the e-mail PrestaShop would
  send is recorded in ``emails``;
* ``PUT /api/order_carriers/<id>[?sendemail=1]`` (OrderCarrier::updateWs) sets the tracking number; with
  ``sendemail=1`` and a carrier with a tracking URL the "in transit" e-mail (template ``in_transit``, the
  URL with its ``@`` replaced by the number) is recorded in ``emails``; orders themselves are read-only
  (no ``shipping_number`` written there);
* ``POST /api/images/products/<id>`` (multipart ``image``), ``POST /api/attachments/file`` (multipart
  ``file`` + form field ``name``, at most ``max_attachment_bytes``), ``GET /api/attachments/file/<id>``;
* no throttling in PrestaShop itself; ``throttle=(requests, seconds)`` makes the peer answer like a front
  proxy under load: 503 + ``Retry-After`` (``retry_after`` seconds) with an HTML page. Request lines
  over ``max_uri`` bytes get 414 and bodies over ``max_body`` 413, as from Apache/nginx in front of the
  shop (PrestaShop has no batch endpoints, so these are the size limits a client meets). Dates are
  local time in ``timezone`` (PS_TIMEZONE).

Simplifications: orders, order details, cart rules and reference data (countries, currencies,
carriers, taxes, order states) are seeded with helpers, not created through the webservice (they answer
405 code 101 to writes); no combinations, carts, multistore data or stock movements; PUT/PATCH on
products replace the category association as PrestaShop does, without position handling.

Demo: :func:`demo_peers` starts one on port 8073 with the webservice key ``B2BCONNECTPRESTASHOPDEMO00000000``
(shop URL ``http://127.0.0.1:8073``, time zone Europe/Amsterdam), products SHOP-DESK, SHOP-CHAIR and
SHOP-LAMP and three orders: paid with shipping and a coupon, awaiting bank wire, cancelled.

The package: :mod:`.schema` (resources, fields, validation, reference data), :mod:`.store` (tables, clock, ids,
seeding), :mod:`.context` (one request: filters, rendering), :mod:`.webservice` (dispatch, writes); the peer is
:class:`PrestaShopPeer`.
"""

import time
from datetime import datetime, timezone

from .schema import DEMO_KEY, SCHEMA
from .webservice import PrestaShopWebservice

__all__ = ["DEMO_KEY", "SCHEMA", "PrestaShopPeer", "demo_peers"]


class PrestaShopPeer(PrestaShopWebservice):
    """The sandbox PrestaShop 8 shop (see the package docstring)."""


def demo_peers():
    """The demo PrestaShop on port 8073, webservice key ``B2BCONNECTPRESTASHOPDEMO00000000``, time zone
    Europe/Amsterdam: products SHOP-DESK / SHOP-CHAIR / SHOP-LAMP in an "Office" category; orders: a paid one
    with shipping and a coupon (state 2), one awaiting bank wire (10) and a cancelled one (6)."""
    peer = PrestaShopPeer(port=8073, timezone="Europe/Amsterdam", shop_name="B2B Demo Office Store")
    office = peer.add_category("Office")
    peer.add_product("SHOP-DESK", "Standing desk", "499.00", quantity=12, categories=(office,), weight="32.5",
                     ean13="8712345000014")
    peer.add_product("SHOP-CHAIR", "Ergonomic office chair", "249.00", quantity=30, categories=(office,), weight="14")
    peer.add_product("SHOP-LAMP", "LED desk lamp", "39.90", quantity=80, categories=(office,), weight="1.2")
    anna = peer.add_customer("anna.jansen@example.com", "Anna", "Jansen", company="Jansen Architecten")
    peer.add_address(anna, "NL", alias="Office", firstname="Anna", lastname="Jansen", company="Jansen Architecten",
                     address1="Keizersgracht 100", postcode="1015 AA", city="Amsterdam", vat_number="NL123456789B01",
                     phone="+31 20 555 0100")
    lukas = peer.add_customer("lukas.peeters@example.be", "Lukas", "Peeters")
    peer.add_address(lukas, "BE", alias="Home", firstname="Lukas", lastname="Peeters", address1="Meir 12",
                     postcode="2000", city="Antwerpen")
    guest = peer.add_customer("guest.buyer@example.com", "Sam", "Smit", is_guest=True)
    peer.add_address(guest, "NL", firstname="Sam", lastname="Smit", address1="Oudegracht 5", postcode="3511 AB",
                     city="Utrecht")
    now = time.time()

    def local(hours_ago):
        moment = datetime.fromtimestamp(now - hours_ago * 3600, timezone.utc).astimezone(peer.zone)
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    peer.add_order([{"reference": "SHOP-DESK", "quantity": 1},
                    {"reference": "SHOP-LAMP", "quantity": 2, "reduction": "4.00"}],
                   customer=anna, state=2, shipping="6.95",
                   cart_rules=[{"name": "Welcome discount", "code": "WELCOME10", "value": "10.00"}],
                   payment="Payments by check", module="ps_checkpayment", transaction_id="CHK-000117",
                   date_add=local(30), messages=["Please deliver to the reception desk."])
    peer.add_order([{"reference": "SHOP-CHAIR", "quantity": 4}], customer=lukas, state=10, shipping="12.50",
                   payment="Bank transfer", module="ps_wirepayment", date_add=local(20))
    peer.add_order([{"reference": "SHOP-LAMP", "quantity": 1}], customer=guest, state=6, shipping="4.95",
                   payment="Bank transfer", module="ps_wirepayment", date_add=local(10))
    return [peer]
