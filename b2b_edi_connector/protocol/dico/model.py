"""DICO messages as dataclasses, independent of the XML format (INSBOU003 or SALES005)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

# EDIFACT 4343 / 1225 codes the wholesalers use in OrderResponse
LINE_STATUS = {"5": "accepted", "3": "changed", "7": "rejected"}
HEADER_STATUS = {"29": "accepted", "30": "changed", "27": "rejected"}
INVOICE_TYPES = {"380": "invoice", "381": "credit_note"}


class DicoError(ValueError):
    """A message that cannot be built or understood; the text says what and where."""

    user_facing = True


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


@dataclass
class ResponseLine:
    order_line_id: str
    status: str  # accepted / changed / rejected
    quantity: Decimal = None
    unit: str = "PCE"
    gtin: str = ""
    supplier_code: str = ""
    description: str = ""
    net_price: Decimal = None
    delivery_date: datetime.date = None
    line_number: str = ""


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


@dataclass
class DespatchLine:
    order_line_id: str
    quantity: Decimal
    unit: str = "PCE"
    gtin: str = ""
    supplier_code: str = ""
    description: str = ""
    line_number: str = ""


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
