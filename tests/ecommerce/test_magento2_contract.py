"""The Magento 2 adapter against Magento's published REST API (the 2.4.5 OpenAPI file and MSI's routes,
tests/fixtures/specs/magento2/), and the sandbox store on the same contract (pure tier).

Every request test_magento2.py makes is held against the file there as well (its ``peer`` fixture); this
module holds the checker (that it finds what it must), the peer's routes, and customer address regions
(``region_id`` from the country's ``available_regions``)."""

import json
import re

from ecommerce import shop_contracts

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_sandbox.peers.magento2 import DEMO_TOKEN, Magento2Peer
from odoo.addons.b2b_shop_magento2.protocol import Magento2Adapter

SAMPLES = {"sku": "SKU-1", "id": "7", "country": "US"}


def _adapter(peer):
    return Magento2Adapter(HttpClient(base_url=peer.url, retries=0, sleep=lambda s: None), {"key": DEMO_TOKEN}, {})


def _customer(key, email, state, country, **kw):
    address = model.Address("Jan", "Smit", "Smit Inc", "1 Main Street", "", "Sacramento", "95814", state, country,
                            phone="+1 916 555 0100")
    return model.Customer(key, email, first_name="Jan", last_name="Smit", billing=address, shipping=address, **kw)


def _sent_addresses(peer):
    return [a for r in peer.requests if r.method in ("POST", "PUT") and "/V1/customers" in r.path
            for a in json.loads(r.body)["customer"].get("addresses", [])]


# ---------------------------------------------------------------------------- the checker and the routes
def test_the_checker_finds_unknown_operations_and_fields():
    assert shop_contracts.magento_body_problems("POST", "/V1/customers", {"customer": {
        "email": "a@example.com", "firstname": "A", "lastname": "B", "region_code": "CA",
        "addresses": [{"city": "X", "region": {"region_code": "CA", "code": "CA"}}]}}) == [
        "body.customer.region_code is not a field of the published schema",
        "body.customer.addresses[0].region.code is not a field of the published schema"]
    assert shop_contracts.magento_body_problems("POST", "/V1/inventory/source-items", {"sourceItems": [
        {"sku": "A", "source_code": "default", "qty": 1}]}) == [
        "body.sourceItems[0].qty is not a field of the published schema"]
    assert shop_contracts.magento_body_problems("DELETE", "/V1/orders/7", None) == [
        "DELETE /V1/orders/7: no such operation in the published API"]
    assert shop_contracts.magento_operation("GET", "/V1/directory/countries/US")[0] == \
        "/V1/directory/countries/{countryId}"
    # the address and region fields we send are the published ones
    schemas = shop_contracts.magento_openapi()[0]["components"]["schemas"]
    assert {"region", "region_id"} <= set(schemas["customer-data-address-interface"]["properties"])
    assert set(schemas["customer-data-region-interface"]["required"]) == {"region", "region_code", "region_id"}


def test_every_route_of_the_peer_is_a_published_operation():
    peer = Magento2Peer()
    unpublished = []
    for method, pattern, _handler in peer._routes:
        path = "/V1/" + re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES[m.group(1)], pattern)
        if shop_contracts.magento_operation(method, path) is None:
            unpublished.append(f"{method} {path}")
    assert unpublished == []


# ---------------------------------------------------------------------------- regions
def test_addresses_with_a_region_send_its_region_id_looked_up_once_per_country():
    with Magento2Peer() as peer:
        adapter = _adapter(peer)
        results = adapter.push_customers([
            _customer("p1", "jan@smit.example", "CA", "US"),
            _customer("p2", "eva@smit.example", "ny", "US"),
            _customer("p3", "piet@smit.example", "XX", "US"),
            _customer("p4", "anna@smit.example", "UT", "NL"),
        ])
        ca, ny, unknown, dutch = results
        assert ca.ok and ny.ok and dutch.ok
        [address] = peer.customers[int(ca.remote_id)]["addresses"]
        assert address["region_id"] == 12 and address["region"] == {
            "region_id": 12, "region_code": "CA", "region": "California"}
        assert peer.customers[int(ny.remote_id)]["addresses"][0]["region"]["region_code"] == "NY"
        assert not unknown.ok and "Magento has no region 'XX' in country 'US'" in unknown.error
        assert "CA" in unknown.error  # the country's regions are named
        # NL has no region list: the state code goes as free text, with no region id
        assert peer.customers[int(dutch.remote_id)]["addresses"][0]["region"] == {
            "region": "UT", "region_code": "UT", "region_id": 0}
        # asked once per country for the adapter's run
        assert [r.path for r in peer.requests if "/directory/" in r.path] == [
            "/rest/default/V1/directory/countries/US", "/rest/default/V1/directory/countries/NL"]
        sent = _sent_addresses(peer)
        assert sent[0]["region_id"] == 12
        problems = [p for a in sent for p in shop_contracts.magento_body_problems(
            "POST", "/V1/customers", {"customer": {"email": "x@example.com", "firstname": "x", "lastname": "y",
                                                   "addresses": [a]}})]
        assert problems == []


def test_a_country_magento_does_not_offer_refuses_the_customer_only():
    with Magento2Peer() as peer:
        [result] = _adapter(peer).push_customers([_customer("p1", "jan@smit.example", "X1", "ZZ")])
    assert not result.ok and "Magento does not offer country 'ZZ'" in result.error


def test_peer_refuses_a_region_without_region_id_where_the_country_requires_a_state():
    with Magento2Peer() as peer:
        http = HttpClient(base_url=peer.url, retries=0, headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        address = {"firstname": "Jan", "lastname": "Smit", "street": ["1 Main Street"], "city": "Sacramento",
                   "postcode": "95814", "country_id": "US", "telephone": "1", "region": {"region_code": "CA"}}
        body = {"customer": {"email": "jan@smit.example", "firstname": "Jan", "lastname": "Smit",
                             "addresses": [address]}}
        refused = http.request("POST", "/rest/default/V1/customers", json=body, expected=(400,))
        assert refused.status_code == 400 and refused.json() == {
            "message": '"%fieldName" is required. Enter and try again.', "parameters": {"fieldName": "regionId"}}
        address["region_id"] = 79  # Niedersachsen: not a region of the US
        refused = http.request("POST", "/rest/default/V1/customers", json=body, expected=(400,))
        assert refused.json()["parameters"] == {"fieldName": "regionId", "value": 79}
        # Germany lists regions but requires none: a code alone names none of them, the address has no region
        address.update(country_id="DE", region={"region_code": "NDS"})
        del address["region_id"]
        stored = http.request("POST", "/rest/default/V1/customers", json=body).json()
        assert stored["addresses"][0]["region"] is None and stored["addresses"][0]["region_id"] is None
        info = http.request("GET", "/rest/default/V1/directory/countries/DE").json()
        assert {"id": "79", "code": "NDS", "name": "Niedersachsen"} in info["available_regions"]
        assert "available_regions" not in http.request("GET", "/rest/default/V1/directory/countries/NL").json()
        missing = http.request("GET", "/rest/default/V1/directory/countries/ZZ", expected=(404,))
        assert missing.json()["message"] == "Requested country is not available."

