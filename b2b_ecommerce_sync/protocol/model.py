"""The platform-neutral records a shop adapter sends and receives.

Money and quantities are :class:`~decimal.Decimal`; datetimes are naive UTC; remote ids are strings
(whatever the platform uses: integers, GIDs, SKUs). ``raw`` keeps the platform's own answer for the log.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase

# What Odoo tells a shop about an order, mapped by each adapter (and per backend) to the platform's statuses.
PROGRESS_EVENTS = ("confirmed", "shipped", "delivered", "cancelled")

# Kinds of order lines; everything but "product" is mapped to a special Odoo product per backend.
LINE_KINDS = ("product", "shipping", "fee", "gift_card", "coupon")


@dataclass
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    zip: str = ""
    state_code: str = ""
    country_code: str = ""  # ISO 3166-1 alpha-2
    email: str = ""
    phone: str = ""
    vat: str = ""

    @property
    def name(self):
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()

    def is_empty(self):
        return not any((self.first_name, self.last_name, self.company, self.street, self.city, self.zip))


@dataclass
class Image:
    filename: str
    data: bytes = b""
    mimetype: str = "image/png"
    url: str = ""  # a URL the platform can download the image from (Odoo's /web/image/...), when it needs one
    checksum: str = ""  # stable fingerprint for deltas (Odoo's attachment checksum)


@dataclass
class Category:
    key: str  # our stable key, e.g. "product.public.category:12"
    name: str
    parent_key: str = ""  # key of the parent category when it is in the same call (pushed first)
    parent_remote_id: str = ""  # the parent's remote id when it is already in the shop (not in this call)
    remote_id: str = ""  # known remote id (mapping table): update instead of create
    description: str = ""


@dataclass
class Product:
    sku: str
    name: str
    remote_id: str = ""
    price: Decimal = Decimal(0)
    description: str = ""  # HTML
    short_description: str = ""
    barcode: str = ""
    weight: Decimal = None  # kg
    unit: str = ""
    tax_class: str = ""  # platform tax class / rule group / id, mapped per backend from Odoo taxes
    category_remote_ids: list = field(default_factory=list)
    images: list = field(default_factory=list)  # [Image]
    active: bool = True
    attributes: dict = field(default_factory=dict)  # custom fields: remote field / meta key -> value


@dataclass
class StockLevel:
    sku: str
    quantity: Decimal
    remote_id: str = ""
    restock_date: date = None  # for products out of stock: when they are expected back
    manage_stock: bool = True


@dataclass
class Price:
    sku: str
    price: Decimal
    remote_id: str = ""
    sale_price: Decimal = None  # a discounted price (pricelist), when lower than ``price``


@dataclass
class Customer:
    key: str  # our stable key, e.g. "res.partner:7"
    email: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    remote_id: str = ""
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    group: str = ""  # remote customer group / role (mapped from the Odoo pricelist)
    phone: str = ""
    vat: str = ""
    # the customer's language (BCP 47, "nl-NL") when it is not the shop's; empty: the shop's own, as the shop
    # gives its new customers (and a fingerprint without it, as before the field was sent)
    lang: str = ""


@dataclass
class OrderLine:
    """One line of an order. Discount codes: when the platform spreads a code's discount over the product
    lines (``discount``), its "coupon" line carries amount 0 and only names the code, so the discount is
    never counted twice; a code applied to the whole order is a "coupon" line with its (positive) amount.
    Gift cards are "gift_card" lines (their amount reduces what the customer paid)."""

    name: str
    quantity: Decimal
    unit_price: Decimal  # before discount, tax excluded unless the order says prices include tax
    kind: str = "product"  # one of LINE_KINDS
    sku: str = ""
    product_remote_id: str = ""
    remote_id: str = ""
    discount: Decimal = Decimal(0)  # total discount amount of the line (not per unit)
    tax_amount: Decimal = Decimal(0)
    tax_rate: Decimal = None  # percent, when the platform tells it

    @property
    def subtotal(self):
        return self.quantity * self.unit_price - self.discount


@dataclass
class Order:
    remote_id: str
    number: str
    status: str  # the platform's own status code
    created_at: datetime
    updated_at: datetime = None
    currency: str = ""
    email: str = ""
    customer_remote_id: str = ""  # empty for guest orders
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    lines: list = field(default_factory=list)  # [OrderLine] of every kind
    paid: bool = False
    paid_amount: Decimal = Decimal(0)
    payment_method: str = ""
    transaction_id: str = ""
    total: Decimal = Decimal(0)
    total_tax: Decimal = Decimal(0)
    prices_include_tax: bool = False
    note: str = ""
    # the customer's language as the platform says it ("fr", "fr-CA", "fr_FR"); empty: not said
    customer_lang: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    def product_lines(self):
        return [line for line in self.lines if line.kind == "product"]

    def other_lines(self):
        return [line for line in self.lines if line.kind != "product"]


@dataclass
class Shipment:
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    shipped_at: datetime = None


@dataclass
class InvoiceDocument:
    number: str
    pdf: bytes
    filename: str
    url: str = ""  # where the customer can download it from Odoo (portal link), for platforms with no file API
    date: date = None
    amount_total: Decimal = None
    currency: str = ""


@dataclass
class Result:
    """Outcome of one record of a batch: ``remote_id`` on success, ``error`` (a sentence) on failure.

    ``error`` may be given as a ``ShopError`` (a code, an English template, its parameters) or a ``Phrase`` (e.g.
    several refusals joined): ``error`` is then its English text and ``problem`` the error itself, which the Odoo
    layer says in the user's language."""

    key: str
    remote_id: str = ""
    error: str = ""
    created: bool = False
    problem: Exception | Phrase = None

    def __post_init__(self):
        if isinstance(self.error, (Exception, Phrase)):
            self.refuse(self.error)

    def refuse(self, problem):
        """This record refused because of ``problem`` (a ``ShopError`` or a ``Phrase``)."""
        self.problem, self.error = problem, str(problem)

    @property
    def ok(self):
        return not self.error
