"""The access matrix of the sandbox backend (see b2b_connector_base/tests/access_matrix.py; docs/SECURITY.md
prints it)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture

MATRIX = {
    "addon": "b2b_sandbox",
    "title": "Sandbox backend (b2b_sandbox)",
    "roles": ("internal", "b2b_user", "b2b_manager", "portal"),
    "models": (
        # model                 companies  internal b2b_user b2b_manager portal
        ("b2b.sandbox.backend", "company", "----",  "r---",  "rwcu",     "----"),
    ),
    "fields": (
        # model, what, fields,                                     internal b2b_user b2b_manager portal
        ("b2b.sandbox.backend", "Peer URL", ("url",),
         "--", "--", "rw", "--"),
        ("b2b.sandbox.backend", "HTTP settings", ("b2b_timeout", "b2b_connect_timeout", "b2b_retries",
                                                  "b2b_rate_limit", "b2b_rate_period"),
         "--", "--", "rw", "--"),
        ("b2b.sandbox.backend", "Schedules", ("b2b_schedule_ids",),
         "--", "--", "rw", "--"),
        ("b2b.sandbox.backend", "API key and secret (masked)", ("api_key", "api_secret"),
         "--", "--", "mw", "--"),
        ("b2b.sandbox.backend", "Their ciphertext (written by code only)", ("api_key_enc", "api_secret_enc"),
         "--", "--", "r-", "--"),
    ),
}


@tagged("post_install", "-at_install")
class TestSandboxAccessMatrix(AccessMatrixMixin, TransactionCase):
    MATRIX = MATRIX

    @classmethod
    def _matrix_fixtures(cls):
        Backend = cls.env["b2b.sandbox.backend"]
        values = {"name": "Matrix ping", "url": "http://127.0.0.1:9", "api_key": "mx-key", "api_secret": "mx-secret"}
        return {
            "b2b.sandbox.backend": Fixture(
                Backend.create(dict(values, company_id=cls.company_a.id)), write={"name": "Renamed"},
                create={"name": "New ping", "url": "http://127.0.0.1:9"},
                b=Backend.create(dict(values, company_id=cls.company_b.id)),
                create_b={"name": "New ping", "url": "http://127.0.0.1:9", "company_id": cls.company_b.id}),
        }
