import dataclasses

from odoo import api, fields, models

from ..protocol.dico import DEFAULT_FORMAT, FORMATS, Profile
from ..protocol.messageservice import CONTRACTS, DEFAULT_CONTRACT

# the Profile fields that are the record's own name and code, not deviation flags
_IDENTITY = {"key": "code", "label": "name"}
RELATION_ID_RULES = [("customer", "Customer number"), ("empty", "Empty")]


class B2bEdiProfile(models.Model):
    """A wholesaler (or a family of them), declared as a record (b2b_edi_connector/data/b2b_edi_profile_data.xml)
    and chosen on the supplier: how it reads DICO orders (every boolean flag of the protocol's
    :class:`Profile` is a field of the same name here), and how its MessageService is called: the WSDL
    (service contract), the test and production addresses, what goes in the CustomInfo header (RelationId
    rule, ApplicationId, VersionId) and the message format it takes."""

    _name = "b2b.edi.profile"
    _description = "EDI Wholesaler Profile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical name of the profile, unique")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Only for this company; empty for every company")
    description = fields.Text(translate=True, help="Which wholesalers need this profile and why")
    # ------------------------------------------------------------------ the Order we send
    gtin14 = fields.Boolean("GTIN as 14 Digits", help="GTINs are left-padded with zeros to 14 digits")
    supplier_code_only = fields.Boolean(
        "Article Code Only", help="No GTIN is sent: the wholesaler matches on its own article code only")
    omit_empty_indicators = fields.Boolean(
        "No Empty Indicators", help="The empty DraftOrderIndicator and DeliveryOnDemandIndicator elements of "
                                    "the published Order are left out")
    send_order_time = fields.Boolean(default=True, help="The order carries its OrderTime")
    delivery_party_address = fields.Boolean(
        "Delivery Address", default=True,
        help="The delivery party carries its name and address; otherwise its GLN only")
    delivery_party_gln = fields.Boolean(
        "Delivery Party GLN", default=True,
        help="The delivery party carries its GLN (the wholesalers' public senders leave it out)")
    line_identitfication = fields.Boolean(
        "LineIdentitfication", help="The order line's LineIdentification is spelt LineIdentitfication, as some "
                                    "wholesalers' implementations read it")
    flat_references = fields.Boolean(
        help="EndCustomerOrderNumber, ProjectNumber and FreeText stand in the order "
                                "itself, not in CustomerOrderReference, ProjectReference, AdditionalInformation")
    # ------------------------------------------------------------------ the wholesaler's MessageService
    messageservice_contract = fields.Selection(
        selection="_messageservice_contract_selection", string="Service Contract", required=True,
        default=DEFAULT_CONTRACT, help="The wholesaler's MessageService 3.1 WSDL (its element names and order)")
    endpoint_production = fields.Char("Production Address", help="The wholesaler's MessageService address")
    endpoint_test = fields.Char("Test Address", help="Its test or acceptance address, used in test mode")
    relation_id_rule = fields.Selection(
        RELATION_ID_RULES, "RelationId", required=True, default="customer",
        help="What the CustomInfo header's RelationId carries: the customer number the wholesaler gave you, or "
             "nothing (Solar)")
    application_id = fields.Char("ApplicationId", default="b2b-connect",
                                 help="The sending application's name in the CustomInfo header")
    version_id = fields.Char("VersionId", help="The version the CustomInfo header names (Technische Unie: 3.10)")
    language_code = fields.Char("LanguageCode", default="NL")
    message_format = fields.Selection(selection="_message_format_selection",
                                      default=DEFAULT_FORMAT, required=True,
                                      help="The format the wholesaler takes in production today")
    sales005_offered = fields.Boolean("SALES005 Offered", help="The wholesaler also takes SALES005 messages")

    _code_unique = models.Constraint("UNIQUE(code)", "The code of an EDI wholesaler profile must be unique.")

    @api.model
    def _messageservice_contract_selection(self):
        return [(code, contract.label) for code, contract in CONTRACTS.items()]

    @api.model
    def _message_format_selection(self):
        return [(code, fmt.label) for code, fmt in FORMATS.items()]

    def _edi_profile(self):
        """This record as the protocol's :class:`Profile`; no record is the published standard."""
        if not self:
            return Profile()
        self.ensure_one()
        values = {field.name: self[_IDENTITY.get(field.name, field.name)] for field in dataclasses.fields(Profile)}
        return Profile(**values)

    def _edi_formats(self):
        """The message formats this wholesaler takes (every format for no profile)."""
        if not self:
            return set(FORMATS)
        return {self.message_format} | ({"SALES005"} if self.sales005_offered else set())
