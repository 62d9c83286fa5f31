"""The published contracts a PEPPOL procurement system holds a punch-out cart (and an Order) against:

* the OASIS UBL 2.1 XSDs (``schemas/ubl-2.1/xsd``): Catalogue for the cart, Order for the final order;
* the PEPPOL BIS Punch Out 3 rules (T77) as OpenPEPPOL publishes them (``schemas/peppol/schematron``,
  unchanged): an ISO Schematron with XPath 2 (queryBinding xslt2) and XSLT 2 functions, compiled here
  to XSLT 3 and run with Saxon (PyPI ``saxonche``), because lxml only runs XSLT 1;
* its generated part: the official build generates ``T77-basic.sch`` (cardinalities, fixed values, code
  lists, no element outside the data model) from the published structure of the shopping cart
  (``schemas/peppol/structure/ubl-shoppingcart.xml`` and its code lists); the published Schematron
  includes that file, which is not published itself. The same checks are derived here from the same
  structure file (:func:`structure_errors`), and the include of the generated file is left out.

Plain Python (no Odoo); used by the sandbox procurement system and the tests, never by production code.
"""

import atexit
import functools
import json
import pathlib
import re
import subprocess
import sys
import threading

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

SCHEMAS = pathlib.Path(__file__).resolve().parent / "schemas"
UBL_XSD = {name: SCHEMAS / "ubl-2.1" / "xsd" / "maindoc" / f"UBL-{name}-2.1.xsd" for name in ("Catalogue", "Order")}
T77 = SCHEMAS / "peppol" / "schematron" / "PEPPOLBIS-T77.sch"
T77_GENERATED = "../../target/generated/T77-basic.sch"  # built from STRUCTURE by OpenPEPPOL's build
STRUCTURE = SCHEMAS / "peppol" / "structure" / "ubl-shoppingcart.xml"
CODELISTS = SCHEMAS / "peppol" / "structure" / "codelist"

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
XI = "http://www.w3.org/2001/XInclude"
VEFA = "urn:fdc:difi.no:2017:vefa:structure-1"
VEFA_CODES = "urn:fdc:difi.no:2017:vefa:structure:CodeList-1"


def validate_xsd(doc, document="Catalogue"):
    """``doc`` against the UBL 2.1 XSD of ``document`` (Catalogue, Order); XMLValidationError otherwise."""
    return safe_xml.validate_xsd(doc, UBL_XSD[document], name=f"UBL 2.1 {document} XSD")


# ---------------------------------------------------------------------------- the structure (T77-basic)
class _Node:
    def __init__(self, term, low, high, fixed, lists, attributes, children):
        self.term, self.low, self.high = term, low, high
        self.fixed, self.lists, self.attributes, self.children = fixed, lists, attributes, children


def _cardinality(el, default="1..1"):
    low, _sep, high = (el.get("cardinality") or default).partition("..")
    return int(low), (None if high in ("n", "*") else int(high or low))


def _structure_node(el):
    ns = {"s": VEFA}
    fixed = [v.text for v in el.findall("s:Value", ns) if v.get("type") == "FIXED"]
    lists = [r.text for r in el.findall("s:Reference", ns) if r.get("type") == "CODE_LIST"]
    attributes = {}
    for attr in el.findall("s:Attribute", ns):
        attr_lists = [r.text for r in attr.findall("s:Reference", ns) if r.get("type") == "CODE_LIST"]
        attributes[attr.findtext("s:Term", namespaces=ns)] = ((attr.get("usage") or "").lower() != "optional",
                                                              attr_lists)
    low, high = _cardinality(el)
    return _Node(el.findtext("s:Term", namespaces=ns), low, high, fixed[0] if fixed else None, lists, attributes,
                 [_structure_node(child) for child in el.findall("s:Element", ns)])


_structure_cache = {}


def load_structure(path=STRUCTURE):
    """(namespaces by prefix, the document's root node, code lists by identifier) of a structure file."""
    key = str(path)
    if key not in _structure_cache:
        tree = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
        ns = {"s": VEFA}
        prefixes = {n.get("prefix"): n.text for n in tree.getroot().findall("s:Namespace", ns)}
        document = tree.getroot().find("s:Document", ns)
        root = _structure_node(document)
        root.low = root.high = 1
        lists = {}
        for file in sorted(pathlib.Path(path).parent.glob("codelist/*.xml")):
            codes = etree.parse(str(file), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
            identifier = codes.findtext(f"{{{VEFA_CODES}}}Identifier")
            lists[identifier] = {(c.text or "").strip() for c in codes.iter(f"{{{VEFA_CODES}}}Id")}
        _structure_cache[key] = (prefixes, root, lists)
    return _structure_cache[key]


def _clark(term, prefixes):
    prefix, _sep, local = term.rpartition(":")
    return f"{{{prefixes[prefix]}}}{local}" if prefix else local


class _StructureCheck:
    """One run of the T77-basic checks over a document; ``errors`` in the order they are found."""

    def __init__(self, prefixes, lists):
        self.prefixes, self.lists, self.errors = prefixes, lists, []

    def in_lists(self, value, names, where):
        known = [self.lists[name] for name in names if name in self.lists]
        if len(known) < len(names) and not known:
            self.errors.append(f"{where}: code list {'/'.join(names)} not shipped with these rules, "
                               f"{value!r} unchecked")
        elif known and not any(value in codes for codes in known):
            self.errors.append(f"{where}: {value!r} is not in code list {'/'.join(names)}")

    def check(self, el, spec, where):
        self._check_attributes(el, spec, where)
        self._check_text(el, spec, where)
        self._check_children(el, spec, where)

    def _check_attributes(self, el, spec, where):
        for attr, (required, names) in spec.attributes.items():
            value = el.get(attr)
            if value is None:
                if required:
                    self.errors.append(f"{where}: attribute {attr} is mandatory")
            elif names:
                self.in_lists(value, names, f"{where}/@{attr}")

    def _check_text(self, el, spec, where):
        """The value of a leaf element: its fixed value, its code lists."""
        text = (el.text or "").strip() if len(el) == 0 else None
        if text is not None:
            if spec.fixed is not None and text != spec.fixed:
                self.errors.append(f"{where}: must be {spec.fixed!r}, not {text!r}")
            if spec.lists:
                self.in_lists(text, spec.lists, where)

    def _check_children(self, el, spec, where):
        """Children outside the data model, then each child of the model: how often, and itself (depth first)."""
        known = {_clark(child.term, self.prefixes): child for child in spec.children}
        for child in el:
            if isinstance(child.tag, str) and child.tag not in known:
                self.errors.append(f"{where}: {etree.QName(child).localname} is not part of the T77 data model")
        for tag, child_spec in known.items():
            found = el.findall(tag)
            if len(found) < child_spec.low:
                self.errors.append(f"{where}: {child_spec.term} is mandatory")
            if child_spec.high is not None and len(found) > child_spec.high:
                self.errors.append(f"{where}: {child_spec.term} at most {child_spec.high} time(s), found {len(found)}")
            for n, sub in enumerate(found, 1):
                self.check(sub, child_spec, f"{where}/{child_spec.term}[{n}]")


def structure_errors(root, path=STRUCTURE):
    """What the generated T77-basic rules refuse in ``root`` (an element), derived from the structure
    file: a missing mandatory element or attribute, an element more often than allowed or outside the
    data model, a fixed value not kept, a code not in its list."""
    prefixes, node, lists = load_structure(path)
    if root.tag != _clark(node.term, prefixes):
        return [f"the document is not a {node.term}"]
    run = _StructureCheck(prefixes, lists)
    run.check(root, node, f"/{node.term}")
    return run.errors


# ---------------------------------------------------------------------------- the Schematron (XSLT 2 rules)
def _parse(path):
    return etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()


def _expand(el, base, skip):
    """``el`` with its sch:include / xi:include replaced by what they include (relative to ``base``);
    includes named in ``skip`` are left out."""
    for child in list(el):
        if not isinstance(child.tag, str):
            continue
        if child.tag in (f"{{{SCH}}}include", f"{{{XI}}}include"):
            href = child.get("href")
            if href in skip:
                el.remove(child)
                continue
            included = _parse(base / href)
            _expand(included, (base / href).parent, skip)
            child.addprevious(included)
            el.remove(child)
        else:
            _expand(child, base, skip)
    return el


def _message(target, assertion):
    """The text of an assert / report, with its value-of and name as XSLT."""
    if assertion.text:
        etree.SubElement(target, f"{{{XSL}}}text").text = assertion.text
    for part in assertion:
        if part.tag == f"{{{SCH}}}value-of":
            etree.SubElement(target, f"{{{XSL}}}value-of", select=part.get("select"))
        elif part.tag == f"{{{SCH}}}name":
            etree.SubElement(target, f"{{{XSL}}}value-of", select=f"name({part.get('path') or '.'})")
        if part.tail:
            etree.SubElement(target, f"{{{XSL}}}text").text = part.tail


def compile_schematron(path, skip=()):
    """The XSLT 3 stylesheet (text) of an ISO Schematron with XSLT 2 query binding: every pattern a mode,
    its rules templates in document order (a node fires the first rule whose context it matches, as
    ISO Schematron says), each failed assert / successful report a ``<failed id flag location>``
    element of the output."""
    schema = _expand(_parse(path), pathlib.Path(path).parent, set(skip))
    nsmap = {"xsl": XSL}
    nsmap.update({ns.get("prefix"): ns.get("uri") for ns in schema.iter(f"{{{SCH}}}ns")})
    sheet = etree.Element(f"{{{XSL}}}stylesheet", nsmap=nsmap, version="3.0")
    sheet.set("exclude-result-prefixes", "#all")
    for function in schema.iter(f"{{{XSL}}}function"):
        sheet.append(function)
    for let in schema.iterchildren(f"{{{SCH}}}let"):
        etree.SubElement(sheet, f"{{{XSL}}}variable", name=let.get("name"), select=let.get("value"))
    patterns = list(schema.iter(f"{{{SCH}}}pattern"))
    top = etree.SubElement(sheet, f"{{{XSL}}}template", match="/")
    report = etree.SubElement(top, "report")
    for n, pattern in enumerate(patterns):
        mode = f"p{n}"
        etree.SubElement(report, f"{{{XSL}}}apply-templates", select="/", mode=mode)
        etree.SubElement(etree.SubElement(sheet, f"{{{XSL}}}template", match="/|*", mode=mode, priority="-10"),
                         f"{{{XSL}}}apply-templates", select="*", mode=mode)
        rules = list(pattern.iter(f"{{{SCH}}}rule"))
        for m, rule in enumerate(rules):
            template = etree.SubElement(sheet, f"{{{XSL}}}template", match=rule.get("context"), mode=mode,
                                        priority=str(len(rules) - m))
            for let in rule.iterchildren(f"{{{SCH}}}let"):
                etree.SubElement(template, f"{{{XSL}}}variable", name=let.get("name"), select=let.get("value"))
            for check in rule:
                if check.tag not in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
                    continue
                test = check.get("test")
                condition = f"not({test})" if check.tag == f"{{{SCH}}}assert" else f"({test})"
                failed = etree.SubElement(etree.SubElement(template, f"{{{XSL}}}if", test=condition), "failed",
                                          id=check.get("id") or "", flag=check.get("flag") or "fatal",
                                          location="{path()}")
                _message(failed, check)
            etree.SubElement(template, f"{{{XSL}}}apply-templates", select="*", mode=mode)
    return etree.tostring(sheet, encoding="unicode")


class _Saxon:
    """The Saxon process (:mod:`.saxon_worker`), started on first use and again when it ended; one
    request at a time (the sandbox peers answer in threads)."""

    lock = threading.Lock()
    process = None
    WORKER = pathlib.Path(__file__).resolve().parent / "saxon_worker.py"

    @classmethod
    def run(cls, key, stylesheet, xml_text):
        with cls.lock:
            if cls.process is None or cls.process.poll() is not None:
                cls.process = subprocess.Popen(  # noqa: S603 - our own script, with this Python
                    [sys.executable, str(cls.WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL, text=True, encoding="utf-8", bufsize=1)
                atexit.register(cls.process.kill)
            cls.process.stdin.write(json.dumps({"key": key, "stylesheet": stylesheet(), "xml": xml_text}) + "\n")
            cls.process.stdin.flush()
            line = cls.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Saxon process ended (exit code {cls.process.poll()})")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"Saxon: {answer['error']}")
        return answer["output"]

    @classmethod
    def stop(cls):
        with cls.lock:
            process, cls.process = cls.process, None
        if process is not None and process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def stop():
    """End the Saxon process (it starts again when needed): tests call it when they are done, Odoo's
    test classes warn about child processes left running."""
    _Saxon.stop()


@functools.lru_cache(maxsize=8)
def _stylesheet(path, skip):
    return compile_schematron(path, skip)


def schematron_failures(root, path=T77, skip=(T77_GENERATED,)):
    """[(id, flag, location, text)] of what the Schematron at ``path`` reports on ``root``."""
    output = _Saxon.run(str(path), lambda: _stylesheet(str(path), tuple(skip)),
                        etree.tostring(root.getroottree() if hasattr(root, "getroottree") else root,
                                       encoding="unicode"))
    report = etree.fromstring(output.encode("utf-8"))
    return [(f.get("id"), f.get("flag"), re.sub(r"Q\{[^}]*\}", "", f.get("location") or ""),
             re.sub(r"\s+", " ", f.text or "").strip()) for f in report.iter("failed")]


def validate_cart(data):
    """The root of a punch-out cart (bytes) that passes the UBL 2.1 Catalogue XSD, the T77 structure and
    the T77 Schematron (fatal rules; warnings are returned); an XMLValidationError listing what fails."""
    root = safe_xml.parse_xml(data, what="PEPPOL punch-out cart")
    validate_xsd(root, "Catalogue")
    errors = structure_errors(root)
    failures = schematron_failures(root)
    errors += [f"{rule} {location}: {text}" for rule, flag, location, text in failures if flag != "warning"]
    if errors:
        raise safe_xml.XMLValidationError("PEPPOL BIS Punch Out 3 (T77)", errors)
    return root, [f"{rule}: {text}" for rule, flag, _location, text in failures if flag == "warning"]
