"""The other side of the test platform (see ``protocol``): a tiny shop keeping products and stock in memory."""

from odoo.addons.b2b_sandbox.peers.server import PeerServer, Response


class TestShopPeer(PeerServer):
    name = "test-shop"

    def __init__(self, token, **kw):
        super().__init__(**kw)
        self.token = token
        self._init_state()

    def _init_state(self):
        self.products = {}  # id -> {"sku", "name", "price"}
        self.stock = {}  # (warehouse, id) -> quantity
        self.bodies = []  # the JSON bodies received, in order

    def handle(self, request):
        if request.header("X-Token") != self.token:
            return Response.json({"error": "bad token"}, status=401)
        root, _sep, what = request.path.rpartition("/")
        if request.method == "GET" and what == "ping":
            return Response.json({"name": "The test shop"})
        body = request.json()
        self.bodies.append(dict(body, path=request.path))
        if request.method == "POST" and what == "products":
            return Response.json({"results": [self._product(item) for item in body["products"]]})
        if request.method == "PUT" and what == "stock":
            return Response.json({"results": [self._stock(body["warehouse"], item) for item in body["levels"]]})
        return Response.json({"error": f"no {request.method} {request.path}"}, status=400)

    def _product(self, item):
        if not item["id"]:
            pid = next((i for i, p in self.products.items() if p["sku"] == item["sku"]), None)
            pid = pid or str(len(self.products) + 1)
            self.products[pid] = {"sku": item["sku"], "name": item["name"], "price": item["price"]}
            return {"sku": item["sku"], "id": pid, "created": True}
        self.products[item["id"]].update(name=item["name"], price=item["price"])
        return {"sku": item["sku"], "id": item["id"]}

    def _stock(self, warehouse, item):
        if item["id"] not in self.products:
            return {"sku": item["sku"], "error": f"no product {item['id']}"}
        self.stock[warehouse, item["id"]] = item["quantity"]
        return {"sku": item["sku"], "id": item["id"]}
