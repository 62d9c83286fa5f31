"""The shared part of the shop adapters: options as the Odoo form sends them (text), what an adapter declares,
the request template; and the shared parts of the sandbox shops."""

import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol.base import (
    Credential,
    Option,
    ShopAdapter,
    ShopError,
    coerce_options,
    documented,
)
from odoo.addons.b2b_sandbox.peers.server import Response, ScriptedPeer
from odoo.addons.b2b_sandbox.peers.shop import RequestLimit, Sequences
from odoo.addons.b2b_shop_prestashop.protocol import PrestaShopAdapter
from odoo.addons.b2b_shop_shopify.protocol import ShopifyAdapter
from odoo.addons.b2b_shop_woocommerce.protocol import WooCommerceAdapter


def test_options_take_the_type_of_their_default():
    defaults = {"flag": True, "count": 5, "wait": 1.5, "name": "x"}
    got = coerce_options(defaults, {"flag": "False", "count": "12", "wait": "0.25", "name": "", "extra": "kept"})
    assert got == {"flag": False, "count": 12, "wait": 0.25, "name": "x", "extra": "kept"}
    assert coerce_options(defaults, {"flag": "yes"})["flag"] is True
    assert coerce_options(defaults, {}) == defaults
    with pytest.raises(ShopError, match="flag") as err:
        coerce_options(defaults, {"flag": "maybe"})
    assert err.value.kind == "config"
    with pytest.raises(ShopError, match="count"):
        coerce_options(defaults, {"count": "many"})


@pytest.mark.parametrize("cls,option", [(PrestaShopAdapter, "upload_pdf"), (ShopifyAdapter, "cancel_restock"),
                                        (WooCommerceAdapter, "shipment_tracking")],
                         ids=lambda v: getattr(v, "platform", v))
def test_a_switch_turned_off_on_the_form_is_off(cls, option):
    adapter = cls(HttpClient(base_url="http://127.0.0.1:9"), {"key": "k", "secret": "s"}, {option: "False"})
    assert adapter.options[option] is False


# ---------------------------------------------------------------------------- what an adapter declares
def test_declarations_are_checked_when_they_are_written():
    with pytest.raises(ValueError, match="not a int"):
        Option("n", "N", "int", "5")
    with pytest.raises(ValueError, match="choices"):
        Option("s", "S", "selection", "a")
    with pytest.raises(ValueError, match="not one of its choices"):
        Option("s", "S", "selection", "c", selection=(("a", "A"), ("b", "B")))
    with pytest.raises(ValueError, match="credential"):
        Credential("token", "Token")


def test_typed_options_from_text():
    specs = (Option("flag", "Flag", "bool", True), Option("mode", "Mode", "selection", "a",
                                                          selection=(("a", "A"), ("b", "B"))))
    assert coerce_options(specs, {"flag": "no", "mode": " b ", "other": "x"}) == {"flag": False, "mode": "b",
                                                                                   "other": "x"}
    assert coerce_options(specs, {"mode": ""}) == {"flag": True, "mode": "a"}
    with pytest.raises(ShopError, match="one of a, b") as err:
        coerce_options(specs, {"mode": "c"}, "Test shop")
    assert err.value.kind == "config" and "Test shop option mode" in str(err.value)


class _Fake(ShopAdapter):
    """A fake platform."""

    platform = "fake-test"
    label = "Fake"
    credential_specs = (Credential("key", "Token"), Credential("extra", "Signature", required=False))
    option_specs = (Option("root", "API root", default="/api"), Option("max_pages", "Pages", "int", 7))
    refusal_statuses = (400, 404)

    def _api_url(self, path, **route):
        return f"{self.options['root']}/{route.get('version', 'v1')}/{path}"

    def _auth(self, request):
        request.headers["X-Token"] = self.credentials["key"]

    def _parse_error(self, response, what):
        return ShopError(f"Fake refused {what}: {response.json()['error']}", kind="payload",
                         status=response.status_code)

    def _is_error(self, payload, what):
        return ShopError(f"Fake failed {what}", kind="remote") if payload.get("failed") else None


def test_subclass_options_add_to_the_paging_caps_and_derive_the_old_attributes():
    assert [s.name for s in _Fake.option_specs] == ["root", "max_pages", "max_records"]
    assert _Fake.option_defaults == {"root": "/api", "max_pages": 7, "max_records": 20000}
    assert _Fake.credential_fields == ("key", "extra")
    registered = documented(type("_Documented", (_Fake,), {"__doc__": "A documented fake.", "platform": "fake-doc"}))
    assert "``max_records`` (int, 20000)" in registered.__doc__
    assert "``extra``: Signature (optional)" in registered.__doc__


def test_the_request_template_calls_the_hooks():
    with ScriptedPeer(Response.json({"ok": 1}), Response.json({"error": "bad sku"}, status=400),
                      Response.json({"error": "gone"}, status=404), Response.json({"failed": True})) as peer:
        http = HttpClient(base_url=peer.url, retries=0)
        adapter = _Fake(http, {"key": "sekrit"}, {"root": "/shop"})
        assert "sekrit" in http.secrets  # declared credentials are masked in call logs
        assert adapter._request("GET", "items", "the items", params={"q": "a"}, version="v2") == {"ok": 1}
        assert peer.requests[0].path == "/shop/v2/items" and peer.requests[0].header("X-Token") == "sekrit"
        with pytest.raises(ShopError, match="Fake refused the item: bad sku") as err:
            adapter._request("POST", "items", "the item", json={"sku": "A"})
        assert err.value.status == 400
        assert adapter._request("GET", "items/9", "item 9", expected=(404,), decode=False).status_code == 404
        with pytest.raises(ShopError, match="Fake failed the items"):
            adapter._request("GET", "items", "the items")


def test_a_peers_request_limit_is_a_sliding_window_on_its_clock():
    now = [100.0]
    limit = RequestLimit(2, 10, lambda: now[0])
    assert limit.wait() is None and limit.wait() is None
    now[0] = 104.5
    assert limit.wait() == 6  # whole seconds until the first call leaves the window
    now[0] = 110.0
    assert limit.wait() is None
    assert RequestLimit(None, 10, lambda: 0).wait() is None
    ids = Sequences(5, order=100)
    assert (ids.next(), ids.next("order"), ids.peek("order"), ids.claim("order", 150), ids.next("order")) == \
        (5, 100, 101, 150, 151)
