"""The buyer's final order: an OrderRequest, which becomes a sale order."""

from dataclasses import dataclass
from decimal import Decimal

from .document import (
    CXMLError, deployment_mode, item_outs, number, parse_credentials, parse_item, parse_request, sender, text,
)


@dataclass
class Address:
    name: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    email: str = ""


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


def parse_order_request(data):
    root, request = parse_request(data, "OrderRequest", article="an")
    box = request.find("OrderRequestHeader")
    order_id = box.get("orderID") if box is not None else ""
    if not order_id:
        raise CXMLError("OrderRequest without orderID")
    buyer = sender(root, "OrderRequest")
    outs = item_outs(request, f"OrderRequest {order_id}")
    if not outs:
        raise CXMLError(f"OrderRequest {order_id} has no ItemOut")
    items = [parse_item(out) for out in outs]
    for n, item in enumerate(items, 1):
        if item.quantity <= 0:
            raise CXMLError(f"OrderRequest {order_id}, line {n}: quantity {item.quantity} must be greater than zero")
    ship = box.find("ShipTo/Address")
    ship_to = Address(name=text(ship, "Name"), street=text(ship, "PostalAddress/Street"),
                      city=text(ship, "PostalAddress/City"), postal_code=text(ship, "PostalAddress/PostalCode"),
                      country=(ship.find("PostalAddress/Country").get("isoCountryCode")
                               if ship is not None and ship.find("PostalAddress/Country") is not None else "")
                      ) if ship is not None else None
    total = box.find("Total/Money")
    return OrderRequest(
        payload_id=root.get("payloadID") or "", order_id=order_id, order_date=box.get("orderDate") or "",
        sender=buyer, from_credentials=parse_credentials(root.find("Header/From")), items=items,
        total=number(total.text, "Total") if total is not None and (total.text or "").strip() else None,
        currency=(total.get("currency") if total is not None else "") or "EUR", ship_to=ship_to,
        deployment_mode=deployment_mode(root),
    )
