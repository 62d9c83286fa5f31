"""PrestaShop adapter against the sandbox PrestaShop 8 webservice (pure tier)."""

import base64
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_ecommerce_sync.protocol import base, model
from odoo.addons.b2b_sandbox.peers import prestashop as peer_mod
from odoo.addons.b2b_sandbox.peers.prestashop import DEMO_KEY, PrestaShopPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_shop_prestashop import protocol as ps

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class FakeClock:
    def __init__(self, now=1_780_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def peer():
    with PrestaShopPeer(timezone="Europe/Amsterdam") as p:
        yield p


def adapter_for(peer, key=DEMO_KEY, retries=2, sleeps=None, **options):
    http = HttpClient(base_url=peer.url, retries=retries,
                      sleep=sleeps.append if sleeps is not None else (lambda s: None))
    return ps.PrestaShopAdapter(http, {"key": key}, {"timezone": "Europe/Amsterdam", **options})


def calls(peer, method, path):
    return [r for r in peer.requests if r.method == method and r.path == path]


def writes(peer):
    return [r for r in peer.requests if r.method in ("POST", "PUT", "PATCH", "DELETE")]


def body_of(request):
    return safe_xml.parse_xml(request.body)


# ---------------------------------------------------------------------------- helpers of the module
def test_declares_its_platform_and_class_attributes():
    assert (ps.PrestaShopAdapter.platform, ps.PrestaShopAdapter.label) == ("prestashop", "PrestaShop")
    cls = ps.PrestaShopAdapter
    assert cls.credential_fields == ("key",)
    codes = dict(cls.order_statuses)
    assert codes["2"] == "Payment accepted" and codes["6"] == "Canceled"
    assert set(cls.default_status_map) == set(model.PROGRESS_EVENTS)
    assert all(s in codes for s in list(cls.default_status_map.values()) + list(cls.default_import_statuses)
               + list(cls.default_cancel_statuses))
    assert cls.option_defaults["language"] == "1" and cls.option_defaults["shop"] == "1"
    assert cls.max_batch == 100 and cls.page_size == 50


def test_lang_text_and_error_documents():
    assert ps.lang_text("Desk") == "Desk"
    assert ps.lang_text([{"id": "1", "value": "Desk"}, {"id": "2", "value": "Bureau"}], "2") == "Bureau"
    assert ps.lang_text(None) == ""
    xml = (b'<?xml version="1.0"?><prestashop><errors><error><code><![CDATA[85]]></code>'
           b'<message><![CDATA[Validation error: "Property Customer->email is not valid"]]></message>'
           b'</error></errors></prestashop>')
    assert ps.ps_errors(xml) == [("85", 'Validation error: "Property Customer->email is not valid"')]
    assert ps.ps_errors(b'{"errors":[{"code":26,"message":"Resource of type \\"orders\\" is not allowed"}]}') == [
        ("26", 'Resource of type "orders" is not allowed')]
    assert ps.ps_errors(b"<html>proxy</html>") == [] and ps.ps_errors(b"not xml") == []
    assert ps.ps_errors(b'<!DOCTYPE x [<!ENTITY e "x">]><prestashop>&e;</prestashop>') == []
    assert "lacks this permission" in ps.explain([("26", "Resource not allowed")])


def test_missing_key_and_bad_options_are_config_errors(peer):
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer, key="").test_connection()
    assert err.value.kind == "config"
    with pytest.raises(base.ShopError, match="time zone"):
        adapter_for(peer, timezone="Mars/Olympus")
    with pytest.raises(base.ShopError, match="root_category"):
        adapter_for(peer, root_category="home")


# ---------------------------------------------------------------------------- connection, auth, transport
def test_connection_names_shop_version_and_missing_permissions(peer):
    adapter = adapter_for(peer)
    message = adapter.test_connection()
    assert 'PrestaShop 8.1.7 shop "B2B Sandbox Shop"' in message
    assert "languages" not in message
    request = peer.requests[-1]
    assert request.path == "/api/" and request.header("Authorization").startswith("Basic ")
    # reading languages is optional: a key without it connects, and is told what it costs
    del peer.permissions["languages"]
    assert adapter.test_connection().endswith(
        "; without GET on languages, new customers get the shop's language, not the one they ordered in")
    peer.permissions["languages"] = {"GET"}
    peer.permissions["order_histories"] = {"GET"}
    del peer.permissions["taxes"]
    with pytest.raises(base.ShopError) as err:
        adapter.test_connection()
    assert err.value.kind == "config"
    assert "order_histories (POST)" in str(err.value) and "taxes (GET)" in str(err.value)


def test_wrong_key_keeps_the_transport_error_with_prestashops_words(peer):
    with pytest.raises(TransportError) as err:
        list(adapter_for(peer, key="X" * 32).fetch_orders())
    assert err.value.kind == "auth" and err.value.status == 401
    assert "Authentification key is not active" in str(err.value)
    assert DEMO_KEY not in str(err.value)
    with pytest.raises(TransportError) as err:
        adapter_for(peer, key="short").test_connection()
    assert "Invalid authentication key format" in str(err.value)
    assert len(peer.requests) == 2  # 401 is not retried


def test_resource_not_allowed_for_the_key_is_an_auth_error(peer):
    del peer.permissions["order_cart_rules"]
    peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}])
    with pytest.raises(TransportError) as err:
        list(adapter_for(peer).fetch_orders())
    assert err.value.kind == "auth" and "order_cart_rules" in str(err.value)


def test_429_retry_after_is_honoured_then_success(peer):
    sleeps = []
    peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}])
    peer.script(Response.text("Too Many Requests", status=429, headers={"Retry-After": "7"}))
    orders = list(adapter_for(peer, sleeps=sleeps).fetch_orders())
    assert [o.remote_id for o in orders] == ["1"]
    assert sleeps == [7.0]
    assert len(calls(peer, "GET", "/api/orders")) == 2


def test_front_proxy_throttling_503_retry_after():
    clock = FakeClock()
    with PrestaShopPeer(throttle=(2, 60), retry_after=60, clock=clock) as peer:
        sleeps = []

        def sleep(seconds):
            sleeps.append(seconds)
            clock.now += seconds

        http = HttpClient(base_url=peer.url, retries=2, sleep=sleep)
        adapter = ps.PrestaShopAdapter(http, {"key": DEMO_KEY})
        adapter.test_connection()
        adapter.test_connection()
        adapter.test_connection()  # third call in the minute: 503, waits 60 s, then goes through
        assert peer.throttled == 1 and sleeps == [60.0]
        assert [r.path for r in peer.requests] == ["/api/"] * 4


def test_500_on_a_read_is_retried(peer):
    peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}])
    peer.script(Response.text("oops", status=500))
    assert len(list(adapter_for(peer).fetch_orders())) == 1
    assert len(calls(peer, "GET", "/api/orders")) == 2
    peer.reset()
    peer.script(*[Response.text("down", status=500)] * 3)
    with pytest.raises(TransportError) as err:
        list(adapter_for(peer).fetch_orders())
    assert err.value.kind == "server" and "after 3 attempts" in str(err.value)


def test_garbage_answers_are_clear_shop_errors(peer):
    peer.script(Response.text("<html><body>Maintenance mode</body></html>", content_type="text/html"))
    with pytest.raises(base.ShopError) as err:
        list(adapter_for(peer).fetch_orders())
    assert err.value.kind == "answer" and "not JSON" in str(err.value) and "Maintenance" in str(err.value)
    peer.script(Response.json({"products": "nope"}))
    with pytest.raises(base.ShopError) as err:
        list(adapter_for(peer).fetch_orders())
    assert err.value.kind == "answer" and "not a list of orders" in str(err.value)
    peer.script(Response.text("<html>not the api</html>"))
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer).test_connection()
    assert err.value.kind == "answer"


def test_404_order_is_not_found(peer):
    adapter = adapter_for(peer)
    with pytest.raises(base.ShopError) as err:
        adapter.update_order("999", "shipped")
    assert err.value.kind == "not_found" and "999" in str(err.value)
    with pytest.raises(base.ShopError) as err:
        adapter.attach_invoice("999", model.InvoiceDocument("INV/1", PDF, "inv.pdf", url="https://odoo/x"))
    assert err.value.kind == "not_found"


# ---------------------------------------------------------------------------- categories
def test_push_categories_parents_first_link_update_and_refusal(peer):
    adapter = adapter_for(peer)
    cats = [model.Category("c:1", "Office furniture", description="<p>Desks</p>"),
            model.Category("c:2", "Desks", parent_key="c:1"),
            model.Category("c:3", "Bad <name>"),
            model.Category("c:4", "Child of bad", parent_key="c:3")]
    results = adapter.push_categories(cats)
    assert [r.ok for r in results] == [True, True, False, False]
    parent, child = peer.categories[int(results[0].remote_id)], peer.categories[int(results[1].remote_id)]
    assert results[0].created and results[1].created
    assert parent["id_parent"] == "2" and child["id_parent"] == str(parent["id"])
    assert parent["name"] == {"1": "Office furniture", "2": "Office furniture"}
    assert parent["link_rewrite"]["1"] == "office-furniture" and parent["description"]["1"] == "<p>Desks</p>"
    assert "Property Category->name is not valid" in results[2].error
    assert "parent category c:3" in results[3].error
    count = len(peer.categories)

    # again, without remote ids: found by name under the same parent, nothing created or changed
    before = len(writes(peer))
    again = adapter.push_categories(cats[:2])
    assert [r.remote_id for r in again] == [results[0].remote_id, results[1].remote_id]
    assert not any(r.created for r in again) and len(peer.categories) == count
    assert len(writes(peer)) == before
    lookup = calls(peer, "GET", "/api/categories")[-1].query
    assert lookup["filter[name]"] == "[Desks]" and lookup["filter[id_parent]"] == f"[{results[0].remote_id}]"

    # a renamed category with its remote id: PATCH of the name only
    renamed = adapter.push_categories([model.Category("c:2", "Standing desks", remote_id=results[1].remote_id)])
    assert renamed[0].ok and not renamed[0].created
    assert peer.categories[int(results[1].remote_id)]["name"]["1"] == "Standing desks"
    patch = writes(peer)[-1]
    assert patch.method == "PATCH" and patch.path == f"/api/categories/{results[1].remote_id}"
    assert body_of(patch).find("category/name/language").get("id") == "1"


# ---------------------------------------------------------------------------- products
def test_push_products_create_link_delta_and_refusal(peer):
    desk = peer.add_product("SHOP-DESK", "Standing desk", "499.00")
    office = peer.add_category("Office")
    adapter = adapter_for(peer)
    products = [
        model.Product(sku="SHOP-DESK", name="Standing desk", price=Decimal("479.00")),  # exists: linked
        model.Product(sku="SHOP-CHAIR", name="Ergonomic chair", price=Decimal("249"), description="<p>Comfy</p>",
                      short_description="Chair", weight=Decimal("14.5"), tax_class="1", barcode="8712345000021",
                      category_remote_ids=[str(office)], images=[model.Image("chair.png", PNG)]),
        model.Product(sku="SHOP-BAD", name="Desk <script>", price=Decimal("10")),  # refused by the shop
        model.Product(sku="SHOP-LAMP", name="Desk lamp", price=Decimal("39.90"), active=False),
    ]
    results = adapter.push_products(products)
    assert [r.key for r in results] == ["SHOP-DESK", "SHOP-CHAIR", "SHOP-BAD", "SHOP-LAMP"]
    assert [r.ok for r in results] == [True, True, False, True]
    assert results[0].remote_id == str(desk) and not results[0].created
    assert len(peer.products_with_reference("SHOP-DESK")) == 1
    assert peer.products[desk]["price"] == "479.000000"
    assert "Property Product->name is not valid" in results[2].error and "SHOP-BAD" in results[2].error
    chair = peer.products[int(results[1].remote_id)]
    assert results[1].created and chair["reference"] == "SHOP-CHAIR" and chair["price"] == "249.000000"
    assert chair["weight"] == "14.500000" and chair["ean13"] == "8712345000021" and chair["id_tax_rules_group"] == "1"
    assert chair["id_category_default"] == str(office)
    assert chair["associations"]["categories"] == [{"id": str(office)}]
    assert chair["description"]["1"] == "<p>Comfy</p>" and chair["state"] == "1"
    assert [i["filename"] for i in peer.images[chair["id"]]] == ["chair.png"]
    assert peer.products[int(results[3].remote_id)]["active"] == "0"
    assert peer.stock_of(chair["id"]) == 0
    post = calls(peer, "POST", "/api/products")[0]
    name = body_of(post).find("product/name/language")
    assert name.get("id") == "1" and name.text == "Ergonomic chair"
    assert post.header("Content-Type").startswith("text/xml")
    lookups = calls(peer, "GET", "/api/products")
    assert len(lookups) == 1 and lookups[0].query["filter[reference]"] == "[SHOP-DESK|SHOP-CHAIR|SHOP-BAD|SHOP-LAMP]"

    # unchanged products are not written again (delta), images not uploaded twice
    before = len(writes(peer))
    results2 = adapter.push_products([products[1], products[3]])
    assert all(r.ok and not r.created for r in results2)
    assert len(writes(peer)) == before
    # a changed price with the remote id: one PATCH with only the price
    changed = adapter.push_products([model.Product(sku="SHOP-LAMP", name="Desk lamp", price=Decimal("35"),
                                                   active=False, remote_id=results[3].remote_id)])
    assert changed[0].ok
    patch = writes(peer)[-1]
    assert patch.method == "PATCH" and [c.tag for c in body_of(patch).find("product")] == ["id", "price"]


def test_push_products_250_records_three_lookups_one_write_each(peer):
    adapter = adapter_for(peer)
    products = [model.Product(sku=f"BULK-{n:04d}", name=f"Bulk item {n}", price=Decimal("1.50")) for n in range(250)]
    results = adapter.push_products(products)
    assert len(results) == 250 and all(r.ok and r.created for r in results)
    lookups = calls(peer, "GET", "/api/products")
    assert [len(r.query["filter[reference]"].split("|")) for r in lookups] == [100, 100, 50]
    assert len(calls(peer, "POST", "/api/products")) == 250
    assert len({r.remote_id for r in results}) == 250


def test_push_products_awkward_references_and_stale_ids(peer):
    adapter = adapter_for(peer)
    first = adapter.push_products([model.Product(sku="PACK|2", name="Two pack", price=Decimal("5")),
                                   model.Product(sku="10,20", name="Interval-looking", price=Decimal("6"))])
    assert all(r.created for r in first)
    again = adapter.push_products([model.Product(sku="PACK|2", name="Two pack", price=Decimal("5")),
                                   model.Product(sku="10,20", name="Interval-looking", price=Decimal("6"))])
    assert [r.remote_id for r in again] == [r.remote_id for r in first] and not any(r.created for r in again)
    likes = [r.query for r in calls(peer, "GET", "/api/products") if "%" in r.query.get("filter[reference]", "")]
    assert {q["filter[reference]"] for q in likes} == {"[PACK]%", "[10]%"}
    # the product was deleted in the shop: its stale remote id leads to a new product
    del peer.products[int(first[0].remote_id)]
    stale = adapter.push_products([model.Product(sku="PACK|2", name="Two pack", price=Decimal("5"),
                                                 remote_id=first[0].remote_id)])
    assert stale[0].created and stale[0].remote_id != first[0].remote_id
    # a SKU the filter syntax cannot carry at all is refused, not duplicated
    odd = adapter.push_products([model.Product(sku="|X", name="Odd", price=Decimal("1")),
                                 model.Product(sku="", name="No sku", price=Decimal("1"))])
    assert "cannot be searched" in odd[0].error and "needs a SKU" in odd[1].error


def test_record_refused_with_500_among_good_ones(peer):
    adapter = adapter_for(peer)
    error = (b'<?xml version="1.0"?><prestashop><errors><error><code><![CDATA[46]]></code><message>'
             b'<![CDATA[Unable to save resource]]></message></error></errors></prestashop>')
    peer.script(Response(200, b"[]", {"Content-Type": "application/json"}),  # the reference lookup
                Response.xml(error, status=500))  # the first POST
    results = adapter.push_products([model.Product(sku="A-1", name="One", price=Decimal("1")),
                                     model.Product(sku="A-2", name="Two", price=Decimal("2"))])
    assert "Unable to save resource" in results[0].error and not results[0].remote_id
    assert results[1].ok and results[1].created
    assert len(calls(peer, "POST", "/api/products")) == 2  # a failed POST is not repeated


def test_image_over_the_servers_body_limit_is_that_products_error():
    with PrestaShopPeer(max_body=4096) as peer:
        big = model.Image("huge.png", PNG + b"\x00" * 10_000)
        results = adapter_for(peer).push_products([
            model.Product(sku="BIG-1", name="Big picture", price=Decimal("1"), images=[big]),
            model.Product(sku="SMALL-1", name="Small picture", price=Decimal("1"), images=[model.Image("s.png", PNG)])])
        assert results[0].created and results[0].remote_id and "too large (HTTP 413)" in results[0].error
        assert results[1].ok and len(peer.images[int(results[1].remote_id)]) == 1
        assert int(results[0].remote_id) not in peer.images


def test_method_not_allowed_for_the_key_stops_the_run(peer):
    peer.permissions["products"].discard("POST")
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer).push_products([model.Product(sku="NEW-1", name="New", price=Decimal("1"))])
    assert err.value.kind == "config" and "Method POST is not allowed" in str(err.value)


# ---------------------------------------------------------------------------- stock and prices
def test_push_stock_quantities_backorders_restock_and_unknown(peer):
    desk = peer.add_product("SHOP-DESK", "Standing desk", "499", quantity=3)
    lamp = peer.add_product("SHOP-LAMP", "Lamp", "39.90", quantity=10)
    adapter = adapter_for(peer)
    levels = [model.StockLevel("SHOP-DESK", Decimal("12")),
              model.StockLevel("SHOP-LAMP", Decimal("0"), restock_date=date(2026, 9, 1), manage_stock=False),
              model.StockLevel("NOPE", Decimal("4"))]
    results = adapter.push_stock(levels)
    assert [r.ok for r in results] == [True, True, False]
    assert results[0].remote_id == str(desk) and "no product with reference 'NOPE'" in results[2].error
    assert peer.stock_of(desk) == 12 and peer.stock_of(lamp) == 0
    lamp_stock = next(s for s in peer.stock_availables.values() if s["id_product"] == str(lamp))
    assert lamp_stock["out_of_stock"] == "1"
    assert peer.products[lamp]["available_date"] == "2026-09-01"
    stock_reads = calls(peer, "GET", "/api/stock_availables")
    assert len(stock_reads) == 1 and stock_reads[0].query["filter[id_product_attribute]"] == "[0]"
    before = len(writes(peer))
    assert all(r.ok for r in adapter.push_stock(levels[:2]))
    assert len(writes(peer)) == before  # nothing changed, nothing written
    fractional = adapter.push_stock([model.StockLevel("SHOP-DESK", Decimal("7.9"), remote_id=str(desk))])
    assert fractional[0].ok and peer.stock_of(desk) == 7


def test_push_prices_base_and_sale_price(peer):
    desk = peer.add_product("SHOP-DESK", "Standing desk", "499")
    adapter = adapter_for(peer)
    results = adapter.push_prices([model.Price("SHOP-DESK", Decimal("489.00"), sale_price=Decimal("449.00")),
                                   model.Price("GHOST", Decimal("1"))])
    assert results[0].ok and not results[1].ok
    assert peer.products[desk]["price"] == "489.000000"
    (special,) = peer.specific_prices.values()
    assert special["id_product"] == str(desk) and special["reduction"] == "40.000000"
    assert special["reduction_type"] == "amount" and special["price"] == "-1.000000" and special["reduction_tax"] == "0"
    before = len(writes(peer))
    adapter.push_prices([model.Price("SHOP-DESK", Decimal("489.00"), sale_price=Decimal("449.00"))])
    assert len(writes(peer)) == before
    adapter.push_prices([model.Price("SHOP-DESK", Decimal("489.00"), sale_price=Decimal("459.00"))])
    assert next(iter(peer.specific_prices.values()))["reduction"] == "30.000000"
    adapter.push_prices([model.Price("SHOP-DESK", Decimal("489.00"))])
    assert peer.specific_prices == {}
    assert writes(peer)[-1].method == "DELETE"


# ---------------------------------------------------------------------------- customers
def _address(**values):
    base_values = dict(first_name="Anna", last_name="Jansen", street="Keizersgracht 100", city="Amsterdam",
                       zip="1015 AA", country_code="NL", phone="+31 20 555 0100")
    base_values.update(values)
    return model.Address(**base_values)


def test_push_customers_create_link_refuse_and_addresses(peer):
    registered = peer.add_customer("piet@example.com", "Piet", "Pieters")
    peer.add_customer("guest@example.com", "Gast", "Koper", is_guest=True)
    adapter = adapter_for(peer)
    customers = [
        model.Customer("p:1", "anna@example.com", "Anna", "Jansen", company="Jansen BV", vat="NL123456789B01",
                       billing=_address(company="Jansen BV"),
                       shipping=_address(street="Hoofdweg 1", city="Haarlem", zip="2011 AA")),
        model.Customer("p:2", "not-an-email", "Bad", "Address"),
        model.Customer("p:3", "piet@example.com", "Pieter", "Pieters", group="4"),  # exists: linked + updated
        model.Customer("p:4", "guest@example.com", "Gast", "Koper"),  # only a guest account: a real one is made
        model.Customer("p:5", "sam@example.com", "Sam", "Smith",
                       billing=_address(first_name="Sam", last_name="Smith", country_code="US", state_code="CA",
                                        city="Los Angeles", zip="90001")),
        model.Customer("p:6", "nowhere@example.com", "No", "Where", billing=_address(country_code="XX")),
    ]
    results = adapter.push_customers(customers)
    assert [r.ok for r in results] == [True, False, True, True, True, False]
    assert "Property Customer->email is not valid" in results[1].error
    assert results[2].remote_id == str(registered) and not results[2].created
    assert peer.customers[registered]["firstname"] == "Pieter" and peer.customers[registered]["id_default_group"] == "4"
    assert len(peer.customers_with_email("piet@example.com")) == 1
    assert results[3].created and len(peer.customers_with_email("guest@example.com")) == 2
    anna = peer.customers[int(results[0].remote_id)]
    assert anna["company"] == "Jansen BV" and anna["is_guest"] == "0" and anna["passwd"].startswith("$2y$")
    addresses = sorted((a for a in peer.addresses.values() if a["id_customer"] == str(anna["id"])),
                       key=lambda a: a["id"])
    assert [(a["alias"], a["city"], a["id_country"]) for a in addresses] == [
        ("Billing", "Amsterdam", "13"), ("Shipping", "Haarlem", "13")]
    assert addresses[0]["vat_number"] == "NL123456789B01" and addresses[0]["company"] == "Jansen BV"
    sam_address = next(a for a in peer.addresses.values() if a["id_customer"] == results[4].remote_id)
    assert sam_address["id_country"] == "21" and sam_address["id_state"] == "4"
    assert results[5].remote_id and "country XX" in results[5].error
    assert len(calls(peer, "GET", "/api/countries")) == 1  # resolved once for the batch

    # again with a moved shipping address: the address is updated, not added
    customers[0].shipping.street = "Hoofdweg 2"
    count = len(peer.addresses)
    again = adapter.push_customers([customers[0]])
    assert again[0].ok and not again[0].created and len(peer.addresses) == count
    assert addresses[1]["id"] in peer.addresses and peer.addresses[addresses[1]["id"]]["address1"] == "Hoofdweg 2"
    assert writes(peer)[-1].method == "PATCH"


# ---------------------------------------------------------------------------- orders
def _full_order(peer):
    peer.add_product("SHOP-DESK", "Standing desk", "499.00")
    peer.add_product("SHOP-LAMP", "LED lamp", "39.90")
    peer.add_product("SHOP-BOOK", "Ergonomics handbook", "20.00")
    customer = peer.add_customer("sam@example.com", "Sam", "Smith")
    billing = peer.add_address(customer, "US", alias="Office", firstname="Sam", lastname="Smith", company="Smith LLC",
                               address1="1 Main St", address2="Suite 5", postcode="90001", city="Los Angeles",
                               id_state="4", phone="", phone_mobile="+1 555 0100", vat_number="US-99")
    delivery = peer.add_address(customer, "NL", alias="Warehouse", firstname="Pat", lastname="Jones",
                                address1="Havenweg 3", postcode="3011 AA", city="Rotterdam")
    return peer.add_order(
        [{"reference": "SHOP-DESK", "quantity": 2, "reduction": "49.00"},
         {"reference": "SHOP-LAMP", "quantity": 3, "reduction_percent": "10"},
         {"reference": "SHOP-BOOK", "quantity": 1, "tax_rate": "9"}],
        customer=customer, state=2, shipping="10.00", wrapping="2.50",
        cart_rules=[{"name": "Spring sale", "code": "SPRING", "value": "24.20", "value_tax_excl": "20.00"},
                    {"name": "Gift card 50", "code": "GIFT-XYZ", "value": "50.00", "value_tax_excl": "50.00"}],
        payment="Stripe", module="stripe_official", transaction_id="pi_3Nabc", currency="USD",
        date_add="2026-03-29 03:30:00", date_upd="2026-07-01 14:00:00", invoice_address=billing,
        delivery_address=delivery, gift_message="Happy birthday", messages=["Leave at the back door"])


def test_fetch_orders_maps_every_line_kind_and_the_money(peer):
    oid = _full_order(peer)
    (order,) = list(adapter_for(peer).fetch_orders())
    assert order.remote_id == str(oid) and order.number == peer.orders[oid]["reference"] and order.status == "2"
    assert order.created_at == datetime(2026, 3, 29, 1, 30)  # Amsterdam summer time: UTC+2
    assert order.updated_at == datetime(2026, 7, 1, 12, 0)
    assert order.currency == "USD" and not order.prices_include_tax
    assert order.email == "sam@example.com" and order.customer_remote_id == peer.orders[oid]["id_customer"]
    kinds = [(line.kind, line.name) for line in order.lines]
    assert kinds == [("product", "Standing desk"), ("product", "LED lamp"), ("product", "Ergonomics handbook"),
                     ("shipping", "PostNL"), ("fee", "Gift wrapping"), ("coupon", "Spring sale (SPRING)"),
                     ("gift_card", "Gift card 50 (GIFT-XYZ)")]
    desk, lamp, book, shipping, wrapping, coupon, gift = order.lines
    assert (desk.sku, desk.quantity, desk.unit_price, desk.discount, desk.subtotal, desk.tax_amount, desk.tax_rate) == (
        "SHOP-DESK", 2, Decimal("499"), Decimal("98"), Decimal("900"), Decimal("189"), Decimal("21"))
    assert desk.product_remote_id == "1" and desk.remote_id
    assert (lamp.unit_price, lamp.discount, lamp.subtotal, lamp.tax_amount) == (
        Decimal("39.9"), Decimal("11.97"), Decimal("107.73"), Decimal("22.62"))
    assert (book.subtotal, book.tax_amount, book.tax_rate) == (Decimal("20"), Decimal("1.8"), Decimal("9"))
    assert (shipping.unit_price, shipping.tax_amount, shipping.tax_rate) == (
        Decimal("10"), Decimal("2.1"), Decimal("21"))
    assert (wrapping.unit_price, wrapping.tax_amount) == (Decimal("2.5"), Decimal("0.53"))
    assert (coupon.unit_price, coupon.tax_amount, coupon.sku) == (Decimal("-20"), Decimal("-4.2"), "SPRING")
    assert (gift.unit_price, gift.tax_amount) == (Decimal("-50"), Decimal("0"))
    assert order.total == Decimal("1182.08") and order.total_tax == Decimal("211.85")
    assert sum(line.subtotal + line.tax_amount for line in order.lines) == order.total
    assert order.paid and order.paid_amount == Decimal("1182.08")
    assert order.payment_method == "Stripe" and order.transaction_id == "pi_3Nabc"
    assert order.billing == model.Address(
        first_name="Sam", last_name="Smith", company="Smith LLC", street="1 Main St", street2="Suite 5",
        city="Los Angeles", zip="90001", state_code="CA", country_code="US", email="sam@example.com",
        phone="+1 555 0100", vat="US-99")
    assert (order.shipping.name, order.shipping.city, order.shipping.country_code) == ("Pat Jones", "Rotterdam", "NL")
    assert order.note == "Leave at the back door\nGift message: Happy birthday"
    assert order.raw["order"]["module"] == "stripe_official" and len(order.raw["order_details"]) == 3
    json.dumps(order.raw)  # stored on the exchange as JSON


def test_fetch_orders_guest_unpaid_and_cancelled(peer):
    guest = peer.add_customer("guest@example.com", "Gus", "Guest", is_guest=True)
    peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], customer=guest, state=10, carrier=0)
    peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], state=6)
    first, second = adapter_for(peer).fetch_orders()
    assert first.customer_remote_id == "" and first.email == "guest@example.com"
    assert not first.paid and first.paid_amount == 0 and first.transaction_id == ""
    assert [line.kind for line in first.lines] == ["product"]  # no carrier, no shipping line
    assert second.status == "6" and not second.paid


def test_fetch_orders_pages_until_a_short_page(peer):
    for n in range(12):
        peer.add_order([{"name": f"Item {n}", "price": "10", "quantity": 1}],
                       date_add=f"2026-05-01 10:{59 - n:02d}:00")  # newest id = oldest update
    adapter = adapter_for(peer)
    adapter.page_size = 5
    orders = list(adapter.fetch_orders())
    assert [o.remote_id for o in orders] == [str(n) for n in range(12, 0, -1)]  # oldest update first
    pages = calls(peer, "GET", "/api/orders")
    assert [r.query["limit"] for r in pages] == ["0,5", "5,5", "10,5"]
    assert all(r.query["sort"] == "[date_upd_ASC,id_ASC]" and r.query["date"] == "1" for r in pages)
    # an exact multiple of the page size ends with an empty page ("[]" as PrestaShop answers it)
    peer.reset()
    for n in range(10):
        peer.add_order([{"name": f"Item {n}", "price": "10", "quantity": 1}])
    assert len(list(adapter.fetch_orders())) == 10
    assert [r.query["limit"] for r in calls(peer, "GET", "/api/orders")] == ["0,5", "5,5", "10,5"]


def test_fetch_orders_since_and_status_filters(peer):
    peer.add_order([{"name": "Old", "price": "10", "quantity": 1}], state=2, date_add="2026-01-10 09:00:00")
    peer.add_order([{"name": "New paid", "price": "10", "quantity": 1}], state=2, date_add="2026-01-20 09:00:00")
    peer.add_order([{"name": "New unpaid", "price": "10", "quantity": 1}], state=10, date_add="2026-01-21 09:00:00")
    peer.add_order([{"name": "New processing", "price": "10", "quantity": 1}], state=3, date_add="2026-01-22 09:00:00")
    adapter = adapter_for(peer)
    since = datetime(2026, 1, 20, 8, 0)  # 09:00 in Amsterdam (winter, UTC+1): inclusive
    assert [o.remote_id for o in adapter.fetch_orders(since=since)] == ["2", "3", "4"]
    last = calls(peer, "GET", "/api/orders")[-1].query
    assert last["filter[date_upd]"] == "[2026-01-20 09:00:00,9999-12-31 23:59:59]"
    assert [o.remote_id for o in adapter.fetch_orders(since=since, statuses=["2", "3"])] == ["2", "4"]
    assert calls(peer, "GET", "/api/orders")[-1].query["filter[current_state]"] == "[2|3]"
    assert list(adapter.fetch_orders(since=datetime(2026, 2, 1))) == []
    with pytest.raises(base.ShopError) as err:
        list(adapter.fetch_orders(statuses=["paid"]))
    assert err.value.kind == "config"


# ---------------------------------------------------------------------------- order updates
def test_update_order_for_each_event(peer):
    oid = peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], state=2)
    adapter = adapter_for(peer)
    assert "state 3" in adapter.update_order(str(oid), "confirmed")
    assert peer.orders[oid]["current_state"] == "3" and peer.emails == []
    history = calls(peer, "POST", "/api/order_histories")[-1]
    assert "sendemail" not in history.query
    assert body_of(history).findtext("order_history/id_order_state") == "3"

    shipment = model.Shipment(carrier="PostNL", tracking_number="3SABCD1234567",
                              tracking_url="https://jouw.postnl.nl/track-and-trace/3SABCD1234567")
    adapter.update_order(str(oid), "shipped", shipment=shipment, notify=True)
    assert peer.orders[oid]["current_state"] == "4"
    [carrier] = peer.shipments(oid)
    assert carrier["tracking_number"] == "3SABCD1234567"
    # the tracking number goes on the order carrier, saved whole (PUT) with sendemail=1: PrestaShop's
    # "in transit" e-mail with the carrier's tracking link; the order itself is not written
    [put] = calls(peer, "PUT", f"/api/order_carriers/{carrier['id']}")
    assert put.query["sendemail"] == "1"
    sent = body_of(put).find("order_carrier")
    assert {child.tag: child.text or "" for child in sent} == {
        "id": str(carrier["id"]), "id_order": str(oid), "id_carrier": "2", "id_order_invoice": "0",
        "weight": carrier["weight"],
        "shipping_cost_tax_excl": carrier["shipping_cost_tax_excl"],
        "shipping_cost_tax_incl": carrier["shipping_cost_tax_incl"], "date_add": carrier["date_add"],
        "tracking_number": "3SABCD1234567"}
    assert not [r for r in writes(peer)
                if "/api/orders" in r.path or r.method == "PATCH" and "order_carriers" in r.path]
    assert peer.emails == [
        {"order": oid, "template": "in_transit", "to": peer.customers[1]["email"], "shipping_number": "3SABCD1234567",
         "followup": "https://jouw.postnl.nl/track-and-trace/3SABCD1234567"},
        {"order": oid, "state": 4, "template": "shipped", "to": peer.customers[1]["email"]}]
    assert calls(peer, "POST", "/api/order_histories")[-1].query["sendemail"] == "1"
    assert any("Tracking number 3SABCD1234567: https://jouw.postnl.nl" in n for n in peer.notes_for(oid))
    # the same update again changes nothing
    before = len(writes(peer))
    assert "already up to date" in adapter.update_order(str(oid), "shipped", shipment=shipment, notify=True)
    assert len(writes(peer)) == before

    adapter.update_order(str(oid), "delivered")
    assert peer.orders[oid]["current_state"] == "5"
    adapter.update_order(str(oid), "cancelled")
    assert peer.orders[oid]["current_state"] == "6"
    adapter.update_order(str(oid), "shipped", status="11")  # explicit status from the backend's mapping
    assert peer.orders[oid]["current_state"] == "11"
    assert len(calls(peer, "POST", "/api/order_histories")) == 5
    with pytest.raises(base.ShopError) as err:
        adapter.update_order(str(oid), "shipped", status="99")
    assert err.value.kind == "payload" and "id_order_state is not valid" in str(err.value)
    with pytest.raises(base.ShopError) as err:
        adapter.update_order(str(oid), "lost")
    assert err.value.kind == "config"


def test_tracking_without_telling_the_customer_sends_no_email(peer):
    oid = peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], state=3)
    adapter_for(peer).update_order(str(oid), "shipped", shipment=model.Shipment(tracking_number="3SX1"))
    [put] = calls(peer, "PUT", f"/api/order_carriers/{peer.shipments(oid)[0]['id']}")
    assert "sendemail" not in put.query and peer.shipments(oid)[0]["tracking_number"] == "3SX1"
    assert peer.emails == []
    # the shop's tracking e-mail switch off: PrestaShop is not asked to mail, even when the customer is told
    oid = peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], state=3)
    adapter_for(peer, tracking_email=False).update_order(str(oid), "shipped", notify=True,
                                                         shipment=model.Shipment(tracking_number="3SX2"))
    [put] = calls(peer, "PUT", f"/api/order_carriers/{peer.shipments(oid)[0]['id']}")
    assert "sendemail" not in put.query and [e["template"] for e in peer.emails] == ["shipped"]


def test_tracking_on_an_order_without_carrier(peer):
    oid = peer.add_order([{"name": "E-book", "price": "10", "quantity": 1}], carrier=0)
    with pytest.raises(base.ShopError, match="no carrier"):
        adapter_for(peer).update_order(str(oid), "shipped", shipment=model.Shipment(tracking_number="X1"))


# ---------------------------------------------------------------------------- invoices
def test_attach_invoice_message_once(peer):
    oid = peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}])
    adapter = adapter_for(peer)
    document = model.InvoiceDocument("INV/2026/00001", PDF, "INV_2026_00001.pdf",
                                     url="https://odoo.example.com/my/invoices/7?access_token=abc",
                                     amount_total=Decimal("12.10"), currency="EUR")
    reference = adapter.attach_invoice(str(oid), document)
    assert reference.startswith("customer_message:")
    assert peer.notes_for(oid) == ["Invoice INV/2026/00001: https://odoo.example.com/my/invoices/7?access_token=abc "
                                   "(EUR 12.10)"]
    (thread,) = peer.customer_threads.values()
    assert thread["id_order"] == str(oid) and thread["email"] == peer.customers[1]["email"]
    message = next(iter(peer.customer_messages.values()))
    assert message["private"] == "0" and message["id_employee"] == "1"
    # the same invoice again: nothing written; another number: a second message in the same thread
    before = len(writes(peer))
    assert "already there" in adapter.attach_invoice(str(oid), document)
    assert len(writes(peer)) == before
    similar = model.InvoiceDocument("INV/2026/0000", PDF, "x.pdf", url="https://odoo.example.com/my/invoices/8")
    adapter.attach_invoice(str(oid), similar)
    assert len(peer.notes_for(oid)) == 2 and len(peer.customer_threads) == 1


def test_attach_invoice_with_pdf_upload_and_refusals(peer):
    oid = peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], messages=["Hello"])
    adapter = adapter_for(peer, upload_pdf=True)
    document = model.InvoiceDocument("INV/2026/00002", PDF, "INV_2026_00002.pdf")
    reference = adapter.attach_invoice(str(oid), document)
    (attachment,) = peer.attachments.values()
    assert f"attachment:{attachment['id']}" in reference
    assert peer.attachment_files[attachment["id"]] == PDF
    assert attachment["name"]["1"] == "INV/2026/00002" and attachment["mime"] == "application/pdf"
    upload = calls(peer, "POST", "/api/attachments/file")[0]
    assert upload.header("Content-Type").startswith("multipart/form-data")
    assert peer.notes_for(oid)[-1] == f"Invoice INV/2026/00002: PDF filed as PrestaShop attachment {attachment['id']}"
    note = max(peer.customer_messages.values(), key=lambda m: m["id"])
    assert note["private"] == "1"  # without a portal URL the customer could not open it: staff only
    assert len(peer.customer_threads) == 1  # the checkout thread is reused
    assert "already there" in adapter.attach_invoice(str(oid), document)
    assert len(peer.attachments) == 1
    with pytest.raises(base.ShopError) as err:
        adapter.attach_invoice(str(oid), model.InvoiceDocument("INV/3", b"<html>", "x.pdf"))
    assert err.value.kind == "payload"
    with pytest.raises(base.ShopError) as err:
        adapter_for(peer).attach_invoice(str(oid), model.InvoiceDocument("INV/4", PDF, "x.pdf"))
    assert err.value.kind == "config" and "portal URL" in str(err.value)


# ---------------------------------------------------------------------------- the sandbox peer itself
def _get(peer, path, key=DEMO_KEY, **params):
    http = HttpClient(base_url=peer.url, retries=0)
    token = base64.b64encode(f"{key}:".encode()).decode()
    return http.request("GET", path, params=params, expected=(400, 401, 404, 405, 414),
                        headers={"Authorization": f"Basic {token}"})


def test_peer_auth_errors_follow_prestashop(peer):
    http = HttpClient(base_url=peer.url, retries=0)
    answer = http.request("GET", "/api/products", expected=(401,))
    assert answer.status_code == 401 and "Welcome to PrestaShop Webservice" in answer.headers["WWW-Authenticate"]
    assert ps.ps_errors(answer.content)[0][0] == "16"
    assert ps.ps_errors(_get(peer, "/api/products", key="").content)[0][0] == "17"
    assert ps.ps_errors(_get(peer, "/api/products", key="abc").content)[0][0] == "18"
    assert [c for c, _m in ps.ps_errors(_get(peer, "/api/products", key="Z" * 32).content)] == ["20", "21"]
    assert http.request("GET", "/api/products", params={"ws_key": DEMO_KEY}).status_code == 200
    assert _get(peer, "/api/products").headers["PSWS-Version"] == "8.1.7"
    peer.enabled = False
    answer = http.request("GET", "/api/products", params={"ws_key": DEMO_KEY}, expected=(503,))
    assert ps.ps_errors(answer.content)[0][0] == "22"


def test_peer_list_syntax(peer):
    for n, (ref, price) in enumerate([("AB-1", "5"), ("AB-2", "15"), ("CD-3", "25"), ("ab-4", "35")]):
        peer.add_product(ref, f"Product {n}", price)

    def refs(**params):
        answer = _get(peer, "/api/products", output_format="JSON", display="[id,reference]", **params)
        data = answer.json()
        return [p["reference"] for p in data["products"]] if data else []

    assert refs(**{"filter[reference]": "[AB-1|CD-3]"}) == ["AB-1", "CD-3"]
    assert refs(**{"filter[reference]": "[ab]%"}) == ["AB-1", "AB-2", "ab-4"]  # case-insensitive LIKE
    assert refs(**{"filter[price]": "[10,30]"}) == ["AB-2", "CD-3"]
    assert refs(**{"filter[price]": ">[20]"}) == ["CD-3", "ab-4"]
    assert refs(**{"filter[reference]": "[nothing]"}) == []
    assert refs(sort="[price_DESC]", limit="1,2") == ["CD-3", "AB-2"]
    answer = _get(peer, "/api/products", output_format="JSON", display="full", language="2")
    assert answer.json()["products"][0]["name"] == "Product 0"
    answer = _get(peer, "/api/products", output_format="JSON", display="full")
    assert answer.json()["products"][0]["name"] == [{"id": "1", "value": "Product 0"},
                                                     {"id": "2", "value": "Product 0"}]
    assert _get(peer, "/api/products", output_format="JSON").json()["products"][0] == {"id": 1}
    errors = {
        "32": _get(peer, "/api/products", **{"filter[date_upd]": "[2026-01-01,2027-01-01]"}),  # needs date=1
        "38": _get(peer, "/api/products", sort="[date_upd_ASC]"),
        "37": _get(peer, "/api/products", sort="[price]"),
        "39": _get(peer, "/api/products", limit="1,2,3"),
        "35": _get(peer, "/api/products", display="[nope]"),
        "27": _get(peer, "/api/prodcuts"),
    }
    for code, answer in errors.items():
        assert answer.status_code == 400 and ps.ps_errors(answer.content)[0][0] == code, code
    assert "Did you mean" in ps.ps_errors(errors["27"].content)[0][1]
    assert _get(peer, "/api/products", date="1", **{"filter[date_upd]": "[2000-01-01 00:00:00,2100-01-01 00:00:00]"}).ok
    assert _get(peer, "/api/products/999").status_code == 404 and _get(peer, "/api/products/999").content == b""
    assert _get(peer, "/api/products", **{"filter[reference]": "[" + "X|" * 5000 + "]"}).status_code == 414


def test_peer_write_rules(peer):
    pid = peer.add_product("W-1", "Writable", "10")
    http = HttpClient(base_url=peer.url, retries=0, auth=(DEMO_KEY, ""))

    def send(method, path, xml):
        return http.request(method, path, data=xml.encode(), params={"output_format": "JSON"},
                            expected=(400, 404, 405, 500))

    def code(answer):
        return ps.ps_errors(answer.content)[0][0]

    assert code(send("POST", "/api/products", "<prestashop><product><id>5</id></product></prestashop>")) == "91"
    assert code(send("PATCH", "/api/products", "<prestashop><product><price>1</price></product></prestashop>")) == "90"
    missing = send("PATCH", "/api/products/77", "<prestashop><product><id>77</id></product></prestashop>")
    assert missing.status_code == 404 and code(missing) == "92"
    assert code(send("PATCH", f"/api/products/{pid}",
                     f"<prestashop><product><id>{pid}</id><quantity>5</quantity></product></prestashop>")) == "93"
    no_price = "<prestashop><product><reference>R</reference></product></prestashop>"
    assert code(send("POST", "/api/products", no_price)) == "41"
    assert code(send("POST", "/api/products", "<prestashop><product")) == "127"
    assert code(send("POST", "/api/stock_availables", "<prestashop><stock_available/></prestashop>")) == "101"
    negative = send("PATCH", f"/api/products/{pid}",
                    f"<prestashop><product><id>{pid}</id><price>-3</price></product></prestashop>")
    assert code(negative) == "85" and "Product->price is not valid" in ps.ps_errors(negative.content)[0][1]
    ok = send("PATCH", f"/api/products/{pid}",
              f"<prestashop><product><id>{pid}</id><price>12.5</price></product></prestashop>")
    assert ok.status_code == 200 and ok.json()["product"]["price"] == "12.500000"
    assert peer.products[pid]["name"]["1"] == "Writable"  # PATCH keeps what was not sent
    put = send("PUT", f"/api/products/{pid}",
               f"<prestashop><product><id>{pid}</id><price>9</price><name><language id=\"1\">Renamed</language></name>"
               f"</product></prestashop>")
    assert put.status_code == 200 and peer.products[pid]["reference"] == ""  # PUT blanks what was not sent
    peer.permissions["products"] = {"GET"}
    assert code(send("POST", "/api/products", "<prestashop><product/></prestashop>")) == "25"
    gone = http.request("DELETE", "/api/specific_prices/5", expected=(404,))
    assert code(gone) == "87"


def test_demo_peer_is_seeded_for_the_demo_database():
    (demo,) = peer_mod.demo_peers()
    assert demo.port == 8073 and demo.key == DEMO_KEY and len(DEMO_KEY) == 32
    assert {p["reference"] for p in demo.products.values()} == {"SHOP-DESK", "SHOP-CHAIR", "SHOP-LAMP"}
    states = sorted(o["current_state"] for o in demo.orders.values())
    assert states == ["10", "2", "6"]
    paid = next(o for o in demo.orders.values() if o["current_state"] == "2")
    assert paid["total_shipping_tax_excl"] != "0.000000" and any(
        r["id_order"] == str(paid["id"]) for r in demo.order_cart_rules.values())


def test_category_under_a_parent_already_in_the_shop(peer):
    parent = peer.add_category("Furniture")
    results = adapter_for(peer).push_categories([
        model.Category("c:7", "Desks", parent_remote_id=str(parent))])
    assert results[0].ok, results
    assert peer.db["categories"][int(results[0].remote_id)]["id_parent"] == str(parent)
