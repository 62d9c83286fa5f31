"""cXML 1.2.063 documents: the envelope, credentials, items, money, the DTD and the safe parser; what every
cXML message of ours is made of.

Everything we send carries the cXML DOCTYPE and is validated against the cXML DTD shipped in
``protocol/schemas/`` before it leaves; everything we receive goes through the safe parser (the DOCTYPE a
buyer sends is never fetched) and secrets are masked before anything of it is stored.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import datetime
import pathlib
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import _lt

from .. import guard
from ..base import Address, PunchoutError, amount_text

VERSION = "1.2.063"
DOCTYPE = f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{VERSION}/cXML.dtd">'
DTD = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "cXML-1.2.063.dtd"
MAX_BYTES = guard.MAX_BODY_BYTES
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class CXMLError(PunchoutError):
    """A cXML document we cannot accept; ``status`` is the cXML status code to answer with.
    ``CXMLError(code, _lt("English %(x)s"), status=401, x=...)``."""

    default_code = "cxml"

    def __init__(self, code, message=None, /, status=400, **params):
        self.status = status
        super().__init__(code, message, **params)


@dataclass
class Credential:
    domain: str
    identity: str
    shared_secret: str = ""


@dataclass
class CartItem:
    supplier_part_id: str
    quantity: Decimal
    unit_price: Decimal
    description: str
    currency: str = "EUR"
    unit: str = "EA"
    aux_id: str = ""
    classification: str = ""  # the code (a UNSPSC commodity code, or the code of another domain)
    classification_domain: str = "UNSPSC"
    manufacturer_part_id: str = ""
    lead_time: int = 0


# ---------------------------------------------------------------------------- helpers
def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def payload_id(domain="b2b-connect"):
    return f"{uuid.uuid4().hex}@{domain}"


def element(parent, tag, content=None, **attrs):
    el = etree.SubElement(parent, tag) if parent is not None else etree.Element(tag)
    for key, value in attrs.items():
        if value not in (None, ""):
            el.set(XML_LANG if key == "lang" else key, str(value))
    if content is not None:
        el.text = str(content)
    return el


# an xml:lang as a procurement system may send it (BCP 47: "sv", "sv-SE", "zh-Hant-TW"); anything else is not one
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")


def new_document(payload=None, lang="en-US"):
    return element(None, "cXML", payloadID=payload or payload_id(), timestamp=now(), version=VERSION,
                   lang=lang or "en-US")


def language_of(el):
    """The xml:lang of ``el`` when it is a language tag, else ""."""
    value = (el.get(XML_LANG) or "").strip() if el is not None else ""
    return value if _LANGUAGE.match(value) else ""


def credentials_element(parent, tag, credentials, with_secret=False):
    box = element(parent, tag)
    for cred in credentials:
        c = element(box, "Credential", domain=cred.domain or "NetworkId")
        element(c, "Identity", cred.identity)
        if with_secret and cred.shared_secret:
            element(c, "SharedSecret", cred.shared_secret)
    return box


def header(root, from_creds, to_creds, sender):
    box = element(root, "Header")
    credentials_element(box, "From", from_creds)
    credentials_element(box, "To", to_creds)
    sender_el = credentials_element(box, "Sender", [sender], with_secret=True)
    element(sender_el, "UserAgent", "b2b-connect punch-out")
    return box


def money(parent, tag, amount, currency):
    """A Money element: every decimal of the amount (a unit price of 0.333 is not 0.33)."""
    wrapper = element(parent, tag)
    element(wrapper, "Money", amount_text(amount), currency=currency)
    return wrapper


def item_id(parent, item):
    """The ItemID of an ItemIn / ItemOut: our part number and, when there is one, the auxiliary id."""
    ids = element(parent, "ItemID")
    element(ids, "SupplierPartID", item.supplier_part_id)
    if item.aux_id:
        element(ids, "SupplierPartAuxiliaryID", item.aux_id)
    return ids


def item_detail(parent, item, currency, lang="en"):
    """The ItemDetail of a priced item (price, description in ``lang``, unit, classification)."""
    detail = element(parent, "ItemDetail")
    money(detail, "UnitPrice", item.unit_price, item.currency or currency)
    element(detail, "Description", item.description or item.supplier_part_id, lang=lang or "en")
    element(detail, "UnitOfMeasure", item.unit or "EA")
    # the DTD requires a Classification on every item: a code with its domain, or, without one, the
    # domain "custom" and no code rather than a UNSPSC domain with something that is not a UNSPSC code
    code = item.classification or ""
    element(detail, "Classification", code, domain=(item.classification_domain or "custom") if code else "custom",
            code=code or None)
    return detail


def serialize(root):
    """The document with its cXML DOCTYPE, validated against the DTD."""
    validate(root)
    return safe_xml.to_bytes(root, doctype=DOCTYPE)


def validate(root):
    safe_xml.validate_dtd(root, DTD, name=f"cXML {VERSION} DTD")
    return True


def parse(data, what="cXML document"):
    root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what=what)
    if root.tag != "cXML":
        raise CXMLError("cxml.not_cxml", _lt("%(what)s: <%(tag)s> is not a cXML document"), what=what, tag=root.tag)
    return root


SECRET_TAGS = ("SharedSecret", "CredentialMac")
SECRET_MASK = "********"
# only for what does not parse: an opening tag (any attributes, prefix, case), then up to its closing tag
# or, when there is none, to the end of the data
_SECRET_FALLBACK_RE = re.compile(
    rb"(<\s*(?:[\w.-]+:)?(?:SharedSecret|CredentialMac)\b[^>]*?(?:>|$))(.*?)(?=<\s*/\s*(?:[\w.-]+:)?(?:SharedSecret|"
    rb"CredentialMac)\s*>|\Z)", re.S | re.I)


def mask_secrets(data):
    """``data`` (a cXML document a buyer sent) with every SharedSecret / CredentialMac replaced by a mask,
    found in the parsed tree (attributes, spacing and CDATA do not matter); a document that does not
    parse is masked from each opening secret tag to its closing tag or the end of the data."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data or b""
    try:
        root = safe_xml.parse_xml(data, max_bytes=MAX_BYTES, what="cXML document")
    except safe_xml.XMLInputError:
        return _SECRET_FALLBACK_RE.sub(lambda m: m.group(1) + SECRET_MASK.encode(), data)
    masked = False
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname in SECRET_TAGS:
            for child in list(el):
                el.remove(child)
            el.text = SECRET_MASK
            masked = True
    if not masked:
        return data
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def text(el, path):
    found = el.find(path) if el is not None else None
    return "".join(found.itertext()).strip() if found is not None else ""


def number(value, what, status=400, **checks):
    """``value`` as a sane Decimal (see ``guard.number``); a :class:`CXMLError` with ``status`` otherwise."""
    try:
        return guard.number(value, what, **checks)
    except guard.InputError as exc:
        raise CXMLError(exc.code, exc.message_en, status=status, **exc.params) from None


def parse_request(data, what):
    """(cXML root, its ``Request/<what>`` element) of a request; a :class:`CXMLError` when it is none."""
    root = parse(data, what)
    request = root.find(f"Request/{what}")
    if request is None:
        raise CXMLError("cxml.request.missing", _lt("the cXML document holds no %(what)s"), what=what)
    return root, request


def sender(root, what):
    """The Sender credential of a request (401 when there is none)."""
    credentials = parse_credentials(root.find("Header/Sender"))
    if not credentials:
        raise CXMLError("cxml.no_sender", _lt("%(what)s without Sender credential"), status=401, what=what)
    return credentials[0]


def item_outs(request, what):
    """The ItemOut elements of a request, at most ``guard.MAX_LINES``."""
    outs = request.findall("ItemOut")
    if len(outs) > guard.MAX_LINES:
        raise CXMLError("cxml.too_many_items", _lt("%(what)s has %(count)s ItemOut, over the limit of %(limit)s"),
                        what=what, count=len(outs), limit=guard.MAX_LINES)
    return outs


def deployment_mode(root):
    return root.find("Request").get("deploymentMode") or "production"


def parse_credentials(el):
    return [Credential(c.get("domain") or "", text(c, "Identity"), text(c, "SharedSecret"))
            for c in (el.findall("Credential") if el is not None else [])]


def unit_price(detail):
    """The price of one ordered unit of an ItemDetail: UnitPrice/Money, divided by its
    PriceBasisQuantity when there is one (the price of ``quantity`` price units, ``conversionFactor``
    price units to the ordered unit)."""
    if detail is None:
        return Decimal(0)
    price = number(text(detail, "UnitPrice/Money") or "0", "UnitPrice", non_negative=True)
    basis = detail.find("PriceBasisQuantity")
    if basis is not None:
        quantity = number(basis.get("quantity"), "PriceBasisQuantity quantity", positive=True)
        factor = number(basis.get("conversionFactor"), "PriceBasisQuantity conversionFactor", positive=True)
        price = price * factor / quantity
    return price


def parse_item(el, tag_qty="quantity"):
    detail = el.find("ItemDetail")
    classification = detail.find("Classification") if detail is not None else None
    return CartItem(
        supplier_part_id=text(el, "ItemID/SupplierPartID"),
        aux_id=text(el, "ItemID/SupplierPartAuxiliaryID"),
        quantity=number(el.get(tag_qty) or "0", "quantity"),
        unit_price=unit_price(detail),
        currency=(detail.find("UnitPrice/Money").get("currency") if detail is not None
                  and detail.find("UnitPrice/Money") is not None else "") or "EUR",
        description=text(detail, "Description"),
        unit=text(detail, "UnitOfMeasure") or "EA",
        classification=(classification.get("code") or text(detail, "Classification")) if classification is not None
        else "",
        classification_domain=classification.get("domain") or "" if classification is not None else "",
    )


def parse_address(el):
    """The :class:`~..base.Address` of a cXML Address element (ShipTo/Address, BillTo/Address)."""
    if el is None:
        return None
    postal = el.find("PostalAddress")
    country = postal.find("Country") if postal is not None else None
    streets = [(s.text or "").strip() for s in postal.findall("Street")] if postal is not None else []
    phone = el.find("Phone/TelephoneNumber")
    phone_text = " ".join(filter(None, (
        ("+" + text(phone, "CountryCode")) if text(phone, "CountryCode") else "", text(phone, "AreaOrCityCode"),
        text(phone, "Number")))) if phone is not None else ""
    return Address(
        name=text(el, "Name"), street=streets[0] if streets else "", street2=", ".join(filter(None, streets[1:])),
        city=text(postal, "City"), postal_code=text(postal, "PostalCode"), state=text(postal, "State"),
        country=(country.get("isoCountryCode") or "").strip().upper() if country is not None else "",
        email=text(el, "Email"), phone=phone_text,
        deliver_to=", ".join((d.text or "").strip() for d in postal.findall("DeliverTo")) if postal is not None
        else "")


def quantity_text(value):
    return format(Decimal(value).normalize(), "f")
