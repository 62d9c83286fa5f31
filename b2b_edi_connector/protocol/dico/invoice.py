"""The wholesaler's Invoice (INVOIC): a bill or credit note for an order.

A line's price is for ``PriceBase/NumberOfUnitsInPriceBasis`` units (e.g. 12.50 for 100 pieces): the unit
price is the price divided by that basis; when a line states no price, its net amount divided by the
invoiced quantity is the unit price already.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import _lt

from . import elements as e
from .model import INVOICE_TYPES, DicoError, Invoice, InvoiceLine


def _line(el, number):
    gtin, code, desc = e.trade_item(el)
    qty = e.decimal(e.text(el, "NumberOfInvoicingUnits") or e.text(el, "DeliveredQuantity"), "DeliveredQuantity")
    info = e.child(el, "PriceInformation")
    basis = e.price_basis(info, f"Invoice {number}")
    stated = e.decimal(e.text(info, "Price|NetPrice"), "Price")
    net = e.decimal(e.text(el, "NetLineAmount"), "NetLineAmount")
    if stated is not None:
        price = stated / basis
    elif net is not None and qty:
        price = net / qty
    else:
        price = Decimal(0)
    return InvoiceLine(
        order_line_id=(e.text(el, "OrderLineIdentification")
                       or e.text(el, "OrderLineReference", "OrderLineIdentification")),
        line_number=e.text(el, "LineNumber"), quantity=qty or Decimal(0), price=price, price_basis=basis,
        net_amount=net if net is not None else (qty or 0) * price,
        unit=e.text(el, "DeliveredQuantityMeasureUnitCode|DeliveredQuantityUoM") or "PCE",
        gtin=gtin, supplier_code=code, description=desc,
        vat_percentage=e.decimal(e.text(el, "VATInformation", "VATPercentage|VATpercentage"), "VATPercentage"),
    )


def parse(root):
    buyer_order = e.text(root, "BuyersOrderNumber") or e.text(root, "OrderReference", "BuyersOrderNumber")
    if not buyer_order:
        raise DicoError("dico.invoice.no_order",
                        _lt("Invoice without BuyersOrderNumber: cannot tell which order it bills"))
    number = e.required_text(root, "InvoiceNumber", "dico.invoice.no_number", _lt("Invoice without InvoiceNumber"))
    totals = e.child(root, "InvoiceTotals")
    return Invoice(
        number=number, date=e.date_at(root, "InvoiceDate"),
        type=INVOICE_TYPES.get(e.text(root, "InvoiceType"), "invoice"),
        currency=e.text(root, "Currency") or "EUR", buyer_order_number=buyer_order,
        despatch_number=e.text(root, "DespatchAdviceNumber"),
        lines=[_line(el, number) for el in e.children(root, "InvoiceLine")],
        total_net=e.decimal(e.text(totals, "TotalNetLineAmount"), "TotalNetLineAmount"),
        total_vat=e.decimal(e.text(totals, "TotalVATAmount"), "TotalVATAmount"),
        total=e.decimal(e.text(totals, "TotalInvoiceAmount"), "TotalInvoiceAmount"),
        supplier=e.party(e.child(root, "Supplier")), buyer=e.party(e.child(root, "Buyer")),
    )
