"""What every punch-out protocol does for the shop, and the registry of protocols.

A protocol (cXML, OCI, PEPPOL, ...) is a module that defines a :class:`PunchoutProtocol` subclass and
:func:`register` s it: its code (the value of ``res.partner.punchout_protocol``), how the buyer logs in
(a setup request from the procurement system, or the buyer's browser at ``login_route``) and how a cart
goes back (:meth:`PunchoutProtocol.cart_return`). The Odoo side hands over the cart as a neutral
:class:`Cart`; everything protocol-specific happens here, in plain Python. The login and order routes
of a protocol are its controller (``controllers/<protocol>.py``).
"""

import html
from dataclasses import dataclass, field
from decimal import Decimal


class PunchoutError(ValueError):
    """What a buyer sent that a protocol does not accept; the message says what, safe to show the buyer."""

    user_facing = True


@dataclass
class CartLine:
    part: str  # our article number (internal reference, else the product id)
    description: str
    quantity: Decimal
    price: Decimal  # net unit price: discount included, taxes excluded
    currency: str
    category: str = ""
    line_ref: str = ""  # our cart line: what an edit round trip refers to


@dataclass
class Cart:
    reference: str  # our punch-out session
    return_url: str
    currency: str
    supplier: str  # our company
    buyer_identity: str  # the customer's identity at its procurement system
    buyer_cookie: str = ""
    lines: list = field(default_factory=list)
    options: dict = field(default_factory=dict)  # what the login asked for the return (e.g. OCI ~TARGET)


@dataclass
class CartReturn:
    payload: bytes  # what the exchange log keeps
    fields: list  # (name, value) pairs the browser posts to the return URL
    target: str = "_top"  # the frame the form posts into


class PunchoutProtocol:
    code = ""  # the selection value of res.partner.punchout_protocol
    label = ""  # as the selection shows it
    name = ""  # short, in the exchange log
    login_route = None  # the buyer's browser logs in here (signed login links); None: a setup request
    identities_help = ""  # what the customer's identities are for this protocol

    def cart_return(self, cart):
        """The :class:`CartReturn` of ``cart`` (a :class:`Cart`)."""
        raise NotImplementedError


PROTOCOLS = {}


def register(cls):
    """Class decorator: make a :class:`PunchoutProtocol` known by its code."""
    if cls.code in PROTOCOLS:
        raise ValueError(f"punch-out protocol {cls.code} is registered twice")
    PROTOCOLS[cls.code] = cls()
    return cls


def get_protocol(code):
    try:
        return PROTOCOLS[code]
    except KeyError:
        raise PunchoutError(f"unknown punch-out protocol {code!r}") from None


def auto_submit_form(action, pairs, target="_top", form_id="o_punchout_return"):
    """An HTML form that posts ``pairs`` to ``action`` as soon as the page loads (and a button if
    scripts are off)."""
    inputs = "\n".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}"/>'
                       for k, v in pairs)
    return (f'<form id="{form_id}" method="post" action="{html.escape(action)}" target="{html.escape(target)}" '
            f'accept-charset="UTF-8">\n{inputs}\n<noscript><button type="submit">Return the cart</button></noscript>'
            f"\n</form>")
