"""The wholesaler's OrderResponse (ORDRSP): which lines it confirms, changes or rejects."""

from . import elements as e
from .model import HEADER_STATUS, LINE_STATUS, DicoError, OrderResponse, ResponseLine


def parse(root):
    buyer_order = e.required_text(root, "BuyersOrderNumber",
                                  "OrderResponse without BuyersOrderNumber: cannot tell which order it answers")
    lines = []
    for el in e.children(root, "OrderResponseLine"):
        gtin, code, desc = e.trade_item(el)
        line_code = e.text(el, "StatusCode")
        status = LINE_STATUS.get(line_code)
        if not status:
            raise DicoError(f"OrderResponse {buyer_order}: unknown line status code {line_code!r}")
        lines.append(ResponseLine(
            order_line_id=e.text(el, "OrderLineIdentification"),
            line_number=e.text(el, "LineNumber"),
            status=status,
            quantity=e.decimal(e.text(el, "PlannedDeliveryQuantity|OrderedQuantity"), "PlannedDeliveryQuantity"),
            unit=e.text(el, "QuantityMeasureUnitCode") or "PCE",
            gtin=gtin, supplier_code=code, description=desc,
            net_price=e.decimal(e.text(el, "PriceInformation", "NetPrice"), "NetPrice"),
            delivery_date=e.date_at(el, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"),
        ))
    status = HEADER_STATUS.get(e.text(root, "StatusCode"))
    if not status:  # no (known) header status: what the lines say
        statuses = {line.status for line in lines}
        status = "rejected" if statuses == {"rejected"} else "accepted" if statuses <= {"accepted"} else "changed"
    return OrderResponse(
        number=e.text(root, "OrderResponseNumber"), date=e.date_at(root, "OrderResponseDate"),
        buyer_order_number=buyer_order, status=status, lines=lines,
        scheduled_date=e.date_at(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"),
        buyer=e.party(e.child(root, "Buyer")), supplier=e.party(e.child(root, "Supplier")),
        free_text=e.text(root, "FreeText"),
    )
