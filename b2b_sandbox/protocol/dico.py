"""The wholesaler's side of DICO: read the Order it receives (in the standard form or with the documented
deviations), build its OrderResponse (nested standard form or flat vendor form, partial deliveries, price
bases), DespatchAdvice (packages holding several item levels) and Invoice (price bases), in the format the
Order came in (a :class:`~odoo.addons.b2b_edi_connector.protocol.dico.DicoFormat`)."""

from decimal import Decimal

from odoo.addons.b2b_edi_connector.protocol.dico import (
    HEADER_STATUS_CODE,
    INVOICE_TYPES,
    LINE_STATUS_CODE,
    DicoError,
    Order,
    OrderLine,
    Party,
)
from odoo.addons.b2b_edi_connector.protocol.dico import elements as e

INVOICE_TYPE_CODE = {v: k for k, v in INVOICE_TYPES.items() if k != "384"}


# ---------------------------------------------------------------------------- in: the buyer's Order
def parse_order(root):
    """The :class:`Order` in ``root``, whichever of the documented forms it takes."""
    lines = []
    for el in e.children(root, "OrderLine"):
        gtin, code, desc = e.trade_item(el)
        lines.append(OrderLine(
            line_id=e.text(el, "LineIdentification|LineIdentitfication") or e.text(el, "LineNumber"),
            quantity=e.decimal(e.text(el, "OrderedQuantity"), "OrderedQuantity"),
            unit=e.text(el, "OrderedQuantityMeasureUnitCode") or "PCE",
            gtin=gtin, supplier_code=code, description=desc,
            required_date=e.date_at(el, "DeliveryDateTimeInformation", "RequiredDeliveryDate"),
        ))
    number = e.text(root, "OrderNumber")
    if not number:
        raise DicoError("Order without OrderNumber")
    return Order(
        number=number, date=e.date_at(root, "OrderDate"),
        buyer=e.party(e.child(root, "Buyer")) or Party(), supplier=e.party(e.child(root, "Supplier")) or Party(),
        delivery_party=e.party(e.child(root, "DeliveryParty")),
        customer_reference=e.text(root, "CustomerOrderReference", "EndCustomerOrderNumber")
        or e.text(root, "EndCustomerOrderNumber"),
        project_reference=e.text(root, "ProjectReference", "ProjectNumber") or e.text(root, "ProjectNumber"),
        required_date=e.date_at(root, "DeliveryDateTimeInformation", "RequiredDeliveryDate"),
        free_text=e.text(root, "AdditionalInformation", "FreeText") or e.text(root, "FreeText"),
        lines=lines,
    )


def order_form(root):
    """How ``root`` is written, in the terms of the deviation profiles: what a wholesaler checks."""
    lines = e.children(root, "OrderLine")
    gtins = [e.trade_item(line)[0] for line in lines]
    return {
        "line_identitfication": any(e.child(line, "LineIdentitfication") is not None for line in lines),
        "line_identification": any(e.child(line, "LineIdentification") is not None for line in lines),
        "flat_references": any(e.child(root, tag) is not None for tag in ("EndCustomerOrderNumber", "ProjectNumber",
                                                                          "FreeText")),
        "wrapped_references": any(e.child(root, tag) is not None for tag in ("CustomerOrderReference",
                                                                             "ProjectReference")),
        "delivery_party_gln": bool(e.text(root, "DeliveryParty", "GLN")),
        "gtin_lengths": {len(g) for g in gtins if g},
        "order_time": e.child(root, "OrderTime") is not None,
    }


# ---------------------------------------------------------------------------- out: the wholesaler's answers
def _parties(fmt, root, message, tags):
    for tag, attr in tags:
        party = getattr(message, attr)
        if party:
            fmt.party_element(root, tag, party)


def _money(value):
    return format(Decimal(value).quantize(Decimal("0.0001")).normalize(), "f")


def _price_information(fmt, parent, tag, unit_price, basis, unit, gross=None):
    """PriceInformation with the price for ``basis`` units (the wholesaler's price list may be per 100)."""
    info = fmt.sub(parent, "PriceInformation")
    if gross is not None:
        fmt.sub(info, "GrossPrice", _money(gross * basis))
    fmt.sub(info, tag, _money(unit_price * basis))
    base = fmt.sub(info, "PriceBase")
    fmt.sub(base, "NumberOfUnitsInPriceBasis", e.quantity_text(basis))
    fmt.sub(base, "MeasureUnitPriceBasis", unit or "PCE")
    return info


def build_order_response(fmt, response, form="flat"):
    """The OrderResponse of ``response``: ``form`` "nested" is the standard (OrderReference,
    OrderLineReference, AdditionalInformation), "flat" the vendor form of the public samples."""
    nested = form == "nested"
    root = fmt.root("OrderResponse")
    fmt.sub(root, "OrderResponseNumber", response.number)
    fmt.sub(root, "OrderResponseDate", response.date.isoformat())
    if response.time:
        fmt.sub(root, "OrderResponseTime", response.time.strftime("%H:%M:%S"))
    fmt.sub(root, "StatusCode", response.status_code or HEADER_STATUS_CODE[response.status])
    fmt.sub(fmt.sub(root, "OrderReference") if nested else root, "BuyersOrderNumber", response.buyer_order_number)
    if response.free_text and nested:
        fmt.sub(fmt.sub(root, "AdditionalInformation"), "FreeText", response.free_text)
    fmt.date_element(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", response.scheduled_date)
    _parties(fmt, root, response, (("Buyer", "buyer"), ("Supplier", "supplier")))
    for n, line in enumerate(response.lines, 1):
        el = fmt.sub(root, "OrderResponseLine")
        fmt.sub(el, "LineNumber", line.line_number or n)
        fmt.sub(el, "StatusCode", line.status_code or LINE_STATUS_CODE[line.status])
        if line.quantity is not None:
            fmt.sub(el, "PlannedDeliveryQuantity", e.quantity_text(line.quantity))
            fmt.sub(el, "QuantityMeasureUnitCode", line.unit or "PCE")
        if line.free_text:
            fmt.sub(fmt.sub(el, "AdditionalInformation") if nested else el, "FreeText", line.free_text)
        fmt.item_element(el, line.gtin, line.supplier_code, line.description)
        fmt.sub(fmt.sub(el, "OrderLineReference") if nested else el, "OrderLineIdentification", line.order_line_id)
        fmt.date_element(el, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", line.delivery_date)
        if line.net_price is not None:
            _price_information(fmt, el, "NetPrice", line.net_price, line.price_basis or Decimal(1), line.unit,
                               gross=line.gross_price)
        for part in line.partial_deliveries:
            partial = fmt.sub(el, "PartialDelivery")
            fmt.sub(partial, "PlannedPartialDeliveryQuantity", e.quantity_text(part.quantity))
            fmt.sub(partial, "QuantityMeasureUnitCode", part.unit or line.unit or "PCE")
            fmt.date_element(partial, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", part.date)
    if response.free_text and not nested:
        fmt.sub(root, "FreeText", response.free_text)
    return root


def build_despatch_advice(fmt, advice):
    """The DespatchAdvice: one DespatchLine per package of ``advice.packages`` (each with its item levels),
    or one per line when no packages are given."""
    root = fmt.root("DespatchAdvice")
    fmt.sub(root, "MessageNumber", advice.number)
    fmt.sub(root, "MessageDate", advice.date.isoformat())
    fmt.sub(root, "MessageStructure", advice.structure or ("EANNL4" if advice.packages else "EANNL1"))
    fmt.sub(root, "BuyersOrderNumber", advice.buyer_order_number)
    if advice.tracking_ref:
        fmt.sub(root, "TrackAndTraceNumber", advice.tracking_ref)
    fmt.date_element(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", advice.scheduled_date)
    _parties(fmt, root, advice, (("Supplier", "supplier"), ("Buyer", "buyer")))
    groups = [(p.number, p.lines) for p in advice.packages] or [(str(n), [line]) for n, line in
                                                                enumerate(advice.lines, 1)]
    item = 0
    for number, lines in groups:
        despatch_line = fmt.sub(root, "DespatchLine")
        fmt.sub(despatch_line, "DespatchLineNumber", number)
        for line in lines:
            item += 1
            el = fmt.sub(despatch_line, "ItemLevelDespatchAdvice")
            fmt.sub(el, "LineNumber", line.line_number or item)
            fmt.sub(el, "DeliveredQuantity", e.quantity_text(line.quantity))
            fmt.sub(el, "DeliveredQuantityMeasurementUnit", line.unit or "PCE")
            fmt.sub(el, "LineIdentification", line.order_line_id)
            fmt.item_element(el, line.gtin, line.supplier_code, line.description)
            if line.batch:
                fmt.sub(el, "BatchNumber", line.batch)
    return root


def build_invoice(fmt, invoice):
    root = fmt.root("Invoice")
    fmt.sub(root, "InvoiceType", INVOICE_TYPE_CODE[invoice.type])
    fmt.sub(root, "InvoiceNumber", invoice.number)
    fmt.sub(root, "InvoiceDate", invoice.date.isoformat())
    fmt.sub(root, "Currency", invoice.currency)
    fmt.sub(root, "BuyersOrderNumber", invoice.buyer_order_number)
    if invoice.despatch_number:
        fmt.sub(root, "DespatchAdviceNumber", invoice.despatch_number)
    _parties(fmt, root, invoice, (("Buyer", "buyer"), ("Supplier", "supplier")))
    for n, line in enumerate(invoice.lines, 1):
        el = fmt.sub(root, "InvoiceLine")
        fmt.sub(el, "LineNumber", line.line_number or n)
        fmt.sub(el, "DeliveredQuantity", e.quantity_text(line.quantity))
        fmt.sub(el, "DeliveredQuantityMeasureUnitCode", line.unit or "PCE")
        fmt.sub(el, "NumberOfInvoicingUnits", e.quantity_text(line.quantity))
        fmt.sub(el, "NetLineAmount", str(line.net_amount))
        fmt.item_element(el, line.gtin, line.supplier_code, line.description)
        _price_information(fmt, el, "Price", line.price, line.price_basis or Decimal(1), line.unit)
        if line.vat_percentage is not None:
            vat = fmt.sub(el, "VATInformation")
            fmt.sub(vat, "VATRate", "S")
            fmt.sub(vat, "VATPercentage", str(line.vat_percentage))
        fmt.sub(el, "OrderLineIdentification", line.order_line_id)
    totals = fmt.sub(root, "InvoiceTotals")
    for tag, value in (("TotalInvoiceAmount", invoice.total), ("TotalNetLineAmount", invoice.total_net),
                       ("TotalVATAmount", invoice.total_vat)):
        if value is not None:
            fmt.sub(totals, tag, str(value))
    return root
