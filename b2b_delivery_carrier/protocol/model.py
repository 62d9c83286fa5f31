"""Carrier-neutral dataclasses: what Odoo hands to a carrier adapter and what it gets back."""

from dataclasses import dataclass, field
from datetime import date

LABEL_FORMATS = ("PDF", "ZPL")


@dataclass
class Address:
    name: str  # person or company on the label
    street: str
    city: str
    zip: str
    country_code: str  # ISO 3166-1 alpha-2
    company: str = ""
    street2: str = ""
    state_code: str = ""
    phone: str = ""
    mobile: str = ""
    email: str = ""
    lang: str = ""  # e.g. fr_FR: carriers that notify the recipient do it in that language


@dataclass
class Parcel:
    reference: str  # our package name (or the picking's, for a picking without packages)
    weight: float  # kg
    length: int = 0  # cm
    width: int = 0
    height: int = 0


@dataclass
class Shipment:
    reference: str  # the picking's name: the carrier prints it and sends it back
    sender: Address
    recipient: Address
    parcels: list  # of Parcel, at least one: one label per parcel
    service: str  # the carrier's product code (e.g. Colissimo DOS, Chronopost 01, DHL V01PAK)
    label_format: str = "PDF"
    ship_date: date = None
    relay_point: str = ""  # pickup point id for relay services
    value: float = 0.0  # declared value (insurance, customs), in ``currency``
    currency: str = "EUR"


@dataclass
class Label:
    number: str  # the parcel's number at the carrier (its tracking number, or its parcel id in a shipment)
    content: bytes
    label_format: str = "PDF"
    parcel_reference: str = ""

    @property
    def extension(self):
        return "zpl" if self.label_format == "ZPL" else "pdf"

    @property
    def mimetype(self):
        return "application/pdf" if self.label_format == "PDF" else "text/plain"


@dataclass
class Booking:
    """A booked shipment: its labels (one per parcel, in the order of the parcels), the numbers the recipient
    tracks it by and what the carrier cancels it by."""

    labels: list  # of Label
    tracking_numbers: list = None  # default: one per label (the labels' numbers)
    shipment_id: str = ""  # default: the tracking numbers
    raw: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.tracking_numbers is None:
            self.tracking_numbers = [label.number for label in self.labels]


@dataclass
class TrackingEvent:
    tracking_number: str
    code: str
    description: str
    when: str = ""  # ISO 8601 as the carrier gave it
    delivered: bool = False
