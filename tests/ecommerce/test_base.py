"""The shared part of the shop adapters: options as the Odoo form sends them (text)."""

import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, coerce_options, get_adapter


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


@pytest.mark.parametrize("platform,option", [("prestashop", "upload_pdf"), ("shopify", "cancel_restock"),
                                             ("woocommerce", "shipment_tracking")])
def test_a_switch_turned_off_on_the_form_is_off(platform, option):
    adapter = get_adapter(platform)(HttpClient(base_url="http://127.0.0.1:9"), {"key": "k", "secret": "s"},
                                    {option: "False"})
    assert adapter.options[option] is False
