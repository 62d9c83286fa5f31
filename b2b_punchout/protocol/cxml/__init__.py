"""cXML 1.2.063 punch-out (Ariba, Coupa, ...), our side: the procurement system's PunchOutSetupRequest
(``setup``) is answered with a Response and its StartPage (``response``), the cart goes back as a
PunchOutOrderMessage (``cart``), the buyer's final order arrives as an OrderRequest (``order``). The
procurement system's side is in b2b_sandbox/protocol/cxml.py."""

from ..base import CartReturn, PunchoutProtocol, register
from .cart import FORM_FIELD, build_order_message, encode_form_value
from .document import (  # noqa: F401
    DTD, MAX_BYTES, SECRET_MASK, VERSION, CartItem, Credential, CXMLError, mask_secrets, parse, serialize, validate,
)
from .order import Address, OrderRequest, parse_order_request  # noqa: F401
from .response import build_response  # noqa: F401
from .setup import SetupRequest, parse_setup_request  # noqa: F401


@register
class CxmlProtocol(PunchoutProtocol):
    code = "cxml"
    label = "cXML (Ariba, Coupa, ...)"
    name = "cXML"
    identities_help = "The From and Sender credential identities the procurement system sends (domain:identity)"

    def cart_return(self, cart):
        items = [CartItem(supplier_part_id=line.part, quantity=line.quantity, unit_price=line.price,
                          currency=line.currency, description=line.description[:100], unit="EA",
                          classification=line.category, aux_id=line.line_ref) for line in cart.lines]
        ours = Credential("NetworkId", cart.supplier)
        data = build_order_message(cart.buyer_cookie, items, cart.currency, [ours],
                                   [Credential("NetworkId", cart.buyer_identity)], ours)
        return CartReturn(data, [(FORM_FIELD, encode_form_value(data))])
