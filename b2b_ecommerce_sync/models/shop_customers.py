"""Customers out: partners chosen for a shop (or met in its orders) with billing/delivery addresses and group."""

from odoo import fields, models

from ..protocol import model as shop
from .shop_catalogue import _fingerprint


def split_name(name):
    parts = (name or "").strip().split(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0] if parts else "", "")


def partner_address(partner, email=""):
    first, last = ("", "") if partner.is_company else split_name(partner.name or "")
    return shop.Address(
        first_name=first, last_name=last, company=partner.commercial_company_name or "",
        street=partner.street or "", street2=partner.street2 or "", city=partner.city or "", zip=partner.zip or "",
        state_code=partner.state_id.code or "", country_code=partner.country_id.code or "",
        email=partner.email or email or "", phone=partner.phone or "", vat=partner.commercial_partner_id.vat or "")


class B2bShopBackend(models.Model):
    _inherit = "b2b.shop.backend"
    _b2b_processors = ("_b2b_run_customers",)

    def _shop_customer_data(self, binding):
        self.ensure_one()
        partner = binding.partner_id
        commercial = partner.commercial_partner_id
        first, last = ("", "") if partner.is_company else split_name(partner.name)
        addresses = partner.address_get(["invoice", "delivery"])
        invoice = self.env["res.partner"].browse(addresses["invoice"])
        delivery = self.env["res.partner"].browse(addresses["delivery"])
        pricelist = commercial.property_product_pricelist  # the commercial entity's pricelist governs its sales
        group = next((g.remote_group for g in self.group_map_ids if g.pricelist_id == pricelist), "")
        return shop.Customer(
            key=f"res.partner:{partner.id}", email=(partner.email or "").strip().lower(), first_name=first,
            last_name=last, company=commercial.name if commercial.is_company else "", remote_id=binding.remote_id or "",
            billing=partner_address(invoice, partner.email), shipping=partner_address(delivery, partner.email),
            group=group, phone=partner.phone or "", vat=commercial.vat or "")

    def _b2b_run_customers(self, exchange):
        backend = exchange.backend_ref
        if busy := backend._shop_begin_run(exchange):
            return busy
        bindings = backend.env["b2b.shop.partner"].search([("backend_id", "=", backend.id), ("push", "=", True)])
        todo, problems = [], []
        for binding in bindings:
            if not binding.partner_id.email:
                problems.append((binding, backend.env._("%s has no e-mail address (the shop's login).",
                                                        binding.partner_id.display_name)))
                continue
            data = backend._shop_customer_data(binding)
            digest = _fingerprint(data)
            if binding.remote_id and binding.sync_hash == digest and binding.state == "synced":
                continue
            todo.append((binding, data, digest))
        adapter = backend._shop_adapter(exchange) if todo else None
        results = adapter.push_customers([d for _b, d, _h in todo]) if todo else []
        by_key = {d.key: (b, h) for b, d, h in todo}
        now = fields.Datetime.now()
        ok = 0
        for result in results:
            binding, digest = by_key[result.key]
            if result.ok:
                binding.write({"remote_id": result.remote_id or binding.remote_id, "state": "synced",
                               "last_error": False, "sync_hash": digest, "last_sync": now})
                ok += 1
            else:  # a record the shop saved with a problem (e.g. an image refused) keeps its shop id
                binding.write(dict({"state": "error", "last_error": result.error[:250]},
                                **({"remote_id": result.remote_id} if result.remote_id else {})))
        for binding, message in problems:
            binding.write({"state": "error", "last_error": message[:250]})
        results = list(results) + [shop.Result(key=f"res.partner:{b.partner_id.id}", error=m) for b, m in problems]
        records = {f"res.partner:{b.partner_id.id}": b.partner_id for b in bindings}
        backend._shop_log_children(exchange, "shop.customer", results, records,
                                   lambda res, rec: f"{rec.display_name if rec else res.key}: "
                                                    f"{'shop id ' + res.remote_id if res.ok else res.error}")
        return backend._shop_with_warnings(backend.env._(
            "Customers: %(ok)s sent, %(failed)s failed, %(same)s unchanged.", ok=ok,
            failed=len(results) - ok, same=len(bindings) - len(todo) - len(problems)), adapter)
