"""Two order pages imported at the same time (channel capacity 2) never both create the same new customer: the
customer a page is about to create is locked by e-mail, and one that another import committed meanwhile (which
this transaction cannot see: REPEATABLE READ) sends the page back to the job runner instead of being created twice."""

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_connector_base.tools.errors import is_retryable
from odoo.addons.b2b_ecommerce_sync.tests.common import MUTE
from odoo.addons.b2b_ecommerce_sync.tools.customer_reservations import (
    CUSTOMER_LOCK,
    CreatedMeanwhile,
    CustomerCreatedMeanwhile,
    reserve_customers,
    reserve_pricelist,
)
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import WooShopMixin

EMAIL = "race.customer@pages.example"


@tagged("post_install", "-at_install")
class TestShopCustomerRace(WooShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._woocommerce_shop()

    def _commit_customer_elsewhere(self):
        """Another import's customer, committed after this test's transaction took its snapshot."""
        self.env.cr.execute("SELECT 1")
        with self.registry.cursor() as cr:
            partner = api.Environment(cr, SUPERUSER_ID, {})["res.partner"].create({"name": "Race", "email": EMAIL})
            partner_id = partner.id
        self.addCleanup(self._delete_committed, partner_id)
        return partner_id

    def _delete_committed(self, partner_id):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["res.partner"].browse(partner_id).unlink()

    def test_a_customer_committed_meanwhile_is_not_created_again(self):
        partner_id = self._commit_customer_elsewhere()
        self.assertFalse(self.env["res.partner"].search([("email", "=", EMAIL)]), "the snapshot predates it")
        with self.assertRaises(CustomerCreatedMeanwhile) as caught:
            reserve_customers(self.env, [EMAIL], set())
        self.assertTrue(is_retryable(caught.exception), "the page runs again later, then finds the customer")
        self.assertIn(str(partner_id), str(caught.exception))

    def test_the_page_is_sent_back_and_creates_nothing(self):
        self._commit_customer_elsewhere()
        self.peer.add_order(8101, "processing", transaction_id="pi_8101",
                            items=[{"sku": "SHOP-DESK", "quantity": 1, "price": "349.00"}],
                            billing={"email": EMAIL, "first_name": "Race", "last_name": "Customer", "company": ""})
        with trap_jobs() as trap, mute_logger(*MUTE):
            self.backend.with_context(b2b_flow="orders").action_b2b_run_flow()
            run_jobs = list(trap.enqueued_jobs)
            trap.enqueued_jobs = []
            for job in run_jobs:
                job.perform()
            pages = [job for job in trap.enqueued_jobs if job.method_name == "_b2b_shop_import_page"]
            self.assertEqual(len(pages), 1)
            with self.assertRaises(CustomerCreatedMeanwhile):
                pages[0].perform()
        self.assertFalse(self.env["res.partner"].search([("email", "=ilike", EMAIL)]))
        self.assertFalse(self.env["sale.order"].search([("b2b_shop_backend_id", "=", self.backend.id)]))

    def test_a_new_customer_is_locked_until_the_transaction_ends(self):
        reserved = set()
        reserve_customers(self.env, ["New.One@pages.example".lower(), "two@pages.example"], reserved)
        self.assertEqual(reserved, {"new.one@pages.example", "two@pages.example"})
        self.env.cr.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                            "AND pid = pg_backend_pid() AND granted", [CUSTOMER_LOCK])
        self.assertEqual(self.env.cr.fetchone()[0], 2)
        # one this transaction created itself is no other import's
        self.env["res.partner"].create({"name": "Mine", "email": "mine@pages.example"})
        reserve_customers(self.env, ["mine@pages.example"], reserved)

    def test_a_pricelist_committed_meanwhile_is_not_created_again(self):
        """The first orders in a currency no pricelist has: two pages importing them at once make one pricelist."""
        currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", "CHF")])
        company = self.env.company
        reserve_pricelist(self.env, company, currency)  # nobody made one: this page may
        self.env.cr.execute("SELECT 1")
        with self.registry.cursor() as cr:
            pricelist_id = api.Environment(cr, SUPERUSER_ID, {})["product.pricelist"].create({
                "name": "CHF (other page)", "currency_id": currency.id, "company_id": company.id}).id
        self.addCleanup(self._delete_committed_pricelist, pricelist_id)
        with self.assertRaises(CreatedMeanwhile) as caught:
            reserve_pricelist(self.env, company, currency)
        self.assertTrue(is_retryable(caught.exception))
        self.assertIn(str(pricelist_id), str(caught.exception))
        # one of another company stops nobody
        other = self.env["res.company"].create({"name": "Other pricelist company"})
        reserve_pricelist(self.env, other, currency)

    def _delete_committed_pricelist(self, pricelist_id):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["product.pricelist"].browse(pricelist_id).unlink()
