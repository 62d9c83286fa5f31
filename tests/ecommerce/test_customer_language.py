"""Each adapter reads the language the customer ordered in where its platform keeps it (``Order.customer_lang``),
and our words on the order lines (a coupon, a gift card, a default shipping name) are Phrases the Odoo layer
says in the customer's language; PrestaShop and Shopify give the customers Odoo sends their language
(``Customer.lang``), the nearest the shop has (pure tier, against the sandbox peers)."""

import json
from datetime import datetime

from ecommerce import shop_contracts

from odoo.addons.b2b_connector_base.lib.errors import Phrase
from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol import model, serialize
from odoo.addons.b2b_sandbox.peers.magento2 import DEMO_TOKEN, Magento2Peer
from odoo.addons.b2b_sandbox.peers.prestashop import DEMO_KEY as PS_KEY
from odoo.addons.b2b_sandbox.peers.prestashop import PrestaShopPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_sandbox.peers.shopify import PRIMARY_LOCATION, ShopifyPeer
from odoo.addons.b2b_sandbox.peers.shopify.store import ALL_SCOPES
from odoo.addons.b2b_sandbox.peers.woocommerce import DEMO_KEY, DEMO_SECRET, WooCommercePeer
from odoo.addons.b2b_shop_magento2.protocol import Magento2Adapter
from odoo.addons.b2b_shop_prestashop.protocol import PrestaShopAdapter
from odoo.addons.b2b_shop_shopify.protocol import ShopifyAdapter
from odoo.addons.b2b_shop_woocommerce.protocol import WooCommerceAdapter


def http_for(peer):
    return HttpClient(base_url=peer.url, retries=0, sleep=lambda s: None)


def by_id(orders):
    return {order.remote_id: order for order in orders}


def test_prestashop_order_language_from_its_id_lang():
    with PrestaShopPeer(languages=("1", "2")) as peer:
        french = peer.add_order([{"name": "Bureau", "price": "10", "quantity": 1}], lang="2")
        english = peer.add_order([{"name": "Desk", "price": "10", "quantity": 1}])
        orders = by_id(PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {}).fetch_orders())
        assert (orders[str(french)].customer_lang, orders[str(english)].customer_lang) == ("fr-FR", "en-US")
        assert len([r for r in peer.requests if r.path == "/api/languages"]) == 1  # once for the page


def test_prestashop_key_without_the_languages_permission_still_imports():
    """Keys made for earlier versions may not read languages: the orders come without a customer language."""
    with PrestaShopPeer() as peer:
        oid = peer.add_order([{"name": "Bureau", "price": "10", "quantity": 1}], lang="2")
        del peer.permissions["languages"]
        adapter = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {})
        (order,) = adapter.fetch_orders()
        assert order.remote_id == str(oid) and order.customer_lang == ""
        list(adapter.fetch_orders())
        assert len([r for r in peer.requests if r.path == "/api/languages"]) == 1  # not asked again


def test_prestashop_default_names_are_phrases():
    with PrestaShopPeer() as peer:
        peer.add_order([{"name": "Desk", "price": "10", "quantity": 1}], wrapping="2", shipping="5")
        (order,) = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {}).fetch_orders()
        wrapping = next(line for line in order.lines if line.remote_id == "wrapping")
        assert isinstance(wrapping.name, Phrase) and wrapping.name == "Gift wrapping"
        shipping = next(line for line in order.lines if line.kind == "shipping")
        assert shipping.name == "PostNL" and not isinstance(shipping.name, Phrase)  # the shop's own word


def test_magento_order_language_is_its_store_views_locale():
    with Magento2Peer(stores=("default", "fr"), locales={"fr": "fr_FR"}) as peer:
        peer.add_order(1, store_id=1, coupon_code="SUMMER", discount_description="SUMMER")
        peer.add_order(2, store_id=2, gift_cards=[{"code": "GC1", "amount": 5}])
        adapter = Magento2Adapter(http_for(peer), {"key": DEMO_TOKEN}, {})
        orders = by_id(adapter.fetch_orders())
        assert (orders["1"].customer_lang, orders["2"].customer_lang) == ("en_US", "fr_FR")
        assert len(peer.calls_to("GET", "/storeConfigs")) == 1
        coupon = next(line for line in orders["1"].lines if line.kind == "coupon")
        assert isinstance(coupon.name, Phrase) and coupon.name == "Coupon SUMMER"
        card = next(line for line in orders["2"].lines if line.kind == "gift_card")
        assert isinstance(card.name, Phrase) and card.name == "Gift card GC1"


def test_woocommerce_order_language_from_wpml():
    with WooCommercePeer() as peer:
        peer.add_order(order_id=1, items=[{"sku": "A", "price": "1"}],
                       meta_data=[{"key": "wpml_language", "value": "fr"}], coupons=[{"code": "ete", "discount": "1"}])
        peer.add_order(order_id=2, items=[{"sku": "A", "price": "1"}])
        orders = by_id(WooCommerceAdapter(http_for(peer), {"key": DEMO_KEY, "secret": DEMO_SECRET}).fetch_orders())
        assert (orders["1"].customer_lang, orders["2"].customer_lang) == ("fr", "")
        coupon = next(line for line in orders["1"].lines if line.kind == "coupon")
        assert isinstance(coupon.name, Phrase) and coupon.name.message_en == "Coupon %(code)s: -%(amount)s"
        assert coupon.name.startswith("Coupon ete: -")


def test_shopify_order_language_is_its_customer_locale():
    with ShopifyPeer() as peer:
        lines = [{"sku": "SHOP-LAMP", "title": "Lamp", "quantity": 1, "price": "10.00"}]
        canadian = peer.add_order(lines, customer_locale="fr-CA", created_at=datetime(2025, 3, 1, 8),
                                  gift_card="2.00")
        english = peer.add_order(lines, created_at=datetime(2025, 3, 1, 9))
        adapter = ShopifyAdapter(http_for(peer), {"key": peer.token}, {"location_id": PRIMARY_LOCATION})
        orders = by_id(adapter.fetch_orders())
        assert (orders[canadian].customer_lang, orders[english].customer_lang) == ("fr-CA", "en")
        card = next(line for line in orders[canadian].lines if line.kind == "gift_card")
        assert isinstance(card.name, Phrase) and card.name == "Gift card"
        # customerLocale is a field of the published Order: the query is valid against the 2026-07 schema
        (request,) = [r for r in peer.requests if json.loads(r.body).get("operationName") == "Orders"]
        body = json.loads(request.body)
        assert "customerLocale" in body["query"]
        assert not shop_contracts.shopify_problems(body["query"], body.get("variables") or {}, "Orders")


def test_a_line_name_phrase_survives_the_json_round_trip_of_the_exchange():
    """The import is replayed from the order's JSON on its exchange: the Phrase (and the addon whose
    translations word it) comes back, the JSON still reads the English text."""
    with WooCommercePeer() as peer:
        peer.add_order(order_id=1, items=[{"sku": "A", "price": "1"}], coupons=[{"code": "ete", "discount": "1"}])
        (order,) = WooCommerceAdapter(http_for(peer), {"key": DEMO_KEY, "secret": DEMO_SECRET}).fetch_orders()
    text = serialize.dumps(order)
    stored = json.loads(text)["lines"]
    coupon = next(line for line in stored if line["kind"] == "coupon")
    assert coupon["name"].startswith("Coupon ete: -")
    assert coupon["name_phrase"]["module"] == "b2b_shop_woocommerce"
    again = serialize.loads(model.Order, text)
    name = next(line.name for line in again.lines if line.kind == "coupon")
    assert isinstance(name, Phrase) and name == coupon["name"]
    assert (name.message_en, name.module, name.params["code"]) == ("Coupon %(code)s: -%(amount)s",
                                                                  "b2b_shop_woocommerce", "ete")
    product = next(line.name for line in again.lines if line.kind == "product")
    assert not isinstance(product, Phrase)  # the shop's own words stay plain text
    assert serialize.dumps(again) == text


def test_an_order_note_with_our_words_survives_the_json_round_trip():
    """PrestaShop's gift message comes after the customer's own message: ours is a Phrase inside the note's,
    stored as such on the exchange and read back as such."""
    with PrestaShopPeer() as peer:
        peer.add_order([{"name": "Desk", "price": "10", "quantity": 1}], gift_message="Bon anniversaire",
                       messages=["Derrière la maison"])
        (order,) = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {}).fetch_orders()
    assert order.note == "Derrière la maison\nGift message: Bon anniversaire"
    again = serialize.loads(model.Order, serialize.dumps(order))
    assert isinstance(again.note, Phrase) and again.note == order.note
    gift = again.note.params["p1"]
    assert isinstance(gift, Phrase) and (gift.message_en, gift.module) == ("Gift message: %(message)s",
                                                                           "b2b_shop_prestashop")
    assert gift.params == {"message": "Bon anniversaire"}
    assert serialize.dumps(again) == serialize.dumps(order)


def test_magento_token_that_may_not_read_the_store_views_still_imports():
    with Magento2Peer() as peer:
        peer.add_order(1)
        peer.script(Response.json({"message": "The consumer isn't authorized to access %resources.",
                                   "parameters": {"resources": "Magento_Backend::store"}}, status=401))
        adapter = Magento2Adapter(http_for(peer), {"key": DEMO_TOKEN}, {})
        assert adapter._store_locales() == {}
        (order,) = adapter.fetch_orders()
        assert order.remote_id == "1" and order.customer_lang == ""
        assert len(adapter.warnings) == 1 and "new customers get the shop's language" in adapter.warnings[0]
        assert len(peer.calls_to("GET", "/storeConfigs")) == 1  # not asked again


# ---------------------------------------------------------------------------- a customer's language, out
def test_nearest_language_prefers_the_region_then_the_bare_language():
    from odoo.addons.b2b_connector_base.lib.languages import nearest_language as best_language  # noqa: PLC0415

    shop = ["en-US", "fr", "fr-CA", "nl_nl", "pt-BR"]
    assert best_language("fr-CA", shop) == "fr-CA"
    assert best_language("fr-BE", shop) == "fr"  # the language itself before another region of it
    assert best_language("nl-BE", shop) == "nl_nl"  # else another region
    assert best_language("NL_nl", shop) == "nl_nl"
    assert (best_language("de-DE", shop), best_language("", shop), best_language("fr", [])) == (None, None, None)
    # Odoo's languages: the main variant (its ISO code is the bare language) before another region
    odoo = ["fr_BE", "fr_FR", "sr@latin"]
    assert best_language("fr-CA", odoo, main={"fr_FR"}) == "fr_FR"
    assert (best_language("fr-be", odoo, main={"fr_FR"}), best_language("sr-Latn", odoo)) == ("fr_BE", "sr@latin")


def test_prestashop_customer_gets_the_shops_language_of_theirs():
    with PrestaShopPeer(languages=("1", "2", "3")) as peer:
        known = peer.add_customer("piet@example.com", "Piet", "Pieters")
        adapter = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {})
        results = adapter.push_customers([
            model.Customer("p:1", "anna@example.com", "Anna", "Jansen", lang="nl-BE"),  # Dutch, another region
            model.Customer("p:2", "hans@example.com", "Hans", "Müller", lang="de-DE"),  # no German shop
            model.Customer("p:3", "sam@example.com", "Sam", "Smith"),  # the shop's own language
            model.Customer("p:4", "piet@example.com", "Piet", "Pieters", lang="fr-FR"),  # known: moves to French
        ])
        assert all(r.ok for r in results), [r.error for r in results]
        langs = [peer.customers[int(r.remote_id)]["id_lang"] for r in results]
        assert langs == ["3", "1", "1", "2"]
        assert results[3].remote_id == str(known) and not results[3].created
        assert len([r for r in peer.requests if r.path == "/api/languages"]) == 1  # once for the run


def test_prestashop_key_without_the_languages_permission_still_pushes_customers():
    with PrestaShopPeer(languages=("1", "2")) as peer:
        del peer.permissions["languages"]
        adapter = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {})
        (result,) = adapter.push_customers([model.Customer("p:1", "anna@example.com", "Anna", "Jansen", lang="fr-FR")])
        assert result.ok and peer.customers[int(result.remote_id)]["id_lang"] == "1"  # the shop's own


def test_shopify_customer_gets_the_shops_locale_of_theirs():
    with ShopifyPeer(locales=("en", "fr", "nl")) as peer:
        known = peer.add_customer("piet@example.com", "Piet", "Pieters")
        adapter = ShopifyAdapter(http_for(peer), {"key": peer.token}, {})
        results = adapter.push_customers([
            model.Customer("p:1", "anna@example.com", "Anna", "Jansen", lang="nl-BE"),
            model.Customer("p:2", "hans@example.com", "Hans", "Muller", lang="de-DE"),  # not a language of the shop
            model.Customer("p:3", "sam@example.com", "Sam", "Smith"),
            model.Customer("p:4", "piet@example.com", "Piet", "Pieters", lang="fr-FR"),
        ])
        assert all(r.ok for r in results), [r.error for r in results]
        assert [peer.customers[r.remote_id]["locale"] for r in results] == ["nl", "en", "en", "fr"]
        assert results[3].remote_id == known
        sent = [json.loads(r.body)["variables"]["input"] for r in peer.requests
                if json.loads(r.body).get("operationName", "").startswith("Customer")
                and "input" in json.loads(r.body)["variables"]]
        assert ["locale" in s for s in sent] == [True, False, False, True]
        shop_locales = [r for r in peer.requests if json.loads(r.body).get("operationName") == "ShopLocales"]
        assert len(shop_locales) == 1  # once for the adapter
        for request in shop_locales + peer.requests[-1:]:  # on Shopify's published schema too
            body = json.loads(request.body)
            assert shop_contracts.shopify_problems(body["query"], body["variables"], body["operationName"]) == []


def test_shopify_token_without_read_locales_still_pushes_customers():
    with ShopifyPeer(locales=("en", "fr"), scopes=ALL_SCOPES - {"read_locales"}) as peer:
        adapter = ShopifyAdapter(http_for(peer), {"key": peer.token}, {})
        results = adapter.push_customers([model.Customer("p:1", "anna@example.com", "Anna", "Jansen", lang="fr-FR"),
                                          model.Customer("p:2", "bo@example.com", "Bo", "Berg", lang="fr-FR")])
        assert all(r.ok for r in results) and {peer.customers[r.remote_id]["locale"] for r in results} == {"en"}
        assert len([r for r in peer.requests if json.loads(r.body).get("operationName") == "ShopLocales"]) == 1


def test_magento_customer_goes_to_the_store_view_of_their_language():
    with Magento2Peer(stores=("default", "fr", "nl"), locales={"fr": "fr_FR", "nl": "nl_NL"}) as peer:
        known = peer.add_customer("piet@example.com", "Piet", "Pieters", store_id=1)
        adapter = Magento2Adapter(http_for(peer), {"key": DEMO_TOKEN}, {})
        results = adapter.push_customers([
            model.Customer("p:1", "anna@example.com", "Anna", "Jansen", lang="nl-BE"),
            model.Customer("p:2", "hans@example.com", "Hans", "Muller", lang="de-DE"),  # no German store view
            model.Customer("p:3", "sam@example.com", "Sam", "Smith"),
            model.Customer("p:4", "piet@example.com", "Piet", "Pieters", lang="fr-FR"),
        ])
        assert all(r.ok for r in results), [r.error for r in results]
        assert [peer.customers[int(r.remote_id)]["store_id"] for r in results] == [3, 1, 1, 2]
        assert results[3].remote_id == str(known["id"])
        assert len(peer.calls_to("GET", "/storeConfigs")) == 1  # once for the run
        for request in peer.requests:
            if request.method in ("POST", "PUT") and "/V1/customers" in request.path:
                path = request.path[request.path.index("/V1/"):]
                assert shop_contracts.magento_body_problems(request.method, path, json.loads(request.body)) == []


def test_magento_token_without_the_store_configuration_still_pushes_customers():
    with Magento2Peer(stores=("default", "fr"), locales={"fr": "fr_FR"}) as peer:
        peer.script(Response.json({"message": "The consumer isn't authorized to access %resources.",
                                   "parameters": {"resources": "Magento_Backend::store"}}, status=401))
        adapter = Magento2Adapter(http_for(peer), {"key": DEMO_TOKEN}, {})
        assert adapter._store_views() == [] and len(adapter.warnings) == 1
        (result,) = adapter.push_customers([model.Customer("p:1", "anna@example.com", "Anna", "Jansen", lang="fr-FR")])
        assert result.ok and peer.customers[int(result.remote_id)]["store_id"] == 1  # the shop's own
        assert len(peer.calls_to("GET", "/storeConfigs")) == 1  # not asked again
