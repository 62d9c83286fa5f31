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


class OrderSchema:
    def __init__(self, namespace=None):
        self.namespace = namespace
        self._prefix = f"{{{namespace}}}" if namespace else ""
        self._xsd = etree.XMLSchema(_schema_document(namespace))
        # how many elements are out of the namespace, counted in C
        self._count_strays = etree.XPath(
            "count(descendant-or-self::*) - count(descendant-or-self::order:*)", namespaces={"order": namespace},
        ) if namespace else etree.XPath("count(descendant-or-self::*[namespace-uri()])")
        # one compiled schema keeps the errors of its last run: one run at a time
        self._lock = threading.Lock()

    def validate(self, root, name):
        """True, or ``safe_xml.XMLValidationError`` with every element out of the namespace, else with every
        schema error."""
        if self._count_strays(root):
            raise safe_xml.XMLValidationError(name, [
                f"{stray}, not {self.namespace or 'no namespace'}" for stray in self.strays(root)])
        with self._lock:
            if self._xsd.validate(root.getroottree()):
                return True
            errors = [f"line {e.line}: {self._unqualified(e.message)}" for e in self._xsd.error_log]
        raise safe_xml.XMLValidationError(name, errors)

    def _unqualified(self, message):
        return message.replace(self._prefix, "") if self._prefix else message

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
