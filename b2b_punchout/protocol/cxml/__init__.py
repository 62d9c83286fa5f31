"""cXML 1.2.063 punch-out (Ariba, Coupa, ...), our side: the procurement system's PunchOutSetupRequest
(``setup``) is answered with a Response and its StartPage (``response``), the cart goes back as a
PunchOutOrderMessage (``cart``), the buyer's final order arrives as an OrderRequest (``order``). The
procurement system's side is in b2b_sandbox/protocol/cxml.py."""

from ..base import Address, CartReturn, PunchoutProtocol, register, split_identity, unit_as  # noqa: F401
from .cart import FORM_FIELD, build_order_message, encode_form_value
from .document import (  # noqa: F401
    DTD, MAX_BYTES, SECRET_MASK, VERSION, CartItem, Credential, CXMLError, mask_secrets, parse, serialize, validate,
)
from .order import OrderRequest, parse_order_request  # noqa: F401
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
                          currency=line.currency, description=line.description[:100], unit=unit_as(line.unit, "EA"),
                          aux_id=line.line_ref, lead_time=line.lead_time, **self._classification(cart, line))
                 for line in cart.lines]
        ours = self.supplier_credentials(cart)
        data = build_order_message(cart.buyer_cookie, items, cart.currency, ours, self.buyer_credentials(cart),
                                   ours[0], total=cart.total, supplier_order_id=cart.order_reference,
                                   language=cart.language)
        return CartReturn(data, [(FORM_FIELD, encode_form_value(data))])

    @staticmethod
    def supplier_credentials(cart):
        """Our From credentials: the identity configured for this buyer (DUNS, NetworkId ...), else the To
        credentials its setup request addressed us with."""
        if cart.supplier_identity:
            return [Credential(cart.supplier_domain or "DUNS", cart.supplier_identity)]
        known = [Credential(d, i) for d, i in cart.options.get("to") or [] if i]
        return known or [Credential("NetworkId", cart.supplier)]

    @staticmethod
    def buyer_credentials(cart):
        """The To credentials: the From credentials of the buyer's setup request, else its configured
        identity."""
        known = [Credential(d, i) for d, i in cart.options.get("from") or [] if i]
        return known or [Credential(cart.buyer_domain or "NetworkId", cart.buyer_identity)]

    @staticmethod
    def _classification(cart, line):
        if line.unspsc:
            return {"classification": line.unspsc, "classification_domain": "UNSPSC"}
        domain, code = split_identity(cart.default_classification)
        if domain and code:
            return {"classification": code, "classification_domain": domain}
        return {"classification": "", "classification_domain": "custom"}
