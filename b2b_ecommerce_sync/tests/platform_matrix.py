"""The fixtures of a shop platform addon's access matrix: a shop of the platform in company A, one in company B.
The platform's MATRIX stays a literal in its own tests/test_access_matrix.py (docs/SECURITY.md reads it without
Odoo): the shop backend row and the rows of the fields it adds (the platform value, for managers)."""

from odoo.addons.b2b_connector_base.tests.access_matrix import AccessMatrixMixin, Fixture


class PlatformAccessMatrixMixin(AccessMatrixMixin):
    PLATFORM = None  # the platform's value of b2b.shop.backend.platform

    @classmethod
    def _matrix_fixtures(cls):
        Backend = cls.env["b2b.shop.backend"]
        warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        backend_b = Backend.create({"name": "Matrix shop of B", "url": "http://127.0.0.1:9", "api_key": "mx-key",
                                    "company_id": cls.company_b.id, "warehouse_id": warehouse_b.id})
        backend = Backend.create({
            "name": f"Matrix {cls.PLATFORM} shop", "platform": cls.PLATFORM, "url": "http://127.0.0.1:9",
            "api_key": "mx-key", "company_id": cls.company_a.id})
        return {"b2b.shop.backend": Fixture(
            backend, write={"name": "Matrix shop renamed"}, create={"name": "Matrix new shop", "url": "http://127.0.0.1:9"},
            b=backend_b, create_b={"name": "Matrix new shop of B", "url": "http://127.0.0.1:9",
                                   "company_id": cls.company_b.id, "warehouse_id": warehouse_b.id})}
