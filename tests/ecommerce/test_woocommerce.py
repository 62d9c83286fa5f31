"""WooCommerce adapter against the sandbox WooCommerce peer (pure tier)."""

import base64
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import requests

from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_sandbox.peers.woocommerce import (
    DEMO_APP_PASSWORD,
    DEMO_KEY,
    DEMO_SECRET,
    DEMO_WP_USER,
    WooCommercePeer,
    demo_peers,
)
from odoo.addons.b2b_shop_woocommerce.protocol import WooCommerceAdapter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
T0 = datetime(2026, 3, 2, 9, 0, 0)


class FakeClock:
    def __init__(self, now=1_790_000_000.0):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def peer():
    with WooCommercePeer(gmt_offset=2) as p:
        yield p


def adapter_for(peer, credentials=None, retries=0, sleep=None, **options):
    http = HttpClient(base_url=peer.url, retries=retries, sleep=sleep or (lambda s: None))
    return WooCommerceAdapter(http, credentials or {"key": DEMO_KEY, "secret": DEMO_SECRET}, options)


def calls(peer, method, path):
    return [r for r in peer.requests if r.method == method and r.path == path]


def basic_user(request):
    return base64.b64decode(request.header("Authorization")[6:]).decode().split(":", 1)[0]


# ---------------------------------------------------------------------------- class contract
def test_declares_its_platform_statuses_and_defaults():
    assert (WooCommerceAdapter.platform, WooCommerceAdapter.label) == ("woocommerce", "WooCommerce")
    codes = {code for code, _label in WooCommerceAdapter.order_statuses}
    assert {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"} <= codes
    assert set(WooCommerceAdapter.default_status_map) == set(model.PROGRESS_EVENTS)
    assert set(WooCommerceAdapter.default_status_map.values()) <= codes
    assert set(WooCommerceAdapter.default_import_statuses) <= codes
    assert set(WooCommerceAdapter.default_cancel_statuses) <= codes
    assert WooCommerceAdapter.max_batch == 100 and WooCommerceAdapter.page_size == 100
    assert WooCommerceAdapter.credential_fields == ("key", "secret", "extra")
    assert WooCommerceAdapter.option_defaults["restock_meta_key"] == "_b2b_restock_date"
    adapter = WooCommerceAdapter(HttpClient(), {"key": "k", "secret": "s"}, {"wp_user": "bob"})
    assert adapter.options["wp_user"] == "bob" and adapter.options["shipment_tracking"] is True
    assert adapter.status_for("shipped") == "completed"
    assert adapter.status_for("shipped", {"shipped": "on-hold"}) == "on-hold"


# ---------------------------------------------------------------------------- connection and auth
def test_connection_names_the_shop_and_counts_orders(peer):
    peer.add_order(status="processing", items=[{"sku": "A", "price": "1"}])
    peer.add_order(status="pending", items=[{"sku": "A", "price": "1"}])
    message = adapter_for(peer).test_connection()
    assert "B2B Sandbox Shop" in message and "2 orders" in message and "Shipment Tracking is active" in message
    orders_call = calls(peer, "GET", "/wp-json/wc/v3/orders")[0]
    assert basic_user(orders_call) == DEMO_KEY and orders_call.query["per_page"] == "1"
    index_call = calls(peer, "GET", "/wp-json/")[0]
    assert index_call.header("Authorization") is None  # a WooCommerce key would be refused by WordPress there


def test_connection_says_when_shipment_tracking_is_missing():
    with WooCommercePeer(shipment_tracking=False) as p:
        assert "Shipment Tracking is not installed" in adapter_for(p).test_connection()


def test_wrong_credentials_keep_the_transport_error(peer):
    with pytest.raises(TransportError) as err:
        adapter_for(peer, {"key": DEMO_KEY, "secret": "cs_wrong"}).test_connection()
    assert err.value.kind == "auth" and err.value.status == 401
    assert "Consumer secret is invalid" in str(err.value)
    with pytest.raises(TransportError, match="Consumer key is invalid"):
        adapter_for(peer, {"key": "ck_wrong", "secret": DEMO_SECRET}).push_prices(
            [model.Price(sku="X", price=Decimal(1), remote_id="5")])
    assert "cs_wrong" not in str(err.value)
    peer.reset()
    with pytest.raises(ShopError) as err:
        adapter_for(peer, {"key": "", "secret": ""}).test_connection()
    assert err.value.kind == "config" and peer.requests == []


def test_query_string_auth(peer):
    adapter = adapter_for(peer, query_string_auth=True)
    assert "0 orders" in adapter.test_connection()
    call = calls(peer, "GET", "/wp-json/wc/v3/orders")[0]
    assert call.query["consumer_key"] == DEMO_KEY and call.header("Authorization") is None


def test_read_only_key_cannot_write():
    with WooCommercePeer(read_only=True) as p:
        product = p.add_product("RO-1", price="5.00")
        with pytest.raises(TransportError, match="does not have write permissions") as err:
            adapter_for(p).push_prices([model.Price(sku="RO-1", price=Decimal(9), remote_id=str(product["id"]))])
        assert err.value.kind == "auth" and p.products[product["id"]]["regular_price"] == "5.00"


# ---------------------------------------------------------------------------- categories
def test_categories_parents_first_then_linked_not_duplicated(peer):
    existing = peer.add_category("Lighting")
    cats = [
        model.Category(key="c:2", name="Desks", parent_key="c:1", description="Sit-stand"),
        model.Category(key="c:1", name="Furniture"),
        model.Category(key="c:3", name="Lamps & lights", remote_id=str(existing["id"])),
    ]
    results = adapter_for(peer).push_categories(cats)
    assert [r.key for r in results] == ["c:2", "c:1", "c:3"] and all(r.ok for r in results)
    desks, furniture = peer.categories[int(results[0].remote_id)], peer.categories[int(results[1].remote_id)]
    assert desks["parent"] == furniture["id"] and furniture["parent"] == 0
    assert desks["description"] == "Sit-stand"
    assert peer.categories[existing["id"]]["name"] == "Lamps &amp; lights"  # as WordPress keeps term names
    assert results[0].created and not results[2].created
    batches = calls(peer, "POST", "/wp-json/wc/v3/products/categories/batch")
    assert [sorted(json.loads(b.body)) for b in batches] == [["create", "update"], ["create"]]
    # pushed again without remote ids: WooCommerce says term_exists with the id, the adapter links
    count = len(peer.categories)
    again = adapter_for(peer).push_categories([model.Category(key="c:1", name="Furniture"),
                                               model.Category(key="c:2", name="Desks", parent_key="c:1")])
    assert [r.remote_id for r in again] == [results[1].remote_id, results[0].remote_id]
    assert not any(r.created for r in again) and all(r.ok for r in again)
    assert len(peer.categories) == count


# ---------------------------------------------------------------------------- products
def test_products_create_update_and_link_existing_sku(peer):
    cat = peer.add_category("Desks")
    desk = peer.add_product("SHOP-DESK", "Desk", "349.00")
    results = adapter_for(peer).push_products([
        model.Product(sku="SHOP-DESK", name="Standing desk", price=Decimal("399.5"), barcode="8712345678906",
                      weight=Decimal("38.50"), category_remote_ids=[str(cat["id"])],
                      attributes={"purchase_note": "Assembly guide inside", "_brand": "Acme"}),
        model.Product(sku="NEW-1", name="New lamp", price=Decimal("12"), active=False, tax_class="reduced-rate",
                      description="<p>Bright</p>"),
    ])
    assert results[0] == model.Result("SHOP-DESK", remote_id=str(desk["id"]), created=False)
    assert results[1].ok and results[1].created
    assert len(peer.products) == 2
    updated = peer.products[desk["id"]]
    assert updated["name"] == "Standing desk" and updated["regular_price"] == "399.50"
    assert updated["global_unique_id"] == "8712345678906" and updated["weight"] == "38.5"
    assert updated["purchase_note"] == "Assembly guide inside" and peer.meta(updated, "_brand") == "Acme"
    assert [c["id"] for c in updated["categories"]] == [cat["id"]]
    new = peer.products[int(results[1].remote_id)]
    assert new["status"] == "draft" and new["tax_class"] == "reduced-rate" and new["type"] == "simple"
    lookup = calls(peer, "GET", "/wp-json/wc/v3/products")
    assert len(lookup) == 1 and set(lookup[0].query["sku"].split(",")) == {"SHOP-DESK", "NEW-1"}
    (batch,) = calls(peer, "POST", "/wp-json/wc/v3/products/batch")
    body = json.loads(batch.body)
    assert [p["sku"] for p in body["update"]] == ["SHOP-DESK"] and [p["sku"] for p in body["create"]] == ["NEW-1"]


def test_refused_product_among_good_ones(peer):
    results = adapter_for(peer).push_products([
        model.Product(sku="OK-1", name="One", price=Decimal(1)),
        model.Product(sku="BAD-GTIN", name="Two", price=Decimal(2), barcode="not-a-gtin!"),
        model.Product(sku="OK-3", name="Three", price=Decimal(3)),
    ])
    assert [r.ok for r in results] == [True, False, True]
    assert "GTIN" in results[1].error and "product_invalid_global_unique_id" in results[1].error
    assert sorted(p["sku"] for p in peer.products.values()) == ["OK-1", "OK-3"]


def test_duplicate_sku_refused_on_create_is_linked(peer, monkeypatch):
    existing = peer.add_product("RACE-1", "Raced", "1.00")
    adapter = adapter_for(peer)
    monkeypatch.setattr(adapter, "_products_by_sku", lambda skus: {})  # created elsewhere after our lookup
    (result,) = adapter.push_products([model.Product(sku="RACE-1", name="Raced v2", price=Decimal(2))])
    assert result == model.Result("RACE-1", remote_id=str(existing["id"]), created=False)
    assert len(peer.products) == 1 and peer.products[existing["id"]]["name"] == "Raced v2"
    batches = [json.loads(r.body) for r in calls(peer, "POST", "/wp-json/wc/v3/products/batch")]
    assert list(batches[0]) == ["create"] and batches[1]["update"][0]["id"] == existing["id"]


def test_images_are_only_sent_when_they_changed(peer):
    adapter = adapter_for(peer)

    def push(checksum):
        image = model.Image("desk.png", url="https://odoo.example/web/image/1", checksum=checksum)
        return adapter.push_products([model.Product(sku="IMG-1", name="Desk", price=Decimal(1), images=[image])])

    push("c1")
    push("c1")
    push("c2")
    bodies = [json.loads(r.body) for r in calls(peer, "POST", "/wp-json/wc/v3/products/batch")]
    sent = [("images" in (b.get("create") or b.get("update"))[0]) for b in bodies]
    assert sent == [True, False, True]
    product = next(iter(peer.products.values()))
    assert product["images"][0]["src"] == "https://odoo.example/web/image/1"
    assert peer.meta(product, "_b2b_image_checksums") == "c2"


def test_batches_split_at_100(peer):
    products = [model.Product(sku=f"BULK-{n:03d}", name=f"Bulk {n}", price=Decimal(n)) for n in range(250)]
    results = adapter_for(peer).push_products(products)
    assert len(results) == 250 and all(r.ok and r.created for r in results)
    assert [r.key for r in results] == [p.sku for p in products]
    batches = calls(peer, "POST", "/wp-json/wc/v3/products/batch")
    assert [len(json.loads(b.body)["create"]) for b in batches] == [100, 100, 50]
    assert len(calls(peer, "GET", "/wp-json/wc/v3/products")) == 3  # SKU lookups, 100 per call
    assert len(peer.products) == 250
    assert peer.products[int(results[249].remote_id)]["regular_price"] == "249.00"


def test_batch_halved_when_the_site_lowered_the_limit():
    with WooCommercePeer(batch_limit=30) as p:
        results = adapter_for(p).push_products(
            [model.Product(sku=f"L-{n}", name=f"L {n}", price=Decimal(1)) for n in range(70)])
        assert all(r.ok for r in results) and len(p.products) == 70
        sizes = [len(json.loads(r.body)["create"]) for r in calls(p, "POST", "/wp-json/wc/v3/products/batch")]
        assert sizes == [70, 35, 18, 18, 18, 16]  # refused twice, then 18 a request


def test_batch_over_the_limit_is_refused_by_the_peer(peer):
    response = requests.post(f"{peer.url}/wp-json/wc/v3/products/batch", auth=(DEMO_KEY, DEMO_SECRET),
                             json={"create": [{"name": "x"}] * 60, "update": [{"id": 1}] * 41}, timeout=5)
    assert response.status_code == 413
    assert response.json()["code"] == "woocommerce_rest_request_entity_too_large"


# ---------------------------------------------------------------------------- stock and prices
def test_push_stock(peer):
    a = peer.add_product("STK-A", price="1")
    peer.add_product("STK-B", price="1", stock=9)
    peer.add_product("STK-D", price="1")
    results = adapter_for(peer).push_stock([
        model.StockLevel(sku="STK-A", quantity=Decimal("5.7"), remote_id=str(a["id"])),
        model.StockLevel(sku="STK-B", quantity=Decimal(0), restock_date=date(2026, 4, 1)),
        model.StockLevel(sku="STK-C", quantity=Decimal(3)),
        model.StockLevel(sku="STK-D", quantity=Decimal(3), manage_stock=False),
    ])
    assert [r.ok for r in results] == [True, True, False, True]
    assert results[2].error == "no product with SKU STK-C in WooCommerce"
    by_sku = {p["sku"]: p for p in peer.products.values()}
    assert by_sku["STK-A"]["stock_quantity"] == 5 and by_sku["STK-A"]["stock_status"] == "instock"
    assert peer.meta(by_sku["STK-A"], "_b2b_restock_date") == ""
    assert by_sku["STK-B"]["stock_quantity"] == 0 and by_sku["STK-B"]["stock_status"] == "outofstock"
    assert peer.meta(by_sku["STK-B"], "_b2b_restock_date") == "2026-04-01"
    assert by_sku["STK-D"]["manage_stock"] is False and by_sku["STK-D"]["stock_status"] == "instock"
    lookup = calls(peer, "GET", "/wp-json/wc/v3/products")[0]
    assert set(lookup.query["sku"].split(",")) == {"STK-B", "STK-C", "STK-D"}  # STK-A has its remote id


def test_push_stock_restock_meta_key_option(peer):
    product = peer.add_product("RS-1", price="1", stock=1)
    adapter_for(peer, restock_meta_key="_expected_back").push_stock(
        [model.StockLevel(sku="RS-1", quantity=Decimal(0), restock_date=date(2026, 5, 2),
                          remote_id=str(product["id"]))])
    assert peer.meta(peer.products[product["id"]], "_expected_back") == "2026-05-02"


def test_push_prices(peer):
    a = peer.add_product("PR-A", price="10")
    peer.add_product("PR-B", price="10")
    peer.add_product("PR-C", price="10", sale_price="8")
    results = adapter_for(peer).push_prices([
        model.Price(sku="PR-A", price=Decimal("12.5"), remote_id=str(a["id"]), sale_price=Decimal("9.99")),
        model.Price(sku="PR-B", price=Decimal("20")),
        model.Price(sku="PR-C", price=Decimal("15"), sale_price=Decimal("15")),
    ])
    assert all(r.ok for r in results)
    by_sku = {p["sku"]: p for p in peer.products.values()}
    pr_a = by_sku["PR-A"]
    assert (pr_a["regular_price"], pr_a["sale_price"], pr_a["price"]) == ("12.50", "9.99", "9.99")
    assert (by_sku["PR-B"]["regular_price"], by_sku["PR-B"]["sale_price"]) == ("20.00", "")
    assert (by_sku["PR-C"]["sale_price"], by_sku["PR-C"]["on_sale"]) == ("", False)
    update = json.loads(calls(peer, "POST", "/wp-json/wc/v3/products/batch")[0].body)["update"]
    assert update[0] == {"id": a["id"], "regular_price": "12.50", "sale_price": "9.99"}


# ---------------------------------------------------------------------------- customers
def test_customers_created_linked_by_email_and_refused(peer):
    existing = peer.add_customer("anna@devries.example", "Anna", "Old")
    adapter = adapter_for(peer, vat_meta_key="billing_vat")
    results = adapter.push_customers([
        model.Customer(key="res.partner:7", email="Anna@DeVries.example", first_name="Anna", last_name="de Vries",
                       company="De Vries BV", vat="NL123456789B01",
                       billing=model.Address(street="Keizersgracht 1", city="Amsterdam", zip="1015 AA",
                                             country_code="nl")),
        model.Customer(key="res.partner:8", email="not-an-email", first_name="Bad"),
        model.Customer(key="res.partner:9", email="jan@jansen.example", first_name="Jan", last_name="Jansen",
                       phone="+31 30 1234567",
                       shipping=model.Address(first_name="Jan", street="Oudegracht 12", city="Utrecht",
                                              country_code="NL")),
    ])
    assert results[0] == model.Result("res.partner:7", remote_id=str(existing["id"]), created=False)
    assert not results[1].ok and "valid email" in results[1].error
    assert results[2].ok and results[2].created
    assert len(peer.customers) == 2
    anna = peer.customers[existing["id"]]
    assert anna["last_name"] == "de Vries" and anna["billing"]["company"] == "De Vries BV"
    assert anna["billing"]["country"] == "NL" and anna["billing"]["address_1"] == "Keizersgracht 1"
    assert peer.meta(anna, "billing_vat") == "NL123456789B01"
    jan = peer.customers[int(results[2].remote_id)]
    assert jan["billing"]["email"] == "jan@jansen.example" and jan["billing"]["phone"] == "+31 30 1234567"
    assert jan["shipping"]["address_1"] == "Oudegracht 12"
    lookup = calls(peer, "GET", "/wp-json/wc/v3/customers")[0]
    assert lookup.query == {"email": "Anna@DeVries.example", "role": "all"}


def test_customer_update_by_remote_id(peer):
    existing = peer.add_customer("old@shop.example", "Old")
    (result,) = adapter_for(peer).push_customers([model.Customer(
        key="res.partner:3", email="new@shop.example", first_name="New", remote_id=str(existing["id"]))])
    assert result.ok and not result.created and peer.customers[existing["id"]]["email"] == "new@shop.example"


# ---------------------------------------------------------------------------- orders in
def test_fetch_orders_pages_through_all_oldest_first(peer):
    for n in range(250):
        peer.add_order(order_id=5000 + n, created=T0, modified=T0 + timedelta(minutes=250 - n),
                       items=[{"sku": "A", "price": "1"}])
    orders = list(adapter_for(peer).fetch_orders())
    assert len(orders) == 250 and len({o.remote_id for o in orders}) == 250
    assert [o.remote_id for o in orders[:2]] == ["5249", "5248"]  # least recently modified first
    assert [o.updated_at for o in orders] == sorted(o.updated_at for o in orders)
    pages = calls(peer, "GET", "/wp-json/wc/v3/orders")
    assert [r.query["page"] for r in pages] == ["1", "2", "3"]
    assert all(r.query["per_page"] == "100" and r.query["orderby"] == "modified" and r.query["order"] == "asc"
               for r in pages)


def test_fetch_orders_since_and_statuses(peer):
    for order_id, status, minutes in ((1, "processing", -10), (2, "processing", 0), (3, "on-hold", 10),
                                      (4, "completed", 20)):
        peer.add_order(order_id=order_id, status=status, modified=T0 + timedelta(minutes=minutes),
                       items=[{"sku": "A", "price": "1"}])
    adapter = adapter_for(peer)
    assert [o.remote_id for o in adapter.fetch_orders(since=T0)] == ["2", "3", "4"]
    call = calls(peer, "GET", "/wp-json/wc/v3/orders")[-1]
    assert call.query["modified_after"] == "2026-03-02T08:59:59" and call.query["dates_are_gmt"] == "true"
    assert [o.remote_id for o in adapter.fetch_orders(statuses=["processing", "on-hold"])] == ["1", "2", "3"]
    assert calls(peer, "GET", "/wp-json/wc/v3/orders")[-1].query["status"] == "processing,on-hold"
    assert [o.remote_id for o in adapter.fetch_orders(since=T0, statuses=["processing"])] == ["2"]
    with pytest.raises(ShopError) as err:
        list(adapter.fetch_orders(statuses=["shipped"]))
    assert err.value.kind == "payload" and "status" in str(err.value)


def test_order_mapping_every_line_kind_and_the_money(peer):
    peer.add_order(
        order_id=1001, status="processing", customer_id=42, transaction_id="pi_123", created=T0,
        modified=T0 + timedelta(hours=1), customer_note="Back door please",
        items=[{"sku": "SHOP-DESK", "name": "Desk", "product_id": 11, "quantity": 1, "price": "349.00",
                "discount": "34.90"},
               {"sku": "SHOP-CHAIR", "name": "Chair", "product_id": 12, "quantity": 3, "price": "10.00"}],
        shipping_lines=[{"method_title": "Flat rate", "method_id": "flat_rate", "total": "25.00"}],
        fees=[{"name": "Handling fee", "total": "5.00"}, {"name": "Gift Card GC-77", "total": "-20.00"}],
        coupons=[{"code": "b2b10"}], gift_cards=[{"code": "WCGC-1", "amount": "10.00"}],
        billing={"first_name": "Anna", "last_name": "de Vries", "company": "De Vries BV",
                 "address_1": "Keizersgracht 1", "address_2": "2nd floor", "city": "Amsterdam",
                 "postcode": "1015 AA", "state": "NH", "country": "NL",
                 "email": "anna@devries.example", "phone": "+31 20 1234567"},
        shipping={"first_name": "Piet", "last_name": "Bos", "company": "", "address_1": "Dam 1", "city": "Amsterdam",
                  "postcode": "1012 JS", "country": "NL"},
    )
    (order,) = adapter_for(peer).fetch_orders()
    raw = peer.orders[1001]
    assert raw["date_created"] == "2026-03-02T11:00:00" and raw["date_created_gmt"] == "2026-03-02T09:00:00"
    assert order.created_at == T0 and order.updated_at == T0 + timedelta(hours=1)  # naive UTC
    assert (order.remote_id, order.number, order.status, order.currency) == ("1001", "1001", "processing", "EUR")
    assert order.customer_remote_id == "42" and order.email == "anna@devries.example"
    assert order.billing == model.Address("Anna", "de Vries", "De Vries BV", "Keizersgracht 1", "2nd floor",
                                          "Amsterdam", "1015 AA", "NH", "NL", "anna@devries.example",
                                          "+31 20 1234567")
    assert order.shipping.name == "Piet Bos" and order.shipping.street == "Dam 1" and order.shipping.email == ""
    assert [line.kind for line in order.lines] == [
        "product", "product", "shipping", "fee", "gift_card", "coupon", "gift_card"]
    desk, chair, ship, fee, gift_fee, coupon, gift_card = order.lines
    assert (desk.sku, desk.product_remote_id, desk.quantity, desk.unit_price, desk.discount) == (
        "SHOP-DESK", "11", Decimal(1), Decimal("349.00"), Decimal("34.90"))
    assert desk.tax_amount == Decimal("65.96") and desk.tax_rate == Decimal(21) and desk.subtotal == Decimal("314.10")
    assert (chair.quantity, chair.unit_price, chair.discount, chair.tax_amount) == (
        Decimal(3), Decimal("10.00"), Decimal(0), Decimal("6.30"))
    assert chair.remote_id == str(raw["line_items"][1]["id"])
    assert (ship.name, ship.unit_price, ship.tax_amount, ship.tax_rate) == (
        "Flat rate", Decimal("25.00"), Decimal("5.25"), Decimal(21))
    assert (fee.name, fee.unit_price, fee.tax_amount) == ("Handling fee", Decimal("5.00"), Decimal("1.05"))
    assert (gift_fee.name, gift_fee.unit_price, gift_fee.tax_amount) == (
        "Gift Card GC-77", Decimal("-20.00"), Decimal(0))
    assert (coupon.sku, coupon.unit_price, coupon.discount) == ("b2b10", Decimal(0), Decimal(0))
    assert "34.90" in coupon.name
    assert (gift_card.sku, gift_card.unit_price) == ("WCGC-1", Decimal("-10.00"))
    assert order.total == Decimal(raw["total"]) == Decimal("422.66")
    assert order.total_tax == Decimal("78.56")
    assert sum(line.subtotal + line.tax_amount for line in order.lines) == order.total
    assert order.paid and order.paid_amount == order.total
    assert (order.payment_method, order.transaction_id) == ("stripe", "pi_123")
    assert order.prices_include_tax is False and order.note == "Back door please"
    assert order.raw["id"] == 1001


def test_names_arrive_html_escaped_and_are_read_as_text(peer):
    # WordPress keeps product titles and term names with entities; line items carry the product's title,
    # variation and texturized titles &ndash; / &#8211;
    desk = peer.add_product("SHOP-DESK", "Desk & chair set", price="349.00")
    assert desk["name"] == "Desk &amp; chair set"
    peer.site_name = "Smit &amp; Zonen"
    peer.add_order(order_id=1001, created=T0, items=[
        {"sku": "SHOP-DESK", "product_id": desk["id"], "quantity": 1, "price": "349.00"},
        {"sku": "HOODIE-B", "name": "Hoodie &ndash; Blue", "quantity": 1, "price": "30.00"},
        {"sku": "LAMP", "name": "Lamp &#8211; 40&nbsp;W &lt;LED&gt;", "quantity": 1, "price": "10.00"}],
        shipping_lines=[{"method_title": "DHL &amp; PostNL", "method_id": "flat_rate", "total": "5.00"}],
        fees=[{"name": "Pallet &amp; wrap", "total": "2.00"}])
    (order,) = adapter_for(peer).fetch_orders()
    assert [line.name for line in order.lines] == [
        "Desk & chair set", "Hoodie \u2013 Blue", "Lamp \u2013 40\u00a0W <LED>", "DHL & PostNL", "Pallet & wrap"]
    assert "“Smit & Zonen”" in adapter_for(peer).test_connection()
    # a category named with "&" is found again although WordPress answers it escaped: linked, not duplicated
    [first] = adapter_for(peer).push_categories([model.Category(key="c:1", name="Desks & tables")])
    assert peer.categories[int(first.remote_id)]["name"] == "Desks &amp; tables"
    [again] = adapter_for(peer).push_categories([model.Category(key="c:1", name="Desks & tables")])
    assert again.ok and again.remote_id == first.remote_id and not again.created


def test_order_with_prices_including_tax_and_an_unpaid_guest_order(peer):
    peer.add_order(order_id=7, status="on-hold", prices_include_tax=True, paid=False, payment_method="bacs",
                   items=[{"sku": "A", "quantity": 2, "price": "10.00", "discount": "2.00"}],
                   shipping_lines=[{"total": "5.00"}])
    (order,) = adapter_for(peer).fetch_orders()
    product, shipping = order.lines
    assert order.prices_include_tax
    assert product.unit_price == Decimal("12.10") and product.discount == Decimal("2.42")  # 20.00+4.20 / 18.00+3.78
    assert shipping.unit_price == Decimal("6.05")
    assert sum(line.subtotal for line in order.lines) == order.total == Decimal("27.83")
    assert not order.paid and order.paid_amount == 0 and order.customer_remote_id == ""
    assert order.payment_method == "bacs" and order.transaction_id == ""


def test_vat_from_order_meta(peer):
    peer.add_order(order_id=8, items=[{"sku": "A", "price": "1"}],
                   meta_data=[{"key": "_billing_vat", "value": "BE0123"}])
    (order,) = adapter_for(peer, vat_meta_key="_billing_vat").fetch_orders()
    assert order.billing.vat == "BE0123"


# ---------------------------------------------------------------------------- failures
def test_404_is_a_not_found_shop_error(peer):
    adapter = adapter_for(peer)
    with pytest.raises(ShopError) as err:
        adapter.update_order("999", "confirmed")
    assert err.value.kind == "not_found" and "Invalid ID" in str(err.value)  # WooCommerce answers 400 here
    assert peer.requests[-1].method == "PUT"
    with pytest.raises(ShopError) as err:
        adapter.attach_invoice("999", model.InvoiceDocument("INV/1", PDF, "inv.pdf"))
    assert err.value.kind == "not_found" and err.value.status == 404 and "Invalid ID" in str(err.value)
    with pytest.raises(ShopError) as err:
        adapter_for(peer, api_root="/not-wordpress").test_connection()
    assert err.value.kind == "not_found" and "WooCommerce" in str(err.value)
    with pytest.raises(ShopError) as err:
        adapter.update_order("abc", "confirmed")
    assert err.value.kind == "config"


def test_429_retry_after_is_honoured_then_success(peer):
    peer.add_order(order_id=1, items=[{"sku": "A", "price": "1"}])
    sleeps = []
    adapter = adapter_for(peer, retries=2, sleep=sleeps.append)
    peer.script(Response.json({"code": "rate_limit_exceeded", "message": "Too many requests.", "data": {"status": 429}},
                              status=429, headers={"Retry-After": "7"}))
    assert [o.remote_id for o in adapter.fetch_orders()] == ["1"]
    assert sleeps == [7.0] and len(calls(peer, "GET", "/wp-json/wc/v3/orders")) == 2


def test_peer_rate_limit_answers_429_and_the_adapter_waits():
    clock = FakeClock()
    with WooCommercePeer(rate_limit=3, rate_period=10, clock=clock) as p:
        product = p.add_product("RL-1", price="1")
        http = HttpClient(base_url=p.url, retries=2, sleep=clock.sleep, jitter=0)
        adapter = WooCommerceAdapter(http, {"key": DEMO_KEY, "secret": DEMO_SECRET})
        for n in range(4):
            price = model.Price(sku="RL-1", price=Decimal(n + 1), remote_id=str(product["id"]))
            (result,) = adapter.push_prices([price])
            assert result.ok
        assert p.rate_limited == 1 and clock.slept == [10]
        assert p.products[product["id"]]["regular_price"] == "4.00"


def test_500_retried_for_reads_and_updates_not_for_creates(peer, monkeypatch):
    peer.add_order(order_id=1, items=[{"sku": "A", "price": "1"}])
    adapter = adapter_for(peer, retries=2)
    monkeypatch.setattr(adapter, "_products_by_sku", lambda skus: {})  # the batch is the first call
    peer.script(Response.text("upstream error", status=500))
    assert [o.remote_id for o in adapter.fetch_orders()] == ["1"]
    assert len(calls(peer, "GET", "/wp-json/wc/v3/orders")) == 2
    product = peer.add_product("R-1", price="1")
    peer.reset()
    peer.products[product["id"]] = product
    peer.script(Response.text("upstream error", status=500))
    (result,) = adapter.push_prices([model.Price(sku="R-1", price=Decimal(3), remote_id=str(product["id"]))])
    assert result.ok and len(calls(peer, "POST", "/wp-json/wc/v3/products/batch")) == 2
    peer.reset()
    peer.script(Response.text("upstream error", status=500))
    with pytest.raises(TransportError) as err:
        adapter.push_products([model.Product(sku="R-2", name="R2", price=Decimal(1))])
    assert err.value.kind == "server" and len(calls(peer, "POST", "/wp-json/wc/v3/products/batch")) == 1


def test_garbage_answers_are_clear_shop_errors(peer):
    adapter = adapter_for(peer)
    peer.script(Response.json({"products": []}))
    with pytest.raises(ShopError, match="product lookup by SKU with a dict instead of a list"):
        adapter.push_products([model.Product(sku="G-1", name="G", price=Decimal(1))])
    adapter._products_by_sku = lambda skus: {}  # from here the batch is the first call
    peer.script(Response.text("<br /><b>Fatal error</b>: Allowed memory size exhausted", status=200,
                              content_type="text/html"))
    with pytest.raises(ShopError) as err:
        list(adapter.fetch_orders())
    assert err.value.kind == "answer" and "not JSON" in str(err.value)
    peer.script(Response.json({"orders": []}))
    with pytest.raises(ShopError, match="instead of a list") as err:
        list(adapter.fetch_orders())
    assert err.value.kind == "answer"
    peer.script(Response.json([{"id": 1, "line_items": "oops"}]))
    with pytest.raises(ShopError, match="not in the expected form"):
        list(adapter.fetch_orders())
    peer.script(Response.json({"create": []}))
    with pytest.raises(ShopError, match="results for 1 objects") as err:
        adapter.push_products([model.Product(sku="G-1", name="G", price=Decimal(1))])
    assert err.value.kind == "answer"


# ---------------------------------------------------------------------------- orders out
def test_update_order_for_each_event_with_tracking(peer):
    peer.add_order(order_id=1001, status="pending", items=[{"sku": "A", "price": "1"}])
    adapter = adapter_for(peer)
    assert "status processing" in adapter.update_order("1001", "confirmed")
    assert peer.orders[1001]["status"] == "processing"
    shipment = model.Shipment(carrier="PostNL", tracking_number="3SABCD1234567",
                              tracking_url="https://jouw.postnl.nl/track/3SABCD1234567",
                              shipped_at=datetime(2026, 3, 3, 14, 0))
    summary = adapter.update_order("1001", "shipped", shipment=shipment, notify=True)
    assert summary == "WooCommerce order 1001: status completed, tracking 3SABCD1234567, note"
    assert peer.orders[1001]["status"] == "completed" and peer.orders[1001]["date_completed_gmt"]
    (tracking,) = peer.shipments[1001]
    assert tracking["tracking_number"] == "3SABCD1234567" and tracking["custom_tracking_provider"] == "PostNL"
    assert tracking["tracking_link"] == "https://jouw.postnl.nl/track/3SABCD1234567"
    assert tracking["date_shipped"] == "2026-03-03"
    customer_notes = [n for n in peer.notes[1001] if n["customer_note"]]
    assert len(customer_notes) == 1 and "3SABCD1234567" in customer_notes[0]["note"]
    order_of_calls = [(r.method, r.path.rsplit("/", 1)[-1]) for r in peer.requests if r.method != "GET"]
    assert order_of_calls[-3:] == [("POST", "shipment-trackings"), ("PUT", "1001"), ("POST", "notes")]
    # repeated (a retried job): no second tracking item, no second note
    adapter.update_order("1001", "shipped", shipment=shipment, notify=True)
    assert len(peer.shipments[1001]) == 1 and len([n for n in peer.notes[1001] if n["customer_note"]]) == 1
    adapter.update_order("1001", "delivered")
    assert peer.orders[1001]["status"] == "completed"
    adapter.update_order("1001", "cancelled")
    assert peer.orders[1001]["status"] == "cancelled"
    adapter.update_order("1001", "confirmed", status="on-hold")
    assert peer.orders[1001]["status"] == "on-hold"
    assert [s[2] for s in peer.status_changes] == ["processing", "completed", "cancelled", "on-hold"]
    with pytest.raises(ShopError) as err:
        adapter.update_order("1001", "lost")
    assert err.value.kind == "config"


def test_update_order_predefined_carrier_without_link(peer):
    peer.add_order(order_id=5, items=[{"sku": "A", "price": "1"}])
    adapter_for(peer).update_order("5", "shipped", shipment=model.Shipment(carrier="DHL", tracking_number="JD01"))
    (tracking,) = peer.shipments[5]
    assert tracking["tracking_provider"] == "DHL" and "JD01" in tracking["tracking_link"]
    (note,) = [n for n in peer.notes[5] if "JD01" in n["note"]]
    assert note["customer_note"] is False


def test_update_order_without_the_tracking_extension_puts_it_in_a_note():
    with WooCommercePeer(shipment_tracking=False) as p:
        p.add_order(order_id=9, items=[{"sku": "A", "price": "1"}])
        adapter = adapter_for(p)
        summary = adapter.update_order("9", "shipped", shipment=model.Shipment(carrier="DPD", tracking_number="0123"),
                                       notify=True)
        assert summary == "WooCommerce order 9: status completed, note"
        assert p.orders[9]["status"] == "completed" and not p.shipments
        assert any("DPD" in n["note"] and "0123" in n["note"] and n["customer_note"] for n in p.notes[9])
        adapter.update_order("9", "shipped", shipment=model.Shipment(carrier="DPD", tracking_number="0456"))
        tracking_calls = [r for r in p.requests if "shipment-trackings" in r.path]
        assert len(tracking_calls) == 1  # the missing route is remembered


# ---------------------------------------------------------------------------- invoices
def test_attach_invoice_uploads_once(peer):
    peer.add_order(order_id=1001, status="completed", items=[{"sku": "A", "price": "1"}])
    adapter = adapter_for(peer, {"key": DEMO_KEY, "secret": DEMO_SECRET, "extra": DEMO_APP_PASSWORD},
                          wp_user=DEMO_WP_USER)
    document = model.InvoiceDocument("INV/2026/00001", PDF, "INV_2026_00001.pdf",
                                     url="https://odoo.example/my/invoices/1",
                                     date=date(2026, 3, 4), amount_total=Decimal("121"), currency="EUR")
    url = adapter.attach_invoice("1001", document)
    (media,) = peer.media.values()
    assert media["data"] == PDF and media["mime_type"] == "application/pdf" and url == media["source_url"]
    upload = calls(peer, "POST", "/wp-json/wp/v2/media")[0]
    assert basic_user(upload) == DEMO_WP_USER
    assert upload.header("Content-Disposition") == 'attachment; filename="INV_2026_00001.pdf"'
    assert peer.attached_invoices == {1001: {"number": "INV/2026/00001", "url": url}}
    (note,) = [n for n in peer.notes[1001] if "INV/2026/00001" in n["note"]]
    assert note["customer_note"] and url in note["note"] and "EUR 121.00" in note["note"]
    assert requests.get(url, timeout=5).content == PDF
    assert adapter.attach_invoice("1001", document) == url
    assert len(peer.media) == 1 and len([n for n in peer.notes[1001] if "INV/2026/00001" in n["note"]]) == 1


def test_attach_invoice_without_application_password_links_the_portal(peer):
    peer.add_order(order_id=3, items=[{"sku": "A", "price": "1"}])
    adapter = adapter_for(peer, invoice_note_to_customer=False)
    first = model.InvoiceDocument("INV/1", PDF, "inv1.pdf", url="https://odoo.example/my/invoices/1")
    second = model.InvoiceDocument("INV/10", PDF, "inv10.pdf", url="https://odoo.example/my/invoices/10")
    assert adapter.attach_invoice("3", first) == "https://odoo.example/my/invoices/1"
    assert adapter.attach_invoice("3", second) == "https://odoo.example/my/invoices/10"
    assert peer.attached_invoices[3] == {"number": "INV/10", "url": "https://odoo.example/my/invoices/10"}
    assert adapter.attach_invoice("3", first) == "INV/1"  # found in its earlier note: not attached again
    invoice_notes = [n for n in peer.notes[3] if n["note"].startswith("Invoice")]
    assert len(invoice_notes) == 2 and not any(n["customer_note"] for n in invoice_notes)
    assert not peer.media and not calls(peer, "POST", "/wp-json/wp/v2/media")


def test_attach_invoice_refusals(peer):
    peer.add_order(order_id=4, items=[{"sku": "A", "price": "1"}])
    wrong = adapter_for(peer, {"key": DEMO_KEY, "secret": DEMO_SECRET, "extra": "wrong pass word"},
                        wp_user=DEMO_WP_USER)
    with pytest.raises(TransportError, match="invalid application password") as err:
        wrong.attach_invoice("4", model.InvoiceDocument("INV/4", PDF, "inv4.pdf"))
    assert err.value.kind == "auth"
    right = adapter_for(peer, {"key": DEMO_KEY, "secret": DEMO_SECRET, "extra": DEMO_APP_PASSWORD},
                        wp_user=DEMO_WP_USER)
    with pytest.raises(ShopError, match="not a PDF") as err:
        right.attach_invoice("4", model.InvoiceDocument("INV/4", b"<html>", "inv4.pdf"))
    assert err.value.kind == "payload"
    assert peer.attached_invoices == {} and not peer.media


# ---------------------------------------------------------------------------- demo
def test_demo_peer_is_seeded():
    (peer,) = demo_peers()
    assert peer.port == 8072 and (peer.consumer_key, peer.consumer_secret) == (DEMO_KEY, DEMO_SECRET)
    assert {p["sku"] for p in peer.products.values()} == {"SHOP-DESK", "SHOP-CHAIR", "SHOP-LAMP"}
    assert {oid: o["status"] for oid, o in peer.orders.items()} == {
        1001: "processing", 1002: "pending", 1003: "cancelled"}
    paid = peer.orders[1001]
    assert paid["date_paid_gmt"] and paid["coupon_lines"] and paid["shipping_lines"] and paid["transaction_id"]
    assert not peer.orders[1002]["date_paid_gmt"]
    peer.port = 0  # the demo port may be taken on this machine
    with peer:
        orders = list(adapter_for(peer).fetch_orders(statuses=["processing"]))
    assert [o.number for o in orders] == ["1001"]
    assert sum(line.subtotal + line.tax_amount for line in orders[0].lines) == orders[0].total


def test_category_under_a_parent_already_in_the_shop(peer):
    parent = peer.add_category("Furniture")
    results = adapter_for(peer).push_categories([
        model.Category("c:7", "Desks", parent_remote_id=str(parent["id"]))])
    assert results[0].ok, results
    assert peer.categories[int(results[0].remote_id)]["parent"] == parent["id"]
