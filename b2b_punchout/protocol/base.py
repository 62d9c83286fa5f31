"""What every punch-out protocol does for the shop, and the registry of protocols.

A protocol (cXML, OCI, PEPPOL, ...) is a module that defines a :class:`PunchoutProtocol` subclass and
:func:`register` s it: its code (the value of ``res.partner.punchout_protocol``), how the buyer logs in
(a setup request from the procurement system, or the buyer's browser at ``login_route``) and how a cart
goes back (:meth:`PunchoutProtocol.cart_return`). The Odoo side hands over the cart as a neutral
:class:`Cart`; everything protocol-specific happens here, in plain Python. The login and order routes
of a protocol are its controller (``controllers/<protocol>.py``).
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import html
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import ProtocolError, _lt


class PunchoutError(ProtocolError, ValueError):
    """What a buyer sent that a protocol does not accept; the message says what, safe to show the buyer.
    ``PunchoutError(code, _lt("English %(x)s"), x=...)`` is shown in the buyer's language."""

    default_code = "punchout"


# "one piece" in the code lists of the protocols (UN/ECE C62 and H87, their PCE and EA)
PIECE_CODES = frozenset({"C62", "H87", "PCE", "EA"})


def unit_as(code, piece):
    """A UN/ECE unit code as a protocol writes it: ``piece`` (its own code) for pieces."""
    return piece if not code or code in PIECE_CODES else code


@dataclass
class CartLine:
    part: str  # our article number (internal reference, else the product id)
    description: str
    quantity: Decimal
    price: Decimal  # net unit price: discount included, taxes excluded, at the product price precision
    currency: str
    unspsc: str = ""  # the product's UNSPSC commodity code (8 digits), if it has one
    line_ref: str = ""  # our cart line: what an edit round trip and the final order refer to
    tax_percent: Decimal = None  # the line's VAT rate (PEPPOL's ClassifiedTaxCategory)
    lead_time: int = 0  # days
    unit: str = "C62"  # UN/ECE code of the line's unit of measure (C62: pieces)


@dataclass
class Cart:
    reference: str  # our punch-out session
    return_url: str
    currency: str
    supplier: str  # our company's name
    buyer_identity: str  # the customer's identity at its procurement system (without its domain)
    buyer_cookie: str = ""
    lines: list = field(default_factory=list)
    options: dict = field(default_factory=dict)  # what the login asked for the return (e.g. OCI ~TARGET)
    buyer_domain: str = ""  # the domain / scheme of buyer_identity (cXML NetworkId, PEPPOL 0192), if known
    buyer_name: str = ""
    supplier_domain: str = ""  # our identity at the buyer's system: cXML From (DUNS, NetworkId) ...
    supplier_identity: str = ""  # ... PEPPOL ProviderParty endpoint (scheme, id)
    order_reference: str = ""  # our sale order of the cart: what the final order may refer to
    total: Decimal = None  # the cart's total without taxes, as our order rounds it (None: the lines' sum)
    default_classification: str = ""  # "domain:code" for lines without UNSPSC, as the buyer expects it
    language: str = ""  # the language of the line descriptions (BCP 47, e.g. "sv-SE"); empty: English


@dataclass
class CartReturn:
    payload: bytes  # what the exchange log keeps
    fields: list  # (name, value) pairs the browser posts to the return URL
    target: str = "_top"  # the frame the form posts into


@dataclass
class Address:
    """A delivery address as the buyer's final order gives it."""

    name: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""  # ISO 3166 alpha-2
    email: str = ""
    street2: str = ""
    state: str = ""  # a code or a name, as the buyer writes it
    phone: str = ""
    deliver_to: str = ""  # the person or mail stop it is for

    def is_postal(self):
        """Whether there is an address to deliver to (not only a name)."""
        return bool(self.street or self.city or self.postal_code)


@dataclass
class OrderLine:
    part: str
    quantity: Decimal
    price: Decimal  # per ordered unit (a price basis / base quantity already divided out)
    currency: str = ""
    line_ref: str = ""  # our cart line it refers to, when the buyer echoes it


@dataclass
class FinalOrder:
    """The buyer's approved order, whatever its protocol: it completes the returned cart it refers to,
    or becomes a new sale order."""

    order_id: str  # the buyer's order number (our client_order_ref)
    lines: list  # OrderLine
    currency: str = ""
    cart_refs: list = field(default_factory=list)  # our cart / sale order references the order names
    ship_to: Address = None
    customer_reference: str = ""  # who ordered at the buyer (PEPPOL cbc:CustomerReference)


def amount_text(value, minimum=2):
    """A price or amount as text: all its decimals, at least ``minimum`` (0.333 stays 0.333, 80 is
    80.00); never rounded."""
    value = Decimal(value)
    exponent = value.normalize().as_tuple().exponent
    decimals = max(minimum, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return format(value.quantize(Decimal(1).scaleb(-decimals)), "f")


def split_identity(value, default_domain=""):
    """(domain, identity) of a configured ``domain:identity`` (or a bare identity)."""
    domain, sep, identity = (value or "").strip().partition(":")
    if not sep:
        return default_domain, domain.strip()
    return domain.strip() or default_domain, identity.strip()


class PunchoutProtocol:
    code = ""  # the selection value of res.partner.punchout_protocol
    label = ""  # as the selection shows it
    name = ""  # short, in the exchange log
    login_route = None  # the buyer's browser logs in here (signed login links); None: a setup request
    # the login parameter naming where the cart goes back (OCI HOOK_URL): a generated login link carries
    # one, and the value the buyer's system appends to the link, the last one, counts
    return_param = None
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
        raise PunchoutError("punchout.protocol.unknown", _lt("unknown punch-out protocol %(protocol)s"),
                            protocol=repr(code)) from None


def auto_submit_form(action, pairs, target="_top", form_id="o_punchout_return"):
    """An HTML form that posts ``pairs`` to ``action`` as soon as the page loads (and a button if
    scripts are off)."""
    inputs = "\n".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}"/>'
                       for k, v in pairs)
    return (f'<form id="{form_id}" method="post" action="{html.escape(action)}" target="{html.escape(target)}" '
            f'accept-charset="UTF-8">\n{inputs}\n<noscript><button type="submit">Return the cart</button></noscript>'
            f"\n</form>")
