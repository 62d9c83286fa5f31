"""Customers out: partners chosen for a shop (or met in its orders) with billing/delivery addresses and group."""

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.b2b_connector_base.tools.languages import bcp47

from ..protocol import model as shop


def split_name(name):
    parts = (name or "").strip().split(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0] if parts else "", "")


class B2bShopPartner(models.Model):
    """A customer known to a shop (pushed from Odoo or met in an imported order)."""

    _name = "b2b.shop.partner"
    _inherit = ["b2b.shop.binding"]
    _description = "Customer on a Shop"
    _order = "backend_id, id"
    _rec_name = "partner_id"
    _shop_record_field = "partner_id"
    _shop_kind = "shop.customer"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    email = fields.Char(related="partner_id.email")
    push = fields.Boolean("Send", default=True, help="Send this customer's data to the shop")
    sent_lang = fields.Char(
        "Language Sent", readonly=True, copy=False,
        help="The language Odoo last gave this customer in the shop. Until then the shop keeps the language "
             "it gives its customers; from then on the customer's language is sent, the shop's included.")

    _partner_unique = models.Constraint("UNIQUE(backend_id, partner_id)", "A customer is bound once per shop.")

    @staticmethod
    def _shop_address(partner, email=""):
        first, last = ("", "") if partner.is_company else split_name(partner.name or "")
        return shop.Address(
            first_name=first, last_name=last, company=partner.commercial_company_name or "",
            street=partner.street or "", street2=partner.street2 or "", city=partner.city or "",
            zip=partner.zip or "", state_code=partner.state_id.code or "", country_code=partner.country_id.code or "",
            email=partner.email or email or "", phone=partner.phone or "", vat=partner.commercial_partner_id.vat or "")

    def _shop_data(self):
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            raise UserError(self.env._("%(partner)s has no e-mail address (the shop's login).",
                                       partner=partner.display_name))
        commercial = partner.commercial_partner_id
        first, last = ("", "") if partner.is_company else split_name(partner.name)
        addresses = partner.address_get(["invoice", "delivery"])
        invoice = self.env["res.partner"].browse(addresses["invoice"])
        delivery = self.env["res.partner"].browse(addresses["delivery"])
        pricelist = commercial.property_product_pricelist  # the commercial entity's pricelist governs its sales
        group = next((g.remote_group for g in self.backend_id.group_map_ids if g.pricelist_id == pricelist), "")
        return shop.Customer(
            key=f"res.partner:{partner.id}", email=(partner.email or "").strip().lower(), first_name=first,
            last_name=last, company=commercial.name if commercial.is_company else "", remote_id=self.remote_id or "",
            billing=self._shop_address(invoice, partner.email), shipping=self._shop_address(delivery, partner.email),
            group=group, phone=partner.phone or "", vat=commercial.vat or "", lang=self._shop_lang(partner))

    def _shop_lang(self, partner):
        """The customer's language for the shop, when the platform's adapter sends it: when it is not the
        shop's own (a shop gives its new customers its own, and keeps the one a customer chose there), or once a
        language was sent (a customer back in the shop's language gets it back)."""
        adapter = self.backend_id._shop_adapter_class()
        if not (adapter and adapter.sends_customer_lang) or not partner.lang or \
                (partner.lang == self.backend_id.shop_lang and not self.sent_lang):
            return ""
        return bcp47(partner.lang)

    def _shop_sent_values(self, data):
        values = super()._shop_sent_values(data)
        if data.lang:
            values["sent_lang"] = data.lang
        return values

    def _shop_send(self, adapter, datas):
        return adapter.push_customers(datas)
