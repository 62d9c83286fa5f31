"""The wholesaler's DespatchAdvice (DESADV): what ships, when, with which tracking number."""

from decimal import Decimal

from . import elements as e
from .model import DespatchAdvice, DespatchLine


def parse(root):
    buyer_order = e.required_text(root, "BuyersOrderNumber",
                                  "DespatchAdvice without BuyersOrderNumber: cannot tell which order it ships")
    lines = []
    for despatch_line in e.children(root, "DespatchLine"):
        # the item level is optional: some wholesalers put the article on the despatch line itself
        for el in e.children(despatch_line, "ItemLevelDespatchAdvice") or [despatch_line]:
            gtin, code, desc = e.trade_item(el)
            lines.append(DespatchLine(
                order_line_id=e.text(el, "OrderLineIdentification|LineIdentification"),
                line_number=e.text(el, "LineNumber"),
                quantity=e.decimal(e.text(el, "DeliveredQuantity"), "DeliveredQuantity") or Decimal(0),
                unit=e.text(el, "DeliveredQuantityMeasurementUnit|DeliveredQuantityMeasureUnitCode") or "PCE",
                gtin=gtin, supplier_code=code, description=desc,
            ))
    return DespatchAdvice(
        number=e.text(root, "MessageNumber|DespatchAdviceNumber"),
        date=e.date_at(root, "MessageDate|DespatchAdviceDate"),
        buyer_order_number=buyer_order, lines=lines,
        scheduled_date=e.date_at(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"),
        tracking_ref=e.text(root, "TrackAndTraceNumber|TransportReference"),
        supplier=e.party(e.child(root, "Supplier")), buyer=e.party(e.child(root, "Buyer")),
    )
