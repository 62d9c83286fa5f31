"""The procurement system's side of cXML punch-out: its PunchOutSetupRequest and OrderRequest go to the
shop, our Response and the PunchOutOrderMessage of the returned cart come back. Everything built here
is valid against the cXML DTD it declares (``serialize`` checks it). Its OrderRequest for a returned cart
names the supplier's order of the cart in SupplierOrderInfo and echoes each line's
SupplierPartAuxiliaryID, as the cart gave them. Our side is b2b_punchout/protocol/cxml/."""

from decimal import Decimal

from odoo.addons.b2b_punchout.protocol.cxml import Address, Credential, CXMLError, parse, serialize
from odoo.addons.b2b_punchout.protocol.cxml.document import (
    element,
    header,
    item_detail,
    item_id,
    money,
    new_document,
    now,
    parse_credentials,
    parse_item,
    quantity_text,
    text,
)


def _buyer_header(root, sender, from_credentials, to_credentials):
    header(root, from_credentials or [Credential(sender.domain, sender.identity)],
           to_credentials or [Credential("NetworkId", "supplier")], sender)


def build_setup_request(sender, buyer_cookie, browser_form_post, operation="create", from_credentials=None,
                        to_credentials=None, user_email="", items=(), language="en-US"):
    """A PunchOutSetupRequest (an element: ``serialize`` it, or change it first); ``language``: the buyer's,
    its xml:lang (Proceedo sends sv-SE for a Swedish buyer)."""
    root = new_document(lang=language)
    _buyer_header(root, sender, from_credentials, to_credentials)
    request = element(element(root, "Request", deploymentMode="test"), "PunchOutSetupRequest", operation=operation)
    element(request, "BuyerCookie", buyer_cookie)
    if user_email:
        element(request, "Extrinsic", user_email, name="UserEmail")
    element(element(request, "BrowserFormPost"), "URL", browser_form_post)
    element(element(request, "SupplierSetup"), "URL", "https://supplier.example/punchout")
    for n, item in enumerate(items, 1):
        item_id(element(request, "ItemOut", quantity=item.quantity, lineNumber=n), item)
    return root


def address_element(parent, tag, address):
    """``<tag><Address>`` of an :class:`Address` (Name, PostalAddress with its DeliverTo, Email, Phone)."""
    wrapper = element(element(parent, tag), "Address")
    element(wrapper, "Name", address.name, lang="en")
    if address.street or address.city:
        postal = element(wrapper, "PostalAddress")
        for line in filter(None, (address.deliver_to or "").split(", ")):
            element(postal, "DeliverTo", line)
        element(postal, "Street", address.street)
        if address.street2:
            element(postal, "Street", address.street2)
        element(postal, "City", address.city)
        if address.state:
            element(postal, "State", address.state)
        if address.postal_code:
            element(postal, "PostalCode", address.postal_code)
        element(postal, "Country", address.country, isoCountryCode=address.country)
    if address.email:
        element(wrapper, "Email", address.email)
    return wrapper


def build_order_request(sender, order_id, items, currency="EUR", from_credentials=None, to_credentials=None,
                        ship_to=None, supplier_order_id="", bill_to=None):
    """An OrderRequest for ``items`` (serialised, validated against the DTD); ``supplier_order_id``: the
    supplier's order of the returned cart (the SupplierOrderInfo of its PunchOutOrderMessage)."""
    root = new_document()
    _buyer_header(root, sender, from_credentials, to_credentials)
    request = element(element(root, "Request", deploymentMode="test"), "OrderRequest")
    box = element(request, "OrderRequestHeader", orderID=order_id, orderDate=now(), type="new")
    money(box, "Total", sum((Decimal(i.unit_price) * Decimal(i.quantity) for i in items), Decimal(0)), currency)
    if ship_to:
        address_element(box, "ShipTo", ship_to)
    address_element(box, "BillTo", bill_to or ship_to or Address(name=sender.identity))
    if supplier_order_id:
        element(box, "SupplierOrderInfo", orderID=supplier_order_id)
    for n, item in enumerate(items, 1):
        out = element(request, "ItemOut", quantity=quantity_text(item.quantity), lineNumber=n)
        item_id(out, item)
        item_detail(out, item, currency)
    return serialize(root)


def parse_response(data):
    """(status code, status text, detail): the detail is the StartPage URL of a PunchOutSetupResponse,
    otherwise the Status element's message."""
    root = parse(data, "cXML Response")
    status = root.find("Response/Status")
    if status is None:
        raise CXMLError("cXML answer without Response/Status")
    start_url = text(root, "Response/PunchOutSetupResponse/StartPage/URL")
    return int(status.get("code") or 0), status.get("text") or "", start_url or (status.text or "").strip()


def read_order_message(data):
    """(BuyerCookie, items, the supplier's order id of SupplierOrderInfo, the From credentials) of the
    PunchOutOrderMessage a returned cart carries."""
    root = parse(data, "PunchOutOrderMessage")
    message = root.find("Message/PunchOutOrderMessage")
    if message is None:
        raise CXMLError("not a PunchOutOrderMessage")
    info = message.find("PunchOutOrderMessageHeader/SupplierOrderInfo")
    return (text(message, "BuyerCookie"), [parse_item(i) for i in message.findall("ItemIn")],
            info.get("orderID") if info is not None else "", parse_credentials(root.find("Header/From")))


def parse_order_message(data):
    """(BuyerCookie, items) of the PunchOutOrderMessage a returned cart carries."""
    cookie, items, _order, _from = read_order_message(data)
    return cookie, items
