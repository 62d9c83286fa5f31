"""What Odoo writes into a shop for people is in the shop's language (the backend's "Shop Language"), whoever
runs the flow: the product names and descriptions, the note a customer reads about their parcel and invoice."""

import importlib.util
import pathlib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.translations import TranslationMixin
from odoo.addons.b2b_ecommerce_sync.tools.order_lookups import OrderLookups
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import WooShopMixin

ADDONS = ("b2b_shop_woocommerce", "b2b_ecommerce_sync", "b2b_connector_base")


@tagged("post_install", "-at_install")
class TestWooCommerceShopLanguage(WooShopMixin, TranslationMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop(wordpress=False, notify_mode="shop")
        carrier_product = cls.env["product.product"].create({"name": "Parcel", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create({"name": "Colissimo", "product_id": carrier_product.id,
                                                          "delivery_type": "fixed"})

    def setUp(self):
        super().setUp()
        self._b2b_load_languages(*ADDONS)
        self.env.user.lang = "en_US"  # the user (and the job) are English, the shop is French
        self.backend.shop_lang = "fr_FR"
        self.desk.with_context(lang="fr_FR").write({"name": "Bureau assis-debout",
                                                    "description_sale": "Plateau en chêne, électrique."})

    def _import_paid_order(self, number, **order):
        self.peer.add_order(number, "processing", paid=True,
                            items=[{"sku": "SHOP-DESK", "quantity": 1, "price": "349.00"}],
                            billing={"email": f"client{number}@example.fr", "first_name": "Client",
                                     "last_name": str(number), "company": ""}, transaction_id=f"tx{number}", **order)
        run, _new = self._run(self.backend, "orders")
        self.assertEqual(run.state, "done", run.error)
        return self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id),
                                              ("b2b_shop_order_id", "=", str(number))])

    def _customer_notes(self, number):
        return [n["note"] for n in self.peer.notes[number] if n["customer_note"]]

    def test_products_go_in_the_shop_language_whoever_sends_them(self):
        self._sell(self.backend, self.desk)
        run, _children = self._run(self.backend, "catalogue")
        self.assertEqual(run.state, "done", run.error)
        remote = self.peer._by_sku("SHOP-DESK")
        self.assertEqual(remote["name"], "Bureau assis-debout")
        self.assertIn("Plateau en chêne, électrique.", remote["short_description"])
        # a Dutch user runs the catalogue again: the same French product, nothing sent again
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env.user.lang = "nl_NL"
        run, children = self._run(self.backend.with_context(lang="nl_NL"), "catalogue")
        self.assertEqual(run.state, "done", run.error)
        self.assertFalse(children.filtered(lambda c: c.res_model == "product.product"), children.mapped("summary"))
        self.assertEqual(self.peer._by_sku("SHOP-DESK")["name"], "Bureau assis-debout")
        # the shop's language changed to English: the English name is what the shop gets now
        self.backend.shop_lang = "en_US"
        self._run(self.backend, "catalogue")
        self.assertEqual(self.peer._by_sku("SHOP-DESK")["name"], "Standing desk")

    def test_the_customer_reads_the_parcel_and_invoice_notes_in_the_shop_language(self):
        sale = self._import_paid_order(8101)
        self._stock(self.desk, 5)
        status = self._ship(sale, self.carrier, "6A0001")
        self.assertEqual(status.state, "done", status.error)
        self.assertEqual(self._customer_notes(8101),
                         ["Votre commande a été expédiée avec Colissimo. Numéro de suivi : 6A0001."])
        self.assertIn("WooCommerce order 8101", status.summary)  # the log is the user's: English

        invoice = sale._create_invoices()
        with trap_jobs():
            invoice.action_post()
        invoice.with_context(force_report_rendering=True)._b2b_shop_push_invoice()
        sent = self.env["b2b.exchange"].search([("kind", "=", "shop.invoice"), ("res_id", "=", invoice.id)])
        self.assertEqual(sent.state, "done", sent.error)
        (note,) = [n for n in self._customer_notes(8101) if invoice.name in n]
        self.assertTrue(note.startswith(f"Facture {invoice.name} ("), note)
        self.assertNotIn("Invoice", note)

    def test_shop_language_defaults_to_the_company_language_and_is_for_managers(self):
        self.env.company.partner_id.lang = "fr_FR"
        backend = self._shop_backend("woocommerce", "http://127.0.0.1:9", "k2", "s2")
        self.assertEqual(backend.shop_lang, "fr_FR")
        field = self.env["b2b.shop.backend"]._fields["shop_lang"]
        self.assertEqual(field.groups, "b2b_connector_base.group_b2b_manager")
        self.assertEqual(set(dict(field._description_selection(self.env))), {
            code for code, _name in self.env["res.lang"].get_installed()})

    def test_upgrade_gives_each_shop_its_company_language(self):
        """The 19.0.1.2.0 migration: a shop of a French company becomes French, one of a company whose language is
        not installed English (as its notes were before)."""
        company_b = self.env["res.company"].create({"name": "Shop language B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        other = self.env["b2b.shop.backend"].create({
            "name": "Shop of B", "url": "http://127.0.0.1:9", "api_key": "b", "company_id": company_b.id,
            "warehouse_id": warehouse_b.id, "shop_lang": "fr_FR"})
        self.env.company.partner_id.lang = "fr_FR"
        self.backend.shop_lang = False
        self.env.cr.execute("UPDATE res_partner SET lang = 'xx_XX' WHERE id = %s", [company_b.partner_id.id])
        self.env.invalidate_all()
        path = pathlib.Path(get_module_path("b2b_ecommerce_sync"), "migrations", "19.0.1.2.0", "post-migrate.py")
        spec = importlib.util.spec_from_file_location("b2b_shop_lang_migration", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(self.backend.shop_lang, "fr_FR")
        self.assertFalse(other.shop_lang)

    def test_new_customers_speak_the_language_they_ordered_in(self):
        """A customer who ordered in Dutch (WooCommerce Multilingual) is Dutch in Odoo, one of a French shop who
        said nothing is French; a coupon line reads in the customer's language; a known customer keeps theirs."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self._b2b_load_languages(*ADDONS)
        dutch = self._import_paid_order(8201, meta_data=[{"key": "wpml_language", "value": "nl"}],
                                        coupons=[{"code": "zomer", "discount": "0"}])
        self.assertEqual(dutch.partner_id.lang, "nl_NL")
        coupon = dutch.order_line.filtered(lambda line: line.product_id == self.backend.coupon_product_id)
        self.assertTrue(coupon.name.startswith("Kortingscode zomer: -"), coupon.name)
        french = self._import_paid_order(8202, coupons=[{"code": "ete", "discount": "0"}])
        self.assertEqual(french.partner_id.lang, "fr_FR")
        coupon = french.order_line.filtered(lambda line: line.product_id == self.backend.coupon_product_id)
        self.assertTrue(coupon.name.startswith("Code promo ete : -"), coupon.name)
        known = self.env["res.partner"].create({"name": "Known", "email": "known@example.com", "lang": "en_US"})
        self.peer.add_order(8203, "processing", paid=True, items=[{"sku": "SHOP-DESK", "quantity": 1,
                                                                   "price": "349.00"}],
                            billing={"email": "known@example.com", "first_name": "Known", "last_name": "",
                                     "company": ""}, meta_data=[{"key": "wpml_language", "value": "fr"}])
        self._run(self.backend, "orders")
        self.assertEqual(known.lang, "en_US")
        self.assertEqual(self.env["sale.order"].search([("b2b_shop_order_id", "=", "8203"),
                                                        ("b2b_shop_backend_id", "=", self.backend.id)]).partner_id,
                         known)

    def test_a_shops_language_code_finds_the_installed_language(self):
        self.env["res.lang"]._activate_lang("fr_BE")
        lookups = OrderLookups(self.env, self.backend)
        self.assertEqual(lookups.language("fr"), "fr_FR")  # the main French, not Belgian
        self.assertEqual(lookups.language("fr-BE"), "fr_BE")
        self.assertEqual(lookups.language("fr_be"), "fr_BE")
        self.assertEqual(lookups.language("fr-CA"), "fr_FR")  # no Canadian French: the main one
        self.assertEqual(lookups.language("en"), "en_US")
        self.assertFalse(lookups.language("xx-YY"))
        self.assertFalse(lookups.language(""))
