"""Paging never runs away (pure tier): every adapter's order listing ends when a page repeats what was read
already, when a page is empty, and at the caps of options max_pages / max_records, whatever the shop says about
more pages; why it stopped is in ``adapter.warnings``. Against the sandbox peers, scripted to misbehave."""

import json
from datetime import datetime, timedelta

import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol.base import PAGING_OPTIONS, Pager
from odoo.addons.b2b_sandbox.peers import magento2, prestashop, shopify, woocommerce
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_shop_magento2.protocol import Magento2Adapter
from odoo.addons.b2b_shop_prestashop.protocol import PrestaShopAdapter
from odoo.addons.b2b_shop_shopify.protocol import ShopifyAdapter
from odoo.addons.b2b_shop_woocommerce.protocol import WooCommerceAdapter

T0 = datetime(2026, 3, 2, 9, 0, 0)
RUNAWAY = 40  # a misbehaving peer gives up after this many list calls, so a runaway client ends (and fails)


# ---------------------------------------------------------------------------- one platform each
class Woo:
    cls = WooCommerceAdapter
    name = "woocommerce"

    def peer(self):
        return woocommerce.WooCommercePeer()

    def adapter(self, peer, **options):
        return WooCommerceAdapter(HttpClient(base_url=peer.url, retries=0),
                                  {"key": woocommerce.DEMO_KEY, "secret": woocommerce.DEMO_SECRET}, options)

    def seed(self, peer, n):
        for i in range(n):
            peer.add_order(100 + i, "processing", items=[{"sku": "A", "quantity": 1, "price": "1.00"}],
                           modified=T0 + timedelta(minutes=i))

    def is_list(self, request):
        return request.method == "GET" and request.path.endswith("/wc/v3/orders")

    def repeat(self, request, handle):
        request.query["page"] = "1"  # page 1 again, and a million pages announced
        response = handle(request)
        response.headers["X-WP-TotalPages"] = "1000000"
        return response

    def empty(self, request, handle):
        response = handle(request)
        if request.query.get("page") != "1":
            response = Response.json([], headers={"X-WP-Total": "1000000"})
        response.headers["X-WP-TotalPages"] = "1000000"
        return response


class Presta:
    cls = PrestaShopAdapter
    name = "prestashop"

    def peer(self):
        return prestashop.PrestaShopPeer()

    def adapter(self, peer, **options):
        return PrestaShopAdapter(HttpClient(base_url=peer.url, retries=0), {"key": prestashop.DEMO_KEY}, options)

    def seed(self, peer, n):
        for i in range(n):
            peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], date_upd=T0 + timedelta(minutes=i))

    def is_list(self, request):
        return request.method == "GET" and request.path == "/api/orders" and "limit" in request.query

    def repeat(self, request, handle):
        count = request.query["limit"].split(",")[-1]
        request.query["limit"] = f"0,{count}"  # the first page, whatever the offset
        return handle(request)

    empty = None  # no paging headers: an empty page is a short page, the natural end


class Magento:
    cls = Magento2Adapter
    name = "magento2"

    def peer(self):
        return magento2.Magento2Peer()

    def adapter(self, peer, **options):
        return Magento2Adapter(HttpClient(base_url=peer.url, retries=0), {"key": magento2.DEMO_TOKEN}, options)

    def seed(self, peer, n):
        for i in range(n):
            peer.add_order(i + 1, created_at=T0, updated_at=T0 + timedelta(minutes=i))

    def is_list(self, request):
        return request.method == "GET" and request.path.endswith("/V1/orders")

    def _big_total(self, response):
        data = json.loads(response.body)
        data["total_count"] = 1_000_000
        return Response.json(data)

    def repeat(self, request, handle):
        request.query["searchCriteria[currentPage]"] = "1"
        return self._big_total(handle(request))

    def empty(self, request, handle):
        response = self._big_total(handle(request))
        if request.query.get("searchCriteria[currentPage]") != "1":
            data = json.loads(response.body)
            data["items"] = []
            response = Response.json(data)
        return response


class Shopify:
    cls = ShopifyAdapter
    name = "shopify"

    def peer(self):
        return shopify.ShopifyPeer()

    def adapter(self, peer, **options):
        options.setdefault("location_id", shopify.PRIMARY_LOCATION)
        return ShopifyAdapter(HttpClient(base_url=peer.url, retries=0), {"key": peer.token}, options)

    def seed(self, peer, n):
        for i in range(n):
            peer.add_order([{"sku": "A", "title": "A", "quantity": 1, "price": "1.00"}],
                           created_at=T0 + timedelta(minutes=i), updated_at=T0 + timedelta(minutes=i))

    def is_list(self, request):
        return request.path.endswith("graphql.json") and json.loads(request.body).get("operationName") == "Orders"

    def _rewrite(self, request, handle, nodes=None):
        body = json.loads(request.body)
        after = body["variables"].get("after")
        body["variables"]["after"] = None  # the first page again...
        request.body = json.dumps(body).encode()
        data = json.loads(handle(request).body)
        connection = data["data"]["orders"]
        if nodes is not None and after:
            connection["nodes"] = nodes
        # ... with a new cursor every time and a next page announced
        connection["pageInfo"] = {"hasNextPage": True, "endCursor": f"cursor-{after or 0}-next"}
        return Response.json(data)

    def repeat(self, request, handle):
        return self._rewrite(request, handle)

    def empty(self, request, handle):
        return self._rewrite(request, handle, nodes=[])


PLATFORMS = [Woo(), Presta(), Magento(), Shopify()]


def scripted(platform, peer, misbehave):
    """``misbehave(request, real_handle)`` answers the order list calls (the first RUNAWAY of them)."""
    real = peer.handle
    calls = []

    def handle(request):
        if platform.is_list(request):
            calls.append(request)
            if len(calls) <= RUNAWAY:
                return misbehave(request, real)
        return real(request)

    peer.handle = handle
    return calls


@pytest.fixture(params=PLATFORMS, ids=lambda p: p.name)
def platform(request):
    return request.param


@pytest.fixture
def peer(platform):
    with platform.peer() as p:
        yield p


# ---------------------------------------------------------------------------- the listings
def test_every_adapter_has_the_paging_options(platform):
    cls = platform.cls
    assert {k: cls.option_defaults[k] for k in PAGING_OPTIONS} == PAGING_OPTIONS
    assert "``max_pages``" in cls.__doc__ and "``max_records``" in cls.__doc__


def test_a_shop_repeating_its_first_page_is_read_twice_then_left(platform, peer):
    platform.seed(peer, 3)
    adapter = platform.adapter(peer)
    adapter.page_size = 3  # full pages: the shop's own paging says "more"
    calls = scripted(platform, peer, platform.repeat)
    orders = list(adapter.fetch_orders())
    assert len(orders) == 3 and len({o.remote_id for o in orders}) == 3
    assert len(calls) == 2, "the second page brought nothing new: the listing ends there"
    assert len(adapter.warnings) == 1 and "again (nothing new on it)" in adapter.warnings[0]


@pytest.mark.parametrize("platform", [p for p in PLATFORMS if p.empty], ids=lambda p: p.name)
def test_an_empty_page_ends_the_listing_whatever_the_shop_announces(platform, peer):
    platform.seed(peer, 3)
    adapter = platform.adapter(peer)
    adapter.page_size = 3
    calls = scripted(platform, peer, platform.empty)
    assert len(list(adapter.fetch_orders())) == 3
    assert len(calls) == 2


@pytest.mark.parametrize("options,read,pages", [({"max_pages": "2"}, 4, 2), ({"max_records": "3"}, 3, 2),
                                                ({"max_pages": 1, "max_records": 1}, 1, 1)])
def test_a_listing_stops_at_the_caps_and_says_so(platform, peer, options, read, pages):
    platform.seed(peer, 7)
    adapter = platform.adapter(peer, **options)
    adapter.page_size = 2
    calls = scripted(platform, peer, lambda request, handle: handle(request))  # counts only
    orders = list(adapter.fetch_orders())
    assert len(orders) == read and len(calls) == pages
    assert orders == sorted(orders, key=lambda o: o.updated_at or o.created_at), "the oldest first, the rest later"
    assert len(adapter.warnings) == 1 and "stopped at the cap" in adapter.warnings[0]
    assert "max_pages / max_records" in adapter.warnings[0]


def test_a_listing_within_the_caps_warns_nothing(platform, peer):
    platform.seed(peer, 7)
    adapter = platform.adapter(peer, max_pages=4, max_records=7)
    adapter.page_size = 2
    assert len(list(adapter.fetch_orders())) == 7
    assert adapter.warnings == []


# ---------------------------------------------------------------------------- the lookups that page too
def test_the_woocommerce_sku_lookup_stops_on_a_repeated_page():
    with woocommerce.WooCommercePeer() as peer:
        for sku in ("A", "B"):
            peer.add_product(sku, sku, "1.00")
        adapter = Woo().adapter(peer)
        adapter.page_size = 2
        real = peer.handle
        lookups = []

        def repeat(request):
            if request.method == "GET" and request.path.endswith("/wc/v3/products") and len(lookups) < RUNAWAY:
                lookups.append(request)
                request.query["page"] = "1"
                response = real(request)
                response.headers["X-WP-TotalPages"] = "1000000"
                return response
            return real(request)

        peer.handle = repeat
        assert set(adapter._products_by_sku(["A", "B"])) == {"A", "B"}
        assert len(lookups) == 2 and "again" in adapter.warnings[0]


def test_the_shopify_line_items_of_an_order_stop_on_a_repeated_page():
    with shopify.ShopifyPeer() as peer:
        peer.add_order([{"sku": f"L{i}", "title": f"L{i}", "quantity": 1, "price": "1.00"} for i in range(3)])
        adapter = Shopify().adapter(peer)
        adapter.line_page_size = 2
        real = peer.handle
        pages = []

        def repeat(request):
            body = json.loads(request.body or b"{}")
            if body.get("operationName") == "OrderLineItems" and len(pages) < RUNAWAY:
                pages.append(request)
                body["variables"]["after"] = None  # the first line items again, and more announced
                request.body = json.dumps(body).encode()
                data = json.loads(real(request).body)
                data["data"]["order"]["lineItems"]["pageInfo"] = {"hasNextPage": True, "endCursor": f"c{len(pages)}"}
                return Response.json(data)
            return real(request)

        peer.handle = repeat
        [order] = adapter.fetch_orders()
        assert sorted(line.sku for line in order.product_lines()) == ["L0", "L1", "L2"]
        assert len(pages) == 2 and "again" in adapter.warnings[0]


# ---------------------------------------------------------------------------- the guard itself
def test_pager_keeps_new_items_in_order_and_counts_pages_and_records():
    pager = Pager("Shop", "the list", max_pages=3, max_records=5)
    assert pager.page([1, 2, 2, 3]) == [1, 2, 3] and pager.more()
    assert pager.page([3, 4]) == [4] and pager.more()
    assert pager.page([5, 6]) == [5], "no more than the record cap"
    assert not pager.more() and pager.records == 5 and pager.pages == 3
    assert pager.warnings == ["Shop: the list stopped at the cap of 3 pages / 5 records (options max_pages / "
                              "max_records) after 3 pages and 5 records; what follows was not read."]
    assert not Pager("Shop", "x", 9, 9).more(has_more=False), "the shop's own last page ends it"
    empty = Pager("Shop", "x", 9, 9)
    assert empty.page([]) == [] and not empty.more() and empty.warnings == []
