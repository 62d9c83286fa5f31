"""The Shopify adapter against Shopify's published Admin GraphQL schema (2026-07, tests/fixtures/specs/shopify/),
and the sandbox store on the same contract (pure tier).

Every request test_shopify.py makes is validated there as well (its ``peer`` fixture); this module holds the
documents themselves, the checker (that it finds what it must), one run through every operation, and the
2026-04+ shape of ``inventorySetQuantities`` at the peer."""

import json
from datetime import datetime
from decimal import Decimal

import pytest
from ecommerce import shop_contracts

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError
from odoo.addons.b2b_ecommerce_sync.protocol.model import (
    Address,
    Category,
    Customer,
    InvoiceDocument,
    Price,
    Product,
    Shipment,
    StockLevel,
)
from odoo.addons.b2b_sandbox.peers.shopify import PRIMARY_LOCATION, ShopifyPeer
from odoo.addons.b2b_shop_shopify.protocol import QUERIES, ShopifyAdapter
from odoo.addons.b2b_shop_shopify.protocol.options import API_VERSIONS, DEFAULT_API_VERSION

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# what the adapter sent up to API version 2025-01 (kept here to show the checker refuses it)
OLD_INVENTORY_SET = """mutation InventorySet($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { reason } userErrors { field message code } }
}"""
OLD_CUSTOMERS = """query CustomersByEmail($query: String!) {
  customers(first: 250, query: $query) { nodes { id email } }
}"""
OLD_CANCEL = """mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!,
    $restock: Boolean!) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock) { job { id } }
}"""


def _adapter(peer, **options):
    options.setdefault("location_id", PRIMARY_LOCATION)
    return ShopifyAdapter(HttpClient(base_url=peer.url, retries=0, sleep=lambda s: None), {"key": peer.token}, options)


def _sent(peer, name=None):
    bodies = [json.loads(r.body) for r in peer.requests if r.path.endswith("/graphql.json")]
    return [b for b in bodies if name is None or b["operationName"] == name]


# ---------------------------------------------------------------------------- the documents
@pytest.mark.parametrize("operation", sorted(QUERIES))
def test_every_document_is_valid_against_the_schema_and_uses_nothing_deprecated(operation):
    assert shop_contracts.shopify_problems(QUERIES[operation], None, operation) == []


def test_the_checker_refuses_the_shapes_of_2025_01():
    quantity = {"inventoryItemId": "gid://shopify/InventoryItem/1", "locationId": PRIMARY_LOCATION, "quantity": 1}
    problems = shop_contracts.shopify_problems(OLD_INVENTORY_SET, {"input": {
        "name": "available", "reason": "correction", "ignoreCompareQuantity": True, "quantities": [quantity]}},
        "InventorySet")
    assert [p.rsplit("; ", 1)[-1] for p in problems] == [
        "Field 'ignoreCompareQuantity' is not defined by type 'InventorySetQuantitiesInput'."]
    assert shop_contracts.shopify_problems(OLD_CUSTOMERS, None, "CustomersByEmail") == [
        "field Customer.email is deprecated (Use `defaultEmailAddress.emailAddress` instead.)"]
    assert shop_contracts.shopify_problems(OLD_CANCEL, None, "OrderCancel") == [
        "argument refund is deprecated (Use `refundMethod` instead.)"]
    # deprecated input fields inside variables, unknown variables
    problems = shop_contracts.shopify_problems(QUERIES["ProductSet"], {
        "input": {"id": "gid://shopify/Product/1", "title": "Desk"}, "synchronous": True, "refund": False},
        "ProductSet")
    assert problems == ["variable $refund is not declared by ProductSet",
                        "$input.id: input field ProductSetInput.id is deprecated "
                        "(Use `identifier` instead to get the product's ID)"]
    assert shop_contracts.shopify_problems("query Q { shop { nope } }", None, "Q") == [
        "document: Cannot query field 'nope' on type 'Shop'. Did you mean 'name'?"]


def test_inventory_set_quantities_as_2026_04_requires():
    document = QUERIES["InventorySet"]
    assert shop_contracts.directive_on(document, "inventorySetQuantities", "idempotent") == {"key": "$idempotencyKey"}
    schema_input = shop_contracts.shopify_schema().type_map["InventorySetQuantitiesInput"]
    assert "ignoreCompareQuantity" not in schema_input.fields


def test_api_versions_are_supported_ones_and_the_default_is_the_validated_schema():
    supported = shop_contracts.shopify_supported_versions()
    assert {value for value, _label in API_VERSIONS} <= set(supported)
    assert "2025-01" not in supported and "2025-01" not in dict(API_VERSIONS)
    latest = [v["name"] for v in json.loads(shop_contracts.SHOPIFY_VERSIONS.read_text())["admin"]
              if v.get("latestVersion")]
    assert latest == [DEFAULT_API_VERSION] and DEFAULT_API_VERSION in shop_contracts.SHOPIFY_SCHEMA.name
    assert ShopifyAdapter.option_defaults["api_version"] == DEFAULT_API_VERSION


# ---------------------------------------------------------------------------- every operation, as sent
def test_every_operation_sent_in_one_run_is_valid_with_its_variables():
    with ShopifyPeer(locales=("en", "nl")) as peer:
        peer.add_product("DESK", "Desk", price="400.00", quantity=3)
        peer.add_product("LAMP", "Lamp", price="20.00", quantity=1)
        buyer = peer.add_customer("anna@devries.example", "Anna", "de Vries")
        lines = [{"sku": f"L{n}", "title": f"Line {n}", "quantity": 1, "price": "1.00"} for n in range(60)]
        first = peer.add_order(lines, customer=buyer, email="", created_at=datetime(2026, 1, 5, 9, 0))
        second = peer.add_order([{"sku": "DESK", "quantity": 1, "price": "400.00"}],
                                created_at=datetime(2026, 1, 5, 10, 0))
        adapter = _adapter(peer)
        adapter.test_connection()
        [cat] = adapter.push_categories([Category("c1", "Desks")])
        adapter.push_categories([Category("c1", "Desks & tables", remote_id=cat.remote_id)])
        [desk] = adapter.push_products([Product("DESK", "Desk", price=Decimal("450"), category_remote_ids=[
            cat.remote_id]), Product("NEW", "New", price=Decimal("5"))])[:1]
        peer.variant_by_sku("DESK")["sku"] = "DESK-2"  # the SKU changed in Shopify: found by its product
        _adapter(peer).push_products([Product("DESK", "Desk", price=Decimal("450"), remote_id=desk.remote_id)])
        adapter.push_prices([Price("LAMP", Decimal("25"), sale_price=Decimal("19"))])
        adapter.push_stock([StockLevel("LAMP", Decimal(7)), StockLevel("NEW", Decimal(0), manage_stock=False)])
        address = Address(first_name="Anna", last_name="de Vries", street="Keizersgracht 1", city="Amsterdam",
                          zip="1015 CJ", country_code="NL")
        [anna] = adapter.push_customers([Customer("p1", "anna@devries.example", "Anna", "de Vries", billing=address)])
        adapter.push_customers([Customer("p2", "joris@example.com", "Joris", "Bakker", lang="nl-NL")])
        orders = list(adapter.fetch_orders())
        assert orders[0].email == "anna@devries.example"  # the order has none: the customer's default address
        adapter.update_order(first, "confirmed")
        adapter.update_order(first, "shipped", shipment=Shipment("DHL", "JJD1"))
        adapter.update_order(first, "shipped", shipment=Shipment("DHL", "JJD2"))
        adapter.update_order(first, "delivered")
        adapter.update_order(second, "cancelled")
        adapter.attach_invoice(first, InvoiceDocument("INV/1", PDF, "INV_1.pdf"))

    assert anna.remote_id == buyer and peer.stock("LAMP") == 7
    assert {b["operationName"] for b in _sent(peer)} == set(QUERIES)  # every document was sent
    problems = []
    for body in _sent(peer):
        problems += [f"{body['operationName']}: {p}" for p in shop_contracts.shopify_problems(
            body["query"], body["variables"], body["operationName"])]
    assert problems == []
    # changeFromQuantity is nullable in the schema but Shopify wants it present on every quantity
    quantities = [q for b in _sent(peer, "InventorySet") for q in b["variables"]["input"]["quantities"]]
    assert quantities and all("changeFromQuantity" in q for q in quantities)
    assert all(b["variables"]["idempotencyKey"].strip() for b in _sent(peer, "InventorySet"))
    update = _sent(peer, "CustomerUpdate")[0]["variables"]
    assert update["id"] == buyer and "id" not in update["input"]
    assert update["input"]["addresses"][0]["countryCode"] == "NL"
    # the product to update is the identifier (ProductSetInput.id is deprecated); a new one has none
    assert [b["variables"].get("identifier") for b in _sent(peer, "ProductSet")] == [
        {"id": desk.remote_id}, None, {"id": desk.remote_id}]
    assert not any("id" in b["variables"]["input"] for b in _sent(peer, "ProductSet"))


# ---------------------------------------------------------------------------- the peer on the same contract
def _quantity(peer, sku, quantity, **extra):
    return dict({"inventoryItemId": peer.variant_by_sku(sku)["inventoryItem"], "locationId": PRIMARY_LOCATION,
                 "quantity": quantity}, **extra)


def test_peer_refuses_the_old_inventory_set_shape():
    with ShopifyPeer() as peer:
        peer.add_product("A", quantity=1)
        adapter = _adapter(peer)
        old = {"operationName": "InventorySet", "query": OLD_INVENTORY_SET, "variables": {"input": {
            "name": "available", "reason": "correction", "ignoreCompareQuantity": True,
            "quantities": [_quantity(peer, "A", 5)]}}}
        with pytest.raises(ShopError, match="@idempotent directive is required"):
            adapter._request("POST", "graphql.json", "InventorySet", json=old)
        variables = {"idempotencyKey": "k-1", "input": {"name": "available", "reason": "correction",
                                                        "ignoreCompareQuantity": True,
                                                        "quantities": [_quantity(peer, "A", 5)]}}
        with pytest.raises(ShopError, match="Field is not defined on InventorySetQuantitiesInput") as err:
            adapter._call("InventorySet", variables)
        assert err.value.kind == "payload"
        del variables["input"]["ignoreCompareQuantity"]
        with pytest.raises(ShopError, match="changeFromQuantity"):
            adapter._call("InventorySet", variables)
        assert peer.stock("A") == 1

        stale = {"idempotencyKey": "k-2", "input": {"name": "available", "reason": "correction",
                                                    "quantities": [_quantity(peer, "A", 5, changeFromQuantity=4)]}}
        errors = adapter._call("InventorySet", stale)["inventorySetQuantities"]["userErrors"]
        assert [e["code"] for e in errors] == ["CHANGE_FROM_QUANTITY_STALE"] and peer.stock("A") == 1
        checked = {"idempotencyKey": "k-3", "input": {"name": "available", "reason": "correction",
                                                      "quantities": [_quantity(peer, "A", 5, changeFromQuantity=1)]}}
        assert adapter._call("InventorySet", checked)["inventorySetQuantities"]["userErrors"] == []
        assert peer.stock("A") == 5


def test_peer_answers_an_idempotency_key_once():
    with ShopifyPeer() as peer:
        peer.add_product("A", quantity=1)
        adapter = _adapter(peer)
        quantities = [_quantity(peer, "A", 5, changeFromQuantity=None)]
        variables = {"idempotencyKey": "k-1", "input": {"name": "available", "reason": "correction",
                                                        "quantities": quantities}}
        first = adapter._call("InventorySet", variables)
        peer.inventory_items[peer.variant_by_sku("A")["inventoryItem"]]["levels"][PRIMARY_LOCATION]["available"] = 4
        assert adapter._call("InventorySet", variables) == first  # the same call again: not applied twice
        assert peer.stock("A") == 4
        variables["input"]["quantities"][0]["quantity"] = 6
        errors = adapter._call("InventorySet", variables)["inventorySetQuantities"]["userErrors"]
        assert [e["code"] for e in errors] == ["IDEMPOTENCY_KEY_PARAMETER_MISMATCH"] and peer.stock("A") == 4
        adapter.push_stock([StockLevel("A", Decimal(8))])  # the adapter's own calls each have a key of their own
        adapter.push_stock([StockLevel("A", Decimal(8))])
        assert peer.stock("A") == 8 and len(set(peer.idempotency)) == 3


def test_a_version_shopify_no_longer_serves_is_a_config_error():
    with ShopifyPeer() as peer:
        peer.supported_versions = ("2026-01", "2026-04", "2026-07")  # 2026-10 not (yet) offered
        with pytest.raises(ShopError, match="ran Admin API version 2026-01 instead of 2026-10") as err:
            _adapter(peer, api_version="2026-10").test_connection()
        assert err.value.kind == "config"
        assert peer.requests[-1].path == "/admin/api/2026-10/graphql.json"
        adapter = _adapter(peer)
        assert adapter.served_version is None
        adapter.test_connection()
        assert adapter.served_version == "2026-07"
