"""A variant's bindings to shops."""

from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    b2b_shop_binding_ids = fields.One2many("b2b.shop.product", "product_id", "Shop Bindings",
                                           context={"active_test": False})

    def _b2b_shop_set_backends(self, backends):
        """Bind these variants to exactly ``backends``: new bindings are created, dropped ones archived
        (their shop id is kept, the next catalogue run unpublishes them)."""
        if isinstance(backends, (list, tuple)):  # ids (data files)
            backends = self.env["b2b.shop.backend"].browse(backends)
        Binding = self.env["b2b.shop.product"].sudo().with_context(active_test=False)
        for product in self:
            current = Binding.search([("product_id", "=", product.id)])
            for binding in current:
                wanted = binding.backend_id in backends
                if binding.active != wanted:
                    binding.write({"active": wanted, "sync_hash": False})
            missing = backends - current.backend_id
            if missing:
                Binding.create([{"backend_id": b.id, "product_id": product.id} for b in missing])
