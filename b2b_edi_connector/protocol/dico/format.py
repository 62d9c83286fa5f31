"""A DICO XML format and the registry of formats.

A :class:`DicoFormat` is one way of writing the DICO messages (a namespace, a version); it builds and
validates our Order, identifies an incoming document and parses the wholesaler's OrderResponse,
DespatchAdvice and Invoice. The messages themselves are in one module each (``order.py``,
``order_response.py``, ``despatch_advice.py``, ``invoice.py``); a format whose messages deviate
subclasses :class:`DicoFormat` and overrides the method of that message.

Each format is one module of ``formats/`` that calls :func:`register`; every module there is imported
with this package, so a new format is one new module and nothing else.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import _lt

from . import despatch_advice, invoice, order, order_response
from .elements import local
from .model import DicoError
from .schema import ORDER_XSD, order_schema  # noqa: F401  (ORDER_XSD: where it always was)

MAX_MESSAGE_BYTES = 5 * 1024 * 1024
DEFAULT_FORMAT = "INSBOU003"

# root element -> message kind (as the MessageService names message types)
ROOTS = {"order": "ORDERS", "orderresponse": "ORDRSP", "despatchadvice": "DESADV", "invoice": "INVOIC"}


class DicoFormat:
    """``namespaces`` maps a message's root element (Order, OrderResponse, DespatchAdvice, Invoice) to its
    namespace (none: the message has none); ``msg_format`` / ``version`` are what MessageService calls it
    (MsgFormat INSBOU, MsgVersion 003)."""

    def __init__(self, code, namespaces=None, version="", label=None, msg_format=None):
        self.code = code
        self.namespaces = dict(namespaces or {})
        self.version = version
        self.label = label or code
        self.msg_format = msg_format or code.rstrip("0123456789")

    def __repr__(self):
        return f"<DicoFormat {self.code}>"

    def namespace(self, message):
        """The namespace of ``message`` (its root element's name) in this format, or None."""
        return self.namespaces.get(message)

    # ------------------------------------------------------------------ writing elements in this format
    def root(self, tag):
        namespace = self.namespace(tag)
        return etree.Element(f"{{{namespace}}}{tag}" if namespace else tag,
                             nsmap={None: namespace} if namespace else None)

    def sub(self, parent, tag, text=None):
        """A child of ``parent``, in its namespace (every element of a message is in the message's)."""
        namespace = etree.QName(parent).namespace
        el = etree.SubElement(parent, f"{{{namespace}}}{tag}" if namespace else tag)
        if text is not None:
            el.text = str(text)
        return el

    def party_element(self, parent, tag, party, address=True, gln=True):
        el = self.sub(parent, tag)
        if party.gln and gln:
            self.sub(el, "GLN", party.gln)
        if address:
            for field_name, child in (("name", "Name"), ("street", "StreetAndNumber"), ("city", "City"),
                                      ("postal_code", "PostalCode"), ("country", "Country")):
                value = getattr(party, field_name)
                if value:
                    self.sub(el, child, value[:70])
        return el

    def item_element(self, parent, gtin, supplier_code, description, profile=None):
        item = self.sub(parent, "TradeItemIdentification")
        if gtin and not (profile and profile.supplier_code_only):
            self.sub(item, "GTIN", profile.format_gtin(gtin) if profile else gtin)
        if supplier_code:
            self.sub(item, "SuppliersTradeItemIdentification", supplier_code)
        if description:
            self.sub(self.sub(item, "AdditionalItemIdentification"), "TradeItemDescription", description[:70])
        return item

    def date_element(self, parent, wrapper, tag, value):
        """``<wrapper><tag>value</tag></wrapper>`` for a date (nothing when there is none)."""
        if value:
            self.sub(self.sub(parent, wrapper), tag, value.isoformat())

    def serialize(self, root):
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    # ------------------------------------------------------------------ out: our Order
    def build_order(self, message, profile=None):
        """The Order element for ``message`` (an :class:`~.model.Order`), following the wholesaler's
        :class:`~.profile.Profile` (the published standard when none)."""
        return order.build(self, message, profile)

    def validate_order(self, root):
        """Validate against our Order schema (every element in this format's Order namespace, then the
        structure); raises ``safe_xml.XMLValidationError`` with every error."""
        return order_schema(self.namespace("Order")).validate(root, f"DICO {self.code} Order")

    # ------------------------------------------------------------------ in: the wholesaler's answers
    def parse(self, data, what="DICO message"):
        """Parse bytes safely and return ``(kind, root)``; refuse documents that are not DICO messages."""
        root = safe_xml.parse_xml(data, max_bytes=MAX_MESSAGE_BYTES, what=what)
        kind = ROOTS.get(local(root.tag))
        if not kind:
            raise DicoError("dico.message.unknown_root", _lt(
                "%(what)s: <%(root)s> is not a DICO Order, OrderResponse, DespatchAdvice or Invoice"),
                what=what, root=etree.QName(root.tag).localname)
        return kind, root

    def parse_order_response(self, root):
        return order_response.parse(root)

    def parse_despatch_advice(self, root):
        return despatch_advice.parse(root)

    def parse_invoice(self, root):
        return invoice.parse(root)


FORMATS = {}


def register(fmt):
    """Make ``fmt`` known by its code; returns it (``FORMAT = register(DicoFormat(...))``)."""
    if fmt.code in FORMATS:
        raise ValueError(f"DICO format {fmt.code} is registered twice")
    FORMATS[fmt.code] = fmt
    return fmt


def get_format(code):
    try:
        return FORMATS[code or DEFAULT_FORMAT]
    except KeyError:
        raise DicoError("dico.format.unknown", _lt("unknown DICO message format %(code)s (known: %(known)s)"),
                        code=repr(code), known=", ".join(FORMATS)) from None
