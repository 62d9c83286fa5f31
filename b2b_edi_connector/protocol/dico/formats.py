"""DICO XML formats: INSBOU003 (no namespace) and SALES005 (the same structure in a namespace).

``get_format(name)`` returns a :class:`DicoFormat` that builds, validates and parses every message.
Parsing is tolerant of the documented wholesaler deviations seen in public samples (element names in
another case, a misspelt ``DeliveryTimeEarlies``, empty GLNs): names are compared case-insensitively
and unknown elements are ignored. Building follows a per-partner :class:`~.profiles.Profile`.
"""

import copy
import datetime
import pathlib
from decimal import Decimal, InvalidOperation

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from .model import (
    HEADER_STATUS, HEADER_STATUS_CODE, INVOICE_TYPES, LINE_STATUS, LINE_STATUS_CODE,
    DespatchAdvice, DespatchLine, DicoError, Invoice, InvoiceLine, Order, OrderLine, OrderResponse, Party,
    ResponseLine,
)
from .profiles import get_profile

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas"
ORDER_XSD = SCHEMAS / "dico_order.xsd"
MAX_MESSAGE_BYTES = 5 * 1024 * 1024
SALES005_NS = "https://www.ketenstandaard.nl/berichten/SALES005"

# root element -> message kind (as the MessageService names message types)
ROOTS = {"order": "ORDERS", "orderresponse": "ORDRSP", "despatchadvice": "DESADV", "invoice": "INVOIC"}


# ---------------------------------------------------------------------------- small helpers
def _local(tag):
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child(el, *names):
    """First child (direct) whose local name matches one of ``names``, case-insensitively."""
    if el is None:
        return None
    wanted = {n.lower() for n in names}
    for child in el:
        if _local(child.tag) in wanted:
            return child
    return None


def _children(el, name):
    if el is None:
        return []
    return [c for c in el if _local(c.tag) == name.lower()]


def _path(el, *steps):
    for step in steps:
        el = _child(el, *step.split("|"))
        if el is None:
            return None
    return el


def _text(el, *steps):
    node = _path(el, *steps) if steps else el
    return (node.text or "").strip() if node is not None else ""


def _decimal(value, what):
    if value in ("", None):
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise DicoError(f"{what}: {value!r} is not a number") from None


def _date(value, what):
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise DicoError(f"{what}: {value!r} is not a date")


def _fmt_qty(value):
    q = Decimal(value).quantize(Decimal("0.001")).normalize()
    text = format(q, "f")
    return text


def _party(el):
    if el is None:
        return None
    return Party(gln=_text(el, "GLN"), name=_text(el, "Name"), street=_text(el, "StreetAndNumber"),
                 city=_text(el, "City"), postal_code=_text(el, "PostalCode"), country=_text(el, "Country"))


def _trade_item(el):
    item = _child(el, "TradeItemIdentification")
    return (_text(item, "GTIN"), _text(item, "SuppliersTradeItemIdentification"),
            _text(item, "AdditionalItemIdentification", "TradeItemDescription"))


# ---------------------------------------------------------------------------- the format
class DicoFormat:
    def __init__(self, name, namespace=None):
        self.name = name
        self.namespace = namespace

    def __repr__(self):
        return f"<DicoFormat {self.name}>"

    # -- building helpers
    def _q(self, tag):
        return f"{{{self.namespace}}}{tag}" if self.namespace else tag

    def _root(self, tag):
        return etree.Element(self._q(tag), nsmap={None: self.namespace} if self.namespace else None)

    def _sub(self, parent, tag, text=None):
        el = etree.SubElement(parent, self._q(tag))
        if text is not None:
            el.text = str(text)
        return el

    def _party_el(self, parent, tag, party, address=True):
        el = self._sub(parent, tag)
        if party.gln:
            self._sub(el, "GLN", party.gln)
        if address:
            for field_name, child in (("name", "Name"), ("street", "StreetAndNumber"), ("city", "City"),
                                      ("postal_code", "PostalCode"), ("country", "Country")):
                value = getattr(party, field_name)
                if value:
                    self._sub(el, child, value[:70])
        return el

    def _item_el(self, parent, gtin, supplier_code, description, profile=None):
        item = self._sub(parent, "TradeItemIdentification")
        if gtin and not (profile and profile.supplier_code_only):
            self._sub(item, "GTIN", profile.format_gtin(gtin) if profile else gtin)
        if supplier_code:
            self._sub(item, "SuppliersTradeItemIdentification", supplier_code)
        if description:
            self._sub(self._sub(item, "AdditionalItemIdentification"), "TradeItemDescription", description[:70])
        return item

    # -- Order (out)
    def build_order(self, order, profile="standard"):
        """The Order element for ``order`` (a :class:`Order`), following the partner's deviation profile."""
        profile = get_profile(profile)
        if not order.lines:
            raise DicoError(f"order {order.number} has no lines")
        root = self._root("Order")
        self._sub(root, "OrderType", order.order_type or "220")
        self._sub(root, "OrderNumber", order.number)
        self._sub(root, "OrderDate", order.date.isoformat())
        if profile.send_order_time and order.time:
            self._sub(root, "OrderTime", order.time.strftime("%H:%M:%S"))
        if not profile.omit_empty_indicators:
            self._sub(root, "DraftOrderIndicator", "")
            self._sub(root, "DeliveryOnDemandIndicator", "")
        if order.customer_reference:
            self._sub(self._sub(root, "CustomerOrderReference"), "EndCustomerOrderNumber", order.customer_reference[:35])
        if order.project_reference:
            self._sub(self._sub(root, "ProjectReference"), "ProjectNumber", order.project_reference[:35])
        if order.free_text:
            self._sub(self._sub(root, "AdditionalInformation"), "FreeText", order.free_text[:350])
        if order.required_date:
            self._sub(self._sub(root, "DeliveryDateTimeInformation"), "RequiredDeliveryDate",
                      order.required_date.isoformat())
        self._party_el(root, "Buyer", order.buyer, address=False)
        self._party_el(root, "Supplier", order.supplier, address=False)
        if order.delivery_party:
            self._party_el(root, "DeliveryParty", order.delivery_party, address=profile.delivery_party_address)
        for n, line in enumerate(order.lines, 1):
            el = self._sub(root, "OrderLine")
            self._sub(el, "LineNumber", n)
            self._sub(el, "OrderedQuantity", _fmt_qty(line.quantity))
            self._sub(el, "OrderedQuantityMeasureUnitCode", line.unit or "PCE")
            self._sub(el, "LineIdentification", line.line_id)
            if not (line.gtin or line.supplier_code):
                raise DicoError(f"order {order.number} line {n} ({line.description or '?'}) has neither a GTIN nor "
                                "a supplier article code")
            self._item_el(el, line.gtin, line.supplier_code, line.description, profile)
            if line.required_date:
                self._sub(self._sub(el, "DeliveryDateTimeInformation"), "RequiredDeliveryDate",
                          line.required_date.isoformat())
        return root

    def validate_order(self, root):
        """Validate against our Order schema; raises ``safe_xml.XMLValidationError`` with every error."""
        doc = root
        if self.namespace:
            doc = copy.deepcopy(root)
            for el in doc.iter():
                if isinstance(el.tag, str):
                    el.tag = etree.QName(el.tag).localname
            etree.cleanup_namespaces(doc)
        safe_xml.validate_xsd(doc, ORDER_XSD, name=f"DICO {self.name} Order")
        return True

    def serialize(self, root):
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def parse(self, data, what="DICO message"):
        """Parse bytes safely and return ``(kind, root)``; refuse documents that are not DICO messages."""
        root = safe_xml.parse_xml(data, max_bytes=MAX_MESSAGE_BYTES, what=what)
        kind = ROOTS.get(_local(root.tag))
        if not kind:
            raise DicoError(f"{what}: <{etree.QName(root.tag).localname}> is not a DICO Order, OrderResponse, "
                            "DespatchAdvice or Invoice")
        return kind, root

    def parse_order(self, root):
        lines = []
        for el in _children(root, "OrderLine"):
            gtin, code, desc = _trade_item(el)
            lines.append(OrderLine(
                line_id=_text(el, "LineIdentification") or _text(el, "LineNumber"),
                quantity=_decimal(_text(el, "OrderedQuantity"), "OrderedQuantity"),
                unit=_text(el, "OrderedQuantityMeasureUnitCode") or "PCE",
                gtin=gtin, supplier_code=code, description=desc,
                required_date=_date(_text(el, "DeliveryDateTimeInformation", "RequiredDeliveryDate"), "RequiredDeliveryDate"),
            ))
        number = _text(root, "OrderNumber")
        if not number:
            raise DicoError("Order without OrderNumber")
        return Order(
            number=number, date=_date(_text(root, "OrderDate"), "OrderDate"),
            buyer=_party(_child(root, "Buyer")) or Party(), supplier=_party(_child(root, "Supplier")) or Party(),
            delivery_party=_party(_child(root, "DeliveryParty")),
            customer_reference=_text(root, "CustomerOrderReference", "EndCustomerOrderNumber"),
            project_reference=_text(root, "ProjectReference", "ProjectNumber"),
            required_date=_date(_text(root, "DeliveryDateTimeInformation", "RequiredDeliveryDate"), "RequiredDeliveryDate"),
            free_text=_text(root, "AdditionalInformation", "FreeText"),
            lines=lines,
        )

    # -- OrderResponse
    def parse_order_response(self, root):
        buyer_order = _text(root, "BuyersOrderNumber")
        if not buyer_order:
            raise DicoError("OrderResponse without BuyersOrderNumber: cannot tell which order it answers")
        status_code = _text(root, "StatusCode")
        lines = []
        for el in _children(root, "OrderResponseLine"):
            gtin, code, desc = _trade_item(el)
            line_code = _text(el, "StatusCode")
            status = LINE_STATUS.get(line_code)
            if not status:
                raise DicoError(f"OrderResponse {buyer_order}: unknown line status code {line_code!r}")
            lines.append(ResponseLine(
                order_line_id=_text(el, "OrderLineIdentification"),
                line_number=_text(el, "LineNumber"),
                status=status,
                quantity=_decimal(_text(el, "PlannedDeliveryQuantity|OrderedQuantity"), "PlannedDeliveryQuantity"),
                unit=_text(el, "QuantityMeasureUnitCode") or "PCE",
                gtin=gtin, supplier_code=code, description=desc,
                net_price=_decimal(_text(el, "PriceInformation", "NetPrice"), "NetPrice"),
                delivery_date=_date(_text(el, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"),
                                    "ScheduledDeliveryDate"),
            ))
        status = HEADER_STATUS.get(status_code)
        if not status:
            statuses = {line.status for line in lines}
            status = "rejected" if statuses == {"rejected"} else "accepted" if statuses <= {"accepted"} else "changed"
        return OrderResponse(
            number=_text(root, "OrderResponseNumber"), date=_date(_text(root, "OrderResponseDate"), "OrderResponseDate"),
            buyer_order_number=buyer_order, status=status, lines=lines,
            scheduled_date=_date(_text(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"), "ScheduledDeliveryDate"),
            buyer=_party(_child(root, "Buyer")), supplier=_party(_child(root, "Supplier")),
            free_text=_text(root, "FreeText"),
        )

    def build_order_response(self, response):
        root = self._root("OrderResponse")
        self._sub(root, "OrderResponseNumber", response.number)
        self._sub(root, "OrderResponseDate", response.date.isoformat())
        self._sub(root, "StatusCode", HEADER_STATUS_CODE[response.status])
        self._sub(root, "BuyersOrderNumber", response.buyer_order_number)
        if response.scheduled_date:
            self._sub(self._sub(root, "DeliveryDateTimeInformation"), "ScheduledDeliveryDate",
                      response.scheduled_date.isoformat())
        if response.buyer:
            self._party_el(root, "Buyer", response.buyer)
        if response.supplier:
            self._party_el(root, "Supplier", response.supplier)
        for n, line in enumerate(response.lines, 1):
            el = self._sub(root, "OrderResponseLine")
            self._sub(el, "LineNumber", line.line_number or n)
            self._sub(el, "StatusCode", LINE_STATUS_CODE[line.status])
            if line.quantity is not None:
                self._sub(el, "PlannedDeliveryQuantity", _fmt_qty(line.quantity))
                self._sub(el, "QuantityMeasureUnitCode", line.unit or "PCE")
            self._item_el(el, line.gtin, line.supplier_code, line.description)
            self._sub(el, "OrderLineIdentification", line.order_line_id)
            if line.delivery_date:
                self._sub(self._sub(el, "DeliveryDateTimeInformation"), "ScheduledDeliveryDate",
                          line.delivery_date.isoformat())
            if line.net_price is not None:
                self._sub(self._sub(el, "PriceInformation"), "NetPrice", str(line.net_price))
        if response.free_text:
            self._sub(root, "FreeText", response.free_text)
        return root

    # -- DespatchAdvice
    def parse_despatch_advice(self, root):
        buyer_order = _text(root, "BuyersOrderNumber")
        if not buyer_order:
            raise DicoError("DespatchAdvice without BuyersOrderNumber: cannot tell which order it ships")
        lines = []
        for despatch_line in _children(root, "DespatchLine"):
            items = _children(despatch_line, "ItemLevelDespatchAdvice") or [despatch_line]
            for el in items:
                gtin, code, desc = _trade_item(el)
                lines.append(DespatchLine(
                    order_line_id=_text(el, "OrderLineIdentification|LineIdentification"),
                    line_number=_text(el, "LineNumber"),
                    quantity=_decimal(_text(el, "DeliveredQuantity"), "DeliveredQuantity") or Decimal(0),
                    unit=_text(el, "DeliveredQuantityMeasurementUnit|DeliveredQuantityMeasureUnitCode") or "PCE",
                    gtin=gtin, supplier_code=code, description=desc,
                ))
        return DespatchAdvice(
            number=_text(root, "MessageNumber|DespatchAdviceNumber"),
            date=_date(_text(root, "MessageDate|DespatchAdviceDate"), "MessageDate"),
            buyer_order_number=buyer_order, lines=lines,
            scheduled_date=_date(_text(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"), "ScheduledDeliveryDate"),
            tracking_ref=_text(root, "TrackAndTraceNumber|TransportReference"),
            supplier=_party(_child(root, "Supplier")), buyer=_party(_child(root, "Buyer")),
        )

    def build_despatch_advice(self, advice):
        root = self._root("DespatchAdvice")
        self._sub(root, "MessageNumber", advice.number)
        self._sub(root, "MessageDate", advice.date.isoformat())
        self._sub(root, "BuyersOrderNumber", advice.buyer_order_number)
        if advice.tracking_ref:
            self._sub(root, "TrackAndTraceNumber", advice.tracking_ref)
        if advice.scheduled_date:
            self._sub(self._sub(root, "DeliveryDateTimeInformation"), "ScheduledDeliveryDate",
                      advice.scheduled_date.isoformat())
        if advice.supplier:
            self._party_el(root, "Supplier", advice.supplier)
        if advice.buyer:
            self._party_el(root, "Buyer", advice.buyer)
        for n, line in enumerate(advice.lines, 1):
            despatch_line = self._sub(root, "DespatchLine")
            self._sub(despatch_line, "DespatchLineNumber", n)
            el = self._sub(despatch_line, "ItemLevelDespatchAdvice")
            self._sub(el, "LineNumber", line.line_number or n)
            self._sub(el, "DeliveredQuantity", _fmt_qty(line.quantity))
            self._sub(el, "DeliveredQuantityMeasurementUnit", line.unit or "PCE")
            self._sub(el, "LineIdentification", line.order_line_id)
            self._item_el(el, line.gtin, line.supplier_code, line.description)
        return root

    # -- Invoice
    def parse_invoice(self, root):
        buyer_order = _text(root, "BuyersOrderNumber")
        if not buyer_order:
            raise DicoError("Invoice without BuyersOrderNumber: cannot tell which order it bills")
        number = _text(root, "InvoiceNumber")
        if not number:
            raise DicoError("Invoice without InvoiceNumber")
        lines = []
        for el in _children(root, "InvoiceLine"):
            gtin, code, desc = _trade_item(el)
            qty = _decimal(_text(el, "NumberOfInvoicingUnits") or _text(el, "DeliveredQuantity"), "DeliveredQuantity")
            price = _decimal(_text(el, "PriceInformation", "Price|NetPrice"), "Price")
            units_basis = _decimal(_text(el, "PriceInformation", "PriceBase", "NumberOfUnitsInPriceBasis"),
                                   "NumberOfUnitsInPriceBasis") or Decimal(1)
            net = _decimal(_text(el, "NetLineAmount"), "NetLineAmount")
            if price is None and net is not None and qty:
                price = net / qty
            lines.append(InvoiceLine(
                order_line_id=_text(el, "OrderLineIdentification"), line_number=_text(el, "LineNumber"),
                quantity=qty or Decimal(0), price=(price or Decimal(0)) / units_basis,
                net_amount=net if net is not None else (qty or 0) * (price or 0),
                unit=_text(el, "DeliveredQuantityMeasureUnitCode") or "PCE",
                gtin=gtin, supplier_code=code, description=desc,
                vat_percentage=_decimal(_text(el, "VATInformation", "VATPercentage"), "VATPercentage"),
            ))
        totals = _child(root, "InvoiceTotals")
        return Invoice(
            number=number, date=_date(_text(root, "InvoiceDate"), "InvoiceDate"),
            type=INVOICE_TYPES.get(_text(root, "InvoiceType"), "invoice"),
            currency=_text(root, "Currency") or "EUR", buyer_order_number=buyer_order,
            despatch_number=_text(root, "DespatchAdviceNumber"), lines=lines,
            total_net=_decimal(_text(totals, "TotalNetLineAmount"), "TotalNetLineAmount"),
            total_vat=_decimal(_text(totals, "TotalVATAmount"), "TotalVATAmount"),
            total=_decimal(_text(totals, "TotalInvoiceAmount"), "TotalInvoiceAmount"),
            supplier=_party(_child(root, "Supplier")), buyer=_party(_child(root, "Buyer")),
        )

    def build_invoice(self, invoice):
        root = self._root("Invoice")
        self._sub(root, "InvoiceType", {v: k for k, v in INVOICE_TYPES.items()}[invoice.type])
        self._sub(root, "InvoiceNumber", invoice.number)
        self._sub(root, "InvoiceDate", invoice.date.isoformat())
        self._sub(root, "Currency", invoice.currency)
        self._sub(root, "BuyersOrderNumber", invoice.buyer_order_number)
        if invoice.despatch_number:
            self._sub(root, "DespatchAdviceNumber", invoice.despatch_number)
        if invoice.buyer:
            self._party_el(root, "Buyer", invoice.buyer)
        if invoice.supplier:
            self._party_el(root, "Supplier", invoice.supplier)
        for n, line in enumerate(invoice.lines, 1):
            el = self._sub(root, "InvoiceLine")
            self._sub(el, "LineNumber", line.line_number or n)
            self._sub(el, "DeliveredQuantity", _fmt_qty(line.quantity))
            self._sub(el, "DeliveredQuantityMeasureUnitCode", line.unit or "PCE")
            self._sub(el, "NumberOfInvoicingUnits", _fmt_qty(line.quantity))
            self._sub(el, "NetLineAmount", str(line.net_amount))
            self._item_el(el, line.gtin, line.supplier_code, line.description)
            price = self._sub(el, "PriceInformation")
            self._sub(price, "Price", str(line.price))
            if line.vat_percentage is not None:
                vat = self._sub(el, "VATInformation")
                self._sub(vat, "VATRate", "S")
                self._sub(vat, "VATPercentage", str(line.vat_percentage))
            self._sub(el, "OrderLineIdentification", line.order_line_id)
        totals = self._sub(root, "InvoiceTotals")
        for tag, value in (("TotalInvoiceAmount", invoice.total), ("TotalNetLineAmount", invoice.total_net),
                           ("TotalVATAmount", invoice.total_vat)):
            if value is not None:
                self._sub(totals, tag, str(value))
        return root


FORMATS = {
    "INSBOU003": DicoFormat("INSBOU003"),
    "SALES005": DicoFormat("SALES005", SALES005_NS),
}


def get_format(name):
    try:
        return FORMATS[name or "INSBOU003"]
    except KeyError:
        raise DicoError(f"unknown DICO message format {name!r} (known: {', '.join(FORMATS)})") from None
