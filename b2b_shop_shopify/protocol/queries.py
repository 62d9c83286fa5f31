"""The GraphQL documents the Shopify adapter sends, by operation name (the selections its parsers read).

Written against the Admin API schema of :data:`.options.DEFAULT_API_VERSION` and held against it in the pure
tests (tests/ecommerce/test_shopify_contract.py: every document and every variables set validates, none uses
a field, argument, input field or enum value the schema marks deprecated). ``DOING`` says what each one does,
for people: the errors name it so, in the user's language, with the operation name after it."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from odoo.addons.b2b_connector_base.lib.errors import _lt

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
  currentAppInstallation { accessScopes { handle } }
}""",
    "CollectionsByTitle": """query CollectionsByTitle($query: String!) {
  collections(first: 250, query: $query) { nodes { id title handle } }
}""",
    "CollectionCreate": """mutation CollectionCreate($collection: CollectionCreateInput!) {
  collectionCreate(collection: $collection) { collection { id title handle } userErrors { field message } }
}""",
    "CollectionUpdate": """mutation CollectionUpdate($collection: CollectionUpdateInput!) {
  collectionUpdate(collection: $collection) { collection { id title handle } userErrors { field message } }
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
    "ProductSet": """mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!,
    $synchronous: Boolean!) {
  productSet(identifier: $identifier, input: $input, synchronous: $synchronous) {
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
    "InventorySet": """mutation InventorySet($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
    inventoryAdjustmentGroup { reason changes { name delta } }
    userErrors { field message code }
  }
}""",
    "InventoryItemTracking": """mutation InventoryItemTracking($id: ID!, $input: InventoryItemInput!) {
  inventoryItemUpdate(id: $id, input: $input) { inventoryItem { id tracked } userErrors { field message } }
}""",
    "CustomersByEmail": """query CustomersByEmail($query: String!) {
  customers(first: 250, query: $query) { nodes { id defaultEmailAddress { emailAddress } } }
}""",
    "ShopLocales": """query ShopLocales {
  shopLocales(published: true) { locale primary }
}""",
    "CustomerCreate": """mutation CustomerCreate($input: CustomerSetInput!) {
  customerSet(input: $input) {
    customer { id defaultEmailAddress { emailAddress } }
    userErrors { field message code }
  }
}""",
    "CustomerUpdate": """mutation CustomerUpdate($id: ID!, $input: CustomerSetInput!) {
  customerSet(identifier: {id: $id}, input: $input) {
    customer { id defaultEmailAddress { emailAddress } }
    userErrors { field message code }
  }
}""",
    "Orders": _MONEY + "\n" + _ADDRESS + "\n" + _LINE_ITEM + """
query Orders($first: Int!, $after: String, $query: String, $lineFirst: Int!) {
  orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name createdAt updatedAt cancelledAt note email customerLocale
      currencyCode presentmentCurrencyCode taxesIncluded
      displayFinancialStatus displayFulfillmentStatus paymentGatewayNames tags
      customer { id defaultEmailAddress { emailAddress } }
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
        id kind status gateway formattedGateway paymentId amountSet { ...Money }
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
    "OrderCancel": """mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!,
    $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock,
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
    "ShopInfo", "CollectionsByTitle", "VariantsBySku", "ProductById", "CustomersByEmail", "ShopLocales", "Orders",
    "OrderLineItems",
    "OrderForUpdate", "OrderInvoice", "CollectionUpdate", "VariantPrices", "InventorySet",
    "InventoryItemTracking", "CustomerUpdate", "OrderTagsAdd", "MetafieldsSet", "StagedUploadsCreate",
})

# what each operation does, as an error says it ("Shopify refused <the cancellation of the order> (OrderCancel)")
DOING = {
    "ShopInfo": _lt("the shop's details"),
    "CollectionsByTitle": _lt("the search of collections by title"),
    "CollectionCreate": _lt("the creation of a collection"),
    "CollectionUpdate": _lt("the update of a collection"),
    "VariantsBySku": _lt("the search of products by SKU"),
    "ProductById": _lt("reading a product"),
    "ProductSet": _lt("saving a product"),
    "VariantPrices": _lt("the prices of the product variants"),
    "InventorySet": _lt("the stock quantities"),
    "InventoryItemTracking": _lt("the stock tracking of the products"),
    "CustomersByEmail": _lt("the search of customers by e-mail"),
    "ShopLocales": _lt("the shop's languages"),
    "CustomerCreate": _lt("the creation of a customer"),
    "CustomerUpdate": _lt("the update of a customer"),
    "Orders": _lt("the order list"),
    "OrderLineItems": _lt("the lines of an order"),
    "OrderForUpdate": _lt("reading an order"),
    "OrderTagsAdd": _lt("tagging an order"),
    "FulfillmentCreate": _lt("the fulfilment of an order"),
    "FulfillmentTrackingUpdate": _lt("the tracking number of a fulfilment"),
    "FulfillmentEventCreate": _lt("the delivery event of a fulfilment"),
    "OrderCancel": _lt("the cancellation of an order"),
    "OrderInvoice": _lt("the invoice of an order"),
    "StagedUploadsCreate": _lt("the upload target of the invoice PDF"),
    "FileCreate": _lt("filing the invoice PDF"),
    "MetafieldsSet": _lt("the invoice fields of an order"),
}
