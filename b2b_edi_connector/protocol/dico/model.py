"""DICO messages as dataclasses, independent of the XML format (INSBOU003 or SALES005)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import ProtocolError

# OrderResponse line StatusCode: EDIFACT 1229 as the DICO code list ActionDescriptionType has it (4 "No
# action" = "(nog) onbekend", still unknown; 5 accepted without, 6 accepted with amendment; 7 not accepted;
# 41 proposed for review, a proposal not decided yet). 3 (EDIFACT "Changed") is read as a change too.
LINE_STATUS = {"4": "unknown", "5": "accepted", "6": "changed", "7": "rejected", "41": "unknown", "3": "changed"}
LINE_STATUS_CODE = {"unknown": "4", "accepted": "5", "changed": "6", "rejected": "7"}
# OrderResponse header StatusCode: the code list OrderResponseStatusType (4 change, 12 not processed,
# 27 not accepted, 29 accepted without amendment) and INSBOU003's 30 (accepted with amendment)
HEADER_STATUS = {"29": "accepted", "30": "changed", "4": "changed", "27": "rejected", "12": "rejected"}
HEADER_STATUS_CODE = {"accepted": "29", "changed": "4", "rejected": "27"}
INVOICE_TYPES = {"380": "invoice", "384": "invoice", "381": "credit_note"}


class DicoError(ProtocolError, ValueError):
    """A message that cannot be built or understood; the text says what and where.
    ``DicoError(code, _lt("English %(x)s"), x=...)``: the Odoo layer shows it translated."""

    default_code = "dico"


@dataclass
class Party:
    gln: str = ""
    name: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""


@dataclass
class OrderLine:
    line_id: str
    quantity: Decimal
    unit: str = "PCE"
    gtin: str = ""
    supplier_code: str = ""
    description: str = ""
    required_date: datetime.date = None


@dataclass
class Order:
    number: str
    date: datetime.date
    buyer: Party
    supplier: Party
    lines: list
    time: datetime.time = None
    delivery_party: Party = None
    customer_reference: str = ""
    project_reference: str = ""
    required_date: datetime.date = None
    free_text: str = ""
    order_type: str = "220"


def sequence_key(number):
    """A message number as a sort key: numerically when it is a number."""
    number = (number or "").strip()
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


@dataclass
class PartialDelivery:
    """Part of a response line's quantity, delivered on its own date."""

    quantity: Decimal
    date: datetime.date = None
    unit: str = "PCE"


@dataclass
class ResponseLine:
    order_line_id: str
    status: str  # unknown / accepted / changed / rejected
    quantity: Decimal = None
    unit: str = "PCE"
    gtin: str = ""  # the article the wholesaler will deliver: another one than ordered is a substitute
    supplier_code: str = ""
    description: str = ""
    net_price: Decimal = None  # per unit: the published price divided by its price basis
    delivery_date: datetime.date = None
    line_number: str = ""
    status_code: str = ""
    gross_price: Decimal = None
    price_basis: Decimal = Decimal(1)
    partial_deliveries: list = field(default_factory=list)  # PartialDelivery
    free_text: str = ""


@dataclass
class OrderResponse:
    number: str
    date: datetime.date
    buyer_order_number: str
    status: str  # accepted / changed / rejected
    lines: list = field(default_factory=list)
    scheduled_date: datetime.date = None
    buyer: Party = None
    supplier: Party = None
    free_text: str = ""
    time: datetime.time = None
    status_code: str = ""

    @property
    def issued(self):
        """When the wholesaler issued this response: what orders two responses to one order."""
        return datetime.datetime.combine(self.date or datetime.date.min, self.time or datetime.time.min)

    @property
    def sequence(self):
        return sequence_key(self.number)


@dataclass
class DespatchLine:
    order_line_id: str
    quantity: Decimal
    unit: str = "PCE"
    gtin: str = ""
    supplier_code: str = ""
    description: str = ""
    line_number: str = ""
    package: str = ""  # the despatch line (package, pallet) it travels in
    batch: str = ""


@dataclass
class DespatchPackage:
    """A despatch line: one package or pallet and what it holds."""

    number: str
    package_type: str = ""
    sscc: str = ""
    lines: list = field(default_factory=list)  # DespatchLine


@dataclass
class DespatchAdvice:
    number: str
    date: datetime.date
    buyer_order_number: str
    lines: list = field(default_factory=list)
    scheduled_date: datetime.date = None
    tracking_ref: str = ""
    supplier: Party = None
    buyer: Party = None
    packages: list = field(default_factory=list)  # DespatchPackage
    structure: str = ""  # MessageStructure: EANNL1 per shipment, EANNL4 per despatch unit


@dataclass
class InvoiceLine:
    order_line_id: str
    quantity: Decimal
    price: Decimal
    net_amount: Decimal
    unit: str = "PCE"
    gtin: str = ""
    supplier_code: str = ""
    description: str = ""
    vat_percentage: Decimal = None
    line_number: str = ""
    price_basis: Decimal = Decimal(1)


@dataclass
class Invoice:
    number: str
    date: datetime.date
    buyer_order_number: str
    lines: list = field(default_factory=list)
    type: str = "invoice"  # invoice / credit_note
    currency: str = "EUR"
    despatch_number: str = ""
    total_net: Decimal = None
    total_vat: Decimal = None
    total: Decimal = None
    supplier: Party = None
    buyer: Party = None
