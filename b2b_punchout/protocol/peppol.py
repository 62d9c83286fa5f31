"""PEPPOL BIS Punch Out 3 (Proceedo and other PEPPOL procurement systems).

Our side: the cart goes back as a UBL 2.1 Catalogue (customization urn:fdc:peppol.eu:poacc:trns:punch_out:3,
the shopping cart of PEPPOL's T77 structure), base64-encoded in a form field; the final order arrives as
a PEPPOL BIS Ordering 3 Order, which refers to the cart by its ID (``cac:CatalogueReference``,
``cac:QuotationDocumentReference`` or ``cbc:SalesOrderID``). What we send is checked before it leaves
with our Schematron (``schemas/peppol_punchout.sch``, the T77 requirements our cart meets); the tests
check it against the UBL 2.1 XSD and the published T77 rules, as the procurement system's side
(b2b_sandbox/protocol/peppol.py) does.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import base64
import datetime
import pathlib
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import _lt

from . import guard
from .base import Address, CartReturn, FinalOrder, OrderLine, PunchoutError, PunchoutProtocol, amount_text, register

NS = {
    "cat": "urn:oasis:names:specification:ubl:schema:xsd:Catalogue-2",
    "ord": "urn:oasis:names:specification:ubl:schema:xsd:Order-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:punch_out:3"
PROFILE = "urn:fdc:peppol.eu:poacc:bis:punch_out:3"
SCHEMATRON = pathlib.Path(__file__).resolve().parent / "schemas" / "peppol_punchout.sch"
MAX_BYTES = guard.MAX_BODY_BYTES
FORM_FIELD = "punchout_cart"  # the base64 UBL form field posted back to the buyer
UNSPSC_LIST = "TST"  # UNCL 7143: the code list of a UNSPSC ItemClassificationCode


class PeppolError(PunchoutError):
    default_code = "peppol"


@dataclass
class Party:
    endpoint_id: str = ""
    endpoint_scheme: str = "0192"
    name: str = ""


@dataclass
class Line:
    seller_item_id: str
    name: str
    quantity: Decimal
    price: Decimal  # per unit (PriceAmount divided by BaseQuantity)
    currency: str = "EUR"
    unit: str = "C62"
    description: str = ""
    unspsc: str = ""
    tax_percent: Decimal = None
    base_quantity: Decimal = Decimal(1)  # what an Order's PriceAmount was the price of


@dataclass
class PeppolOrder:
    order_id: str
    issue_date: str
    buyer: Party
    seller: Party
    lines: list = field(default_factory=list)
    currency: str = "EUR"
    total: Decimal = None
    customer_reference: str = ""  # cbc:CustomerReference: who ordered at the buyer
    catalogue_reference: str = ""  # cac:CatalogueReference/cbc:ID: the punch-out cart ordered
    quotation_reference: str = ""  # cac:QuotationDocumentReference/cbc:ID
    sales_order_id: str = ""  # cbc:SalesOrderID: the seller's order it refers to
    delivery: Address = None

    def final_order(self):
        """The protocol-neutral :class:`~.base.FinalOrder`."""
        refs = [r for r in (self.catalogue_reference, self.quotation_reference, self.sales_order_id) if r]
        return FinalOrder(
            order_id=self.order_id, currency=self.currency, cart_refs=list(dict.fromkeys(refs)),
            ship_to=self.delivery, customer_reference=self.customer_reference,
            lines=[OrderLine(ln.seller_item_id, ln.quantity, ln.price, ln.currency or self.currency)
                   for ln in self.lines])


def qname(prefix, tag):
    return f"{{{NS[prefix]}}}{tag}"


def sub(parent, prefix, tag, text=None, **attrs):
    el = etree.SubElement(parent, qname(prefix, tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    if text is not None:
        el.text = str(text)
    return el


def party_element(parent, tag, party):
    """A Catalogue party (ProviderParty, ReceiverParty): its endpoint, when it has one, and its
    registration name, which T77 requires."""
    wrap = sub(parent, "cac", tag)
    if party.endpoint_id and party.endpoint_scheme:
        sub(wrap, "cbc", "EndpointID", party.endpoint_id, schemeID=party.endpoint_scheme)
    sub(sub(wrap, "cac", "PartyLegalEntity"), "cbc", "RegistrationName", party.name)
    return wrap


def tax_category(percent):
    """(UNCL 5305 category, rate) of a line's VAT rate: standard rated above zero, zero rated otherwise."""
    percent = Decimal(percent or 0)
    return ("S" if percent > 0 else "Z"), percent


def build_cart(cart_id, provider, receiver, lines, issue_date=None, issue_time=None):
    """The punch-out cart as a UBL Catalogue; validated with our Schematron; returns bytes. Prices keep
    every decimal they have (PriceAmount for BaseQuantity 1 of the line's unit)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    root = etree.Element(qname("cat", "Catalogue"), nsmap={None: NS["cat"], "cac": NS["cac"], "cbc": NS["cbc"]})
    sub(root, "cbc", "CustomizationID", CUSTOMIZATION)
    sub(root, "cbc", "ProfileID", PROFILE)
    sub(root, "cbc", "ID", cart_id)
    sub(root, "cbc", "ActionCode", "false")
    sub(root, "cbc", "IssueDate", (issue_date or now.date()).isoformat())
    sub(root, "cbc", "IssueTime", (issue_time or now.time().replace(microsecond=0, tzinfo=None)).isoformat())
    party_element(root, "ProviderParty", provider)
    party_element(root, "ReceiverParty", receiver)
    for n, line in enumerate(lines, 1):
        cl = sub(root, "cac", "CatalogueLine")
        sub(cl, "cbc", "ID", n)
        req = sub(cl, "cac", "RequiredItemLocationQuantity")
        price = sub(req, "cac", "Price")
        sub(price, "cbc", "PriceAmount", amount_text(line.price), currencyID=line.currency)
        sub(price, "cbc", "BaseQuantity", "1", unitCode=line.unit)
        sub(sub(req, "cac", "DeliveryUnit"), "cbc", "BatchQuantity", format(Decimal(line.quantity).normalize(), "f"),
            unitCode=line.unit)
        item = sub(cl, "cac", "Item")
        if line.description:
            sub(item, "cbc", "Description", line.description)
        sub(item, "cbc", "Name", line.name or line.seller_item_id)
        sub(sub(item, "cac", "SellersItemIdentification"), "cbc", "ID", line.seller_item_id)
        if line.unspsc:
            sub(sub(item, "cac", "CommodityClassification"), "cbc", "ItemClassificationCode", line.unspsc,
                listID=UNSPSC_LIST)
        category, percent = tax_category(line.tax_percent)
        tax = sub(item, "cac", "ClassifiedTaxCategory")
        sub(tax, "cbc", "ID", category)
        sub(tax, "cbc", "Percent", format(percent.normalize(), "f"))
        sub(sub(tax, "cac", "TaxScheme"), "cbc", "ID", "VAT")
    safe_xml.validate_schematron(root, SCHEMATRON, name="PEPPOL punch-out cart rules")
    return safe_xml.to_bytes(root)


def encode_cart(data):
    return base64.b64encode(data).decode("ascii")


def text_at(el, path):
    found = el.find(path, NS) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def unspsc_code(item):
    """The UNSPSC code of a cac:Item (a CommodityClassification of list TST), or ''."""
    for code in (item.findall("cac:CommodityClassification/cbc:ItemClassificationCode", NS) if item is not None
                 else []):
        if code.get("listID") == UNSPSC_LIST:
            return (code.text or "").strip()
    return ""


def number(value, what, **checks):
    try:
        return guard.number(value, what, **checks)
    except guard.InputError as exc:
        raise PeppolError(exc.code, exc.message_en, **exc.params) from None


def parse_address(el):
    """The :class:`~.base.Address` of a UBL address element."""
    if el is None:
        return None
    lines = [(line.text or "").strip() for line in el.findall("cac:AddressLine/cbc:Line", NS)]
    return Address(
        street=text_at(el, "cbc:StreetName"),
        street2=", ".join(filter(None, [text_at(el, "cbc:AdditionalStreetName"), *lines])),
        city=text_at(el, "cbc:CityName"), postal_code=text_at(el, "cbc:PostalZone"),
        state=text_at(el, "cbc:CountrySubentity"), country=text_at(el, "cac:Country/cbc:IdentificationCode").upper())


def parse_delivery(root):
    """Where the order goes: cac:Delivery's DeliveryLocation address, named after the location or the
    delivery party, with the delivery party's contact."""
    delivery = root.find("cac:Delivery", NS)
    if delivery is None:
        return None
    address = parse_address(delivery.find("cac:DeliveryLocation/cac:Address", NS))
    if address is None:
        return None
    party = delivery.find("cac:DeliveryParty", NS)
    address.name = text_at(delivery, "cac:DeliveryLocation/cbc:Name") or text_at(party, "cac:PartyName/cbc:Name")
    address.deliver_to = text_at(party, "cac:Contact/cbc:Name")
    address.email = text_at(party, "cac:Contact/cbc:ElectronicMail")
    address.phone = text_at(party, "cac:Contact/cbc:Telephone")
    return address


def parse_order(data):
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="PEPPOL Order")
    if root.tag != qname("ord", "Order"):
        raise PeppolError("peppol.order.not_order", _lt("the document is not a UBL Order"))
    order_id = text_at(root, "cbc:ID")
    if not order_id:
        raise PeppolError("peppol.order.no_id", _lt("PEPPOL Order without ID"))
    buyer = root.find("cac:BuyerCustomerParty/cac:Party", NS)
    seller = root.find("cac:SellerSupplierParty/cac:Party", NS)
    endpoint = buyer.find("cbc:EndpointID", NS) if buyer is not None else None
    line_items = root.findall("cac:OrderLine/cac:LineItem", NS)
    if not line_items:
        raise PeppolError("peppol.order.no_lines", _lt("PEPPOL Order %(order)s has no order lines"), order=order_id)
    if len(line_items) > guard.MAX_LINES:
        raise PeppolError("peppol.order.too_many_lines", _lt(
            "PEPPOL Order %(order)s has %(count)s lines, over the limit of %(limit)s"),
            order=order_id, count=len(line_items), limit=guard.MAX_LINES)
    lines = []
    for li in line_items:
        qty = li.find("cbc:Quantity", NS)
        price = li.find("cac:Price/cbc:PriceAmount", NS)
        base = li.find("cac:Price/cbc:BaseQuantity", NS)
        base_quantity = number(base.text, "BaseQuantity", positive=True) if base is not None else Decimal(1)
        amount = number(price.text if price is not None else "0", "PriceAmount", non_negative=True)
        lines.append(Line(
            seller_item_id=text_at(li, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
            name=text_at(li, "cac:Item/cbc:Name"),
            quantity=number(qty.text if qty is not None else "", "Quantity", positive=True),
            price=amount / base_quantity, base_quantity=base_quantity,
            currency=(price.get("currencyID") if price is not None else "") or "",
            unit=qty.get("unitCode", "C62") if qty is not None else "C62",
            unspsc=unspsc_code(li.find("cac:Item", NS))))
    return PeppolOrder(
        order_id=order_id, issue_date=text_at(root, "cbc:IssueDate"),
        buyer=Party(endpoint_id=endpoint.text.strip() if endpoint is not None and endpoint.text else "",
                    endpoint_scheme=endpoint.get("schemeID", "") if endpoint is not None else "",
                    name=text_at(buyer, "cac:PartyName/cbc:Name")
                    or text_at(buyer, "cac:PartyLegalEntity/cbc:RegistrationName")),
        seller=Party(endpoint_id=text_at(seller, "cbc:EndpointID")),
        lines=lines, currency=text_at(root, "cbc:DocumentCurrencyCode") or "EUR",
        customer_reference=text_at(root, "cbc:CustomerReference"),
        catalogue_reference=text_at(root, "cac:CatalogueReference/cbc:ID"),
        quotation_reference=text_at(root, "cac:QuotationDocumentReference/cbc:ID"),
        sales_order_id=text_at(root, "cbc:SalesOrderID"),
        delivery=parse_delivery(root),
    )


@register
class PeppolProtocol(PunchoutProtocol):
    code = "peppol"
    label = "PEPPOL BIS Punch Out 3 (Proceedo)"
    name = "PEPPOL"
    login_route = "/punchout/peppol/login"
    return_param = "return_url"
    identities_help = "The PEPPOL endpoint id of the buyer (scheme:id, e.g. 0192:123456785)"

    def cart_return(self, cart):
        lines = [Line(seller_item_id=line.part, name=line.description, quantity=line.quantity, price=line.price,
                      currency=line.currency, unspsc=line.unspsc, tax_percent=line.tax_percent,
                      unit=line.unit or "C62")
                 for line in cart.lines]
        # an endpoint needs its EAS scheme (0192, 0088 ...): without one the party goes by its name only
        ours = cart.supplier_domain if (cart.supplier_domain or "").isdigit() else ""
        provider = Party(name=cart.supplier, endpoint_id=cart.supplier_identity if ours else "", endpoint_scheme=ours)
        scheme = cart.buyer_domain if (cart.buyer_domain or "").isdigit() else ""
        receiver = Party(name=cart.buyer_name or cart.buyer_identity, endpoint_id=cart.buyer_identity if scheme else "",
                         endpoint_scheme=scheme)
        data = build_cart(cart.reference, provider, receiver, lines)
        return CartReturn(data, [(FORM_FIELD, encode_cart(data))])

