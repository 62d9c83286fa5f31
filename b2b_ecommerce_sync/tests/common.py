"""Shared set-up of the shop tests (of every platform addon): a company catalogue and a backend on a sandbox
shop peer."""

from odoo import Command

from odoo.addons.b2b_connector_base.tests.common import B2BTestMixin
from odoo.addons.queue_job.tests.common import trap_jobs

MUTE = "odoo.addons.b2b_connector_base.models.b2b_exchange"
RUN_KINDS = ("shop.catalogue", "shop.prices", "shop.stock", "shop.customers", "shop.orders")


class ShopTestMixin(B2BTestMixin):
    @classmethod
    def _shop_catalogue(cls):
        env = cls.env
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.categ_root = env["product.category"].create({"name": "Office"})
        cls.categ_desks = env["product.category"].create({"name": "Desks", "parent_id": cls.categ_root.id})
        Product = env["product.product"]
        cls.desk = Product.create({"name": "Standing desk", "default_code": "SHOP-DESK", "invoice_policy": "order",
                                   "list_price": 349.0,
                                   "is_storable": True, "weight": 38.0, "categ_id": cls.categ_desks.id,
                                   "description_sale": "Oak top, electric."})
        cls.chair = Product.create({"name": "Ergonomic chair", "default_code": "SHOP-CHAIR", "invoice_policy": "order",
                                    "list_price": 189.0,
                                    "is_storable": True, "categ_id": cls.categ_root.id})
        cls.lamp = Product.create({"name": "Desk lamp", "default_code": "SHOP-LAMP", "invoice_policy": "order",
                                   "list_price": 49.9,
                                   "is_storable": True, "categ_id": cls.categ_root.id})
        cls.bank_journal = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)

    @classmethod
    def _shop_backend(cls, platform, url, key, secret=None, extra=None, options=None, **vals):
        backend = cls.env["b2b.shop.backend"].create(dict({
            "name": f"{platform} test shop {url} {key}",
            "platform": platform,
            "url": url,
            "api_key": key,
            "api_secret": secret or False,
            "api_extra": extra or False,
            "warehouse_id": cls.warehouse.id,
            "b2b_retries": 1,
            "payment_journal_id": cls.bank_journal.id,
        }, **vals))
        backend._shop_write_options(options or {})
        return backend

    def _sell(self, backend, *products):
        for product in products:
            product.product_tmpl_id.b2b_shop_backend_ids = [Command.link(backend.id)]

    def _run(self, backend, flow, **context):
        """A flow as the job runner runs it: the run job, then every job it queued (order imports...)."""
        Exchange = self.env["b2b.exchange"]
        before = set(Exchange.search([]).ids)
        with trap_jobs() as trap:
            backend.with_context(b2b_flow=flow).action_b2b_run_flow()
            while trap.enqueued_jobs:
                jobs, trap.enqueued_jobs = trap.enqueued_jobs, []
                for job in jobs:
                    job.perform()
        new = Exchange.search([("id", "not in", list(before))])
        run = new.filtered(lambda e: e.kind == f"shop.{flow}")
        self.assertEqual(len(run), 1, f"one run exchange for {flow}")
        # runs this run queued (e.g. the stock of new products) are kept apart, with their records
        self.other_runs = new.filtered(lambda e: not e.parent_id and e.kind in RUN_KINDS and e != run)
        return run, new - run - self.other_runs - self.other_runs.child_ids

    def _ship(self, sale, carrier, tracking):
        """Deliver the whole of ``sale`` with ``carrier`` and the ``tracking`` number, as the warehouse does, the
        jobs it queues run; returns the shop status exchange of the delivery."""
        picking = sale.picking_ids
        picking.write({"carrier_id": carrier.id, "carrier_tracking_ref": tracking})
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        with trap_jobs() as trap:
            picking.button_validate()
            trap.perform_enqueued_jobs()
        return self.env["b2b.exchange"].search([("kind", "=", "shop.status"), ("res_model", "=", "stock.picking"),
                                                ("res_id", "=", picking.id)])

    def _stock(self, product, quantity):
        quant = self.env["stock.quant"]
        location = self.warehouse.lot_stock_id
        self.env.invalidate_all()
        current = product.with_context(location=location.id).qty_available
        quant._update_available_quantity(product, location, quantity - current)
