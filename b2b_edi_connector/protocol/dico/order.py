"""The Order we send (ORDERS), built following the wholesaler's deviation profile."""

from .elements import quantity_text
from .model import DicoError
from .profile import STANDARD


def build(fmt, order, profile=None):
    profile = profile or STANDARD
    if not order.lines:
        raise DicoError(f"order {order.number} has no lines")
    root = fmt.root("Order")
    fmt.sub(root, "OrderType", order.order_type or "220")
    fmt.sub(root, "OrderNumber", order.number)
    fmt.sub(root, "OrderDate", order.date.isoformat())
    if profile.send_order_time and order.time:
        fmt.sub(root, "OrderTime", order.time.strftime("%H:%M:%S"))
    if not profile.omit_empty_indicators:
        fmt.sub(root, "DraftOrderIndicator", "")
        fmt.sub(root, "DeliveryOnDemandIndicator", "")
    # wrapper/child pairs; a flat profile writes the child in the wrapper's place
    for wrapper, tag, value, size in (("CustomerOrderReference", "EndCustomerOrderNumber", order.customer_reference, 35),
                                      ("ProjectReference", "ProjectNumber", order.project_reference, 35),
                                      ("AdditionalInformation", "FreeText", order.free_text, 350)):
        if value:
            fmt.sub(root if profile.flat_references else fmt.sub(root, wrapper), tag, value[:size])
    fmt.date_element(root, "DeliveryDateTimeInformation", "RequiredDeliveryDate", order.required_date)
    fmt.party_element(root, "Buyer", order.buyer, address=False)
    fmt.party_element(root, "Supplier", order.supplier, address=False)
    if order.delivery_party:
        fmt.party_element(root, "DeliveryParty", order.delivery_party, address=profile.delivery_party_address,
                          gln=profile.delivery_party_gln or not profile.delivery_party_address)
    for n, line in enumerate(order.lines, 1):
        el = fmt.sub(root, "OrderLine")
        fmt.sub(el, "LineNumber", n)
        fmt.sub(el, "OrderedQuantity", quantity_text(line.quantity))
        fmt.sub(el, "OrderedQuantityMeasureUnitCode", line.unit or "PCE")
        fmt.sub(el, "LineIdentitfication" if profile.line_identitfication else "LineIdentification", line.line_id)
        if not (line.gtin or line.supplier_code):
            raise DicoError(f"order {order.number} line {n} ({line.description or '?'}) has neither a GTIN nor "
                            "a supplier article code")
        fmt.item_element(el, line.gtin, line.supplier_code, line.description, profile)
        fmt.date_element(el, "DeliveryDateTimeInformation", "RequiredDeliveryDate", line.required_date)
    return root
