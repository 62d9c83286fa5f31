"""The access matrix of the web shops: backends, their configuration rows and bindings, and the shop fields on
partners, products and sale orders (see b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_ecommerce_sync",
    "title": "Web shops (b2b_ecommerce_sync)",
    "roles": ("internal", "contacts", "sales", "b2b_user", "b2b_manager", "portal"),
    "models": (
        # model                   companies  internal contacts sales  b2b_user b2b_manager portal
        ("b2b.shop.backend",      "company", "----",  "----",  "r---", "r---",  "rwcu",     "----"),
        ("b2b.shop.option",       "company", "----",  "----",  "----", "----",  "rwcu",     "----"),
        ("b2b.shop.status",       "company", "----",  "----",  "----", "----",  "rwcu",     "----"),
        ("b2b.shop.category.map", "company", "----",  "----",  "----", "----",  "rwcu",     "----"),
        ("b2b.shop.field.map",    "company", "----",  "----",  "----", "----",  "rwcu",     "----"),
        ("b2b.shop.tax.map",      "company", "----",  "----",  "----", "----",  "rwcu",     "----"),
        ("b2b.shop.group.map",    "company", "----",  "----",  "----", "----",  "rwcu",     "----"),
        ("b2b.shop.product",      "company", "----",  "----",  "r---", "r---",  "rwcu",     "----"),
        ("b2b.shop.partner",      "company", "----",  "----",  "r---", "r---",  "rwcu",     "----"),
        ("b2b.shop.option.choice", "global", "----",  "----",  "----", "----",  "r---",     "----"),
    ),
    "fields": (
        # model, what, fields,                         internal contacts sales b2b_user b2b_manager portal
        ("b2b.shop.backend", "Where and how the shop is called", (
            "platform", "url", "b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit",
            "b2b_rate_period"),
         "--", "--", "--", "--", "rw", "--"),
        ("b2b.shop.backend", "API key, secret, extra secret (masked)", ("api_key", "api_secret", "api_extra"),
         "--", "--", "--", "--", "mw", "--"),
        ("b2b.shop.backend", "Their ciphertext (written by code only)",
         ("api_key_enc", "api_secret_enc", "api_extra_enc"),
         "--", "--", "--", "--", "r-", "--"),
        ("b2b.shop.backend", "What is sent, how orders come in", (
            "option_ids", "warehouse_id", "pricelist_id", "team_id", "user_id", "category_map_ids", "field_map_ids",
            "tax_map_ids", "stock_mode", "send_restock_date", "group_map_ids", "status_ids", "order_mode",
            "shipping_product_id", "fee_product_id", "gift_card_product_id", "coupon_product_id",
            "payment_journal_id", "last_order_sync", "shop_lang"),
         "--", "--", "--", "--", "rw", "--"),
        ("b2b.shop.backend", "Statuses sent back, e-mails, invoices", (
            "status_confirmed", "status_shipped", "status_delivered", "status_cancelled", "notify_mode",
            "mail_confirmed_template_id", "mail_shipped_template_id", "mail_cancelled_template_id", "send_invoices"),
         "--", "--", "--", "--", "rw", "--"),
        ("b2b.shop.backend", "Schedules", ("b2b_schedule_ids",),
         "--", "--", "--", "--", "rw", "--"),
        ("res.partner", "Customer of Shops", ("b2b_shop_backend_ids",),
         "--", "--", "rw", "r-", "r-", "--"),
        ("res.partner", "Shop accounts", ("b2b_shop_binding_ids",),
         "--", "--", "r-", "r-", "r-", "--"),
        ("product.template", "Sell on Shops", ("b2b_shop_backend_ids",),
         "--", "--", "r-", "r-", "r-", "--"),
        ("product.product", "Shop bindings", ("b2b_shop_binding_ids",),
         "--", "--", "r-", "r-", "r-", "--"),
        ("sale.order", "Link to the shop order (written by the import)", (
            "b2b_shop_backend_id", "b2b_shop_order_id", "b2b_shop_order_number", "b2b_shop_status",
            "b2b_shop_paid", "b2b_shop_payment_id"),
         "--", "--", "r-", "--", "--", "--"),
        ("sale.order", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "--", "--", "r-", "--", "--", "--"),
        ("stock.picking", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "--", "--", "r-", "--", "--", "--"),
        ("b2b.shop.backend", "What the platform asks for (from its adapter's declarations)", (
            "api_key_used", "api_key_label", "api_key_help", "api_secret_used", "api_secret_label", "api_secret_help",
            "api_extra_used", "api_extra_label", "api_extra_help", "options_outdated"),
         "--", "--", "--", "--", "r-", "--"),
        ("b2b.shop.option", "The shop's platform (related)", ("platform",),
         "--", "--", "--", "--", "r-", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestShopAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        env = cls.env
        a, b = cls.company_a, cls.company_b
        warehouse_b = env["stock.warehouse"].search([("company_id", "=", b.id)], limit=1) or env[
            "stock.warehouse"].create({"name": "Matrix B", "code": "MXB", "company_id": b.id})
        Backend = env["b2b.shop.backend"]
        shop = {"url": "http://127.0.0.1:9", "api_key": "mx-key", "api_secret": "mx-secret", "api_extra": "mx-extra"}
        backend_a = Backend.create(dict(shop, name="Matrix shop A", company_id=a.id))
        backend_b = Backend.create(dict(shop, name="Matrix shop B", company_id=b.id, warehouse_id=warehouse_b.id))
        category, other_category = env["product.category"].create([{"name": "Matrix category"},
                                                                    {"name": "Matrix other category"}])
        description = env["ir.model.fields"]._get("product.template", "description_sale")
        tax = env["account.tax"].create({"name": "Matrix tax", "amount": 21, "type_tax_use": "sale",
                                         "company_id": a.id})
        pricelist = env["product.pricelist"].create({"name": "Matrix pricelist"})
        rows = {
            # a shop of no platform has no option nor status rows of its own: the matrix gives it some
            "b2b.shop.option": {"key": "mx_existing", "value": "1"},
            "b2b.shop.status": {"code": "mx-existing", "name": "Matrix existing"},
            "b2b.shop.category.map": {"category_id": category.id},
            "b2b.shop.field.map": {"field_id": description.id, "remote_key": "mx_key"},
            "b2b.shop.tax.map": {"tax_id": tax.id, "remote_tax_class": "standard"},
            "b2b.shop.group.map": {"pricelist_id": pricelist.id, "remote_group": "wholesale"},
        }
        for model, vals in rows.items():
            env[model].create([dict(vals, backend_id=backend.id) for backend in (backend_a, backend_b)])
        # bound to shop A, to bind, bound to shop B
        products = env["product.product"].create([{"name": f"Matrix product {n}", "default_code": f"MX-{n}"}
                                                  for n in (1, 2, 3)])
        customers = env["res.partner"].create([{"name": f"Matrix customer {n}", "email": f"mx{n}@example.com"}
                                               for n in (1, 2, 3)])
        env["b2b.shop.product"].create([{"backend_id": backend.id, "product_id": product.id}
                                        for backend, product in ((backend_a, products[0]), (backend_b, products[2]))])
        env["b2b.shop.partner"].create([{"backend_id": backend.id, "partner_id": partner.id}
                                        for backend, partner in ((backend_a, customers[0]), (backend_b, customers[2]))])
        order = env["sale.order"].create({
            "partner_id": customers[0].id, "user_id": cls.matrix_users["sales"].id, "company_id": a.id,
            "b2b_shop_backend_id": backend_a.id, "b2b_shop_order_id": "1001", "b2b_shop_order_number": "#1001",
            "b2b_shop_status": "processing", "b2b_shop_paid": True})
        deliveries = env["stock.picking.type"].search([("code", "=", "outgoing"), ("company_id", "=", a.id)], limit=1)
        picking = env["stock.picking"].create({"picking_type_id": deliveries.id, "partner_id": customers[0].id})

        def line(model, write, **create):
            """The fixture of a row model: the first row of each backend."""
            rec_a = env[model].search([("backend_id", "=", backend_a.id)], limit=1)
            rec_b = env[model].search([("backend_id", "=", backend_b.id)], limit=1)
            values = dict(rows.get(model, {}), **create)
            return Fixture(rec_a, write=write, create=dict(values, backend_id=backend_a.id), b=rec_b,
                           create_b=dict(values, backend_id=backend_b.id))

        new_shop = dict(shop, name="Matrix new shop")
        return {
            "b2b.shop.backend": Fixture(backend_a, write={"name": "Matrix shop renamed"}, create=new_shop, b=backend_b,
                                        create_b=dict(new_shop, company_id=b.id, warehouse_id=warehouse_b.id)),
            "b2b.shop.option": line("b2b.shop.option", {"value": "changed"}, key="mx_option", value="1"),
            # the choices of a platform's options are written by code from the adapter's declarations
            "b2b.shop.option.choice": Fixture(
                env["b2b.shop.option.choice"].create({"platform": "mx", "option": "mx", "value": "a", "name": "A"}),
                write={"name": "Changed"}, create={"platform": "mx", "option": "mx", "value": "b", "name": "B"}),
            "b2b.shop.status": line("b2b.shop.status", {"name": "Changed"}, code="mx-status", name="Matrix"),
            "b2b.shop.category.map": line("b2b.shop.category.map", {"remote_name": "Changed"},
                                          category_id=other_category.id),
            "b2b.shop.field.map": line("b2b.shop.field.map", {"remote_key": "changed"}),
            "b2b.shop.tax.map": line("b2b.shop.tax.map", {"remote_tax_class": "reduced"}),
            "b2b.shop.group.map": line("b2b.shop.group.map", {"remote_group": "retail"}),
            "b2b.shop.product": line("b2b.shop.product", {"remote_id": "77"}, product_id=products[1].id),
            "b2b.shop.partner": line("b2b.shop.partner", {"remote_id": "77"}, partner_id=customers[1].id),
            "res.partner": Fixture(customers[0], create={"name": "Matrix new customer"}),
            "product.template": Fixture(products[0].product_tmpl_id, create={"name": "Matrix new product"}),
            "product.product": Fixture(products[0], create={"name": "Matrix new variant"}),
            "sale.order": Fixture(order, create={"partner_id": customers[1].id}),
            "stock.picking": Fixture(picking, create={"picking_type_id": deliveries.id}),
        }
