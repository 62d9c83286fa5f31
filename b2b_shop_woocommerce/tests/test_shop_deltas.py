"""Deltas of a big catalogue: product images compared by their attachment's checksum (their data is read for what
is sent only); stock levels of many products computed at once, only the changed ones sent."""

import base64
import hashlib
import io
from unittest.mock import patch

from PIL import Image

from odoo.tests import TransactionCase, tagged

from .common import WooShopMixin


def _png(color):
    out = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(out, "PNG")
    return out.getvalue()


@tagged("post_install", "-at_install")
class TestShopDeltas(WooShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop()

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def test_image_delta_by_attachment_checksum(self):
        red, blue = _png("red"), _png("blue")
        self.desk.image_1920 = base64.b64encode(red)
        self._sell(self.backend, self.desk, self.chair)
        run, _children = self._run(self.backend, "catalogue")
        self.assertEqual(run.state, "done", run.error)
        binding = self.desk.b2b_shop_binding_ids
        data = binding._shop_data()
        self.assertEqual([(i.checksum, i.mimetype, i.data) for i in data.images],
                         [(hashlib.sha1(red).hexdigest(), "image/png", b"")], "no image data for the fingerprint")
        self.assertFalse(self.chair.b2b_shop_binding_ids._shop_data().images)
        images = self.peer.products[int(binding.remote_id)]["images"]
        self.assertEqual(len(images), 1)
        self.assertIn(f"/web/image/product.product/{self.desk.id}/image_1920", images[0]["src"])
        # unchanged: nothing leaves, and no product image is read
        self.peer.requests.clear()
        self.env.invalidate_all()
        Product = type(self.env["product.product"])
        with patch.object(Product, "_compute_image_1920", autospec=True,
                          side_effect=Product._compute_image_1920) as read_image:
            run2, children2 = self._run(self.backend, "catalogue")
        self.assertFalse(children2)
        self.assertFalse(read_image.called, "the delta reads the attachment's checksum, not the image")
        self.assertFalse([r for r in self.peer.requests if r.method == "POST"])
        # a new image: the product is sent again, with the new checksum
        self.desk.image_1920 = base64.b64encode(blue)
        self.assertEqual(binding._shop_data().images[0].checksum, hashlib.sha1(blue).hexdigest())
        self.env.invalidate_all()
        with patch.object(Product, "_compute_image_1920", autospec=True,
                          side_effect=Product._compute_image_1920) as read_image:
            run3, children3 = self._run(self.backend, "catalogue")
        self.assertEqual(children3.record_ref, self.desk)
        self.assertEqual({pid for call in read_image.call_args_list for pid in call.args[0].ids}, {self.desk.id},
                         "the image of the product sent, only")
        self.assertEqual(self.peer.meta(self.peer.products[int(binding.remote_id)], "_b2b_image_checksums"),
                         hashlib.sha1(blue).hexdigest())
        # the image of the template counts for a variant without its own
        self.chair.product_tmpl_id.image_1920 = base64.b64encode(red)
        self.assertEqual(self.chair.b2b_shop_binding_ids._shop_data().images[0].checksum, hashlib.sha1(red).hexdigest())

    def test_stock_of_many_products_only_the_changed_ones(self):
        products = self.env["product.product"].create([
            {"name": f"Bulk {n}", "default_code": f"BULK-{n:03d}", "is_storable": True} for n in range(150)])
        self._sell(self.backend, *products)
        self._run(self.backend, "catalogue")  # the stock of new products follows
        for product in products[:120]:
            self._stock(product, 7)
        self.peer.requests.clear()
        run, children = self._run(self.backend, "stock")
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(len(children), 120)
        self.assertEqual(len([r for r in self.peer.requests if r.method == "POST"]), 2, "batches of 100")
        levels = {p["sku"]: p["stock_quantity"] for p in self.peer.products.values() if p["sku"].startswith("BULK")}
        self.assertEqual(sorted(set(levels[p.default_code] for p in products[:120])), [7])
        self.assertEqual(sorted(set(levels[p.default_code] for p in products[120:])), [0])
        bindings = products.b2b_shop_binding_ids
        self.assertEqual(set(bindings[:120].mapped("stock_sent")), {7.0})
        self.assertTrue(all(bindings.mapped("stock_sent_set")))
        self.assertEqual(children.sorted("id")[:2].mapped("name"), [f"{run.name}/1", f"{run.name}/2"],
                         "children are named after their run")
        self.assertEqual(set(children.mapped("backend_ref")), {self.backend})
        # three changed: three sent
        for product in products[10:13]:
            self._stock(product, 2)
        run2, children2 = self._run(self.backend, "stock")
        self.assertEqual(children2.record_ref.ids if len(children2) == 1 else sorted(children2.mapped("res_id")),
                         sorted(products[10:13].ids))
        self.assertIn("3 sent", run2.summary)
        run3, children3 = self._run(self.backend, "stock")
        self.assertIn("nothing changed", run3.summary)
