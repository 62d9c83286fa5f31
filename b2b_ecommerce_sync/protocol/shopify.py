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

Input arrays are capped at 250 items by Shopify (``max_batch``); searches use the platform's search
syntax (``sku:...``, ``email:...``, ``updated_at:>=...``, ``financial_status:paid``, ``OR``).
"""

import math
import re
import time
from decimal import ROUND_FLOOR, Decimal

from odoo.addons.b2b_connector_base.lib import safe_xml

from .base import PAGING_OPTIONS, ShopAdapter, ShopError, chunks, dec, iso, money, parse_datetime, register
from .model import Address, Order, OrderLine, Result

MAX_UPLOAD_ANSWER_BYTES = 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
_VERSION_RE = re.compile(r"^(\d{4}-\d{2}|unstable)$")
_GID_RE = re.compile(r"^gid://shopify/[A-Za-z]+/\d+(\?.*)?$")

# ---------------------------------------------------------------------------- GraphQL documents
_MONEY = "fragment Money on MoneyBag { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }"
_ADDRESS = ("fragment Address on MailingAddress { firstName lastName company address1 address2 city zip "
            "provinceCode countryCodeV2 phone }")
_LINE_ITEM = """fragment LineItemFields on LineItem {
  id name sku quantity
  originalUnitPriceSet { ...Money }
  discountAllocations { allocatedAmountSet { ...Money } discountApplication { index } }
  taxLines { ratePercentage priceSet { ...Money } }
  product { id }
  variant { id }
}"""

QUERIES = {
    "ShopInfo": """query ShopInfo {
  shop { name myshopifyDomain currencyCode }
  locations(first: 10) { nodes { id name isActive } }
}""",
    "CollectionsByTitle": """query CollectionsByTitle($query: String!) {
  collections(first: 250, query: $query) { nodes { id title handle } }
}""",
    "CollectionCreate": """mutation CollectionCreate($input: CollectionInput!) {
  collectionCreate(input: $input) { collection { id title handle } userErrors { field message } }
}""",
    "CollectionUpdate": """mutation CollectionUpdate($input: CollectionInput!) {
  collectionUpdate(input: $input) { collection { id title handle } userErrors { field message } }
}""",
    "VariantsBySku": """query VariantsBySku($query: String!, $after: String) {
  productVariants(first: 250, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku price compareAtPrice product { id } inventoryItem { id tracked } }
  }
}""",
    "ProductById": """query ProductById($id: ID!) {
  product(id: $id) { id variants(first: 1) { nodes { id sku inventoryItem { id tracked } } } }
}""",
    "ProductSet": """mutation ProductSet($input: ProductSetInput!, $synchronous: Boolean!) {
  productSet(input: $input, synchronous: $synchronous) {
    product { id variants(first: 1) { nodes { id sku inventoryItem { id } } } }
    userErrors { field message code }
  }
}""",
    "VariantPrices": """mutation VariantPrices($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id price compareAtPrice }
    userErrors { field message code }
  }
}""",
    "InventorySet": """mutation InventorySet($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason changes { name delta } }
    userErrors { field message code }
  }
}""",
    "InventoryItemTracking": """mutation InventoryItemTracking($id: ID!, $input: InventoryItemInput!) {
  inventoryItemUpdate(id: $id, input: $input) { inventoryItem { id tracked } userErrors { field message } }
}""",
    "CustomersByEmail": """query CustomersByEmail($query: String!) {
  customers(first: 250, query: $query) { nodes { id email } }
}""",
    "CustomerCreate": """mutation CustomerCreate($input: CustomerInput!) {
  customerCreate(input: $input) { customer { id email } userErrors { field message } }
}""",
    "CustomerUpdate": """mutation CustomerUpdate($input: CustomerInput!) {
  customerUpdate(input: $input) { customer { id email } userErrors { field message } }
}""",
    "Orders": _MONEY + "\n" + _ADDRESS + "\n" + _LINE_ITEM + """
query Orders($first: Int!, $after: String, $query: String, $lineFirst: Int!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt note email
      currencyCode presentmentCurrencyCode taxesIncluded
      displayFinancialStatus displayFulfillmentStatus paymentGatewayNames tags
      customer { id email }
      billingAddress { ...Address }
      shippingAddress { ...Address }
      totalPriceSet { ...Money }
      totalTaxSet { ...Money }
      lineItems(first: $lineFirst) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } }
      shippingLines(first: 10) {
        nodes {
          id title code
          originalPriceSet { ...Money }
          discountAllocations { allocatedAmountSet { ...Money } discountApplication { index } }
          taxLines { ratePercentage priceSet { ...Money } }
        }
      }
      additionalFees { id name price { ...Money } taxLines { ratePercentage priceSet { ...Money } } }
      discountApplications(first: 20) {
        nodes {
          __typename index allocationMethod targetType
          ... on DiscountCodeApplication { code }
          ... on AutomaticDiscountApplication { title }
          ... on ManualDiscountApplication { title }
          ... on ScriptDiscountApplication { title }
        }
      }
      transactions(first: 20) {
        id kind status gateway formattedGateway paymentId authorizationCode amountSet { ...Money }
      }
    }
  }
}""",
    "OrderLineItems": _MONEY + "\n" + _LINE_ITEM + """
query OrderLineItems($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: 250, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...LineItemFields } }
  }
}""",
    "OrderForUpdate": """query OrderForUpdate($id: ID!) {
  order(id: $id) {
    id name cancelledAt tags displayFulfillmentStatus
    fulfillmentOrders(first: 20) { nodes { id status assignedLocation { location { id } } } }
    fulfillments(first: 20) { id status displayStatus trackingInfo { company number url } }
  }
}""",
    "OrderTagsAdd": """mutation OrderTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
}""",
    "FulfillmentCreate": """mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id status trackingInfo { company number url } }
    userErrors { field message }
  }
}""",
    "FulfillmentTrackingUpdate": """mutation FulfillmentTrackingUpdate($fulfillmentId: ID!,
    $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput,
                                notifyCustomer: $notifyCustomer) {
    fulfillment { id trackingInfo { company number url } }
    userErrors { field message }
  }
}""",
    "FulfillmentEventCreate": """mutation FulfillmentEventCreate($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status }
    userErrors { field message }
  }
}""",
    "OrderCancel": """mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!,
    $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock,
              notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}""",
    "OrderInvoice": """query OrderInvoice($id: ID!, $namespace: String!) {
  order(id: $id) { id name metafields(first: 10, namespace: $namespace) { nodes { key type value } } }
}""",
    "StagedUploadsCreate": """mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}""",
    "FileCreate": """mutation FileCreate($files: [FileCreateInput!]!) {
  fileCreate(files: $files) { files { id fileStatus alt } userErrors { field message code } }
}""",
    "MetafieldsSet": """mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id namespace key value } userErrors { field message code } }
}""",
}

# operations that are safe to send again after a 5xx / timeout (reads, and writes that set absolute values)
IDEMPOTENT_OPERATIONS = frozenset({
    "ShopInfo", "CollectionsByTitle", "VariantsBySku", "ProductById", "CustomersByEmail", "Orders", "OrderLineItems",
    "OrderForUpdate", "OrderInvoice", "CollectionUpdate", "VariantPrices", "InventorySet",
    "InventoryItemTracking", "CustomerUpdate", "OrderTagsAdd", "MetafieldsSet", "StagedUploadsCreate",
})

# our order status codes -> the Shopify search terms that find (a superset of) them
STATUS_SEARCH = {
    "pending": "financial_status:pending",
    "authorized": "financial_status:authorized",
    "partially_paid": "financial_status:partially_paid",
    "paid": "financial_status:paid",
    "fulfilled": "fulfillment_status:shipped",
    "partially_refunded": "financial_status:partially_refunded",
    "refunded": "financial_status:refunded",
    "voided": "financial_status:voided",
    "expired": "financial_status:expired",
    "cancelled": "status:cancelled",
}

PAID_FINANCIAL = ("PAID", "PARTIALLY_REFUNDED")
OPEN_FULFILLMENT_ORDER = ("OPEN", "IN_PROGRESS")
_UNTAXED_CLASSES = {"0", "none", "exempt", "no", "false", "zero"}


def _text(value):
    return "" if value is None else str(value)


def _node_key(node):
    """What tells two nodes of a connection apart: their global id."""
    return node["id"] if isinstance(node, dict) and node.get("id") else repr(node)


def _search_value(value):
    """A value for Shopify's search syntax: quoted, with quotes and backslashes escaped."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _field(path):
    return ".".join(str(p) for p in (path or []))


def _errors_text(errors):
    parts = []
    for err in errors or []:
        if not isinstance(err, dict):
            parts.append(str(err))
            continue
        field = _field(err.get("field"))
        message = _text(err.get("message")) or _text(err.get("code")) or "refused"
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)


@register
class ShopifyAdapter(ShopAdapter):
    """Shopify Admin GraphQL API (version from the ``api_version`` option).

    Credentials:

    * ``key``: the Admin API access token of a custom app installed on the shop (``shpat_...``), sent as
      ``X-Shopify-Access-Token``; it needs the scopes read/write_products, read/write_inventory,
      read/write_customers, read/write_orders, write_merchant_managed_fulfillment_orders, write_files
      and read_locations (read_all_orders for orders older than 60 days);
    * ``secret``: not used (the app's API secret only signs webhooks, which this adapter does not take);
    * ``extra``: not used.

    ``http.base_url`` is the shop, e.g. ``https://my-shop.myshopify.com``; the adapter appends
    ``/admin/api/<api_version>/graphql.json``. The token goes in each GraphQL request's headers (never set
    it as a session header of ``http``: the invoice upload goes to a storage URL outside Shopify).

    Options (``option_defaults``):

    * ``api_version`` ("2025-01"): Admin API version in the URL;
    * ``location_id`` (""): GID of the location whose stock ``push_stock`` sets
      (``gid://shopify/Location/...``; ``test_connection`` lists the shop's locations); required for stock;
    * ``money`` ("shop"): amounts of imported orders in the shop currency (``shopMoney``, currency =
      ``currencyCode``) or ``"presentment"`` (what the customer saw, ``presentmentCurrencyCode``);
    * ``coupon_lines`` ("separate"): a discount code's amount becomes its own ``coupon`` line (negative
      unit price) and is left out of the product/shipping lines' ``discount``; ``"allocated"`` keeps it
      in the lines' ``discount`` (as Shopify allocates it) and the coupon line only names the code, at 0;
    * ``confirmed_tag`` ("odoo-confirmed"): tag added to an order for the ``confirmed`` event;
    * ``invoice_namespace`` ("b2b"): metafield namespace of ``invoice_pdf`` / ``invoice_number``;
    * ``attribute_namespace`` ("custom"): metafield namespace for ``Product.attributes``;
    * ``inactive_status`` ("DRAFT"): ProductStatus for products with ``active=False`` (or "ARCHIVED");
    * ``cancel_restock`` (True) / ``cancel_reason`` ("OTHER"): ``orderCancel`` arguments;
    * ``throttle_retries`` (5) / ``max_throttle_wait`` (60.0 s): THROTTLED answers waited for and resent;
    * ``lookup_chunk`` (50): SKUs / e-mails per search query;
    * ``max_pages`` (1000) / ``max_records`` (20000): the most pages and records one listing reads, whatever
      ``hasNextPage`` says (a listing also ends on an empty page or a page with nothing new).

    Order status codes (``order_statuses``; Shopify has no custom order status, so the code is derived):
    ``cancelled`` (cancelledAt set) > ``refunded`` / ``voided`` / ``expired`` (displayFinancialStatus) >
    ``fulfilled`` (displayFulfillmentStatus FULFILLED and paid) > ``paid`` > ``partially_refunded`` >
    ``partially_paid`` > ``authorized`` > ``pending``. The ``statuses`` filter of ``fetch_orders`` is sent
    as search terms (``financial_status:paid OR status:cancelled``...) and checked again on the derived code.

    Events (``update_order``): ``confirmed`` adds the ``confirmed_tag``; ``shipped`` creates a fulfillment
    of the order's open fulfillment orders (one per location) with the shipment's tracking info, or adds
    the tracking number to the existing fulfillment when the order is already fulfilled; ``delivered``
    adds a DELIVERED fulfillment event to each fulfillment (fulfilling first when there is none);
    ``cancelled`` calls ``orderCancel`` (reason OTHER, refund false, restock true). The ``status``
    argument cannot be written to Shopify; it is only checked against ``order_statuses``.

    Orders: ``total`` is Shopify's ``totalPriceSet`` minus gift-card payments, which are ``gift_card``
    lines (negative), so the lines (plus tax when prices exclude it) add up to ``total``; ``paid_amount``
    is what other gateways captured, net of their refunds. Categories are custom collections: Shopify
    collections are flat, so ``parent_key`` is ignored. Products are single-variant (option "Title").
    """

    platform = "shopify"
    label = "Shopify"
    max_batch = 250  # Shopify refuses input arrays over 250 items
    page_size = 10  # orders per page: with up to 50 lines each the query asks ~920 of the 1000 points allowed
    line_page_size = 50
    credential_fields = ("key",)
    order_statuses = (
        ("pending", "Payment pending"),
        ("authorized", "Payment authorized"),
        ("partially_paid", "Partially paid"),
        ("paid", "Paid"),
        ("fulfilled", "Paid and fulfilled"),
        ("partially_refunded", "Partially refunded"),
        ("refunded", "Refunded"),
        ("voided", "Voided"),
        ("expired", "Payment expired"),
        ("cancelled", "Cancelled"),
    )
    default_status_map = {"confirmed": "paid", "shipped": "fulfilled", "delivered": "fulfilled",
                          "cancelled": "cancelled"}
    default_import_statuses = ("authorized", "paid", "fulfilled")  # fulfilled: paid and shipped from Shopify
    default_cancel_statuses = ("cancelled", "refunded", "voided")
    option_defaults = {
        "api_version": "2025-01",
        "location_id": "",
        "money": "shop",
        "coupon_lines": "separate",
        "confirmed_tag": "odoo-confirmed",
        "invoice_namespace": "b2b",
        "attribute_namespace": "custom",
        "inactive_status": "DRAFT",
        "cancel_restock": True,
        "cancel_reason": "OTHER",
        "throttle_retries": 5,
        "max_throttle_wait": 60.0,
        "lookup_chunk": 50,
        **PAGING_OPTIONS,
    }

    def _configure(self):
        self.sleep = getattr(self.http, "sleep", None) or time.sleep
        self.last_cost = None  # extensions.cost of the last answer (for logs and benchmarks)
        self._variants = {}  # sku -> {"product": gid, "variant": gid, "item": gid, "tracked": bool}
        token = self.credentials.get("key") or ""
        secrets = getattr(self.http, "secrets", None)
        if token and secrets is not None and token not in secrets:
            self.http.secrets = tuple(secrets) + (token,)

    def _opt(self, name):
        return self.options[name]  # defaults filled in and typed by ShopAdapter

    @property
    def endpoint(self):
        version = str(self._opt("api_version")).strip()
        if not _VERSION_RE.match(version):
            raise ShopError(f"Shopify API version {version!r} is not like 2025-01", kind="config")
        return f"/admin/api/{version}/graphql.json"

    # ------------------------------------------------------------------ transport
    def _call(self, operation, variables=None):
        """Run one GraphQL operation; return its ``data``. THROTTLED answers are waited for and resent."""
        token = self.credentials.get("key")
        if not token:
            raise ShopError("no Shopify Admin API access token configured", kind="config")
        payload = {"query": QUERIES[operation], "variables": variables or {}, "operationName": operation}
        retries = max(0, int(self._opt("throttle_retries")))
        for attempt in range(retries + 1):
            response = self.http.post(
                self.endpoint, json=payload, idempotent=operation in IDEMPOTENT_OPERATIONS,
                headers={"X-Shopify-Access-Token": token, "Accept": "application/json"},
            )
            body = self.json_of(response, operation)
            if not isinstance(body, dict):
                raise ShopError(f"Shopify answered {operation} with something that is not a GraphQL answer",
                                kind="answer")
            extensions = body.get("extensions")
            if isinstance(extensions, dict) and isinstance(extensions.get("cost"), dict):
                self.last_cost = extensions["cost"]
            errors = body.get("errors")
            if errors:
                if not isinstance(errors, list):  # REST-style {"errors": "..."} with HTTP 200
                    raise ShopError(f"Shopify refused {operation}: {str(errors)[:300]}", kind="remote")
                codes = {((e.get("extensions") or {}).get("code") if isinstance(e, dict) else None) for e in errors}
                if "THROTTLED" in codes:
                    wait = self._throttle_wait(body)
                    if attempt < retries and wait <= float(self._opt("max_throttle_wait")):
                        self.sleep(wait)
                        continue
                    raise ShopError(f"Shopify is throttling {operation} (the query cost bucket is empty; "
                                    f"retry in {wait:.1f} s)", kind="remote", retryable=True)
                messages = "; ".join(_text(e.get("message") if isinstance(e, dict) else e) for e in errors)[:500]
                if "ACCESS_DENIED" in codes:
                    raise ShopError(f"the Shopify access token may not run {operation}: {messages}", kind="auth")
                if "MAX_COST_EXCEEDED" in codes:
                    raise ShopError(f"Shopify refused {operation} as too expensive: {messages}", kind="config")
                if "INTERNAL_SERVER_ERROR" in codes:
                    raise ShopError(f"Shopify failed on {operation}: {messages}", kind="remote", retryable=True)
                kind = "payload" if codes & {"MAX_INPUT_SIZE_EXCEEDED", "INVALID_VARIABLE", "BAD_REQUEST"} else "remote"
                raise ShopError(f"Shopify refused {operation}: {messages}", kind=kind)
            data = body.get("data")
            if not isinstance(data, dict):
                raise ShopError(f"Shopify answered {operation} without data", kind="answer")
            return data
        raise ShopError(f"Shopify is throttling {operation}", kind="remote", retryable=True)  # pragma: no cover

    def _throttle_wait(self, body):
        cost = ((body.get("extensions") or {}).get("cost")) or {}
        status = cost.get("throttleStatus") or {}
        try:
            requested = float(cost.get("requestedQueryCost") or 0)
            available = float(status.get("currentlyAvailable") or 0)
            rate = float(status.get("restoreRate") or 0)
        except (TypeError, ValueError):
            return 1.0
        if rate <= 0:
            return 1.0
        # rounded up to the next millisecond: waiting exactly the computed time can leave the bucket a
        # rounding error short of the cost
        # (throttled although the figures say it fits: wait for one point at least)
        return max(1.0 / rate, math.ceil((requested - available) / rate * 1000) / 1000)

    def _payload(self, data, operation, field):
        node = data.get(field)
        if not isinstance(node, dict):
            raise ShopError(f"Shopify answered {operation} without {field}", kind="answer")
        return node

    @staticmethod
    def _gid(kind, value):
        value = _text(value).strip()
        if value.isdigit():
            return f"gid://shopify/{kind}/{value}"
        if not _GID_RE.match(value):
            raise ShopError(f"{value!r} is not a Shopify {kind} id", kind="payload")
        return value

    # ------------------------------------------------------------------ connection
    def test_connection(self):
        data = self._call("ShopInfo")
        shop = self._payload(data, "ShopInfo", "shop")
        locations = [n for n in ((data.get("locations") or {}).get("nodes") or []) if isinstance(n, dict)]
        where = ", ".join(f"{n.get('name')} ({n.get('id')})" for n in locations if n.get("isActive", True))
        text = f"Connected to Shopify shop '{shop.get('name')}' ({shop.get('myshopifyDomain')})"
        if where:
            text += f"; locations: {where}"
        return text

    # ------------------------------------------------------------------ categories (custom collections)
    def push_categories(self, categories):
        categories = list(categories)
        results = {}
        existing = self._collections_by_title([c.name for c in categories if not c.remote_id and c.name])
        for category in categories:
            remote_id = category.remote_id
            created = False
            try:
                data = None
                if not remote_id and len(existing.get(category.name, [])) == 1:
                    remote_id = existing[category.name][0]
                if remote_id:
                    data = self._collection_write("CollectionUpdate", {
                        "id": self._gid("Collection", remote_id), "title": category.name,
                        "descriptionHtml": category.description or ""})
                    if data is None:  # the collection was deleted in Shopify: create it again
                        remote_id = ""
                if not remote_id:
                    data = self._collection_write("CollectionCreate", {
                        "title": category.name, "descriptionHtml": category.description or ""})
                    created = True
            except ShopError as exc:
                if exc.kind in ("auth", "answer", "config") or exc.retryable:
                    raise
                results[category.key] = Result(category.key, error=str(exc))
                continue
            collection = data.get("collection") or {}
            if not collection.get("id"):
                raise ShopError("Shopify answered a collection write without the collection", kind="answer")
            results[category.key] = Result(category.key, remote_id=collection["id"], created=created)
        return [results[c.key] for c in categories]

    def _collection_write(self, operation, collection_input):
        field = "collectionCreate" if operation == "CollectionCreate" else "collectionUpdate"
        payload = self._payload(self._call(operation, {"input": collection_input}), operation, field)
        errors = payload.get("userErrors") or []
        if errors:
            text = _errors_text(errors)
            if operation == "CollectionUpdate" and "does not exist" in text.lower():
                return None
            raise ShopError(text, kind="payload")
        return payload

    def _collections_by_title(self, titles):
        found = {}
        titles = sorted(set(titles))
        for part in chunks(titles, int(self._opt("lookup_chunk"))):
            query = "collection_type:custom AND (" + " OR ".join(f"title:{_search_value(t)}" for t in part) + ")"
            data = self._call("CollectionsByTitle", {"query": query})
            for node in (data.get("collections") or {}).get("nodes") or []:
                if isinstance(node, dict) and node.get("title") in part and node.get("id"):
                    found.setdefault(node["title"], []).append(node["id"])
        return found

    # ------------------------------------------------------------------ variants by SKU
    def _lookup_skus(self, skus, refresh=False):
        """Fill ``self._variants`` for these SKUs (exact, case-sensitive match) from Shopify."""
        wanted = sorted({s for s in skus if s and (refresh or s not in self._variants)})
        for part in chunks(wanted, int(self._opt("lookup_chunk"))):
            query = " OR ".join(f"sku:{_search_value(s)}" for s in part)
            after, pager = None, self.pager("the variant lookup by SKU")
            seen = set()
            while True:
                data = self._call("VariantsBySku", {"query": query, "after": after})
                connection = data.get("productVariants")
                if not isinstance(connection, dict):
                    raise ShopError("Shopify answered VariantsBySku without productVariants", kind="answer")
                for node in pager.page(connection.get("nodes") or [], key=_node_key):
                    if not isinstance(node, dict) or node.get("sku") not in part or node["sku"] in seen:
                        continue
                    seen.add(node["sku"])  # Shopify allows duplicate SKUs: the first variant found wins
                    self._variants[node["sku"]] = self._variant_entry(node)
                page = connection.get("pageInfo") or {}
                if not pager.more(bool(page.get("hasNextPage") and page.get("endCursor"))):
                    break
                after = page["endCursor"]

    @staticmethod
    def _variant_entry(node, product_id=""):
        item = node.get("inventoryItem") or {}
        return {"product": (node.get("product") or {}).get("id") or product_id, "variant": node.get("id") or "",
                "item": item.get("id") or "", "tracked": bool(item.get("tracked", True))}

    # ------------------------------------------------------------------ products
    def push_products(self, products):
        products = list(products)
        results = {}
        for batch in chunks(products, self.max_batch):
            self._lookup_skus([p.sku for p in batch], refresh=True)
            for product in batch:
                results[product.sku] = self._push_product(product)
        return [results[p.sku] for p in products]

    def _product_input(self, product, product_id, variant_id):
        price = money(product.price)
        variant = {"optionValues": [{"optionName": "Title", "name": "Default Title"}], "price": price,
                   "sku": product.sku, "taxable": _text(product.tax_class).strip().lower() not in _UNTAXED_CLASSES}
        if product.barcode:
            variant["barcode"] = product.barcode
        item = {}
        if not variant_id:
            item["tracked"] = True
        if product.weight is not None:
            item["measurement"] = {"weight": {"unit": "KILOGRAMS", "value": float(product.weight)}}
        if item:
            variant["inventoryItem"] = item
        if variant_id:
            variant["id"] = variant_id
        data = {
            "title": product.name,
            "descriptionHtml": product.description or "",
            "status": "ACTIVE" if product.active else str(self._opt("inactive_status")),
            "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
            "variants": [variant],
        }
        if product_id:
            data["id"] = product_id
        if product.category_remote_ids:
            data["collections"] = [self._gid("Collection", c) for c in product.category_remote_ids]
        files = [{"originalSource": img.url, "alt": img.filename, "contentType": "IMAGE"}
                 for img in product.images if getattr(img, "url", "")]
        if files:
            data["files"] = files
        if product.attributes:
            namespace = str(self._opt("attribute_namespace"))
            data["metafields"] = [{"namespace": namespace, "key": str(k), "type": "single_line_text_field",
                                   "value": _text(v)} for k, v in sorted(product.attributes.items())]
        return data

    def _push_product(self, product):
        if not product.sku:
            return Result(product.sku, error="a Shopify product needs a SKU")
        known = self._variants.get(product.sku) or {}
        try:
            product_id = self._gid("Product", product.remote_id) if product.remote_id else known.get("product", "")
        except ShopError as exc:
            return Result(product.sku, error=str(exc))
        variant_id = known.get("variant") if known.get("product") == product_id else ""
        if product_id and not variant_id:
            # known product whose SKU changed: update its variant instead of replacing it (keeps its stock)
            data = self._call("ProductById", {"id": product_id})
            node = data.get("product")
            if isinstance(node, dict):
                variants = (node.get("variants") or {}).get("nodes") or []
                variant_id = (variants[0].get("id") or "") if variants else ""
        for attempt in (1, 2):
            created = not product_id
            data = self._call("ProductSet", {"input": self._product_input(product, product_id, variant_id),
                                             "synchronous": True})
            payload = self._payload(data, "ProductSet", "productSet")
            errors = payload.get("userErrors") or []
            if errors and attempt == 1 and product_id and any(
                    e.get("code") == "PRODUCT_DOES_NOT_EXIST" for e in errors if isinstance(e, dict)):
                # the known product was deleted in Shopify: create it again
                self._variants.pop(product.sku, None)
                product_id = variant_id = ""
                continue
            if errors:
                return Result(product.sku, error=_errors_text(errors))
            node = payload.get("product") or {}
            if not node.get("id"):
                raise ShopError("Shopify answered productSet without the product", kind="answer")
            variants = (node.get("variants") or {}).get("nodes") or [{}]
            self._variants[product.sku] = {
                "product": node["id"], "variant": variants[0].get("id") or "",
                "item": (variants[0].get("inventoryItem") or {}).get("id") or "", "tracked": True,
            }
            return Result(product.sku, remote_id=node["id"], created=created)
        return Result(product.sku, error="Shopify refused the product")  # pragma: no cover

    # ------------------------------------------------------------------ stock
    def push_stock(self, levels):
        levels = list(levels)
        location = _text(self._opt("location_id")).strip()
        if not location:
            raise ShopError("set the Shopify location (option location_id, a gid://shopify/Location/... id) "
                            "whose stock is synchronised", kind="config")
        location = self._gid("Location", location)
        results = [None] * len(levels)
        for start in range(0, len(levels), self.max_batch):
            batch = list(enumerate(levels[start:start + self.max_batch], start))
            self._lookup_skus([lvl.sku for _, lvl in batch])
            quantities = []
            for index, level in batch:
                known = self._variants.get(level.sku)
                if not known or not known.get("item"):
                    results[index] = Result(level.sku, error=f"SKU {level.sku!r} is not in Shopify")
                    continue
                if not level.manage_stock:
                    results[index] = self._untrack(level.sku, known)
                    continue
                quantity = int(max(Decimal(0), Decimal(level.quantity or 0)).to_integral_value(ROUND_FLOOR))
                quantities.append((index, level, {"inventoryItemId": known["item"], "locationId": location,
                                                  "quantity": quantity}))
            self._set_quantities(quantities, results)
        return results

    def _set_quantities(self, quantities, results):
        """One inventorySetQuantities call; Shopify applies all or nothing, so refused entries are
        taken out and the rest is sent once more."""
        for attempt in (1, 2):
            if not quantities:
                return
            data = self._call("InventorySet", {"input": {
                "name": "available", "reason": "correction", "ignoreCompareQuantity": True,
                "quantities": [q for _, _, q in quantities]}})
            payload = self._payload(data, "InventorySet", "inventorySetQuantities")
            errors = [e for e in payload.get("userErrors") or [] if isinstance(e, dict)]
            if not errors:
                for index, level, q in quantities:
                    results[index] = Result(level.sku, remote_id=q["inventoryItemId"])
                return
            refused = {}
            for err in errors:
                path = [str(p) for p in err.get("field") or []]
                if len(path) >= 3 and path[1] == "quantities" and path[2].isdigit():
                    refused.setdefault(int(path[2]), []).append(err)
            if not refused or attempt == 2:
                text = _errors_text(errors)
                for position, (index, level, _q) in enumerate(quantities):
                    results[index] = Result(level.sku, error=_errors_text(refused.get(position)) or text)
                return
            kept = []
            for position, entry in enumerate(quantities):
                if position in refused:
                    results[entry[0]] = Result(entry[1].sku, error=_errors_text(refused[position]))
                else:
                    kept.append(entry)
            quantities = kept

    def _untrack(self, sku, known):
        if not known.get("tracked", True):
            return Result(sku, remote_id=known["item"])
        data = self._call("InventoryItemTracking", {"id": known["item"], "input": {"tracked": False}})
        payload = self._payload(data, "InventoryItemTracking", "inventoryItemUpdate")
        if payload.get("userErrors"):
            return Result(sku, error=_errors_text(payload["userErrors"]))
        known["tracked"] = False
        return Result(sku, remote_id=known["item"])

    # ------------------------------------------------------------------ prices
    def push_prices(self, prices):
        """``productVariantsBulkUpdate`` works per product: one call per product (up to 250 of its
        variants). A sale price lower than the price is sent as price, with the regular price as
        ``compareAtPrice``; otherwise ``compareAtPrice`` is cleared."""
        prices = list(prices)
        results = [None] * len(prices)
        for start in range(0, len(prices), self.max_batch):
            batch = list(enumerate(prices[start:start + self.max_batch], start))
            self._lookup_skus([p.sku for _, p in batch])
            by_product = {}
            for index, price in batch:
                known = self._variants.get(price.sku)
                if not known or not known.get("variant"):
                    results[index] = Result(price.sku, error=f"SKU {price.sku!r} is not in Shopify")
                    continue
                regular = Decimal(price.price or 0)
                sale = price.sale_price
                if sale is not None and Decimal(sale) < regular:
                    entry = {"id": known["variant"], "price": money(sale), "compareAtPrice": money(regular)}
                else:
                    entry = {"id": known["variant"], "price": money(regular), "compareAtPrice": None}
                by_product.setdefault(known["product"], []).append((index, price, entry))
            for product_id, entries in by_product.items():
                self._send_prices(product_id, entries, results)
        return results

    def _send_prices(self, product_id, entries, results):
        """One productVariantsBulkUpdate call; Shopify refuses it as a whole when one variant is wrong,
        so refused entries are taken out and the rest is sent once more."""
        for attempt in (1, 2):
            if not entries:
                return
            data = self._call("VariantPrices", {"productId": product_id, "variants": [e for _, _, e in entries]})
            payload = self._payload(data, "VariantPrices", "productVariantsBulkUpdate")
            errors = [e for e in payload.get("userErrors") or [] if isinstance(e, dict)]
            if not errors:
                for index, price, entry in entries:
                    results[index] = Result(price.sku, remote_id=entry["id"])
                return
            by_position = {}
            for err in errors:
                path = [str(p) for p in err.get("field") or []]
                if len(path) >= 2 and path[0] == "variants" and path[1].isdigit():
                    by_position.setdefault(int(path[1]), []).append(err)
            if not by_position or attempt == 2:
                text = _errors_text(errors)
                for position, (index, price, _entry) in enumerate(entries):
                    results[index] = Result(price.sku, error=_errors_text(by_position.get(position)) or text)
                return
            kept = []
            for position, entry in enumerate(entries):
                if position in by_position:
                    results[entry[0]] = Result(entry[1].sku, error=_errors_text(by_position[position]))
                else:
                    kept.append(entry)
            entries = kept

    # ------------------------------------------------------------------ customers
    def push_customers(self, customers):
        customers = list(customers)
        results = {}
        for batch in chunks(customers, self.max_batch):
            by_email = self._customers_by_email([c.email for c in batch if not c.remote_id and c.email])
            for customer in batch:
                results[customer.key] = self._push_customer(customer, by_email)
        return [results[c.key] for c in customers]

    def _customers_by_email(self, emails):
        found = {}
        wanted = sorted({e.strip().lower() for e in emails if e and e.strip()})
        for part in chunks(wanted, int(self._opt("lookup_chunk"))):
            query = " OR ".join(f"email:{_search_value(e)}" for e in part)
            data = self._call("CustomersByEmail", {"query": query})
            for node in (data.get("customers") or {}).get("nodes") or []:
                email = _text(node.get("email")).strip().lower() if isinstance(node, dict) else ""
                if email in part and node.get("id"):
                    found.setdefault(email, node["id"])
        return found

    @staticmethod
    def _address_input(address, customer):
        if address is None or address.is_empty():
            return None
        data = {
            "firstName": address.first_name or customer.first_name, "lastName": address.last_name or customer.last_name,
            "company": address.company or customer.company, "address1": address.street, "address2": address.street2,
            "city": address.city, "zip": address.zip, "countryCode": (address.country_code or "").upper() or None,
            "provinceCode": address.state_code or None, "phone": address.phone or None,
        }
        return {k: v for k, v in data.items() if v not in (None, "")}

    def _customer_input(self, customer, remote_id):
        data = {"email": customer.email.strip(), "firstName": customer.first_name, "lastName": customer.last_name}
        phone = re.sub(r"[\s().-]", "", customer.phone or "")
        if phone:
            data["phone"] = phone
        addresses = []
        for address in (customer.billing, customer.shipping):
            entry = self._address_input(address, customer)
            if entry and entry not in addresses:
                addresses.append(entry)
        if addresses:
            data["addresses"] = addresses
        if customer.group:
            data["tags"] = [customer.group]
        notes = [f"Company: {customer.company}" if customer.company else "",
                 f"VAT: {customer.vat}" if customer.vat else ""]
        if any(notes):
            data["note"] = "\n".join(n for n in notes if n)
        if remote_id:
            data["id"] = remote_id
        return data

    def _push_customer(self, customer, by_email):
        if not customer.email:
            return Result(customer.key, error="a Shopify customer needs an e-mail address")
        try:
            remote_id = self._gid("Customer", customer.remote_id) if customer.remote_id else ""
        except ShopError as exc:
            return Result(customer.key, error=str(exc))
        remote_id = remote_id or by_email.get(customer.email.strip().lower(), "")
        for attempt in (1, 2):
            operation = "CustomerUpdate" if remote_id else "CustomerCreate"
            field = "customerUpdate" if remote_id else "customerCreate"
            data = self._call(operation, {"input": self._customer_input(customer, remote_id)})
            payload = self._payload(data, operation, field)
            errors = payload.get("userErrors") or []
            if errors and attempt == 1 and remote_id and "does not exist" in _errors_text(errors).lower():
                # a stale mapping: find the customer by e-mail again, or create it
                remote_id = self._customers_by_email([customer.email]).get(customer.email.strip().lower(), "")
                continue
            if errors:
                return Result(customer.key, error=_errors_text(errors))
            node = payload.get("customer") or {}
            if not node.get("id"):
                raise ShopError(f"Shopify answered {operation} without the customer", kind="answer")
            return Result(customer.key, remote_id=node["id"], created=operation == "CustomerCreate")
        return Result(customer.key, error="Shopify refused the customer")  # pragma: no cover

    # ------------------------------------------------------------------ orders in
    def _orders_query(self, since, statuses):
        terms = []
        if since:
            terms.append(f"updated_at:>='{iso(since)}Z'")
        if statuses:
            unknown = [s for s in statuses if s not in STATUS_SEARCH]
            if unknown:
                raise ShopError(f"unknown Shopify order status {unknown[0]!r}", kind="config")
            searches = sorted({STATUS_SEARCH[s] for s in statuses})
            terms.append(searches[0] if len(searches) == 1 else "(" + " OR ".join(searches) + ")")
        return " AND ".join(terms) or None

    def fetch_orders(self, since=None, statuses=None):
        statuses = list(statuses) if statuses else None
        query = self._orders_query(since, statuses)
        after, pager = None, self.pager("the order list")
        while True:
            data = self._call("Orders", {"first": self.page_size, "after": after, "query": query,
                                         "lineFirst": self.line_page_size})
            connection = data.get("orders")
            if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
                raise ShopError("Shopify answered Orders without orders", kind="answer")
            for node in connection["nodes"]:
                if not isinstance(node, dict) or not node.get("id"):
                    raise ShopError("Shopify answered an order without id", kind="answer")
            for node in pager.page(connection["nodes"], key=_node_key):
                order = self.parse_order(node)
                if statuses and order.status not in statuses:
                    continue
                yield order
            page = connection.get("pageInfo") or {}
            if not pager.more(bool(page.get("hasNextPage"))):
                return
            if not page.get("endCursor") or page.get("endCursor") == after:
                raise ShopError("Shopify answered Orders with a next page but no new cursor", kind="answer")
            after = page["endCursor"]

    def _more_line_items(self, node):
        pager = self.pager(f"the line items of order {node.get('name') or node['id']}")
        items = pager.page(((node.get("lineItems") or {}).get("nodes")) or [], key=_node_key)
        page = (node.get("lineItems") or {}).get("pageInfo") or {}
        while pager.more(bool(page.get("hasNextPage") and page.get("endCursor"))):
            data = self._call("OrderLineItems", {"id": node["id"], "after": page["endCursor"]})
            connection = ((data.get("order") or {}).get("lineItems")) or {}
            items.extend(pager.page(connection.get("nodes") or [], key=_node_key))
            page = connection.get("pageInfo") or {}
        return items

    @staticmethod
    def derive_status(node):
        if node.get("cancelledAt"):
            return "cancelled"
        financial = _text(node.get("displayFinancialStatus")).upper()
        fulfillment = _text(node.get("displayFulfillmentStatus")).upper()
        if financial in ("REFUNDED", "VOIDED", "EXPIRED"):
            return financial.lower()
        if fulfillment == "FULFILLED" and financial in PAID_FINANCIAL:
            return "fulfilled"
        return {"PAID": "paid", "PARTIALLY_REFUNDED": "partially_refunded", "PARTIALLY_PAID": "partially_paid",
                "AUTHORIZED": "authorized"}.get(financial, "pending")

    def _amount(self, bag):
        if not isinstance(bag, dict):
            return Decimal(0)
        key = "presentmentMoney" if self._opt("money") == "presentment" else "shopMoney"
        inner = bag.get(key) or bag.get("shopMoney") or {}
        return dec(inner.get("amount"))

    @staticmethod
    def _address(data, email=""):
        if not isinstance(data, dict):
            return Address(email=email)
        return Address(
            first_name=_text(data.get("firstName")), last_name=_text(data.get("lastName")),
            company=_text(data.get("company")), street=_text(data.get("address1")),
            street2=_text(data.get("address2")), city=_text(data.get("city")), zip=_text(data.get("zip")),
            state_code=_text(data.get("provinceCode")), country_code=_text(data.get("countryCodeV2")),
            email=email, phone=_text(data.get("phone")),
        )

    def _taxes(self, tax_lines):
        amount = sum((self._amount(t.get("priceSet")) for t in tax_lines or [] if isinstance(t, dict)), Decimal(0))
        rates = [t.get("ratePercentage") for t in tax_lines or [] if isinstance(t, dict)]
        rate = dec(rates[0], None) if len(rates) == 1 else None
        return amount, rate

    def parse_order(self, node):
        """Map one Shopify order (the ``Orders`` selection) to :class:`~.model.Order`."""
        applications = {}
        for app in ((node.get("discountApplications") or {}).get("nodes")) or []:
            if isinstance(app, dict) and app.get("index") is not None:
                applications[app["index"]] = app
        separate = self._opt("coupon_lines") != "allocated"
        code_totals = {}  # application index -> amount allocated to lines

        def discount_of(allocations):
            total = Decimal(0)
            for alloc in allocations or []:
                amount = self._amount(alloc.get("allocatedAmountSet"))
                index = (alloc.get("discountApplication") or {}).get("index")
                app = applications.get(index) or {}
                if app.get("__typename") == "DiscountCodeApplication" or app.get("code"):
                    code_totals[index] = code_totals.get(index, Decimal(0)) + amount
                    if separate:
                        continue
                total += amount
            return total

        lines = []
        for item in self._more_line_items(node):
            tax, rate = self._taxes(item.get("taxLines"))
            lines.append(OrderLine(
                name=_text(item.get("name")), quantity=dec(item.get("quantity")),
                unit_price=self._amount(item.get("originalUnitPriceSet")), kind="product",
                sku=_text(item.get("sku")), product_remote_id=_text((item.get("product") or {}).get("id")),
                remote_id=_text(item.get("id")), discount=discount_of(item.get("discountAllocations")),
                tax_amount=tax, tax_rate=rate,
            ))
        for ship in ((node.get("shippingLines") or {}).get("nodes")) or []:
            tax, rate = self._taxes(ship.get("taxLines"))
            lines.append(OrderLine(
                name=_text(ship.get("title")) or "Shipping", quantity=Decimal(1),
                unit_price=self._amount(ship.get("originalPriceSet")), kind="shipping", sku=_text(ship.get("code")),
                remote_id=_text(ship.get("id")), discount=discount_of(ship.get("discountAllocations")),
                tax_amount=tax, tax_rate=rate,
            ))
        for fee in node.get("additionalFees") or []:
            tax, rate = self._taxes(fee.get("taxLines"))
            lines.append(OrderLine(name=_text(fee.get("name")) or "Fee", quantity=Decimal(1),
                                   unit_price=self._amount(fee.get("price")), kind="fee",
                                   remote_id=_text(fee.get("id")), tax_amount=tax, tax_rate=rate))
        for index in sorted(code_totals):
            code = _text(applications[index].get("code"))
            amount = code_totals[index]
            lines.append(OrderLine(
                name=f"Discount code {code}" if separate else f"Discount code {code} (-{money(amount)}, in the lines)",
                quantity=Decimal(1), unit_price=-amount if separate else Decimal(0), kind="coupon", sku=code,
                remote_id=f"{node['id']}#discount-{index}",
            ))

        gift_cards = Decimal(0)
        paid_amount = Decimal(0)
        payment_method = transaction_id = ""
        for tx in node.get("transactions") or []:
            if not isinstance(tx, dict) or _text(tx.get("status")).upper() != "SUCCESS":
                continue
            kind = _text(tx.get("kind")).upper()
            amount = self._amount(tx.get("amountSet"))
            sign = 1 if kind in ("SALE", "CAPTURE") else -1 if kind == "REFUND" else 0
            if not sign:
                continue
            if _text(tx.get("gateway")).lower() == "gift_card":
                gift_cards += sign * amount
                if sign > 0:
                    lines.append(OrderLine(name="Gift card", quantity=Decimal(1), unit_price=-amount, kind="gift_card",
                                           remote_id=_text(tx.get("id"))))
                else:
                    lines.append(OrderLine(name="Gift card refund", quantity=Decimal(1), unit_price=amount,
                                           kind="gift_card", remote_id=_text(tx.get("id"))))
                continue
            paid_amount += sign * amount
            if sign > 0 and not payment_method:
                payment_method = _text(tx.get("formattedGateway")) or _text(tx.get("gateway"))
                transaction_id = (_text(tx.get("paymentId")) or _text(tx.get("authorizationCode"))
                                  or _text(tx.get("id")))
        if not payment_method:
            gateways = [g for g in node.get("paymentGatewayNames") or [] if g != "gift_card"]
            payment_method = _text(gateways[0]) if gateways else ""

        presentment = self._opt("money") == "presentment"
        email = _text(node.get("email")) or _text((node.get("customer") or {}).get("email"))
        financial = _text(node.get("displayFinancialStatus")).upper()
        return Order(
            remote_id=node["id"], number=_text(node.get("name")), status=self.derive_status(node),
            created_at=parse_datetime(node.get("createdAt")), updated_at=parse_datetime(node.get("updatedAt")),
            currency=_text(node.get("presentmentCurrencyCode") if presentment else node.get("currencyCode")),
            email=email, customer_remote_id=_text((node.get("customer") or {}).get("id")),
            billing=self._address(node.get("billingAddress"), email),
            shipping=self._address(node.get("shippingAddress")),
            lines=lines, paid=financial in PAID_FINANCIAL, paid_amount=paid_amount,
            payment_method=payment_method, transaction_id=transaction_id,
            total=self._amount(node.get("totalPriceSet")) - gift_cards,
            total_tax=self._amount(node.get("totalTaxSet")),
            prices_include_tax=bool(node.get("taxesIncluded")), note=_text(node.get("note")), raw=node,
        )

    # ------------------------------------------------------------------ orders out
    def _order_for_update(self, order_id):
        data = self._call("OrderForUpdate", {"id": order_id})
        order = data.get("order")
        if not isinstance(order, dict):
            raise ShopError(f"Shopify order {order_id} not found", kind="not_found")
        return order

    def _mutate(self, operation, field, variables, errors_key="userErrors"):
        payload = self._payload(self._call(operation, variables), operation, field)
        errors = payload.get(errors_key) or []
        if errors:
            raise ShopError(f"Shopify refused {operation}: {_errors_text(errors)}", kind="payload")
        return payload

    def update_order(self, remote_id, event, status=None, shipment=None, notify=False):
        status = self.status_for(event, {event: status} if status else None)
        if status not in dict(self.order_statuses):
            raise ShopError(f"{status!r} is not a Shopify order status code", kind="config")
        order_id = self._gid("Order", remote_id)
        order = self._order_for_update(order_id)
        if event == "cancelled":
            if order.get("cancelledAt"):
                return f"order {order.get('name')} was already cancelled"
            self._mutate("OrderCancel", "orderCancel", {
                "orderId": order_id, "reason": str(self._opt("cancel_reason")), "refund": False,
                "restock": bool(self._opt("cancel_restock")), "notifyCustomer": bool(notify),
                "staffNote": "Cancelled in Odoo"}, errors_key="orderCancelUserErrors")
            return f"order {order.get('name')} cancelled"
        if order.get("cancelledAt"):
            raise ShopError(f"Shopify order {order.get('name')} is cancelled", kind="payload")
        if event == "confirmed":
            tag = str(self._opt("confirmed_tag"))
            if tag in (order.get("tags") or []):
                return f"order {order.get('name')} already tagged {tag}"
            self._mutate("OrderTagsAdd", "tagsAdd", {"id": order_id, "tags": [tag]})
            return f"order {order.get('name')} tagged {tag}"
        shipped = self._ship(order, shipment, notify)
        if event == "shipped":
            return shipped
        # delivered
        delivered = 0
        order = self._order_for_update(order_id)
        for fulfillment in order.get("fulfillments") or []:
            if _text(fulfillment.get("status")).upper() != "SUCCESS" or fulfillment.get("displayStatus") == "DELIVERED":
                continue
            self._mutate("FulfillmentEventCreate", "fulfillmentEventCreate", {
                "fulfillmentEvent": {"fulfillmentId": fulfillment["id"], "status": "DELIVERED"}})
            delivered += 1
        return f"order {order.get('name')}: {delivered} fulfillment(s) marked delivered"

    def _tracking(self, shipment):
        if not shipment:
            return None
        info = {"company": shipment.carrier or None, "number": shipment.tracking_number or None,
                "url": shipment.tracking_url or None}
        info = {k: v for k, v in info.items() if v}
        return info or None

    def _ship(self, order, shipment, notify):
        tracking = self._tracking(shipment)
        open_orders = [fo for fo in ((order.get("fulfillmentOrders") or {}).get("nodes")) or []
                       if _text(fo.get("status")).upper() in OPEN_FULFILLMENT_ORDER]
        if open_orders:
            by_location = {}
            for fo in open_orders:
                location = (((fo.get("assignedLocation") or {}).get("location")) or {}).get("id") or ""
                by_location.setdefault(location, []).append({"fulfillmentOrderId": fo["id"]})
            created = []
            for groups in by_location.values():
                fulfillment = {"lineItemsByFulfillmentOrder": groups, "notifyCustomer": bool(notify)}
                if tracking:
                    fulfillment["trackingInfo"] = tracking
                payload = self._mutate("FulfillmentCreate", "fulfillmentCreate", {"fulfillment": fulfillment})
                created.append(_text((payload.get("fulfillment") or {}).get("id")))
            return f"order {order.get('name')} fulfilled ({', '.join(created)})"
        fulfillments = [f for f in order.get("fulfillments") or [] if _text(f.get("status")).upper() == "SUCCESS"]
        if not fulfillments:
            raise ShopError(f"Shopify order {order.get('name')} has nothing left to fulfill", kind="payload")
        number = (tracking or {}).get("number")
        known = {t.get("number") for f in fulfillments for t in f.get("trackingInfo") or []}
        if not number or number in known:
            return f"order {order.get('name')} was already fulfilled"
        self._mutate("FulfillmentTrackingUpdate", "fulfillmentTrackingInfoUpdate", {
            "fulfillmentId": fulfillments[-1]["id"], "trackingInfoInput": tracking, "notifyCustomer": bool(notify)})
        return f"order {order.get('name')}: tracking number {number} added"

    # ------------------------------------------------------------------ invoices
    def attach_invoice(self, remote_id, document):
        pdf = document.pdf or b""
        if not pdf.startswith(b"%PDF"):
            raise ShopError("the invoice file is not a PDF", kind="payload")
        if len(pdf) > MAX_PDF_BYTES:
            raise ShopError(f"the invoice PDF is larger than {MAX_PDF_BYTES // (1024 * 1024)} MB", kind="payload")
        if not document.number:
            raise ShopError("the invoice has no number", kind="payload")
        order_id = self._gid("Order", remote_id)
        namespace = str(self._opt("invoice_namespace"))
        data = self._call("OrderInvoice", {"id": order_id, "namespace": namespace})
        order = data.get("order")
        if not isinstance(order, dict):
            raise ShopError(f"Shopify order {order_id} not found", kind="not_found")
        fields = {n.get("key"): n.get("value") for n in ((order.get("metafields") or {}).get("nodes")) or []
                  if isinstance(n, dict)}
        if fields.get("invoice_number") == document.number and fields.get("invoice_pdf"):
            return fields["invoice_pdf"]

        filename = document.filename or f"{document.number}.pdf"
        target = self._payload(self._call("StagedUploadsCreate", {"input": [{
            "resource": "FILE", "filename": filename, "mimeType": "application/pdf", "httpMethod": "POST",
            "fileSize": str(len(pdf))}]}), "StagedUploadsCreate", "stagedUploadsCreate")
        if target.get("userErrors"):
            raise ShopError(f"Shopify refused the upload: {_errors_text(target['userErrors'])}", kind="payload")
        targets = target.get("stagedTargets") or []
        if not targets or not targets[0].get("url") or not targets[0].get("resourceUrl"):
            raise ShopError("Shopify answered stagedUploadsCreate without an upload target", kind="answer")
        self._upload(targets[0], filename, pdf)

        created = self._mutate("FileCreate", "fileCreate", {"files": [{
            "originalSource": targets[0]["resourceUrl"], "contentType": "FILE", "filename": filename,
            "alt": f"Invoice {document.number}"}]})
        files = created.get("files") or []
        if not files or not files[0].get("id"):
            raise ShopError("Shopify answered fileCreate without the file", kind="answer")
        if _text(files[0].get("fileStatus")).upper() == "FAILED":
            raise ShopError(f"Shopify could not process the invoice file {filename}", kind="remote")
        file_id = files[0]["id"]
        self._mutate("MetafieldsSet", "metafieldsSet", {"metafields": [
            {"ownerId": order_id, "namespace": namespace, "key": "invoice_pdf", "type": "file_reference",
             "value": file_id},
            {"ownerId": order_id, "namespace": namespace, "key": "invoice_number",
             "type": "single_line_text_field", "value": document.number},
        ]})
        return file_id

    def _upload(self, target, filename, pdf):
        """POST the file to the staged target (a storage bucket form upload, not Shopify: no token)."""
        fields = [(p.get("name"), _text(p.get("value"))) for p in target.get("parameters") or [] if p.get("name")]
        response = self.http.post(target["url"], data=fields, files={"file": (filename, pdf, "application/pdf")},
                                  idempotent=True, expected=(400, 403))
        body = response.content or b""
        if response.status_code >= 300:
            code = message = ""
            if body.strip():
                try:
                    root = safe_xml.parse_xml(body, max_bytes=MAX_UPLOAD_ANSWER_BYTES, what="staged upload answer")
                    code, message = root.findtext("Code") or "", root.findtext("Message") or ""
                except safe_xml.XMLInputError as exc:
                    message = str(exc)
            raise ShopError(f"the file store refused the invoice upload (HTTP {response.status_code} {code}): "
                            f"{message}".rstrip(": "), kind="remote")
        if body.strip():
            try:
                root = safe_xml.parse_xml(body, max_bytes=MAX_UPLOAD_ANSWER_BYTES, what="staged upload answer")
            except safe_xml.XMLInputError as exc:
                raise ShopError(f"the file store answered the upload with {exc}", kind="answer") from None
            if root.tag != "PostResponse" or not root.findtext("Key"):
                raise ShopError("the file store answered the upload with an unexpected document", kind="answer")
