"""The adapter of the test platform, a small JSON API (its other side: ``tests/peer.py``):

* ``GET {api_root}/ping``: the shop's name;
* ``POST {api_root}/products``: ``{"warehouse", "products": [{"sku", "name", "price", "id"}]}`` -> ``{"results":
  [{"sku", "id"} | {"sku", "error"}]}``;
* ``PUT {api_root}/stock``: ``{"warehouse", "mode", "notify", "levels": [{"sku", "id", "quantity"}]}`` -> the
  same results.

Every call carries the token (``X-Token``) and, when there is one, the signature secret (``X-Signature``)."""

from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopAdapter, ShopError, chunks, documented, money, qty
from odoo.addons.b2b_ecommerce_sync.protocol.model import Result
from odoo.addons.b2b_ecommerce_sync.protocol.options import Credential, Option


@documented
class TestShopAdapter(ShopAdapter):
    """The test platform's adapter: products and stock out, in batches."""

    platform = "test_shop"
    label = "Test Shop"
    refusal_statuses = (400, 422)

    credential_specs = (
        Credential("key", "Shop token", help="the token of the shop's API user"),
        Credential("extra", "Signature secret", required=False, help="signs the calls when the shop asks for it"),
    )
    option_specs = (
        Option("api_root", "API root", default="/api", help="the API's path under the shop URL"),
        Option("warehouse", "Warehouse code", default="main", help="the shop's warehouse the stock goes to"),
        Option("batch_size", "Batch size", "int", 50, help="records per call"),
        Option("stock_factor", "Stock factor", "float", 1.0, help="the quantities sent are multiplied by it"),
        Option("notify", "Notify waiting customers", "bool", True,
               help="the shop e-mails the customers waiting for a product back in stock"),
        Option("stock_mode", "Stock mode", "selection", "absolute",
               selection=(("absolute", "Quantity on hand"), ("reserve", "Quantity minus a reserve"))),
    )
    order_statuses = (("open", "Open"), ("paid", "Paid"), ("void", "Void"))
    default_status_map = {"confirmed": "paid", "shipped": "paid", "delivered": "paid", "cancelled": "void"}
    default_import_statuses = ("paid",)
    default_cancel_statuses = ("void",)

    def _configure(self):
        if not self.credentials.get("key"):
            raise ShopError("Test Shop needs its token", kind="config")

    def _api_url(self, path, **route):
        return f"{self.options['api_root'].rstrip('/')}/{path}"

    def _auth(self, request):
        request.headers["X-Token"] = self.credentials["key"]
        if self.credentials.get("extra"):
            request.headers["X-Signature"] = self.credentials["extra"]

    def test_connection(self):
        return f"Connected to {self._request('GET', 'ping', 'the ping')['name']}"

    def _push(self, method, path, what, key, records, body):
        results = []
        for batch in chunks(records, self.options["batch_size"]):
            answer = self._request(method, path, what, json=dict(body, **{key: batch}))
            results += [Result(key=r["sku"], remote_id=str(r.get("id") or ""), error=r.get("error") or "",
                               created=bool(r.get("created"))) for r in self._expect(answer, dict, what)["results"]]
        return results

    def push_products(self, products):
        items = [{"sku": p.sku, "name": p.name, "price": money(p.price), "id": p.remote_id} for p in products]
        return self._push("POST", "products", "the products", "products", items,
                          {"warehouse": self.options["warehouse"]})

    def push_stock(self, levels):
        factor = self.options["stock_factor"]
        items = [{"sku": lv.sku, "id": lv.remote_id, "quantity": qty(lv.quantity * type(lv.quantity)(str(factor)))}
                 for lv in levels]
        return self._push("PUT", "stock", "the stock", "levels", items,
                          {"warehouse": self.options["warehouse"], "mode": self.options["stock_mode"],
                           "notify": self.options["notify"]})
