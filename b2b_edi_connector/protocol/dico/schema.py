"""Our Order schema (schemas/dico_order.xsd), compiled once per format namespace.

The schema is written without a namespace (INSBOU003). For a format whose Order has a namespace
(SALES005) the same declarations are compiled with that namespace as their target namespace and every
element qualified, so the Order is validated as it was built: no copy of the tree, no namespaces to take
off. What is checked is what always was: every element in the format's Order namespace, then the
structure; the errors read the same in every format (element names without their namespace).
"""

import pathlib
import threading

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

ORDER_XSD = pathlib.Path(__file__).resolve().parent.parent / "schemas" / "dico_order.xsd"
XS = "http://www.w3.org/2001/XMLSchema"


def _schema_document(namespace):
    """dico_order.xsd as written, or with ``namespace`` as the namespace of everything it declares."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    source = etree.parse(str(ORDER_XSD), parser).getroot()
    if not namespace:
        return source
    # the unprefixed type references (type="GLN") now name types of the target namespace
    schema = etree.Element(source.tag, nsmap={**source.nsmap, None: namespace})
    schema.attrib.update(source.attrib)
    schema.set("targetNamespace", namespace)
    schema.set("elementFormDefault", "qualified")
    schema.extend(source)
    return schema


def _free_content(schema):
    """Names of the elements whose content is a wildcard: the only places where the schema lets an element
    of another namespace through."""
    wildcard_types = {t.get("name") for t in schema.iterfind(f"{{{XS}}}complexType")
                      if next(t.iterdescendants(f"{{{XS}}}any"), None) is not None}
    return sorted({el.get("name") for el in schema.iter(f"{{{XS}}}element") if el.get("name") and (
        (el.get("type") or "").rpartition(":")[2] in wildcard_types
        or next(el.iterdescendants(f"{{{XS}}}any"), None) is not None)})


class OrderSchema:
    def __init__(self, namespace=None):
        self.namespace = namespace
        document = _schema_document(namespace)
        self._prefix = f"{{{namespace}}}" if namespace else ""
        self._xsd = etree.XMLSchema(document)
        self._free = tuple(self._prefix + name for name in _free_content(document))
        # one compiled schema keeps the errors of its last run: one run at a time
        self._lock = threading.Lock()

    def validate(self, root, name):
        """True, or ``safe_xml.XMLValidationError`` with every element out of the namespace, else every
        schema error."""
        with self._lock:
            valid = self._xsd.validate(root.getroottree())
            errors = None if valid else [f"line {e.line}: {self._unqualified(e.message)}" for e in self._xsd.error_log]
        if valid and not self._strays_in_free_content(root):
            return True
        strays = self.strays(root)  # refused: out of the namespace comes first, as it always did
        if strays:
            raise safe_xml.XMLValidationError(name, [
                f"{stray}, not {self.namespace or 'no namespace'}" for stray in strays])
        raise safe_xml.XMLValidationError(name, errors)

    def _unqualified(self, message):
        return message.replace(self._prefix, "") if self._prefix else message

    def _strays_in_free_content(self, root):
        prefix = self._prefix
        for free in root.iter(*self._free):
            for el in free.iterdescendants(etree.Element):
                if (not el.tag.startswith(prefix)) if prefix else el.tag.startswith("{"):
                    return True
        return False

    def strays(self, root):
        """Every element of ``root`` out of this namespace, as ``<name> in namespace``."""
        return sorted({f"<{etree.QName(el).localname}> in {etree.QName(el).namespace or 'no namespace'}"
                       for el in root.iter() if isinstance(el.tag, str)
                       and etree.QName(el).namespace != self.namespace})


_schemas = {}
_schemas_lock = threading.Lock()


def order_schema(namespace=None):
    """The :class:`OrderSchema` of ``namespace`` (None: no namespace), compiled on first use."""
    schema = _schemas.get(namespace)
    if schema is None:
        with _schemas_lock:
            schema = _schemas.get(namespace) or _schemas.setdefault(namespace, OrderSchema(namespace))
    return schema
