"""A shop platform is one addon: this one (tests only) adds its adapter, its code in the platform selection and
its options, and the shops run through it with no change to b2b_ecommerce_sync's models or views.

The shop form shows the platform's credentials and options as its adapter declares them: typed, labelled,
documented, an empty value being the default; a stock sync goes through the adapter with the shop's
credentials and options, and writes the bindings and the exchanges."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.tests.common import ShopTestMixin

from ..protocol import TestShopAdapter
from .peer import TestShopPeer

TOKEN = "test-shop-token"
SIGNATURE = "test-shop-signature"


@tagged("post_install", "-at_install")
class TestAPlatformFromItsOwnAddon(ShopTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.peer = TestShopPeer(TOKEN).start()
        cls.addClassCleanup(cls.peer.stop)
        cls._shop_catalogue()
        cls.backend = cls._shop_backend("test_shop", cls.peer.url, TOKEN, extra=SIGNATURE,
                                        options={"warehouse": "north", "batch_size": 2, "stock_factor": "2.0"})

    def setUp(self):
        super().setUp()
        self.peer.reset()

    def _options(self):
        return {option.key: option for option in self.backend.option_ids}

    def test_the_platform_is_a_value_its_addon_adds(self):
        field = self.env["ir.model.fields"]._get("b2b.shop.backend", "platform")
        value = field.selection_ids.filtered(lambda s: s.value == "test_shop")
        self.assertEqual(value.name, "Test Shop")
        self.assertEqual(set(value._get_external_ids()[value.id]),
                         {"b2b_test_shop_platform.selection__b2b_shop_backend__platform__test_shop"})
        self.assertIs(self.backend._shop_adapter_class(), TestShopAdapter)
        self.assertEqual(self.backend._platform_label(), "Test Shop")
        # its statuses came with it
        self.assertEqual(self.backend.status_ids.mapped("code"), ["open", "paid", "void"])
        self.assertEqual(self.backend.status_ids.filtered("import_order").mapped("code"), ["paid"])
        self.assertEqual(self.backend.status_cancelled, "void")

    def test_credentials_are_those_the_adapter_declares(self):
        backend = self.backend
        self.assertEqual((backend.api_key_used, backend.api_secret_used, backend.api_extra_used), (True, False, True))
        self.assertEqual((backend.api_key_label, backend.api_extra_label), ("Shop token", "Signature secret"))
        self.assertEqual(backend.api_key_help, "the token of the shop's API user")
        self.assertEqual(backend.api_extra_help, "signs the calls when the shop asks for it (optional)")
        self.assertEqual(backend._shop_credentials(), {"key": TOKEN, "extra": SIGNATURE})
        # the form names no platform: what it shows of one comes from these fields
        arch = backend.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("test_shop", arch)
        self.assertIn('name="api_key_label"', arch)

    def test_options_are_typed_and_documented_rows_of_the_declarations(self):
        options = self._options()
        self.assertEqual(list(options), ["api_root", "warehouse", "batch_size", "stock_factor", "notify", "stock_mode",
                                         "max_pages", "max_records"])
        self.assertEqual(
            [(o.label, o.option_type) for o in options.values()],
            [("API root", "char"), ("Warehouse code", "char"), ("Batch size", "int"), ("Stock factor", "float"),
             ("Notify waiting customers", "bool"), ("Stock mode", "selection"), ("Most pages per listing", "int"),
             ("Most records per listing", "int")])
        warehouse, batch, factor, notify, mode = (options[k] for k in ("warehouse", "batch_size", "stock_factor",
                                                                        "notify", "stock_mode"))
        self.assertEqual(warehouse.description, "the shop's warehouse the stock goes to")
        self.assertEqual((warehouse.value_char, warehouse.default_value, warehouse.is_default),
                         ("north", "main", False))
        self.assertEqual((batch.value, batch.value_int, batch.value_display), ("2", 2, "2"))
        self.assertEqual((factor.value_float, factor.value_display), (2.0, "2.0"))
        # an empty value is the default, shown as its typed value
        self.assertEqual((notify.value, notify.is_default, notify.value_bool, notify.value_display),
                         (False, True, True, "Yes"))
        self.assertEqual((mode.value_choice_id.value, mode.value_display, mode.default_value),
                         ("absolute", "Quantity on hand", "Quantity on hand"))
        # a choice is one of the declared choices of its option
        choices = self.env["b2b.shop.option.choice"].search([("platform", "=", "test_shop"),
                                                             ("option", "=", "stock_mode")])
        self.assertEqual([(c.value, c.name) for c in choices], [("absolute", "Quantity on hand"),
                                                                 ("reserve", "Quantity minus a reserve")])
        # the typed editors write the text the adapter reads; the default is stored empty
        mode.value_choice_id = choices[1]
        notify.value_bool = False
        batch.value_int = 50
        warehouse.value_char = ""
        self.assertEqual((mode.value, notify.value, batch.value, warehouse.value), ("reserve", "False", False, False))
        self.assertEqual((batch.is_default, warehouse.value_char, warehouse.value_display), (True, False, "main"))
        factor.action_use_default()
        self.assertEqual((factor.value, factor.value_float), (False, 1.0))
        # what is no value of the option is refused, saying what would be
        with self.assertRaisesRegex(ValidationError, r"Stock mode of shop .*: 'all' is not a valid choice \(one of "
                                                     r"absolute, reserve\)"):
            mode.value = "all"
        with self.assertRaisesRegex(ValidationError, "'many' is not a valid whole number"):
            batch.value = "many"

    def test_rows_written_before_the_declarations_follow_them(self):
        options = self._options()
        # a value stored as text that is its default (what rows held before 19.0.1.1.0), a broken one, a missing
        # row, and a key the platform does not declare
        self.env.cr.execute("UPDATE b2b_shop_option SET value = %s WHERE id = %s", ["1000", options["max_pages"].id])
        self.env.cr.execute("UPDATE b2b_shop_option SET value = %s WHERE id = %s", ["lots", options["max_records"].id])
        self.env.invalidate_all()
        options["notify"].unlink()
        extra = self.env["b2b.shop.option"].create({"backend_id": self.backend.id, "key": "legacy", "value": "x"})
        self.assertTrue(self.backend.options_outdated)
        self.assertIn("'lots' is not a valid whole number", options["max_records"].value_error)
        self.assertEqual(options["max_records"].value_int, 20000, "the default, shown while the value is broken")
        self.assertEqual((extra.option_type, extra.value_display), ("undeclared", "x"))
        self.backend.option_ids._shop_clear_defaults()  # what the 19.0.1.1.0 upgrade does, then the sync
        self.backend.action_shop_sync_options()
        options = self._options()
        self.assertEqual((options["max_pages"].value, options["max_records"].value), (False, "lots"))
        self.assertFalse(options["notify"].value)
        self.assertEqual(options["legacy"], extra, "a value the adapter may still read is kept")
        self.assertFalse(self.backend.options_outdated)
        self.assertEqual(self.backend._shop_options()["legacy"], "x")

    def test_a_shop_whose_platform_goes_and_comes_back_keeps_its_options(self):
        legacy = self.env["b2b.shop.option"].create({"backend_id": self.backend.id, "key": "legacy", "value": "x"})
        self.backend.platform = "none"  # what uninstalling the platform's addon does (ondelete "set default")
        options = self._options()
        self.assertEqual((options["warehouse"].value, options["warehouse"].option_type), ("north", "undeclared"))
        self.assertFalse(self.backend.api_key_used)
        self.backend.platform = "test_shop"
        options = self._options()
        self.assertEqual((options["warehouse"].value, options["batch_size"].value_int), ("north", 2))
        self.assertFalse(legacy.exists(), "a new platform keeps the rows of the options it declares only")
        # a row removed on the form is the default again
        self.backend.option_ids = [Command.delete(options["warehouse"].id)]
        self.assertEqual((self._options()["warehouse"].value, self._options()["warehouse"].value_display),
                         (False, "main"))

    def test_a_stock_sync_goes_through_the_platform_adapter(self):
        self._sell(self.backend, self.desk, self.chair, self.lamp)
        run, children = self._run(self.backend, "catalogue")
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(run.protocol, "Test Shop")
        bindings = (self.desk | self.chair | self.lamp).b2b_shop_binding_ids
        self.assertEqual(sorted(bindings.mapped("remote_id")), ["1", "2", "3"])
        self.assertEqual(set(bindings.mapped("state")), {"synced"})
        self.assertTrue(all(b.sync_hash and b.last_sync for b in bindings))
        self.assertEqual(sorted(children.mapped("kind")), ["shop.product"] * 3)
        self.assertEqual(self.other_runs.mapped("kind"), ["shop.stock"], "new products get their stock at once")

        self._stock(self.desk, 7)
        self._stock(self.chair, 2)
        self._stock(self.lamp, 1)
        self._options()["stock_mode"].value = "reserve"
        requests, bodies = len(self.peer.requests), len(self.peer.bodies)
        run, children = self._run(self.backend, "stock")
        self.assertEqual(run.state, "done", run.error)
        self.assertIn("Stock: 3 sent, 0 failed", run.summary)
        # the shop's credentials and options: token, signature, warehouse, batches of 2, factor 2, mode
        calls = [r for r in self.peer.requests[requests:] if r.method == "PUT"]
        self.assertEqual([c.path for c in calls], ["/api/stock"] * 2, "three levels in batches of two")
        self.assertEqual({(c.header("X-Token"), c.header("X-Signature")) for c in calls}, {(TOKEN, SIGNATURE)})
        self.assertEqual({(b["warehouse"], b["mode"], b["notify"]) for b in self.peer.bodies[bodies:]},
                         {("north", "reserve", True)})
        by_sku = {b.default_code: b for b in bindings}
        self.assertEqual({sku: self.peer.stock["north", by_sku[sku].remote_id] for sku in by_sku},
                         {"SHOP-DESK": 14, "SHOP-CHAIR": 4, "SHOP-LAMP": 2})
        # the bindings know what was sent; one child exchange per product, on its product
        self.assertEqual([by_sku[s].stock_sent for s in ("SHOP-DESK", "SHOP-CHAIR", "SHOP-LAMP")], [7, 2, 1])
        self.assertTrue(all(b.stock_sent_set for b in bindings))
        self.assertEqual(children.mapped("kind"), ["shop.stock.level"] * 3)
        self.assertEqual(set(children.mapped("state")), {"done"})
        self.assertEqual({c.record_ref for c in children}, {self.desk, self.chair, self.lamp})
        # nothing changed: nothing sent
        requests = len(self.peer.requests)
        run, children = self._run(self.backend, "stock")
        self.assertIn("nothing changed", run.summary)
        self.assertEqual(len(self.peer.requests), requests)
