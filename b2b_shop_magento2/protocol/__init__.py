"""Magento 2 / Adobe Commerce REST API (``/rest/<store code>/V1``) as a shop adapter.

Authentication: an integration's access token sent as ``Authorization: Bearer <token>`` (Magento 2.4.4+
needs *Stores > Configuration > Services > OAuth > Allow OAuth Access Tokens to be used as standalone
Bearer tokens*; a wrong or revoked token answers HTTP 401 "The consumer isn't authorized to access
%resources.", kept as the client's ``TransportError(kind="auth")``).

Endpoints used (``{s}``: option ``store``, ``{c}``: option ``catalog_store``, "all" = global values):

* test_connection: ``GET {s}/V1/store/storeConfigs``, ``GET {s}/V1/orders`` (one order: proves the ACL);
* categories: ``GET {c}/V1/categories/list`` (link an existing category of the same name under the same
  parent), ``POST {c}/V1/categories``, ``PUT {c}/V1/categories/{id}``;
* products: ``GET {c}/V1/products`` (SKU ``in`` search, one per batch), ``POST {c}/V1/products`` (new),
  ``PUT {c}/V1/products/{sku}`` (existing, linked by SKU), ``POST {c}/V1/products/{sku}/media`` (images
  the product does not have yet; base64 content, named after the image checksum so they are sent once);
* stock (MSI): ``POST {c}/V1/inventory/source-items`` in batches; the whole batch is refused when one
  item is invalid, so a refused batch is sent again one item per call to find the culprit;
* prices: ``POST {c}/V1/products/base-prices``, ``.../special-price`` (sale price),
  ``.../special-price-information`` + ``.../special-price-delete`` (sale price gone); the answers list
  per-SKU failures (``{message, parameters}``), the other SKUs are saved;
* customers: ``GET {s}/V1/customers/search`` (e-mail ``in`` search, one per batch), ``POST {s}/V1/customers``,
  ``PUT {s}/V1/customers/{id}`` (addresses: the default billing / shipping ones are updated in place,
  the customer's other addresses are kept);
* orders: ``GET {s}/V1/orders`` filtered on ``updated_at gteq`` + ``status in``, sorted by
  ``updated_at`` then ``entity_id`` ascending, paged by ``total_count`` (Magento answers the last page
  again for a ``currentPage`` past the end);
* events: confirmed/delivered -> ``POST {s}/V1/orders/{id}/comments`` with the status; shipped ->
  ``POST {s}/V1/order/{id}/ship`` with the tracks (``GET {s}/V1/shipments`` first: a tracking number
  already there is not shipped twice; a fully shipped order gets the track on its last shipment through
  ``POST {s}/V1/shipment/track``); cancelled -> ``POST {s}/V1/orders/{id}/cancel``;
* invoice: ``GET {s}/V1/orders/{id}/comments`` (an "Invoice <number>" comment means done),
  ``GET {s}/V1/invoices`` + ``POST {s}/V1/order/{id}/invoice`` (Magento invoice when the order has
  none), then a comment visible on the storefront with the number and the document's URL.

Errors are ``{"message": "... %1 / %name", "parameters": [...] or {...}}`` (HTTP 400/404; XML when a
proxy or an old store answers in XML); :func:`render_message` fills the placeholders in.

The package: :mod:`.options` (credentials, options, statuses), :mod:`.client` (set-up, the request
template's hooks, searches), :mod:`.catalogue`, :mod:`.customers`, :mod:`.orders`; the adapter is
:class:`Magento2Adapter`.
"""

from odoo.addons.b2b_ecommerce_sync.protocol.base import documented

from .catalogue import Magento2Catalogue
from .client import Magento2Client, render_message, search_params
from .customers import Magento2Customers
from .orders import Magento2Orders

__all__ = ["Magento2Adapter", "Magento2Client", "render_message", "search_params"]


@documented
class Magento2Adapter(Magento2Orders, Magento2Customers, Magento2Catalogue):
    """Magento 2.4 / Adobe Commerce over the REST API (see the package docstring for the endpoints)."""
