import dataclasses

from odoo import fields, models

from ..protocol.dico import Profile

# the Profile fields that are the record's own name and code, not deviation flags
_IDENTITY = {"key": "code", "label": "name"}


class B2bEdiProfile(models.Model):
    """How one wholesaler (or a family of them) reads DICO orders: the deviations from the published
    messages, declared as a record (b2b_edi_connector/data/b2b_edi_profile_data.xml) and chosen on the
    supplier. Every boolean flag of the protocol's :class:`Profile` is a field of the same name here;
    what a later wholesaler needs beyond message building (endpoints, RelationId rules, ...) is added as
    fields of this model."""

    _name = "b2b.edi.profile"
    _description = "EDI Wholesaler Profile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical name of the profile, unique")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Only for this company; empty for every company")
    description = fields.Text(translate=True, help="Which wholesalers need this profile and why")
    gtin14 = fields.Boolean("GTIN as 14 Digits", help="GTINs are left-padded with zeros to 14 digits")
    supplier_code_only = fields.Boolean(
        "Article Code Only", help="No GTIN is sent: the wholesaler matches on its own article code only")
    omit_empty_indicators = fields.Boolean(
        "No Empty Indicators", help="The empty DraftOrderIndicator and DeliveryOnDemandIndicator elements of "
                                    "the published Order are left out")
    send_order_time = fields.Boolean("Send Order Time", default=True, help="The order carries its OrderTime")
    delivery_party_address = fields.Boolean(
        "Delivery Address", default=True,
        help="The delivery party carries its name and address; otherwise its GLN only")

    _code_unique = models.Constraint("UNIQUE(code)", "The code of an EDI wholesaler profile must be unique.")

    def _edi_profile(self):
        """This record as the protocol's :class:`Profile`; no record is the published standard."""
        if not self:
            return Profile()
        self.ensure_one()
        values = {field.name: self[_IDENTITY.get(field.name, field.name)] for field in dataclasses.fields(Profile)}
        return Profile(**values)
