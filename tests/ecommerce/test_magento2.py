"""Pure tier: the Magento 2 adapter against the sandbox Magento 2 store (REST V1)."""

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from ecommerce import shop_contracts

from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_ecommerce_sync.protocol import base, model
from odoo.addons.b2b_sandbox.peers.magento2 import DEMO_TOKEN, Magento2Peer, demo_peers
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_shop_magento2.protocol import Magento2Adapter, render_message, search_params

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
T0 = datetime(2026, 3, 1, 8, 0, 0)


class FakeClock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def peer():
    with Magento2Peer() as p:
        yield p
    assert_requests_published(p)


def assert_requests_published(peer):
    """Every request a test made is an operation of Magento's published REST API (the 2.4.5 OpenAPI file and
    MSI's routes), with only fields of its published request schema in the body (tests/ecommerce/
    shop_contracts.py)."""
    problems = []
    for request in peer.requests:
        match = re.match(r"^/(?:index\.php/)?rest(?:/[^/]+)?(/V1/.+?)/?$", request.path)
        if not match:
            continue
        body = json.loads(request.body) if request.method in ("POST", "PUT") and request.body else None
        problems += [f"{request.method} {match.group(1)}: {p}"
                     for p in shop_contracts.magento_body_problems(request.method, match.group(1), body)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def adapter_for(peer, token=DEMO_TOKEN, retries=2, sleeps=None, **options):
    http = HttpClient(base_url=peer.url, retries=retries,
                      sleep=(sleeps.append if sleeps is not None else (lambda s: None)))
    return Magento2Adapter(http, {"key": token}, options)


def bodies(peer, method, fragment):
    return [json.loads(r.body) for r in peer.calls_to(method, fragment)]


# ---------------------------------------------------------------------------- the class
def test_declares_its_platform_statuses_and_options():
    assert (Magento2Adapter.platform, Magento2Adapter.label) == ("magento2", "Magento 2")
    codes = {code for code, _label in Magento2Adapter.order_statuses}
    assert set(Magento2Adapter.default_status_map) == set(model.PROGRESS_EVENTS)
    assert set(Magento2Adapter.default_status_map.values()) <= codes
    assert set(Magento2Adapter.default_import_statuses) <= codes
    assert Magento2Adapter.default_cancel_statuses == ("canceled",)
    assert Magento2Adapter.credential_fields == ("key",)
    assert Magento2Adapter.option_defaults["store"] == "default"
    assert Magento2Adapter.option_defaults["attribute_set_id"] == "4"
    assert Magento2Adapter.option_defaults["root_category_id"] == "2"
    assert Magento2Adapter.option_defaults["source_code"] == "default"
    for name in Magento2Adapter.option_defaults:
        assert f"``{name}``" in Magento2Adapter.__doc__, name


def test_configuration_errors():
    with pytest.raises(base.ShopError) as err:
        Magento2Adapter(HttpClient(base_url="http://127.0.0.1:9"), {}, {})
    assert err.value.kind == "config"
    with pytest.raises(base.ShopError, match="batch_size"):
        Magento2Adapter(HttpClient(base_url="http://127.0.0.1:9"), {"key": "t"}, {"batch_size": "lots"})
    adapter = Magento2Adapter(HttpClient(base_url="http://127.0.0.1:9"), {"key": "t"},
                              {"batch_size": "50", "page_size": "1000", "order_store_ids": "1, 3"})
    assert adapter.max_batch == 50 and adapter.page_size == 300 and adapter.order_store_ids == ["1", "3"]
    assert adapter.http.session.headers["Authorization"] == "Bearer t"


def test_render_message_fills_named_and_positional_placeholders():
    assert render_message("No such entity with %fieldName = %fieldValue",
                          {"fieldName": "id", "fieldValue": 7}) == "No such entity with id = 7"
    assert render_message("SKU length should be %1 characters maximum.", [64]) == \
        "SKU length should be 64 characters maximum."
    assert render_message("%1 and %10", list("abcdefghij")) == "a and j"
    # the price APIs list the values of named placeholders in order
    assert render_message("Invalid attribute %fieldName = %fieldValue.", ["SKU", "NOPE"]) == \
        "Invalid attribute SKU = NOPE."
    assert render_message("plain", None) == "plain"


def test_search_params_shape():
    params = search_params([[("updated_at", "2026-03-01 08:00:00", "gteq")], [("status", "a,b", "in")]],
                           [("updated_at", "ASC")], 50, 2)
    assert params["searchCriteria[filter_groups][1][filters][0][condition_type]"] == "in"
    assert params["searchCriteria[sortOrders][0][direction]"] == "ASC"
    assert params["searchCriteria[pageSize]"] == 50 and params["searchCriteria[currentPage]"] == 2
    assert search_params() == {"searchCriteria": ""}


# ---------------------------------------------------------------------------- connection and errors
def test_test_connection_names_the_store(peer):
    peer.add_order(1)
    text = adapter_for(peer).test_connection()
    assert "store view 'default'" in text and "EUR" in text and "1 orders" in text
    assert peer.requests[0].path == "/rest/default/V1/store/storeConfigs"
    assert peer.requests[0].header("Authorization") == f"Bearer {DEMO_TOKEN}"
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer, store="nl").test_connection()
    assert err.value.kind == "not_found" and "store that was requested" in str(err.value)


def test_test_connection_without_the_store_configuration_resource(peer):
    """An integration given the resources the flows need but not Stores > Settings > All Stores: the
    connection works and says what is not checked (a wrong token still fails, on the order list)."""
    peer.add_order(1)
    peer.script(Response.json({"message": "The consumer isn't authorized to access %resources.",
                               "parameters": {"resources": "Magento_Backend::store"}}, status=401))
    text = adapter_for(peer).test_connection()
    assert "1 orders" in text and "may not read the store configuration" in text and "'default'" in text
    assert [r.path for r in peer.requests] == ["/rest/default/V1/store/storeConfigs", "/rest/default/V1/orders"]


def test_wrong_token_is_the_transport_auth_error(peer):
    with pytest.raises(TransportError) as err:
        adapter_for(peer, token="wrong").test_connection()
    assert err.value.kind == "auth" and err.value.status == 401
    assert "isn't authorized" in err.value.body
    with pytest.raises(TransportError) as err:
        list(adapter_for(peer, token="wrong").fetch_orders())
    assert err.value.kind == "auth"


def test_unknown_order_is_not_found_with_magentos_message(peer):
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer).update_order("999", "confirmed")
    assert err.value.kind == "not_found" and err.value.status == 404
    assert "The entity that was requested doesn't exist" in str(err.value)


def test_429_waits_retry_after_then_succeeds(peer):
    peer.add_order(1)
    sleeps = []
    peer.script(Response.text("Too Many Requests", status=429, headers={"Retry-After": "7"}))
    orders = list(adapter_for(peer, sleeps=sleeps).fetch_orders())
    assert [o.remote_id for o in orders] == ["1"]
    assert sleeps == [7.0]
    assert len(peer.calls_to("GET", "/V1/orders")) == 2


def test_peer_rate_limit_answers_429_with_retry_after():
    clock = FakeClock()
    with Magento2Peer(rate_limit=2, rate_period=10, clock=clock) as p:
        adapter = adapter_for(p, retries=0)
        adapter.test_connection()  # two calls
        with pytest.raises(TransportError) as err:
            adapter.test_connection()
        assert err.value.kind == "rate_limited" and err.value.retry_after == 10.0
        assert p.throttled == 1
        clock.now += 10
        assert "store view" in adapter.test_connection()


def test_500_on_a_read_is_retried(peer):
    peer.add_order(1)
    peer.script(Response.text("Internal Server Error", status=500), Response.text("Bad gateway", status=502))
    orders = list(adapter_for(peer, retries=2).fetch_orders())
    assert len(orders) == 1 and len(peer.calls_to("GET", "/V1/orders")) == 3


def test_500_on_a_comment_is_not_repeated(peer):
    peer.add_order(1)
    normal = peer.handle
    failed = []

    def flaky(request):  # the comment POST fails once; the order reads answer normally
        if request.method == "POST" and request.path.endswith("/comments") and not failed:
            failed.append(request)
            return Response.text("oops", status=500)
        return normal(request)

    peer.handle = flaky
    with pytest.raises(TransportError) as err:
        adapter_for(peer, retries=3).update_order("1", "confirmed")
    assert err.value.kind == "server"
    assert len(peer.calls_to("POST", "/comments")) == 1  # a comment is not idempotent: not sent twice
    assert peer.comments(1) == []


def test_garbage_answers_are_clear_shop_errors(peer):
    adapter = adapter_for(peer)
    peer.script(Response.text("<html><body>Maintenance</body></html>", content_type="text/html"))
    with pytest.raises(base.ShopError) as err:
        list(adapter.fetch_orders())
    assert err.value.kind == "answer" and "not JSON" in str(err.value)
    peer.script(Response.json({"orders": "nope", "items": "x"}))
    with pytest.raises(base.ShopError, match="without a list of items") as err:
        list(adapter.fetch_orders())
    assert err.value.kind == "answer"
    peer.script(Response.json({"items": [{"increment_id": "1"}], "total_count": 1}))
    with pytest.raises(base.ShopError, match="without entity_id"):
        list(adapter.fetch_orders())


def test_xml_error_bodies_go_through_safe_xml(peer):
    peer.add_order(1)
    xml = ('<?xml version="1.0"?><response><message>No such entity with %fieldName = %fieldValue</message>'
           '<parameters><fieldName>orderId</fieldName><fieldValue>1</fieldValue></parameters></response>')
    peer.script(Response.xml(xml, status=404, content_type="application/xml"))
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer).update_order("1", "confirmed")
    assert "No such entity with orderId = 1" in str(err.value)
    evil = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<response><message>&x;</message></response>')
    peer.script(Response.xml(evil, status=400, content_type="application/xml"))
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer).update_order("1", "confirmed")
    assert "root:" not in str(err.value) and err.value.kind == "payload"


# ---------------------------------------------------------------------------- categories
def test_categories_parents_first_linked_by_name_and_updated(peer):
    existing = peer.add_category("Chairs", parent_id=2)
    cats = [
        model.Category("c:2", "Office chairs", parent_key="c:1"),  # child before its parent
        model.Category("c:1", "Furniture", description="<p>All furniture</p>"),
        model.Category("c:3", "Chairs"),  # exists under the root: linked
        model.Category("c:4", "Orphan", parent_key="c:9"),  # parent unknown to this call: root
    ]
    results = adapter_for(peer).push_categories(cats)
    assert [r.key for r in results] == ["c:2", "c:1", "c:3", "c:4"]
    assert all(r.ok for r in results), results
    furniture = peer.categories[int(results[1].remote_id)]
    office = peer.categories[int(results[0].remote_id)]
    assert office["parent_id"] == furniture["id"] and furniture["parent_id"] == 2
    assert furniture["custom_attributes"] == [{"attribute_code": "description", "value": "<p>All furniture</p>"}]
    assert results[2].remote_id == str(existing["id"]) and not results[2].created
    assert results[0].created and results[1].created
    assert peer.categories[int(results[3].remote_id)]["parent_id"] == 2
    assert all(r.path.startswith("/rest/all/V1/categories") for r in peer.requests)
    # update by remote id; one deleted in the shop is created again
    del peer.categories[int(results[3].remote_id)]
    again = adapter_for(peer).push_categories([
        model.Category("c:1", "Furniture & more", remote_id=results[1].remote_id),
        model.Category("c:4", "Orphan", remote_id=results[3].remote_id),
    ])
    assert peer.categories[int(results[1].remote_id)]["name"] == "Furniture & more" and not again[0].created
    assert again[1].created and again[1].remote_id != results[3].remote_id


def test_category_refused_and_its_child_skipped(peer):
    results = adapter_for(peer).push_categories([
        model.Category("c:1", "Bad parent", remote_id="", parent_key=""),
        model.Category("c:2", "Child", parent_key="c:3"),
        model.Category("c:3", ""),
    ])
    assert results[0].ok
    assert results[2].error == "a category needs a name"
    assert results[1].error == "its parent category c:3 was not pushed"


# ---------------------------------------------------------------------------- products
def test_products_created_linked_by_sku_and_refused_ones(peer):
    peer.add_product("SHOP-LAMP", "Old lamp name", price=10)
    products = [
        model.Product("SHOP-DESK", "Standing desk", price=Decimal("499.00"), description="<p>Oak</p>",
                      short_description="Desk", weight=Decimal("32.5"), category_remote_ids=["2"], tax_class="2",
                      barcode="8712345678906", attributes={"color": "oak"},
                      images=[model.Image("desk.png", PNG, checksum="abcdef1234567890")]),
        model.Product("X" * 70, "Too long"),
        model.Product("SHOP-LAMP", "LED desk lamp", price=Decimal("39.90"), active=False),
        model.Product("", "No SKU"),
    ]
    results = adapter_for(peer, barcode_attribute="ean").push_products(products)
    assert [r.key for r in results] == ["SHOP-DESK", "X" * 70, "SHOP-LAMP", "No SKU"]
    desk = peer.products["SHOP-DESK"]
    assert results[0].ok and results[0].created and results[0].remote_id == str(desk["id"])
    assert "SKU length should be 64 characters maximum." in results[1].error
    assert results[2].ok and not results[2].created  # linked, not duplicated
    assert results[2].remote_id == str(peer.products["SHOP-LAMP"]["id"])
    assert results[3].error == "a product needs a SKU"
    assert len(peer.products) == 2
    assert peer.products["SHOP-LAMP"]["name"] == "LED desk lamp" and peer.products["SHOP-LAMP"]["status"] == 2
    assert peer.products["SHOP-LAMP"]["price"] == 39.9
    custom = {a["attribute_code"]: a["value"] for a in desk["custom_attributes"]}
    assert custom["description"] == "<p>Oak</p>" and custom["category_ids"] == ["2"]
    assert custom["tax_class_id"] == "2" and custom["ean"] == "8712345678906" and custom["color"] == "oak"
    assert custom["url_key"] == "standing-desk-shop-desk"
    assert desk["attribute_set_id"] == 4 and desk["visibility"] == 4 and desk["weight"] == 32.5
    assert desk["type_id"] == "simple" and desk["extension_attributes"]["website_ids"] == [1]
    [image] = desk["media_gallery_entries"]
    assert image["file"].endswith("desk-abcdef1234.png") and image["types"] == ["image", "small_image", "thumbnail"]
    # one SKU search for the batch, writes on the global scope
    searches = peer.calls_to("GET", "/V1/products")
    assert len(searches) == 1 and searches[0].path == "/rest/all/V1/products"
    assert "SHOP-LAMP" in searches[0].query["searchCriteria[filter_groups][0][filters][0][value]"]
    put = peer.calls_to("PUT", "/V1/products/SHOP-LAMP")
    assert len(put) == 1 and "attribute_set_id" not in json.loads(put[0].body)["product"]


def test_product_images_are_sent_once(peer):
    adapter = adapter_for(peer)
    image = model.Image("desk.png", PNG, checksum="abcdef1234567890")
    first = adapter.push_products([model.Product("SHOP-DESK", "Desk", images=[image])])[0]
    assert first.created and len(peer.products["SHOP-DESK"]["media_gallery_entries"]) == 1
    peer.requests.clear()
    side = model.Image("side.jpg", PNG, mimetype="image/jpeg", checksum="0123456789ff")
    second = adapter.push_products([model.Product("SHOP-DESK", "Desk", remote_id=first.remote_id,
                                                  images=[image, side])])[0]
    assert second.ok and not second.created and second.remote_id == first.remote_id
    posted = bodies(peer, "POST", "/media")
    assert [b["entry"]["content"]["name"] for b in posted] == ["side-0123456789.jpg"]
    assert posted[0]["entry"]["content"]["type"] == "image/jpeg"
    assert len(peer.products["SHOP-DESK"]["media_gallery_entries"]) == 2
    peer.requests.clear()
    adapter.push_products([model.Product("SHOP-DESK", "Desk", remote_id=first.remote_id, images=[image, side])])
    assert peer.calls_to("POST", "/media") == [] and len(peer.products["SHOP-DESK"]["media_gallery_entries"]) == 2
    bad = adapter.push_products([model.Product("SHOP-DESK", "Desk", images=[
        model.Image("doc.pdf", b"%PDF-1.4", mimetype="application/pdf")])])[0]
    assert bad.remote_id == first.remote_id and "image MIME type is not valid" in bad.error


def test_products_in_batches_of_the_input_list_limit(peer):
    products = [model.Product(f"SKU-{n:03d}", f"Product {n}", price=Decimal(n)) for n in range(45)]
    results = adapter_for(peer).push_products(products)
    assert all(r.ok and r.created for r in results) and len(peer.products) == 45
    searches = peer.calls_to("GET", "/V1/products")
    assert len(searches) == 3  # 20 + 20 + 5 SKUs
    values = [s.query["searchCriteria[filter_groups][0][filters][0][value]"] for s in searches]
    assert [len(v.split(",")) for v in values] == [20, 20, 5]


# ---------------------------------------------------------------------------- stock
def test_stock_250_levels_in_13_batches(peer):
    for n in range(250):
        peer.add_product(f"S{n}", price=1)
    levels = [model.StockLevel(f"S{n}", Decimal(n % 7)) for n in range(250)]
    results = adapter_for(peer).push_stock(levels)
    assert all(r.ok for r in results) and [r.key for r in results] == [f"S{n}" for n in range(250)]
    calls = bodies(peer, "POST", "/V1/inventory/source-items")
    assert len(calls) == 13 and max(len(c["sourceItems"]) for c in calls) == 20
    assert peer.source_items[("S8", "default")] == {"sku": "S8", "source_code": "default", "quantity": 1.0, "status": 1}
    assert peer.source_items[("S7", "default")]["status"] == 0  # 0 in stock
    assert all(r.path == "/rest/all/V1/inventory/source-items" for r in peer.calls_to("POST", "source-items"))


def test_stock_batch_refused_is_split_to_find_the_bad_sku(peer):
    for sku in ("A", "B", "C"):
        peer.add_product(sku)
    results = adapter_for(peer, source_code="default").push_stock([
        model.StockLevel("A", Decimal(5)), model.StockLevel("NOPE", Decimal(1)),
        model.StockLevel("C", Decimal("2.5")), model.StockLevel("B", Decimal(0), manage_stock=False)])
    assert [r.ok for r in results] == [True, False, True, True]
    assert results[1].error.endswith("Could not save Source Item")
    assert peer.source_items[("C", "default")]["quantity"] == 2.5
    assert peer.source_items[("B", "default")]["status"] == 1  # stock not managed: always in stock
    assert len(peer.calls_to("POST", "source-items")) == 1 + 4


def test_stock_over_the_input_limit_falls_back(peer):
    with Magento2Peer(input_list_limit=5) as small:
        for n in range(8):
            small.add_product(f"S{n}")
        results = adapter_for(small).push_stock([model.StockLevel(f"S{n}", Decimal(1)) for n in range(8)])
        assert all(r.ok for r in results)
        first = small.calls_to("POST", "source-items")[0]
        assert len(json.loads(first.body)["sourceItems"]) == 8
    with Magento2Peer(input_list_limit=5) as small:
        small.add_product("S1")
        resp = HttpClient(base_url=small.url, retries=0).post(
            "/rest/all/V1/inventory/source-items", json={"sourceItems": [{"sku": "S1"}] * 6},
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, expected=(400,))
        assert resp.json()["message"] == 'Maximum items of type "%type" is %max'
        assert resp.json()["parameters"]["max"] == 5


# ---------------------------------------------------------------------------- prices
def test_prices_base_special_and_refusals(peer):
    for sku in ("A", "B", "C"):
        peer.add_product(sku, price=1)
    peer.special_prices[("C", 0)] = {"sku": "C", "store_id": 0, "price": 0.5, "price_from": "2026-01-01 00:00:00",
                                     "price_to": ""}
    results = adapter_for(peer).push_prices([
        model.Price("A", Decimal("10.00")),
        model.Price("NOPE", Decimal("5")),
        model.Price("B", Decimal("20"), sale_price=Decimal("15.5")),
        model.Price("C", Decimal("30")),  # no sale any more: its special price goes
        model.Price("D", Decimal("-1")),
    ])
    assert [r.ok for r in results] == [True, False, True, True, False]
    assert results[1].error == "Invalid attribute SKU = NOPE."
    assert "invalid price" in results[4].error
    assert peer.products["A"]["price"] == 10.0 and peer.products["C"]["price"] == 30.0
    assert peer.special_prices[("B", 0)]["price"] == 15.5
    assert ("C", 0) not in peer.special_prices
    [base_call] = bodies(peer, "POST", "/products/base-prices")
    assert {"sku": "A", "price": 10, "store_id": 0} in base_call["prices"]


def test_prices_batches_and_unattributable_failure(peer):
    for n in range(45):
        peer.add_product(f"P{n}", price=1)
    results = adapter_for(peer).push_prices([model.Price(f"P{n}", Decimal(n + 1)) for n in range(45)])
    assert all(r.ok for r in results)
    assert len(peer.calls_to("POST", "/products/base-prices")) == 3
    peer.reset()
    peer.add_product("A")
    peer.add_product("B")
    peer.script(Response.json([{"message": "Something went wrong with %1.", "parameters": ["the store"]}]),
                Response.json([]))
    results = adapter_for(peer).push_prices([model.Price("A", Decimal(1)), model.Price("B", Decimal(2))])
    assert all("Magento did not say which SKU" in r.error for r in results)


# ---------------------------------------------------------------------------- customers
def customer(key, email, **kw):
    billing = model.Address("Jan", "Smit", "Smit BV", "Dorpsstraat 1", "", "Utrecht", "3511 AA", "", "NL",
                            phone="+31 30 555 0100")
    return model.Customer(key, email, first_name="Jan", last_name="Smit", billing=billing, shipping=billing, **kw)


def test_customers_created_linked_by_email_and_refused(peer):
    known = peer.add_customer("Known@Example.com", "Old", "Name", addresses=[
        {"firstname": "Old", "lastname": "Name", "street": ["Oude 1"], "city": "Delft", "country_id": "NL",
         "telephone": "1", "postcode": "2611 AA", "default_billing": True, "default_shipping": True},
        {"firstname": "Old", "lastname": "Name", "street": ["Werf 9"], "city": "Delft", "country_id": "NL",
         "telephone": "1", "postcode": "2611 AB"}])
    old_billing_id = int(known["default_billing"])
    results = adapter_for(peer).push_customers([
        customer("res.partner:1", "new@example.com", vat="NL0001", group="2"),
        customer("res.partner:2", "not-an-email"),
        customer("res.partner:3", "known@example.com"),
        model.Customer("res.partner:4", ""),
    ])
    assert [r.key for r in results] == ["res.partner:1", "res.partner:2", "res.partner:3", "res.partner:4"]
    assert results[0].ok and results[0].created
    new = peer.customers[int(results[0].remote_id)]
    assert new["group_id"] == 2 and new["taxvat"] == "NL0001"
    [address] = new["addresses"]
    assert address["street"] == ["Dorpsstraat 1"] and address["default_billing"] and address["default_shipping"]
    assert address["company"] == "Smit BV" and address["telephone"] == "+31 30 555 0100"
    assert results[1].error.endswith('Invalid value of "not-an-email" provided for the email field.')
    assert results[2].ok and not results[2].created and results[2].remote_id == str(known["id"])
    assert len(peer.customers) == 2
    updated = peer.customers[known["id"]]
    assert updated["firstname"] == "Jan" and updated["email"] == "known@example.com"
    by_id = {a["id"]: a for a in updated["addresses"]}
    assert by_id[old_billing_id]["street"] == ["Dorpsstraat 1"]  # default address updated in place
    assert any(a["street"] == ["Werf 9"] for a in updated["addresses"])  # the other one kept
    assert results[3].error == "a customer needs an e-mail address"
    assert len(peer.calls_to("GET", "/V1/customers/search")) == 1


def test_customer_missing_fields_and_remote_id(peer):
    c = model.Customer("res.partner:5", "co@example.com", company="Acme Holding",
                       billing=model.Address(street="Main 1", city="Gouda", zip="2801 AA", country_code="NL"))
    [result] = adapter_for(peer).push_customers([c])
    assert result.error.endswith('"telephone" is required. Enter and try again.')
    c.phone = "+31 182 555 000"
    [result] = adapter_for(peer).push_customers([c])
    assert result.ok
    stored = peer.customers[int(result.remote_id)]
    assert (stored["firstname"], stored["lastname"]) == ("Acme", "Holding")
    # e-mail changed in Odoo: the customer is found by its remote id and gets the new address
    c.email, c.remote_id = "info@acme.example", result.remote_id
    [again] = adapter_for(peer).push_customers([c])
    assert again.ok and not again.created and peer.customers[int(result.remote_id)]["email"] == "info@acme.example"


# ---------------------------------------------------------------------------- orders
def test_orders_paged_oldest_first_without_gaps(peer):
    for n in range(250):
        peer.add_order(n + 1, created_at=T0, updated_at=T0 + timedelta(minutes=n // 3))
    orders = list(adapter_for(peer).fetch_orders())
    assert [int(o.remote_id) for o in orders] == list(range(1, 251))
    gets = peer.calls_to("GET", "/V1/orders")
    assert len(gets) == 3
    assert [g.query["searchCriteria[currentPage]"] for g in gets] == ["1", "2", "3"]
    assert gets[0].query["searchCriteria[pageSize]"] == "100"
    assert gets[0].query["searchCriteria[sortOrders][0][field]"] == "updated_at"
    assert orders[0].updated_at <= orders[-1].updated_at


def test_peer_answers_the_last_page_again_past_the_end_and_adapter_stops(peer):
    for n in range(5):
        peer.add_order(n + 1)
    http = HttpClient(base_url=peer.url, retries=0)
    params = search_params(page_size=2, current_page=9)
    answer = http.get("/rest/default/V1/orders", params=params, headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert [o["entity_id"] for o in answer.json()["items"]] == [5] and answer.json()["total_count"] == 5
    too_big = http.get("/rest/default/V1/orders", params=search_params(page_size=301), expected=(400,),
                       headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert too_big.json() == {"message": "Maximum SearchCriteria pageSize is %max", "parameters": {"max": 300}}
    orders = list(adapter_for(peer, page_size=2).fetch_orders())
    assert len(orders) == 5 and len(peer.calls_to("GET", "/V1/orders")) == 3 + 2


def test_orders_since_status_and_store_filters(peer):
    peer.add_order(1, status="pending", updated_at=T0)
    peer.add_order(2, status="processing", updated_at=T0 + timedelta(hours=1))
    peer.add_order(3, status="canceled", updated_at=T0 + timedelta(hours=2))
    peer.add_order(4, status="processing", updated_at=T0 + timedelta(hours=3), store_id=2)
    adapter = adapter_for(peer)
    assert [o.remote_id for o in adapter.fetch_orders(since=T0 + timedelta(hours=1))] == ["2", "3", "4"]
    assert [o.remote_id for o in adapter.fetch_orders(statuses=["pending", "canceled"])] == ["1", "3"]
    both = adapter.fetch_orders(since=T0 + timedelta(minutes=1), statuses=["processing"])
    assert [o.remote_id for o in both] == ["2", "4"]
    assert list(adapter.fetch_orders(statuses=[])) == []
    assert [o.remote_id for o in adapter_for(peer, order_store_ids="1").fetch_orders()] == ["1", "2", "3"]
    last = peer.calls_to("GET", "/V1/orders")[-1].query
    assert last["searchCriteria[filter_groups][0][filters][0][field]"] == "store_id"
    since_query = peer.calls_to("GET", "/V1/orders")[0].query
    assert since_query["searchCriteria[filter_groups][0][filters][0][value]"] == "2026-03-01 09:00:00"
    assert since_query["searchCriteria[filter_groups][0][filters][0][condition_type]"] == "gteq"


def test_order_mapping_of_every_line_kind_and_the_money(peer):
    peer.add_customer("buyer@example.com")
    peer.add_order(
        42, increment_id="000000042", status="processing", created_at="2026-03-01 10:15:00",
        updated_at="2026-03-02 11:00:00", customer_id=1, email="buyer@example.com",
        items=[
            {"sku": "SHIRT-RED-M", "name": "Shirt", "child_name": "Shirt red M", "qty": 2, "price": 25,
             "tax_percent": 21, "discount": 5, "configurable": True, "product_id": 77},
            {"sku": "KIT", "name": "Office kit", "qty": 1, "bundle_children": [
                {"sku": "PEN", "name": "Pen", "qty": 3, "price": 2, "tax_percent": 21},
                {"sku": "PAD", "name": "Pad", "qty": 1, "price": 4, "tax_percent": 9}]},
        ],
        shipping_amount=10, shipping_tax_percent=21, shipping_discount=2, shipping_method="ups_GND",
        shipping_description="UPS - Ground", coupon_code="SPRING", discount_description="Spring sale",
        gift_cards=[{"code": "GC-123", "amount": 20}], store_credit=5, gift_wrapping=3,
        payment_method="braintree", transaction_id="txn-9", paid=True,
        billing={"company": "Smit BV", "street": ["Dorpsstraat 1", "2e verdieping"], "region_code": "UT",
                 "vat_id": "NL0001"},
        shipping_address={"firstname": "Piet", "street": ["Magazijnweg 5"], "city": "Nieuwegein"})
    [order] = adapter_for(peer).fetch_orders()
    assert (order.remote_id, order.number, order.status) == ("42", "000000042", "processing")
    assert order.created_at == datetime(2026, 3, 1, 10, 15) and order.updated_at == datetime(2026, 3, 2, 11, 0)
    assert order.currency == "EUR" and order.customer_remote_id == "1" and order.email == "buyer@example.com"
    kinds = [(line.kind, line.sku) for line in order.lines]
    assert kinds == [("product", "SHIRT-RED-M"), ("product", "PEN"), ("product", "PAD"), ("shipping", "ups_GND"),
                     ("fee", "gw_price"), ("coupon", "SPRING"), ("gift_card", "GC-123"),
                     ("gift_card", "customer_balance_amount")]
    shirt, pen, pad, shipping, wrapping, coupon, card, credit = order.lines
    assert (shirt.quantity, shirt.unit_price, shirt.discount, shirt.tax_rate) == (2, Decimal("25"), Decimal("5"), 21)
    assert shirt.tax_amount == Decimal("9.45") and shirt.product_remote_id == "77" and shirt.name == "Shirt"
    assert pen.name == "Office kit: Pen" and pen.quantity == 3 and pad.tax_rate == 9
    assert (shipping.unit_price, shipping.discount, shipping.tax_amount, shipping.name) == \
        (Decimal("10"), Decimal("2"), Decimal("1.68"), "UPS - Ground")
    assert shipping.tax_rate == Decimal("21.00")
    assert wrapping.unit_price == Decimal("3")
    assert coupon.name == "Coupon SPRING (Spring sale)" and coupon.unit_price == 0  # discount is on the lines
    assert card.unit_price == Decimal("-20") and card.name == "Gift card GC-123"
    assert credit.unit_price == Decimal("-5") and credit.name == "Store credit"
    # 60 goods - 5 line discount + 10 shipping - 2 shipping discount + 3 wrapping - 20 card - 5 credit + 12.75 tax
    assert order.total == Decimal("53.75")
    assert sum(line.subtotal for line in order.lines) + order.total_tax == order.total
    assert order.total_tax == Decimal("12.75")
    assert order.paid and order.paid_amount == order.total
    assert (order.payment_method, order.transaction_id) == ("braintree", "txn-9")
    assert not order.prices_include_tax
    assert order.billing.company == "Smit BV" and order.billing.street2 == "2e verdieping"
    assert order.billing.state_code == "UT" and order.billing.vat == "NL0001" and order.billing.country_code == "NL"
    assert order.shipping.first_name == "Piet" and order.shipping.street == "Magazijnweg 5"
    assert order.shipping.city == "Nieuwegein" and order.shipping.email == "buyer@example.com"
    assert order.raw["entity_id"] == 42


def test_guest_unpaid_order_and_base_currency(peer):
    peer.add_order(7, status="pending", email="guest@example.com", currency="USD", base_currency="EUR", rate=2,
                   items=[{"sku": "A", "qty": 1, "price": 100}], shipping_amount=0, is_virtual=True,
                   payment_method="checkmo")
    [order] = adapter_for(peer).fetch_orders()
    assert order.customer_remote_id == "" and not order.paid and order.paid_amount == 0
    assert order.currency == "USD" and order.total == Decimal("100")
    assert [line.kind for line in order.lines] == ["product"] and order.shipping.is_empty()
    [base_order] = adapter_for(peer, use_base_currency="1").fetch_orders()
    assert base_order.currency == "EUR" and base_order.total == Decimal("50") and base_order.lines[0].unit_price == 50


# ---------------------------------------------------------------------------- order events
def test_confirmed_delivered_cancelled(peer):
    peer.add_order(1, status="pending", items=[{"sku": "A", "qty": 1, "price": 10}])
    adapter = adapter_for(peer)
    assert adapter.update_order("1", "confirmed", notify=True) == "order 000000001: status processing"
    assert peer.orders[1]["status"] == "processing"
    [comment] = peer.comments(1)
    assert comment["comment"] == "Order confirmed." and comment["is_customer_notified"] == 1
    assert adapter.update_order("1", "confirmed") == "order 000000001: already processing"
    assert len(peer.comments(1)) == 1
    assert "cancelled" in adapter.update_order("1", "cancelled")
    assert peer.orders[1]["state"] == "canceled" and peer.orders[1]["status"] == "canceled"
    assert "cancelled" in adapter.update_order("1", "cancelled")  # twice: nothing more to do
    assert len(peer.calls_to("POST", "/cancel")) == 1


def test_cancel_refused_on_an_invoiced_order(peer):
    peer.add_order(2, status="processing", paid=True, items=[{"sku": "A", "qty": 1, "price": 10}])
    with pytest.raises(base.ShopError, match="cannot cancel order 000000002") as err:
        adapter_for(peer).update_order("2", "cancelled")
    assert err.value.kind == "remote"


def test_shipped_with_tracking_then_delivered(peer):
    peer.add_order(3, status="processing", paid=True, items=[{"sku": "A", "qty": 2, "price": 10}])
    adapter = adapter_for(peer)
    shipment = model.Shipment(carrier="UPS", tracking_number="1Z999", tracking_url="https://ups.example/1Z999")
    text = adapter.update_order("3", "shipped", shipment=shipment, notify=True)
    assert "shipped" in text and "1Z999" in text
    [ship] = peer.shipments_of(3)
    assert ship["tracks"][0]["track_number"] == "1Z999" and ship["tracks"][0]["carrier_code"] == "ups"
    assert ship["comments"][0]["comment"] == "Track your parcel: https://ups.example/1Z999"
    assert ("shipment", 3, ship["increment_id"]) in peer.notifications
    assert peer.orders[3]["state"] == "complete"  # invoiced and shipped
    # the same event again (a retried job): not shipped twice
    assert "already shipped" in adapter.update_order("3", "shipped", shipment=shipment)
    assert len(peer.shipments_of(3)) == 1 and len(peer.calls_to("POST", "/ship")) == 1
    # a second parcel of a fully shipped order: its tracking number joins the shipment
    text = adapter.update_order("3", "shipped", shipment=model.Shipment(carrier="PostNL", tracking_number="3SXYZ"))
    assert "added to shipment" in text
    assert [t["track_number"] for t in ship["tracks"]] == ["1Z999", "3SXYZ"]
    assert ship["tracks"][1]["carrier_code"] == "custom" and ship["tracks"][1]["title"] == "PostNL"
    assert adapter.update_order("3", "delivered") == "order 000000003: already complete"


def test_shipped_without_tracking_and_unshippable(peer):
    peer.add_order(4, status="pending", items=[{"sku": "A", "qty": 1, "price": 10}])
    adapter = adapter_for(peer)
    assert adapter.update_order("4", "shipped") == "order 000000004 shipped (shipment 1)"
    assert peer.orders[4]["state"] == "processing"  # shipped but not invoiced
    peer.add_order(12, status="processing", items=[{"sku": "A", "qty": 1, "price": 10}])
    text = adapter.update_order("12", "shipped", status="fraud")
    assert text.endswith("; status fraud") and peer.orders[12]["status"] == "fraud"
    assert peer.comments(12)[0]["comment"] == "Order shipped."
    peer.add_order(5, status="canceled", items=[{"sku": "A", "qty": 1, "price": 10}])
    with pytest.raises(base.ShopError, match="does not allow a shipment") as err:
        adapter.update_order("5", "shipped", shipment=model.Shipment(tracking_number="X1"))
    assert err.value.kind == "payload"


def test_delivered_with_a_custom_status_and_strict_status_rules():
    with Magento2Peer(strict_status=True) as strict:
        strict.add_order(6, status="pending", items=[{"sku": "A", "qty": 1, "price": 10}])
        adapter = adapter_for(strict)
        text = adapter.update_order("6", "confirmed")
        assert "Magento kept status 'pending'" in text and strict.orders[6]["status"] == "pending"
        strict.orders[6].update(state="processing", status="processing")
        assert adapter.update_order("6", "delivered", status="fraud") == "order 000000006: status fraud"
    with Magento2Peer() as lenient:
        lenient.add_order(7, status="processing", items=[{"sku": "A", "qty": 1, "price": 10}])
        assert adapter_for(lenient).update_order("7", "delivered").endswith("status complete")
        assert lenient.comments(7)[0]["comment"] == "Order delivered."
    with pytest.raises(base.ShopError) as err:
        adapter.update_order("6", "lost")
    assert err.value.kind == "config"


# ---------------------------------------------------------------------------- invoices
def invoice(number="INV/2026/00042"):
    return model.InvoiceDocument(number, b"%PDF-1.4", f"{number.replace('/', '_')}.pdf",
                                 url="https://odoo.example/my/invoices/42?access_token=abc",
                                 amount_total=Decimal("121"), currency="EUR")


def test_attach_invoice_creates_the_magento_invoice_and_a_front_comment_once(peer):
    peer.add_order(8, status="pending", items=[{"sku": "A", "qty": 1, "price": 100, "tax_percent": 21}])
    adapter = adapter_for(peer)
    ref = adapter.attach_invoice("8", invoice())
    assert ref.startswith("Invoice INV/2026/00042 on order 000000008") and "created" in ref
    [magento_invoice] = peer.invoices_of(8)
    assert magento_invoice["captured"] is False
    assert ("invoice", 8, magento_invoice["increment_id"]) in peer.notifications
    [comment] = peer.invoice_comments(8)
    assert comment["comment"] == ("Invoice INV/2026/00042 (121.00 EUR): "
                                  "https://odoo.example/my/invoices/42?access_token=abc")
    assert comment["is_visible_on_front"] == 1
    # the comment kept the status the invoice gave the order (no blank status)
    assert peer.orders[8]["status"] == "processing" and comment["status"] == "processing"
    assert "already" in adapter.attach_invoice("8", invoice())
    assert len(peer.invoices_of(8)) == 1 and len(peer.invoice_comments(8)) == 1
    assert len(peer.calls_to("POST", "/invoice")) == 1 and len(peer.calls_to("POST", "/comments")) == 1
    # another invoice number (e.g. a second invoice) is a new comment, not a new Magento invoice
    adapter.attach_invoice("8", invoice("INV/2026/000420"))
    assert len(peer.invoice_comments(8)) == 2 and len(peer.invoices_of(8)) == 1


def test_attach_invoice_to_a_paid_and_to_a_cancelled_order(peer):
    peer.add_order(9, status="processing", paid=True, items=[{"sku": "A", "qty": 1, "price": 10}])
    ref = adapter_for(peer).attach_invoice("9", invoice("F-1"))
    assert "Magento invoice 000000001" in ref and len(peer.invoices_of(9)) == 1
    assert peer.orders[9]["status"] == "processing"
    peer.add_order(10, status="canceled", items=[{"sku": "A", "qty": 1, "price": 10}])
    ref = adapter_for(peer).attach_invoice("10", invoice("F-2"))
    assert "no Magento invoice" in ref and "does not allow an invoice" in ref
    assert peer.invoice_comments(10)[0]["status"] == "canceled"
    with pytest.raises(base.ShopError, match="no number"):
        adapter_for(peer).attach_invoice("10", model.InvoiceDocument("", b"", "x.pdf"))


def test_comment_without_status_would_blank_the_order_status(peer):
    """Why the adapter always sends the status: the sandbox keeps Magento's behaviour."""
    peer.add_order(11, status="processing")
    HttpClient(base_url=peer.url, retries=0).post(
        "/rest/default/V1/orders/11/comments", json={"statusHistory": {"comment": "hi"}},
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert peer.orders[11]["status"] is None


# ---------------------------------------------------------------------------- the peer itself
def test_peer_routes_and_demo():
    [demo] = demo_peers()
    assert demo.port == 8074 and demo.token == DEMO_TOKEN
    assert {"SHOP-DESK", "SHOP-CHAIR", "SHOP-LAMP"} <= set(demo.products)
    statuses = {o["increment_id"]: o["status"] for o in demo.orders.values()}
    assert statuses == {"000000101": "processing", "000000102": "pending", "000000103": "canceled"}
    paid = demo.orders[101]
    assert paid["coupon_code"] == "WELCOME10" and paid["shipping_amount"] == 15
    assert paid["total_paid"] == paid["grand_total"]
    with Magento2Peer() as p:
        http = HttpClient(base_url=p.url, retries=0)
        auth = {"Authorization": f"Bearer {DEMO_TOKEN}"}
        missing = http.get("/rest/default/V1/nothing", expected=(404,), headers=auth)
        assert missing.json()["message"] == "Request does not match any route."
        no_criteria = http.get("/rest/default/V1/orders", expected=(400,), headers=auth)
        assert no_criteria.json()["parameters"] == {"fieldName": "searchCriteria"}
        p.add_product("A B/C", "Odd SKU")
        got = http.get("/index.php/rest/all/V1/products/A%20B%2FC", headers=auth)
        assert got.json()["name"] == "Odd SKU"
        unauthorized = http.get("/rest/default/V1/products/X", expected=(401,))
        assert unauthorized.json()["parameters"] == {"resources": "Magento_Catalog::products"}


def test_category_under_a_parent_already_in_the_shop(peer):
    parent = peer.add_category("Furniture", parent_id=2)
    results = adapter_for(peer).push_categories([
        model.Category("c:7", "Desks", parent_remote_id=str(parent["id"]))])
    assert results[0].ok, results
    assert peer.categories[int(results[0].remote_id)]["parent_id"] == parent["id"]
