"""The wholesaler's side of DICO: read the Order it receives, build its OrderResponse, DespatchAdvice and
Invoice, in the format the Order came in (a :class:`~odoo.addons.b2b_edi_connector.protocol.dico.DicoFormat`)."""

from odoo.addons.b2b_edi_connector.protocol.dico import elements as e
from odoo.addons.b2b_edi_connector.protocol.dico import (
    HEADER_STATUS, INVOICE_TYPES, LINE_STATUS, DicoError, Order, OrderLine, Party,
)

HEADER_STATUS_CODE = {v: k for k, v in HEADER_STATUS.items()}
LINE_STATUS_CODE = {v: k for k, v in LINE_STATUS.items()}
INVOICE_TYPE_CODE = {v: k for k, v in INVOICE_TYPES.items()}


# ---------------------------------------------------------------------------- in: the buyer's Order
def parse_order(root):
    lines = []
    for el in e.children(root, "OrderLine"):
        gtin, code, desc = e.trade_item(el)
        lines.append(OrderLine(
            line_id=e.text(el, "LineIdentification") or e.text(el, "LineNumber"),
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
        customer_reference=e.text(root, "CustomerOrderReference", "EndCustomerOrderNumber"),
        project_reference=e.text(root, "ProjectReference", "ProjectNumber"),
        required_date=e.date_at(root, "DeliveryDateTimeInformation", "RequiredDeliveryDate"),
        free_text=e.text(root, "AdditionalInformation", "FreeText"),
        lines=lines,
    )


# ---------------------------------------------------------------------------- out: the wholesaler's answers
def _parties(fmt, root, message, tags):
    for tag, attr in tags:
        party = getattr(message, attr)
        if party:
            fmt.party_element(root, tag, party)


def build_order_response(fmt, response):
    root = fmt.root("OrderResponse")
    fmt.sub(root, "OrderResponseNumber", response.number)
    fmt.sub(root, "OrderResponseDate", response.date.isoformat())
    fmt.sub(root, "StatusCode", HEADER_STATUS_CODE[response.status])
    fmt.sub(root, "BuyersOrderNumber", response.buyer_order_number)
    fmt.date_element(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", response.scheduled_date)
    _parties(fmt, root, response, (("Buyer", "buyer"), ("Supplier", "supplier")))
    for n, line in enumerate(response.lines, 1):
        el = fmt.sub(root, "OrderResponseLine")
        fmt.sub(el, "LineNumber", line.line_number or n)
        fmt.sub(el, "StatusCode", LINE_STATUS_CODE[line.status])
        if line.quantity is not None:
            fmt.sub(el, "PlannedDeliveryQuantity", e.quantity_text(line.quantity))
            fmt.sub(el, "QuantityMeasureUnitCode", line.unit or "PCE")
        fmt.item_element(el, line.gtin, line.supplier_code, line.description)
        fmt.sub(el, "OrderLineIdentification", line.order_line_id)
        fmt.date_element(el, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", line.delivery_date)
        if line.net_price is not None:
            fmt.sub(fmt.sub(el, "PriceInformation"), "NetPrice", str(line.net_price))
    if response.free_text:
        fmt.sub(root, "FreeText", response.free_text)
    return root


def build_despatch_advice(fmt, advice):
    root = fmt.root("DespatchAdvice")
    fmt.sub(root, "MessageNumber", advice.number)
    fmt.sub(root, "MessageDate", advice.date.isoformat())
    fmt.sub(root, "BuyersOrderNumber", advice.buyer_order_number)
    if advice.tracking_ref:
        fmt.sub(root, "TrackAndTraceNumber", advice.tracking_ref)
    fmt.date_element(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate", advice.scheduled_date)
    _parties(fmt, root, advice, (("Supplier", "supplier"), ("Buyer", "buyer")))
    for n, line in enumerate(advice.lines, 1):
        despatch_line = fmt.sub(root, "DespatchLine")
        fmt.sub(despatch_line, "DespatchLineNumber", n)
        el = fmt.sub(despatch_line, "ItemLevelDespatchAdvice")
        fmt.sub(el, "LineNumber", line.line_number or n)
        fmt.sub(el, "DeliveredQuantity", e.quantity_text(line.quantity))
        fmt.sub(el, "DeliveredQuantityMeasurementUnit", line.unit or "PCE")
        fmt.sub(el, "LineIdentification", line.order_line_id)
        fmt.item_element(el, line.gtin, line.supplier_code, line.description)
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
        fmt.sub(fmt.sub(el, "PriceInformation"), "Price", str(line.price))
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
