"""PrestaShop 8 webservice (``<shop>/api``) as a :class:`~.base.ShopAdapter`.

The webservice as PrestaShop documents it (devdocs "Webservice", and the webservice classes of the core):

* every resource lives at ``<shop>/api/<resource>[/<id>]``; HTTP Basic auth with the webservice key as
  the user name and an empty password; a wrong or inactive key answers 401 with PrestaShop's error
  document (codes 16-21), a resource the key may not use 401 (code 26), a method it may not use 405;
* reads: ``output_format=JSON``, ``display=full`` (or ``[field,...]``), ``filter[field]=[a|b]`` (OR list),
  ``[from,to]`` (interval; ``date_add``/``date_upd`` need ``date=1``, also for sorting), ``[prefix]%``
  (LIKE), ``sort=[field_ASC,...]``, ``limit=offset,count``. There are no paging headers or totals: page
  until a page comes back short. An empty list is ``[]``. Multilingual fields are plain strings when
  ``language=<id>`` asks for one language, else ``[{"id", "value"}]``;
* writes: XML bodies ``<prestashop><product>...</product></prestashop>``, multilingual fields as
  ``<name><language id="1">...</language></name>``. POST creates (201); PATCH (PrestaShop 8) changes only
  the fields sent. PUT would blank every optional field left out, so it is used only where PrestaShop
  documents it: an order carrier's tracking number is PUT with the carrier's whole record
  (``OrderCarrier::updateWs``), with ``?sendemail=1`` when the customer is to be told and option
  ``tracking_email`` is on (PrestaShop then sends its "in transit" e-mail); the order is never written
  for it. No batch writes: one call per record;
* errors: ``<prestashop><errors><error><code/><message/></error></errors></prestashop>`` (JSON:
  ``{"errors": [{"code", "message"}]}``) with HTTP 400 (validation 84/85, required field 41, ...),
  401, 404 (an unknown id on PATCH is 404 code 92; a GET of an unknown id is an empty 404), 405, 500;
* dates are the shop's local time (``PS_TIMEZONE``), hence the ``timezone`` option;
* PrestaShop has no throttling of its own; front proxies answer 503 + Retry-After under load, which the
  injected HTTP client honours (as it does 429).

The package: :mod:`.options` (credentials, options, order states, the key's permissions),
:mod:`.webservice` (its syntax: multilingual values, error documents, filters), :mod:`.client` (set-up, the
request template's hooks, listings, writes), :mod:`.catalogue`, :mod:`.customers`, :mod:`.orders`; the
adapter is :class:`PrestaShopAdapter`.
"""

from odoo.addons.b2b_ecommerce_sync.protocol.base import documented

from .catalogue import PrestaShopCatalogue
from .client import PrestaShopClient
from .customers import PrestaShopCustomers
from .options import NEEDED_PERMISSIONS
from .orders import PrestaShopOrders
from .webservice import I18n, RecordRefused, assoc_ids, explain, lang_text, ps_errors

__all__ = ["NEEDED_PERMISSIONS", "I18n", "PrestaShopAdapter", "PrestaShopClient", "RecordRefused",
           "assoc_ids", "explain", "lang_text", "ps_errors"]


@documented
class PrestaShopAdapter(PrestaShopOrders, PrestaShopCustomers, PrestaShopCatalogue):
    """PrestaShop 8 through its webservice (see the package docstring).

    Remote ids: ``Product.remote_id``, ``StockLevel.remote_id`` and ``Price.remote_id`` are PrestaShop
    product ids (without one, the product is found by its reference = SKU); customers by id, else by
    e-mail (registered accounts only; guest checkouts with the same e-mail are left alone).
    """
