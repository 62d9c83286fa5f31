"""Safe XML parsing and validation shared by every b2b-connect protocol.

Every incoming document goes through :func:`parse_xml`: size-capped, no entity expansion, no DTD or
schema loading, no network. Documents that declare entities (XXE, billion laughs) are refused outright,
so a hostile peer gets a clear :class:`XMLSecurityError` and never a traceback or a local file.

Validation helpers load our own schema files (XSD, DTD, Schematron) from disk with network access off.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import os
import threading

from lxml import etree, isoschematron

from .errors import ProtocolError, _lt

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MiB: far above any real order, invoice or catalogue page


class XMLInputError(ProtocolError, ValueError):
    """Base class of every refusal of an XML document; the message is safe to show to users.
    ``XMLInputError(code, _lt("English %(x)s"), x=...)`` is shown in the user's language (a bare message,
    as other addons raise, is shown as it is)."""

    default_code = "xml"


class XMLSizeError(XMLInputError):
    default_code = "xml.size"


class XMLSecurityError(XMLInputError):
    default_code = "xml.security"


class XMLSyntaxError(XMLInputError):
    default_code = "xml.syntax"


class XMLValidationError(XMLInputError):
    """The document is well-formed but does not match its schema; ``errors`` lists every problem."""

    def __init__(self, schema_name, errors):
        self.schema_name = schema_name
        self.errors = list(errors)
        shown = "; ".join(self.errors[:5])
        if len(self.errors) > 5:
            super().__init__("xml.invalid", _lt("document does not match %(schema)s: %(errors)s (and %(more)s more)"),
                             schema=schema_name, errors=shown, more=len(self.errors) - 5)
        else:
            super().__init__("xml.invalid", _lt("document does not match %(schema)s: %(errors)s"),
                             schema=schema_name, errors=shown)


class _NoNetworkResolver(etree.Resolver):
    """Refuses every external reference (http, ftp, file...) so nothing is fetched while parsing."""

    def resolve(self, system_url, public_id, context):
        raise XMLSecurityError("xml.external_reference", _lt("external reference refused: %(reference)s"),
                               reference=system_url or public_id)


def _parser(**extra):
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=extra.pop("remove_blank_text", False),
        **extra,
    )
    parser.resolvers.add(_NoNetworkResolver())
    return parser


def _as_bytes(data):
    if isinstance(data, str):
        # lxml refuses str with an encoding declaration; text is always handled as UTF-8
        return data.encode("utf-8"), "utf-8"
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data), None
    raise XMLInputError("xml.type", _lt("expected XML as bytes or text, got %(type)s"), type=type(data).__name__)


def parse_xml(data, max_bytes=DEFAULT_MAX_BYTES, what="XML document"):
    """Parse untrusted XML and return the root element.

    Raises :class:`XMLSizeError` over ``max_bytes``, :class:`XMLSecurityError` for entity declarations
    or external references, :class:`XMLSyntaxError` when not well-formed. A ``<!DOCTYPE>`` that only
    names an external DTD (as cXML does) is accepted; the DTD itself is never loaded.
    """
    raw, encoding = _as_bytes(data)
    if len(raw) > max_bytes:
        raise XMLSizeError("xml.size", _lt("%(what)s is %(size)s bytes, over the limit of %(limit)s bytes"),
                           what=what, size=len(raw), limit=max_bytes)
    if not raw.strip():
        raise XMLSyntaxError("xml.empty", _lt("%(what)s is empty"), what=what)
    parser = _parser(encoding=encoding) if encoding else _parser()
    try:
        root = etree.fromstring(raw, parser)
    except XMLInputError:
        raise
    except etree.XMLSyntaxError as exc:
        msg = str(exc)
        if "ntity" in msg and ("loop" in msg or "amplification" in msg or "depth" in msg):
            raise XMLSecurityError("xml.entity_expansion", _lt("%(what)s refused: entity expansion attack (%(error)s)"),
                                   what=what, error=msg) from None
        # lxml's own message (English) stays a parameter; the line is said in our words
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        raise XMLSyntaxError("xml.syntax", _lt("%(what)s is not well-formed XML (line %(line)s): %(error)s"),
                             what=what, line=line, error=msg) from None
    if root is None:
        raise XMLSyntaxError("xml.no_root", _lt("%(what)s has no root element"), what=what)
    _refuse_entities(root.getroottree(), what)
    return root


def _refuse_entities(tree, what):
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        entities = list(dtd.iterentities())
        if entities:
            names = ", ".join(sorted({e.name for e in entities})[:5])
            raise XMLSecurityError("xml.entity_declared", _lt(
                "%(what)s refused: it declares entities (%(entities)s); entity declarations are not accepted"),
                what=what, entities=names)
    # Undeclared entity references left unresolved would silently drop data: refuse them as well.
    for node in tree.iter(etree.Entity):
        raise XMLSecurityError("xml.entity_reference", _lt("%(what)s refused: it references the entity &%(entity)s;"),
                               what=what, entity=node.name)


_schema_cache = {}
_schema_lock = threading.Lock()


def _load_cached(path, loader):
    key = (loader.__name__, os.path.abspath(path))
    with _schema_lock:
        mtime = os.path.getmtime(path)
        hit = _schema_cache.get(key)
        if hit and hit[0] == mtime:
            return hit[1]
        obj = loader(path)
        _schema_cache[key] = (mtime, obj)
        return obj


def _local_tree(path):
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.parse(path, parser)


def load_xsd(path):
    return _load_cached(path, lambda p: etree.XMLSchema(_local_tree(p)))


def load_dtd(path):
    def _dtd(p):
        with open(p, "rb") as fh:
            return etree.DTD(fh)
    return _load_cached(path, _dtd)


def load_schematron(path):
    return _load_cached(path, lambda p: isoschematron.Schematron(_local_tree(p), store_report=True))


def _errors(log):
    return [f"line {e.line}: {e.message}" for e in log]


def _as_tree(doc):
    if isinstance(doc, (bytes, str)):
        doc = parse_xml(doc)
    return doc.getroottree() if hasattr(doc, "getroottree") else doc


def _validate(validator, doc, path, name):
    if not validator.validate(_as_tree(doc)):
        raise XMLValidationError(name or os.path.basename(path), _errors(validator.error_log))
    return True


def validate_xsd(doc, xsd_path, name=None):
    return _validate(load_xsd(xsd_path), doc, xsd_path, name)


def validate_dtd(doc, dtd_path, name=None):
    return _validate(load_dtd(dtd_path), doc, dtd_path, name)


def validate_schematron(doc, sch_path, name=None):
    sch = load_schematron(sch_path)
    tree = _as_tree(doc)
    if not sch.validate(tree):
        report = sch.validation_report
        ns = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
        errors = [
            f"{fa.get('location')}: {' '.join(fa.xpath('string(svrl:text)', namespaces=ns).split())}"
            for fa in report.xpath("//svrl:failed-assert", namespaces=ns)
        ] or _errors(sch.error_log)
        raise XMLValidationError(name or os.path.basename(sch_path), errors)
    return True


def to_bytes(element, doctype=None, pretty=True):
    """Serialise an element to UTF-8 bytes with an XML declaration (and an optional DOCTYPE line)."""
    return etree.tostring(
        element, xml_declaration=True, encoding="UTF-8", pretty_print=pretty, doctype=doctype
    )
