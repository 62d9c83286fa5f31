"""The wholesaler's Invoice (INVOIC): a bill or credit note for an order."""

from decimal import Decimal

from . import elements as e
from .model import INVOICE_TYPES, Invoice, InvoiceLine


def parse(root):
    buyer_order = e.required_text(root, "BuyersOrderNumber",
                                  "Invoice without BuyersOrderNumber: cannot tell which order it bills")
    number = e.required_text(root, "InvoiceNumber", "Invoice without InvoiceNumber")
    lines = []
    for el in e.children(root, "InvoiceLine"):
        gtin, code, desc = e.trade_item(el)
        qty = e.decimal(e.text(el, "NumberOfInvoicingUnits") or e.text(el, "DeliveredQuantity"), "DeliveredQuantity")
        price = e.decimal(e.text(el, "PriceInformation", "Price|NetPrice"), "Price")
        units_basis = e.decimal(e.text(el, "PriceInformation", "PriceBase", "NumberOfUnitsInPriceBasis"),
                                "NumberOfUnitsInPriceBasis") or Decimal(1)
        net = e.decimal(e.text(el, "NetLineAmount"), "NetLineAmount")
        if price is None and net is not None and qty:
            price = net / qty
        lines.append(InvoiceLine(
            order_line_id=e.text(el, "OrderLineIdentification"), line_number=e.text(el, "LineNumber"),
            quantity=qty or Decimal(0), price=(price or Decimal(0)) / units_basis,
            net_amount=net if net is not None else (qty or 0) * (price or 0),
            unit=e.text(el, "DeliveredQuantityMeasureUnitCode") or "PCE",
            gtin=gtin, supplier_code=code, description=desc,
            vat_percentage=e.decimal(e.text(el, "VATInformation", "VATPercentage"), "VATPercentage"),
        ))
    totals = e.child(root, "InvoiceTotals")
    return Invoice(
        number=number, date=e.date_at(root, "InvoiceDate"),
        type=INVOICE_TYPES.get(e.text(root, "InvoiceType"), "invoice"),
        currency=e.text(root, "Currency") or "EUR", buyer_order_number=buyer_order,
        despatch_number=e.text(root, "DespatchAdviceNumber"), lines=lines,
        total_net=e.decimal(e.text(totals, "TotalNetLineAmount"), "TotalNetLineAmount"),
        total_vat=e.decimal(e.text(totals, "TotalVATAmount"), "TotalVATAmount"),
        total=e.decimal(e.text(totals, "TotalInvoiceAmount"), "TotalInvoiceAmount"),
        supplier=e.party(e.child(root, "Supplier")), buyer=e.party(e.child(root, "Buyer")),
    )
