"""The buyer's final order: an OrderRequest, which becomes a sale order."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from dataclasses import dataclass
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import _lt

from ..base import Address, FinalOrder, OrderLine
from .document import (
    CXMLError,
    deployment_mode,
    item_outs,
    number,
    parse_address,
    parse_credentials,
    parse_item,
    parse_request,
    sender,
)


@dataclass
class OrderRequest:
    payload_id: str
    order_id: str
    order_date: str
    sender: object  # Credential
    from_credentials: list
    items: list
    total: Decimal = None
    currency: str = "EUR"
    ship_to: Address = None
    bill_to: Address = None
    deployment_mode: str = "production"
    supplier_order_id: str = ""  # SupplierOrderInfo: our sale order (the returned cart) it completes

    def final_order(self):
        """The protocol-neutral :class:`~..base.FinalOrder`: it refers to our cart by SupplierOrderInfo
        and by the SupplierPartAuxiliaryID of its lines (what our PunchOutOrderMessage sent)."""
        return FinalOrder(
            order_id=self.order_id, currency=self.currency, ship_to=self.ship_to,
            cart_refs=[self.supplier_order_id] if self.supplier_order_id else [],
            lines=[OrderLine(i.supplier_part_id, i.quantity, i.unit_price, i.currency, i.aux_id) for i in self.items])


def parse_order_request(data):
    root, request = parse_request(data, "OrderRequest")
    box = request.find("OrderRequestHeader")
    order_id = box.get("orderID") if box is not None else ""
    if not order_id:
        raise CXMLError("cxml.order.no_id", _lt("OrderRequest without orderID"))
    buyer = sender(root, "OrderRequest")
    outs = item_outs(request, f"OrderRequest {order_id}")
    if not outs:
        raise CXMLError("cxml.order.no_items", _lt("OrderRequest %(order)s has no ItemOut"), order=order_id)
    items = [parse_item(out) for out in outs]
    for n, item in enumerate(items, 1):
        if item.quantity <= 0:
            raise CXMLError("cxml.order.quantity", _lt(
                "OrderRequest %(order)s, line %(line)s: quantity %(quantity)s must be greater than zero"),
                order=order_id, line=n, quantity=item.quantity)
    total = box.find("Total/Money")
    supplier_order = box.find("SupplierOrderInfo")
    return OrderRequest(
        payload_id=root.get("payloadID") or "", order_id=order_id, order_date=box.get("orderDate") or "",
        sender=buyer, from_credentials=parse_credentials(root.find("Header/From")), items=items,
        total=number(total.text, "Total") if total is not None and (total.text or "").strip() else None,
        currency=(total.get("currency") if total is not None else "") or "EUR",
        ship_to=parse_address(box.find("ShipTo/Address")), bill_to=parse_address(box.find("BillTo/Address")),
        deployment_mode=deployment_mode(root),
        supplier_order_id=(supplier_order.get("orderID") or "").strip() if supplier_order is not None else "",
    )
