"""The wholesaler's OrderResponse (ORDRSP): which lines it confirms, changes, substitutes or rejects.

Both forms wholesalers send are read: the standard nested one (``OrderReference/BuyersOrderNumber``,
``OrderLineReference/OrderLineIdentification``, ``AdditionalInformation/FreeText``) and the flat vendor one
the public samples show (``BuyersOrderNumber``, ``OrderLineIdentification`` and ``FreeText`` directly in the
message and the line; wefabric/GS1-insbou-order-converter reads both for the same reason). Prices are per
unit: the published price divided by its ``PriceBase/NumberOfUnitsInPriceBasis``.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import _lt

from . import elements as e
from .model import HEADER_STATUS, LINE_STATUS, DicoError, OrderResponse, PartialDelivery, ResponseLine


def _free_text(el):
    texts = [e.text(node) for node in e.children(e.child(el, "AdditionalInformation"), "FreeText")]
    texts += [e.text(node) for node in e.children(el, "FreeText")]
    return " ".join(t for t in texts if t)


def _price(el, buyer_order):
    info = e.child(el, "PriceInformation")
    basis = e.price_basis(info, f"OrderResponse {buyer_order}")
    net = e.decimal(e.text(info, "NetPrice"), "NetPrice")
    gross = e.decimal(e.text(info, "GrossPrice"), "GrossPrice")
    return (net / basis if net is not None else None), (gross / basis if gross is not None else None), basis


def _line(el, buyer_order):
    gtin, code, desc = e.trade_item(el)
    status_code = e.text(el, "StatusCode")
    status = LINE_STATUS.get(status_code)
    if not status:
        raise DicoError("dico.response.line_status", _lt(
            "OrderResponse %(order)s: unknown line status code %(code)s (known: %(known)s)"),
            order=buyer_order, code=repr(status_code), known=", ".join(sorted(LINE_STATUS, key=int)))
    net, gross, basis = _price(el, buyer_order)
    partials = []
    for part in e.children(el, "PartialDelivery"):
        qty = e.decimal(e.text(part, "PlannedPartialDeliveryQuantity"), "PlannedPartialDeliveryQuantity")
        if qty is None:
            continue
        partials.append(PartialDelivery(
            quantity=qty, unit=e.text(part, "QuantityMeasureUnitCode|QuantityUoM") or "",
            date=e.date_at(part, "DeliveryDateTimeInformation", "ScheduledDeliveryDate")))
    partials.sort(key=lambda p: (p.date is None, p.date))
    quantity = e.decimal(e.text(el, "PlannedDeliveryQuantity|OrderedQuantity"), "PlannedDeliveryQuantity")
    if quantity is None and partials:
        quantity = sum((p.quantity for p in partials), Decimal(0))
    delivery_date = e.date_at(el, "DeliveryDateTimeInformation", "ScheduledDeliveryDate")
    return ResponseLine(
        order_line_id=(e.text(el, "OrderLineReference", "OrderLineIdentification")
                       or e.text(el, "OrderLineIdentification")),
        line_number=e.text(el, "LineNumber"), status=status, status_code=status_code, quantity=quantity,
        unit=e.text(el, "QuantityMeasureUnitCode|QuantityUoM") or "PCE",
        gtin=gtin, supplier_code=code, description=desc,
        net_price=net, gross_price=gross, price_basis=basis,
        delivery_date=delivery_date or (partials[0].date if partials else None),
        partial_deliveries=partials, free_text=_free_text(el),
    )


def parse(root):
    buyer_order = e.text(root, "OrderReference", "BuyersOrderNumber") or e.text(root, "BuyersOrderNumber")
    if not buyer_order:
        raise DicoError("dico.response.no_order",
                        _lt("OrderResponse without BuyersOrderNumber: cannot tell which order it answers"))
    lines = [_line(el, buyer_order) for el in e.children(root, "OrderResponseLine")]
    status_code = e.text(root, "StatusCode")
    status = HEADER_STATUS.get(status_code)
    if not status:  # no (known) header status: what the lines say
        statuses = {line.status for line in lines}
        status = ("rejected" if statuses == {"rejected"} else
                  "accepted" if statuses <= {"accepted", "unknown"} else "changed")
    return OrderResponse(
        number=e.text(root, "OrderResponseNumber"), date=e.date_at(root, "OrderResponseDate"),
        time=e.time_at(root, "OrderResponseTime"), status_code=status_code,
        buyer_order_number=buyer_order, status=status, lines=lines,
        scheduled_date=e.date_at(root, "DeliveryDateTimeInformation", "ScheduledDeliveryDate"),
        buyer=e.party(e.child(root, "Buyer")), supplier=e.party(e.child(root, "Supplier")),
        free_text=_free_text(root),
    )
