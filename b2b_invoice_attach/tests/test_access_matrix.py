"""The access matrix of the BaseLinker accounts, their statuses and the BaseLinker fields of invoices (see
b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_invoice_attach",
    "title": "BaseLinker (b2b_invoice_attach)",
    "roles": ("internal", "sales", "invoicing", "b2b_user", "b2b_manager", "portal"),
    "models": (
        # model                    companies  internal sales  invoicing b2b_user b2b_manager portal
        ("b2b.baselinker.backend", "company", "----",  "----", "----",   "r---",  "rwcu",     "----"),
        ("b2b.baselinker.status",  "company", "----",  "----", "----",   "----",  "rwcu",     "----"),
    ),
    "fields": (
        # model, what, fields,                                 internal sales invoicing b2b_user b2b_manager portal
        ("b2b.baselinker.backend", "Where and how BaseLinker is called", (
            "url", "b2b_timeout", "b2b_connect_timeout", "b2b_retries", "b2b_rate_limit", "b2b_rate_period"),
         "--", "--", "--", "--", "rw", "--"),
        ("b2b.baselinker.backend", "API token (masked)", ("api_token",),
         "--", "--", "--", "--", "mw", "--"),
        ("b2b.baselinker.backend", "Its ciphertext (written by code only)", ("api_token_enc",),
         "--", "--", "--", "--", "r-", "--"),
        ("b2b.baselinker.backend", "Which orders and documents, how matched", (
            "days_back", "extended_window", "setup_date", "initial_mode", "initial_days", "status_filter",
            "status_ids", "after_upload_status_id", "no_invoice_status_id", "no_invoice_after_hours",
            "send_invoices", "send_refunds", "match_mode", "match_field_id", "order_key", "max_pages",
            "invoice_series_id"),
         "--", "--", "--", "--", "rw", "--"),
        ("b2b.baselinker.backend", "Schedules", ("b2b_schedule_ids",),
         "--", "--", "--", "--", "rw", "--"),
        ("account.move", "Exchange counts", ("b2b_exchange_count", "b2b_failed_count"),
         "--", "r-", "r-", "--", "--", "--"),
        ("account.move", "BaseLinker upload (display)", (
            "b2b_baselinker_order_id", "b2b_baselinker_invoice_id", "b2b_baselinker_uploaded_at"),
         "--", "r-", "rw", "--", "--", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestBaseLinkerAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        env = cls.env
        a, b = cls.company_a, cls.company_b
        Backend = env["b2b.baselinker.backend"]
        account = {"url": "http://127.0.0.1:9/connector.php", "api_token": "mx-token"}
        backend_a = Backend.create(dict(account, name="Matrix BaseLinker A", company_id=a.id))
        backend_b = Backend.create(dict(account, name="Matrix BaseLinker B", company_id=b.id))
        Status = env["b2b.baselinker.status"]
        status_a, status_b = Status.create([{"backend_id": backend.id, "bl_id": 1, "name": "New"}
                                            for backend in (backend_a, backend_b)])
        backend_a.write({"status_filter": "selected", "status_ids": [(6, 0, status_a.ids)],
                         "after_upload_status_id": status_a.id})
        customer = env["res.partner"].create({"name": "Matrix marketplace buyer"})
        invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": customer.id, "company_id": a.id,
            "invoice_user_id": cls.matrix_users["sales"].id,  # a salesman sees their own invoices
            "b2b_baselinker_order_id": "5001", "b2b_baselinker_invoice_id": 77})
        new_account = dict(account, name="Matrix new BaseLinker")
        return {
            "b2b.baselinker.backend": Fixture(backend_a, write={"name": "Matrix renamed"}, create=new_account,
                                              b=backend_b, create_b=dict(new_account, company_id=b.id)),
            "b2b.baselinker.status": Fixture(
                status_a, write={"name": "Changed"}, create={"backend_id": backend_a.id, "bl_id": 2, "name": "Sent"},
                b=status_b, create_b={"backend_id": backend_b.id, "bl_id": 2, "name": "Sent"}),
            "account.move": Fixture(invoice, create={"move_type": "out_invoice", "partner_id": customer.id}),
        }
