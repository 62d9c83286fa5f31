"""Shopify adapter (Admin GraphQL) against the sandbox Shopify store (pure tier)."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from ecommerce import shop_contracts

from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError
from odoo.addons.b2b_ecommerce_sync.protocol.model import (
    PROGRESS_EVENTS,
    Address,
    Category,
    Customer,
    Image,
    InvoiceDocument,
    Price,
    Product,
    Shipment,
    StockLevel,
)
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_sandbox.peers.shopify import PRIMARY_LOCATION, ShopifyPeer, demo_peers
from odoo.addons.b2b_shop_shopify.protocol import ShopifyAdapter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
T0 = datetime(2025, 3, 1, 8, 0, 0)


class FakeClock:
    """Simulated time shared by the peer's cost bucket and the adapter's sleep."""

    def __init__(self, now=1_750_000_000.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def peer(clock):
    with ShopifyPeer(clock=clock) as p:
        yield p
    assert_requests_valid(p)


def assert_requests_valid(peer):
    """Every GraphQL request a test made is valid against the published 2026-07 schema, variables
    included, and uses nothing deprecated (tests/ecommerce/shop_contracts.py)."""
    problems = []
    for request in peer.requests:
        if request.path.endswith("/graphql.json"):
            body = json.loads(request.body)
            problems += [f"{body.get('operationName')}: {p}" for p in shop_contracts.shopify_problems(
                body["query"], body.get("variables") or {}, body.get("operationName"))]
    assert not problems, "\n".join(dict.fromkeys(problems))


def adapter_for(peer, clock=None, token=None, retries=0, http_sleep=None, **options):
    http = HttpClient(base_url=peer.url, retries=retries, sleep=http_sleep or (lambda s: None))
    options.setdefault("location_id", PRIMARY_LOCATION)
    adapter = ShopifyAdapter(http, {"key": token or peer.token}, options)
    if clock is not None:
        adapter.sleep = clock.sleep
    return adapter


def ops(peer, name=None):
    names = peer.operations()
    return [n for n in names if n == name] if name else names


def variables_of(peer, name):
    return [json.loads(r.body)["variables"] for r in peer.requests
            if r.path.endswith("graphql.json") and json.loads(r.body).get("operationName") == name]


# ---------------------------------------------------------------------------- class contract
def test_adapter_declares_its_platform_and_contract():
    assert (ShopifyAdapter.platform, ShopifyAdapter.label) == ("shopify", "Shopify")
    codes = dict(ShopifyAdapter.order_statuses)
    assert set(ShopifyAdapter.default_status_map) == set(PROGRESS_EVENTS)
    assert set(ShopifyAdapter.default_status_map.values()) <= set(codes)
    assert set(ShopifyAdapter.default_import_statuses) <= set(codes)
    assert set(ShopifyAdapter.default_cancel_statuses) <= set(codes)
    assert ShopifyAdapter.max_batch == 250 and ShopifyAdapter.credential_fields == ("key",)
    assert ShopifyAdapter.option_defaults["api_version"] == "2026-07"
    assert "location_id" in ShopifyAdapter.option_defaults


def test_derived_status_codes():
    derive = ShopifyAdapter.derive_status
    assert derive({"cancelledAt": "2025-01-01T00:00:00Z", "displayFinancialStatus": "PAID"}) == "cancelled"
    assert derive({"displayFinancialStatus": "PAID", "displayFulfillmentStatus": "FULFILLED"}) == "fulfilled"
    assert derive({"displayFinancialStatus": "PAID", "displayFulfillmentStatus": "UNFULFILLED"}) == "paid"
    assert derive({"displayFinancialStatus": "PENDING", "displayFulfillmentStatus": "FULFILLED"}) == "pending"
    assert derive({"displayFinancialStatus": "REFUNDED"}) == "refunded"
    assert derive({"displayFinancialStatus": "AUTHORIZED"}) == "authorized"
    assert derive({"displayFinancialStatus": "PARTIALLY_PAID"}) == "partially_paid"


# ---------------------------------------------------------------------------- connection, auth, errors
def test_connection_names_shop_and_locations(peer, clock):
    text = adapter_for(peer, clock).test_connection()
    assert "B2B Sandbox Shop" in text and "sandbox-shop.myshopify.com" in text and PRIMARY_LOCATION in text
    request = peer.requests[-1]
    assert request.path == "/admin/api/2026-07/graphql.json"
    assert request.header("X-Shopify-Access-Token") == peer.token
    body = json.loads(request.body)
    assert body["operationName"] == "ShopInfo" and "query ShopInfo" in body["query"]


def test_connection_names_the_scopes_the_token_lacks(peer, clock):
    """A custom app installed with too few access scopes: Test connection says which (write_x grants read_x), and
    that without read_locales the customers keep the shop's language; with every scope it says nothing more."""
    assert "scopes" not in adapter_for(peer, clock).test_connection()
    peer.scopes -= {"write_files", "read_locales", "read_products"}  # write_products still reads products
    text = adapter_for(peer, clock).test_connection()
    assert text.endswith("; the access token lacks the scopes write_files: Shopify will refuse what needs them; "
                         "without read_locales, the customers Odoo sends keep the shop's language")
    assert "B2B Sandbox Shop" in text


def test_wrong_token_is_http_401_kept_as_transport_error(peer, clock):
    with pytest.raises(TransportError) as err:
        adapter_for(peer, clock, token="shpat_wrong").test_connection()
    assert err.value.kind == "auth" and err.value.status == 401
    assert "Invalid API key or access token" in err.value.body
    with pytest.raises(ShopError) as err:
        ShopifyAdapter(HttpClient(base_url=peer.url, retries=0), {}).test_connection()
    assert err.value.kind == "config"


def test_missing_scope_is_an_auth_error(clock):
    with ShopifyPeer(clock=clock, scopes={"read_products"}) as peer:
        with pytest.raises(ShopError) as err:
            list(adapter_for(peer, clock).fetch_orders())
    assert err.value.kind == "auth" and "read_orders" in str(err.value)
    assert str(err.value).startswith("the Shopify access token may not run the order list (Orders): ")


def test_404_for_a_wrong_shop_path_and_not_found_order(peer, clock):
    http = HttpClient(base_url=peer.url + "/not-a-shop", retries=0, sleep=lambda s: None)
    with pytest.raises(TransportError) as err:
        ShopifyAdapter(http, {"key": peer.token}).test_connection()
    assert err.value.kind == "not_found" and err.value.status == 404
    adapter = adapter_for(peer, clock)
    with pytest.raises(ShopError) as err:
        adapter.update_order("gid://shopify/Order/999", "confirmed")
    assert err.value.kind == "not_found"
    with pytest.raises(ShopError) as err:
        adapter.attach_invoice("999", InvoiceDocument("INV/1", PDF, "inv.pdf"))
    assert err.value.kind == "not_found"
    with pytest.raises(ShopError, match="api_version: 'latest' is not one of 2026-07") as err:
        adapter_for(peer, clock, api_version="latest").test_connection()
    assert err.value.kind == "config"


def test_429_retry_after_is_honoured_then_success(peer, clock):
    waits = []
    peer.script(Response.json({"errors": "Exceeded 2 calls per second for api client."}, status=429,
                              headers={"Retry-After": "2"}))
    adapter = adapter_for(peer, clock, retries=2, http_sleep=waits.append)
    assert "B2B Sandbox Shop" in adapter.test_connection()
    assert waits == [2.0]
    assert ops(peer) == ["ShopInfo", "ShopInfo"]


def test_500_is_retried_for_reads_not_for_creating_writes(peer, clock):
    peer.add_order([{"sku": "X", "quantity": 1, "price": "10"}], created_at=T0)
    peer.script(Response.text("Internal Server Error", status=500))
    orders = list(adapter_for(peer, clock, retries=2).fetch_orders())
    assert len(orders) == 1 and ops(peer, "Orders") == ["Orders", "Orders"]

    peer.script(Response.text("Internal Server Error", status=500))
    with pytest.raises(TransportError) as err:  # a create may have happened: not sent blindly again
        adapter_for(peer, clock, retries=2)._call("CustomerCreate", {"input": {"email": "new@example.com"}})
    assert err.value.kind == "server"
    assert ops(peer, "CustomerCreate") == ["CustomerCreate"] and not peer.customers


def test_garbage_answers_are_clear_shop_errors(peer, clock):
    adapter = adapter_for(peer, clock)
    peer.script(Response.text("<html><body>502 Bad Gateway</body></html>", status=200,
                              content_type="text/html"))
    with pytest.raises(ShopError) as err:
        adapter.test_connection()
    assert err.value.kind == "answer" and "not JSON" in str(err.value)
    peer.script(Response.json({"extensions": {}}))
    with pytest.raises(ShopError) as err:
        adapter.test_connection()
    assert err.value.kind == "answer"
    assert str(err.value) == "Shopify answered the shop's details (ShopInfo) without data"
    peer.script(Response.json({"data": {"orders": {"nodes": "nope"}}}))
    with pytest.raises(ShopError) as err:
        list(adapter.fetch_orders())
    assert err.value.kind == "answer"


def test_throttled_answer_waits_for_the_bucket_then_retries(peer, clock):
    peer.set_bucket(available=3, restore_rate=50)
    adapter = adapter_for(peer, clock)
    assert "B2B Sandbox Shop" in adapter.test_connection()
    assert peer.throttled_calls == 1
    assert clock.sleeps == [pytest.approx((13 - 3) / 50, abs=0.002)]  # (requested - available) / restoreRate
    assert ops(peer) == ["ShopInfo", "ShopInfo"]
    assert adapter.last_cost["throttleStatus"]["restoreRate"] == 50

    peer.set_bucket(available=0)
    with pytest.raises(ShopError) as err:
        adapter_for(peer, clock, throttle_retries=0).test_connection()
    assert err.value.retryable and "throttling" in str(err.value)


def test_platform_limits_cost_and_input_size(peer, clock):
    adapter = adapter_for(peer, clock)
    adapter.page_size = 30  # 30 orders x 50 lines is over Shopify's 1000 point single query limit
    with pytest.raises(ShopError) as err:
        list(adapter.fetch_orders())
    assert err.value.kind == "config" and "1000" in str(err.value)
    too_many = [{"inventoryItemId": "gid://shopify/InventoryItem/1", "locationId": PRIMARY_LOCATION,
                 "quantity": 1}] * 251
    with pytest.raises(ShopError) as err:
        adapter._call("InventorySet", {"idempotencyKey": "k1", "input": {
            "name": "available", "reason": "correction",
            "quantities": [dict(q, changeFromQuantity=None) for q in too_many]}})
    assert err.value.kind == "payload" and "maximum allowed of 250" in str(err.value)


# ---------------------------------------------------------------------------- categories
def test_push_categories_create_update_link_and_refuse(peer, clock):
    existing = peer.add_collection("Chairs")
    gone = "gid://shopify/Collection/123"
    adapter = adapter_for(peer, clock)
    results = adapter.push_categories([
        Category("cat:1", "Desks", description="<p>All desks</p>"),
        Category("cat:2", "Standing desks", parent_key="cat:1"),
        Category("cat:3", "Chairs"),
        Category("cat:4", ""),
        Category("cat:5", "Lamps", remote_id=gone),
    ])
    assert [r.key for r in results] == ["cat:1", "cat:2", "cat:3", "cat:4", "cat:5"]
    assert results[0].ok and results[0].created and peer.collections[results[0].remote_id]["title"] == "Desks"
    assert peer.collections[results[0].remote_id]["descriptionHtml"] == "<p>All desks</p>"
    assert results[1].ok  # flat: the parent is ignored
    assert results[2].remote_id == existing and not results[2].created  # linked by title, not duplicated
    assert "Title can't be blank" in results[3].error
    assert results[4].ok and results[4].created and results[4].remote_id != gone
    assert sorted(c["title"] for c in peer.collections.values()) == ["Chairs", "Desks", "Lamps", "Standing desks"]

    renamed = adapter.push_categories([Category("cat:1", "Desks & tables", remote_id=results[0].remote_id)])
    assert renamed[0].remote_id == results[0].remote_id and not renamed[0].created
    assert peer.collections[results[0].remote_id]["title"] == "Desks & tables"


# ---------------------------------------------------------------------------- products
def test_push_products_creates_links_by_sku_and_refuses_per_record(peer, clock):
    existing = peer.add_product("SHOP-DESK", "Old desk title", price="400.00", quantity=5)
    collection = peer.add_collection("Desks")
    adapter = adapter_for(peer, clock)
    results = adapter.push_products([
        Product("SHOP-DESK", "Standing desk", price=Decimal("499"), barcode="8712345000017",
                weight=Decimal("32.5"), category_remote_ids=[collection], description="<p>Oak</p>"),
        Product("SHOP-NEW", "New lamp", price=Decimal("19.95"), active=False, tax_class="exempt",
                images=[Image("lamp.png", url="https://odoo.example/web/image/1")], attributes={"colour": "black"}),
        Product("SHOP-BAD", "", price=Decimal("5")),
    ])
    desk, lamp, bad = results
    assert desk.ok and desk.remote_id == existing and not desk.created
    assert [p for p in peer.products.values() if "SHOP-DESK" in [peer.variants[v]["sku"] for v in p["variants"]]] \
        == [peer.products[existing]]  # linked and updated, not duplicated
    product = peer.products[existing]
    variant = peer.variant_by_sku("SHOP-DESK")
    assert product["title"] == "Standing desk" and product["collections"] == [collection]
    assert product["descriptionHtml"] == "<p>Oak</p>" and product["status"] == "ACTIVE"
    assert variant["price"] == "499.00" and variant["barcode"] == "8712345000017"
    assert peer.inventory_items[variant["inventoryItem"]]["weight"] == {"unit": "KILOGRAMS", "value": 32.5}
    assert peer.stock("SHOP-DESK") == 5  # same variant and inventory item kept

    assert lamp.ok and lamp.created
    new = peer.products[lamp.remote_id]
    assert new["status"] == "DRAFT" and new["files"][0]["originalSource"] == "https://odoo.example/web/image/1"
    assert new["metafields"][("custom", "colour")]["value"] == "black"
    assert peer.variant_by_sku("SHOP-NEW")["taxable"] is False
    assert peer.inventory_items[peer.variant_by_sku("SHOP-NEW")["inventoryItem"]]["tracked"] is True

    assert not bad.ok and "Title can't be blank" in bad.error
    assert ops(peer, "VariantsBySku") == ["VariantsBySku"]  # one lookup for the batch
    assert 'sku:"SHOP-DESK"' in variables_of(peer, "VariantsBySku")[0]["query"]

    # by remote id; a product deleted in Shopify is created again
    again = adapter.push_products([Product("SHOP-DESK", "Standing desk XL", price=Decimal("520"),
                                           remote_id=existing)])
    assert again[0].remote_id == existing and peer.products[existing]["title"] == "Standing desk XL"
    peer.delete_product(lamp.remote_id)
    recreated = adapter.push_products([Product("SHOP-NEW", "New lamp", price=Decimal("19.95"),
                                               remote_id=lamp.remote_id)])
    assert recreated[0].ok and recreated[0].created and recreated[0].remote_id != lamp.remote_id


# ---------------------------------------------------------------------------- stock
def test_push_stock_in_batches_of_250(peer, clock):
    for n in range(600):
        peer.add_product(f"SKU-{n:04d}", price="1.00")
    adapter = adapter_for(peer, clock)
    levels = [StockLevel(f"SKU-{n:04d}", Decimal(n)) for n in range(600)]
    results = adapter.push_stock(levels)
    assert all(r.ok for r in results) and [r.key for r in results] == [lvl.sku for lvl in levels]
    calls = variables_of(peer, "InventorySet")
    assert [len(c["input"]["quantities"]) for c in calls] == [250, 250, 100]
    first = calls[0]["input"]
    assert first == {"name": "available", "reason": "correction", "quantities": first["quantities"]}
    assert first["quantities"][0] == {"inventoryItemId": peer.variant_by_sku("SKU-0000")["inventoryItem"],
                                      "locationId": PRIMARY_LOCATION, "quantity": 0, "changeFromQuantity": None}
    # one idempotency key per call
    keys = [c["idempotencyKey"] for c in calls]
    assert len(set(keys)) == 3 and all(len(k) == 36 for k in keys)
    assert peer.stock("SKU-0000") == 0 and peer.stock("SKU-0599") == 599 and peer.stock("SKU-0250") == 250
    assert results[7].remote_id == peer.variant_by_sku("SKU-0007")["inventoryItem"]


def test_push_stock_refused_records_and_special_cases(peer, clock):
    for sku in ("A", "B", "C", "D"):
        peer.add_product(sku, quantity=1)
    adapter = adapter_for(peer, clock)
    assert all(r.ok for r in adapter.push_stock([StockLevel("A", Decimal(2)), StockLevel("B", Decimal(2))]))
    # B's inventory item disappears in Shopify: the mutation is all or nothing, so the rest is sent again
    del peer.inventory_items[peer.variant_by_sku("B")["inventoryItem"]]
    before = len(ops(peer, "InventorySet"))
    results = adapter.push_stock([
        StockLevel("A", Decimal("7.9")), StockLevel("B", Decimal(3)), StockLevel("C", Decimal(-4)),
        StockLevel("MISSING", Decimal(1)), StockLevel("D", Decimal(0), manage_stock=False),
    ])
    a, b, c, missing, d = results
    assert a.ok and peer.stock("A") == 7  # whole units
    assert not b.ok and "inventory item could not be found" in b.error
    assert c.ok and peer.stock("C") == 0  # Shopify takes no negative stock
    assert "not in Shopify" in missing.error
    assert d.ok and peer.inventory_items[peer.variant_by_sku("D")["inventoryItem"]]["tracked"] is False
    assert len(ops(peer, "InventorySet")) - before == 2
    with pytest.raises(ShopError) as err:
        adapter_for(peer, clock, location_id="").push_stock([StockLevel("A", Decimal(1))])
    assert err.value.kind == "config"


# ---------------------------------------------------------------------------- prices
def test_push_prices_with_sale_prices(peer, clock):
    peer.add_product("DESK", price="400.00", compare_at_price="450.00")
    peer.add_product("CHAIR", price="100.00")
    adapter = adapter_for(peer, clock)
    results = adapter.push_prices([
        Price("DESK", Decimal("499")),
        Price("CHAIR", Decimal("299"), sale_price=Decimal("249.5")),
        Price("NOPE", Decimal("1")),
        Price("CHAIR", Decimal("-1")),
    ])
    desk, chair, nope, negative = results
    assert desk.ok and desk.remote_id == peer.variant_by_sku("DESK")["id"]
    assert peer.variant_by_sku("DESK")["price"] == "499.00"
    assert peer.variant_by_sku("DESK")["compareAtPrice"] is None  # no sale: compare-at price cleared
    assert chair.ok and peer.variant_by_sku("CHAIR")["price"] == "249.50"  # the sale price is the price
    assert peer.variant_by_sku("CHAIR")["compareAtPrice"] == "299.00"
    assert "not in Shopify" in nope.error
    assert "greater than or equal to 0" in negative.error
    calls = variables_of(peer, "VariantPrices")
    desk_product, chair_product = peer.variant_by_sku("DESK")["product"], peer.variant_by_sku("CHAIR")["product"]
    # one call per product; Shopify refused the CHAIR call as a whole, so the good entry went again alone
    assert [(c["productId"], len(c["variants"])) for c in calls] == [(desk_product, 1), (chair_product, 2),
                                                                      (chair_product, 1)]
    assert calls[2]["variants"][0] == {"id": peer.variant_by_sku("CHAIR")["id"], "price": "249.50",
                                       "compareAtPrice": "299.00"}


# ---------------------------------------------------------------------------- customers
def test_push_customers_links_by_email_and_refuses_per_record(peer, clock):
    existing = peer.add_customer("Inkoop@DeVries.example", "Anna", "de Vries")
    adapter = adapter_for(peer, clock)
    billing = Address(first_name="Anna", last_name="de Vries", company="De Vries BV", street="Keizersgracht 1",
                      city="Amsterdam", zip="1015 CJ", country_code="nl", phone="+31 20 123 4567")
    results = adapter.push_customers([
        Customer("res.partner:1", "inkoop@devries.example", "Anna", "de Vries", billing=billing, shipping=billing,
                 group="wholesale", vat="NL001234567B01", phone="+31 20 123 4567"),
        Customer("res.partner:2", "new@kantoorplein.example", "Joris", "Bakker"),
        Customer("res.partner:3", "not-an-email", "Bad"),
        Customer("res.partner:4", "", "No mail"),
    ])
    anna, joris, bad, nomail = results
    assert anna.ok and anna.remote_id == existing and not anna.created
    assert len([c for c in peer.customers.values() if c["email"].lower() == "inkoop@devries.example"]) == 1
    stored = peer.customers[existing]
    assert stored["phone"] == "+31201234567" and stored["tags"] == ["wholesale"] and "NL001234567B01" in stored["note"]
    assert stored["addresses"] == [{"firstName": "Anna", "lastName": "de Vries", "company": "De Vries BV",
                                    "address1": "Keizersgracht 1", "city": "Amsterdam", "zip": "1015 CJ",
                                    "countryCode": "NL", "phone": "+31 20 123 4567"}]
    assert joris.ok and joris.created and peer.customers[joris.remote_id]["firstName"] == "Joris"
    assert "Email is invalid" in bad.error
    assert "e-mail" in nomail.error
    # a mapping to a customer deleted in Shopify falls back to the e-mail
    del peer.customers[joris.remote_id]
    again = adapter.push_customers([Customer("res.partner:2", "new@kantoorplein.example", "Joris", "Bakker",
                                             remote_id=joris.remote_id)])
    assert again[0].ok and again[0].created and again[0].remote_id != joris.remote_id


# ---------------------------------------------------------------------------- orders
def _order(peer, minutes, **kw):
    kw.setdefault("lines", [{"sku": "SHOP-LAMP", "title": "Lamp", "quantity": 1, "price": "10.00"}])
    lines = kw.pop("lines")
    return peer.add_order(lines, created_at=T0 + timedelta(minutes=minutes),
                          updated_at=T0 + timedelta(minutes=minutes), **kw)


def test_fetch_orders_pages_oldest_first(peer, clock):
    # created in a shuffled order of update times
    ids = {}
    for n in (7, 3, 24, 0, 15, 11, 19, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 20, 21, 22, 23):
        ids[n] = _order(peer, n)
    peer.set_bucket(maximum=1000, restore_rate=50)  # a smaller bucket: paging has to wait for it
    orders = list(adapter_for(peer, clock).fetch_orders())
    assert [o.remote_id for o in orders] == [ids[n] for n in range(25)]
    calls = variables_of(peer, "Orders")
    pages = list(dict.fromkeys(c["after"] for c in calls))
    assert len(pages) == 3 and pages[0] is None and all(c["first"] == 10 for c in calls)
    # a page asks for 922 points and uses 432 (one line per order): the second page is throttled once,
    # the adapter waits (922 - 568) / 50 s and sends it again
    assert len(calls) == 3 + peer.throttled_calls and peer.throttled_calls >= 1
    assert clock.sleeps[0] == pytest.approx((922 - 568) / 50, abs=0.002)
    assert orders[0].created_at == T0 and orders[0].updated_at == T0 and orders[0].created_at.tzinfo is None


def test_fetch_orders_since_and_status_filters(peer, clock):
    paid = _order(peer, 1, financial_status="PAID")
    _order(peer, 2, financial_status="PENDING", gateway="bank_deposit")
    cancelled = _order(peer, 3, financial_status="VOIDED", cancelled=True)
    late_paid = _order(peer, 30, financial_status="PAID")
    shipped = _order(peer, 31, financial_status="PAID", fulfillment_status="FULFILLED")
    _order(peer, 32, financial_status="AUTHORIZED")
    adapter = adapter_for(peer, clock)

    assert [o.remote_id for o in adapter.fetch_orders(statuses=["paid"])] == [paid, late_paid]
    assert 'financial_status:paid' == variables_of(peer, "Orders")[-1]["query"]
    since = T0 + timedelta(minutes=30)
    found = list(adapter.fetch_orders(since=since, statuses=["paid", "cancelled", "fulfilled"]))
    assert [o.remote_id for o in found] == [late_paid, shipped]
    query = variables_of(peer, "Orders")[-1]["query"]
    assert query.startswith("updated_at:>='2025-03-01T08:30:00Z' AND (")
    assert "status:cancelled" in query and "fulfillment_status:shipped" in query
    assert [o.status for o in adapter.fetch_orders(statuses=["cancelled"])] == ["cancelled"]
    assert [o.remote_id for o in adapter.fetch_orders(statuses=["cancelled"])] == [cancelled]
    assert {o.status for o in adapter.fetch_orders(since=since)} == {"paid", "fulfilled", "authorized"}
    with pytest.raises(ShopError):
        list(adapter.fetch_orders(statuses=["shipped-ish"]))


def test_order_mapping_every_line_kind_and_money(peer, clock):
    product = peer.add_product("SHOP-DESK", "Standing desk", price="400.00")
    customer = peer.add_customer("inkoop@devries.example", "Anna", "de Vries")
    gid = peer.add_order(
        [{"sku": "SHOP-DESK", "title": "Standing desk", "quantity": 2, "price": "400.00", "discount": "40.00",
          "code": "SPRING10"},
         {"sku": "SHOP-LAMP", "title": "Desk lamp", "quantity": 3, "price": "20.00", "discount": "6.00",
          "automatic": "3 for 2"}],
        shipping=[{"title": "DHL Express", "price": "15.00", "code": "DHL-EXP", "discount": "5.00",
                   "discount_code": "SHIPFIVE"}],
        fees=[{"name": "Pallet fee", "price": "25.00"}],
        gift_card="100.00", taxes_included=False, tax_rate="21", email="inkoop@devries.example",
        customer=customer, financial_status="PAID", note="Dock 4", created_at=T0,
        billing={"firstName": "Anna", "lastName": "de Vries", "company": "De Vries BV", "address1": "Keizersgracht 1",
                 "address2": "2nd floor", "city": "Amsterdam", "zip": "1015 CJ", "provinceCode": "NH",
                 "countryCodeV2": "NL", "phone": "+31201234567"},
        shipping_address={"firstName": "Piet", "lastName": "Jansen", "address1": "Havenstraat 9", "city": "Rotterdam",
                          "zip": "3011 AA", "provinceCode": "ZH", "countryCodeV2": "NL", "company": ""})
    [order] = list(adapter_for(peer, clock).fetch_orders())
    assert order.remote_id == gid and order.number == "#1001" and order.status == "paid"
    assert order.currency == "EUR" and order.prices_include_tax is False and order.note == "Dock 4"
    assert order.email == "inkoop@devries.example" and order.customer_remote_id == customer
    assert order.created_at == T0
    kinds = [(line.kind, line.name) for line in order.lines]
    assert kinds == [("product", "Standing desk"), ("product", "Desk lamp"), ("shipping", "DHL Express"),
                     ("fee", "Pallet fee"), ("coupon", "Discount code SPRING10"), ("coupon", "Discount code SHIPFIVE"),
                     ("gift_card", "Gift card")]
    desk, lamp, ship, fee, spring, shipfive, gift = order.lines
    assert (desk.sku, desk.quantity, desk.unit_price, desk.discount) == ("SHOP-DESK", 2, Decimal("400.00"), 0)
    assert desk.product_remote_id == product and desk.tax_rate == Decimal("21")
    assert desk.tax_amount == Decimal("159.60")  # 21 % of (800 - 40): Shopify taxes the discounted line
    assert (lamp.quantity, lamp.unit_price, lamp.discount) == (3, Decimal("20.00"), Decimal("6.00"))  # automatic
    assert lamp.product_remote_id == ""
    assert (ship.unit_price, ship.discount, ship.sku) == (Decimal("15.00"), 0, "DHL-EXP")
    assert (fee.unit_price, fee.tax_amount) == (Decimal("25.00"), Decimal("5.25"))
    assert (spring.unit_price, spring.sku, spring.quantity) == (Decimal("-40.00"), "SPRING10", 1)
    assert shipfive.unit_price == Decimal("-5.00")
    assert gift.unit_price == Decimal("-100.00")
    # 760 + 54 + 10 + 25 = 849 net; tax 21 % = 178.29; Shopify total 1027.29; 100 paid by gift card
    assert order.total_tax == Decimal("178.29")
    assert order.total == Decimal("927.29")
    assert sum(line.subtotal for line in order.lines) + order.total_tax == order.total
    assert order.paid and order.paid_amount == Decimal("927.29")
    assert order.payment_method == "Shopify Payments" and order.transaction_id.startswith("r")
    assert order.billing.company == "De Vries BV" and order.billing.street2 == "2nd floor"
    assert order.billing.country_code == "NL" and order.billing.state_code == "NH"
    assert order.billing.email == "inkoop@devries.example" and order.billing.phone == "+31201234567"
    assert order.shipping.name == "Piet Jansen" and order.shipping.city == "Rotterdam"
    assert order.raw["id"] == gid

    # coupon amounts kept in the lines instead
    [allocated] = list(adapter_for(peer, clock, coupon_lines="allocated").fetch_orders())
    assert allocated.lines[0].discount == Decimal("40.00") and allocated.lines[2].discount == Decimal("5.00")
    coupons = [line for line in allocated.lines if line.kind == "coupon"]
    assert [c.unit_price for c in coupons] == [0, 0] and "-40.00" in coupons[0].name
    assert sum(line.subtotal for line in allocated.lines) + allocated.total_tax == allocated.total


def test_order_money_in_presentment_currency_and_payment_states(peer, clock):
    peer.add_order([{"sku": "A", "quantity": 1, "price": "100.00"}], presentment_currency="USD",
                   presentment_rate="1.10", financial_status="PARTIALLY_REFUNDED", refund_amount="20.00",
                   created_at=T0)
    peer.add_order([{"sku": "A", "quantity": 1, "price": "50.00"}], financial_status="PENDING",
                   gateway="bank_deposit", created_at=T0 + timedelta(minutes=1))
    shop, pending = list(adapter_for(peer, clock).fetch_orders())
    assert shop.currency == "EUR" and shop.total == Decimal("100.00") and shop.paid
    assert shop.paid_amount == Decimal("80.00") and shop.status == "partially_refunded"
    assert not pending.paid and pending.paid_amount == 0 and pending.payment_method == "bank_deposit"
    [usd, _] = list(adapter_for(peer, clock, money="presentment").fetch_orders())
    assert usd.currency == "USD" and usd.total == Decimal("110.00") and usd.lines[0].unit_price == Decimal("110.00")


def test_orders_with_more_lines_than_one_page(peer, clock):
    lines = [{"sku": f"L{n}", "title": f"Line {n}", "quantity": 1, "price": "1.00"} for n in range(120)]
    peer.add_order(lines, created_at=T0)
    [order] = list(adapter_for(peer, clock).fetch_orders())
    assert [line.sku for line in order.product_lines()] == [f"L{n}" for n in range(120)]
    assert ops(peer, "OrderLineItems") == ["OrderLineItems"]  # 50 in the order page, 70 in one more call
    assert order.total == Decimal("120.00")


# ---------------------------------------------------------------------------- order updates
def test_update_order_events(peer, clock):
    gid = _order(peer, 0, financial_status="PAID")
    adapter = adapter_for(peer, clock)
    order = peer.orders[gid]

    assert "tagged" in adapter.update_order(gid, "confirmed")
    assert order["tags"] == ["odoo-confirmed"]
    adapter.update_order(gid, "confirmed")
    assert ops(peer, "OrderTagsAdd") == ["OrderTagsAdd"]  # already tagged: nothing sent

    shipment = Shipment("DHL", "JJD000390007", "https://dhl.example/track/JJD000390007")
    adapter.update_order(gid.rsplit("/", 1)[1], "shipped", shipment=shipment, notify=True)  # numeric id works too
    assert order["displayFulfillmentStatus"] == "FULFILLED"
    [sent] = peer.shipments
    assert sent["notify"] is True and sent["tracking"] == [
        {"company": "DHL", "number": "JJD000390007", "url": "https://dhl.example/track/JJD000390007"}]
    fulfillment_input = variables_of(peer, "FulfillmentCreate")[0]["fulfillment"]
    assert fulfillment_input["lineItemsByFulfillmentOrder"] == [
        {"fulfillmentOrderId": order["fulfillmentOrders"][0]["id"]}]

    # shipped again with another parcel number: tracking added to the fulfillment, no second fulfillment
    adapter.update_order(gid, "shipped", shipment=Shipment("DHL", "JJD000390008"))
    assert len(order["fulfillments"]) == 1 and order["fulfillments"][0]["trackingInfo"][0]["number"] == "JJD000390008"
    adapter.update_order(gid, "shipped", shipment=Shipment("DHL", "JJD000390008"))
    assert ops(peer, "FulfillmentTrackingUpdate") == ["FulfillmentTrackingUpdate"]

    adapter.update_order(gid, "delivered")
    assert [e["status"] for e in peer.fulfillment_events] == ["DELIVERED"]
    assert order["fulfillments"][0]["displayStatus"] == "DELIVERED"
    adapter.update_order(gid, "delivered")
    assert len(peer.fulfillment_events) == 1
    with pytest.raises(ShopError) as err:
        adapter.update_order(gid, "lost")
    assert err.value.kind == "config"
    with pytest.raises(ShopError):
        adapter.update_order(gid, "shipped", status="teleported")


def test_delivered_fulfills_first_and_cancel(peer, clock):
    adapter = adapter_for(peer, clock)
    first = _order(peer, 0)
    adapter.update_order(first, "delivered")
    assert len(peer.shipments) == 1 and [e["status"] for e in peer.fulfillment_events] == ["DELIVERED"]

    second = _order(peer, 1)
    adapter.update_order(second, "cancelled", notify=True)
    assert peer.orders[second]["cancelledAt"]
    cancel = variables_of(peer, "OrderCancel")[0]
    assert (cancel["reason"], cancel["restock"], cancel["notifyCustomer"]) == ("OTHER", True, True)
    assert "refund" not in cancel and "refundMethod" not in cancel  # nothing refunded
    assert peer.cancellations[0]["refund"] is False
    assert peer.cancellations[0]["order"] == second
    adapter.update_order(second, "cancelled")
    assert len(variables_of(peer, "OrderCancel")) == 1  # already cancelled: nothing sent
    with pytest.raises(ShopError) as err:
        adapter.update_order(second, "shipped")
    assert err.value.kind == "payload"
    # Shopify refuses to cancel a fulfilled order: the refusal is a clear ShopError
    refused = r"^Shopify refused the cancellation of an order \(OrderCancel\): .*fulfilled items"
    with pytest.raises(ShopError, match=refused):
        adapter.update_order(first, "cancelled")


# ---------------------------------------------------------------------------- invoices
def test_attach_invoice_uploads_once_per_number(peer, clock):
    gid = _order(peer, 0)
    adapter = adapter_for(peer, clock)
    reference = adapter.attach_invoice(gid, InvoiceDocument("INV/2025/00042", PDF, "INV_2025_00042.pdf"))
    assert reference.startswith("gid://shopify/GenericFile/")
    assert peer.invoices[gid] == {"number": "INV/2025/00042", "file": reference, "pdf": PDF}
    assert peer.files[reference]["filename"] == "INV_2025_00042.pdf"
    metafields = peer.orders[gid]["metafields"]
    assert metafields[("b2b", "invoice_pdf")]["type"] == "file_reference"
    assert metafields[("b2b", "invoice_number")]["value"] == "INV/2025/00042"
    staged = variables_of(peer, "StagedUploadsCreate")[0]["input"][0]
    assert staged == {"resource": "FILE", "filename": "INV_2025_00042.pdf", "mimeType": "application/pdf",
                      "httpMethod": "POST", "fileSize": str(len(PDF))}
    upload = [r for r in peer.requests if r.path == "/staged-uploads"][0]
    assert upload.header("X-Shopify-Access-Token") is None  # the token never goes to the file store

    assert adapter.attach_invoice(gid, InvoiceDocument("INV/2025/00042", PDF, "again.pdf")) == reference
    assert ops(peer, "StagedUploadsCreate") == ["StagedUploadsCreate"] and len(peer.files) == 1

    credit = adapter.attach_invoice(gid, InvoiceDocument("INV/2025/00043", PDF + b"%", "INV_2025_00043.pdf"))
    assert credit != reference and peer.invoices[gid]["number"] == "INV/2025/00043"
    with pytest.raises(ShopError, match="not a PDF"):
        adapter.attach_invoice(gid, InvoiceDocument("INV/2025/00044", b"<html/>", "x.pdf"))


def test_attach_invoice_upload_refused_by_the_file_store(peer, clock):
    gid = _order(peer, 0)
    adapter = adapter_for(peer, clock)
    original = adapter._upload

    def tampered(target, filename, pdf):
        params = [dict(p, value="forged") if p["name"] == "x-goog-signature" else p for p in target["parameters"]]
        return original(dict(target, parameters=params), filename, pdf)

    adapter._upload = tampered
    with pytest.raises(ShopError) as err:
        adapter.attach_invoice(gid, InvoiceDocument("INV/1", PDF, "inv.pdf"))
    assert "SignatureDoesNotMatch" in str(err.value) and "403" in str(err.value)
    assert gid not in peer.invoices and not peer.files


# ---------------------------------------------------------------------------- demo
def test_demo_peer_is_seeded():
    [peer] = demo_peers()
    assert peer.port == 8075 and peer.token == "shpat_sandbox_b2b_connect_demo"
    assert {peer.variants[v]["sku"] for p in peer.products.values() for v in p["variants"]} == {
        "SHOP-DESK", "SHOP-CHAIR", "SHOP-LAMP"}
    peer.port = 0
    with peer:
        orders = list(adapter_for(peer).fetch_orders())
    assert [o.status for o in orders] == ["paid", "pending", "cancelled"]
    paid = orders[0]
    assert {line.kind for line in paid.lines} == {"product", "shipping", "coupon", "gift_card"}
    assert sum(line.subtotal for line in paid.lines) == paid.total
