"""DICO Order golden files: the bytes we send, per format, wholesaler profile and order, stay what they were
when the files were written (tests/fixtures/dico_golden/<format>/<profile>-<order>.xml), whatever the
builder does to be fast. The profiles are the records of b2b_edi_profile_data.xml, each deviation alone
and all of them at once; the orders cover every optional element, truncations, escaping, quantities to
round, and lines of every shape one after the other.

After a deliberate change of what is sent, rewrite the files with ``B2B_REGEN_GOLDEN=1`` and review the diff.
"""

import dataclasses
import datetime
import os
import pathlib
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_edi_connector.protocol.dico import STANDARD, Order, OrderLine, Party, Profile, get_format

REPO = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "fixtures" / "dico_golden"
PROFILE_DATA = REPO / "b2b_edi_connector" / "data" / "b2b_edi_profile_data.xml"
FLAGS = [f.name for f in dataclasses.fields(Profile) if isinstance(f.default, bool)]


def data_profiles():
    """The Profile of every record declared in the addon's data, as b2b.edi.profile._edi_profile makes it."""
    profiles = {}
    for record in etree.parse(str(PROFILE_DATA)).iter("record"):
        fields = {f.get("name"): f for f in record.iter("field")}
        values = {flag: fields[flag].get("eval") == "True" if flag in fields else getattr(STANDARD, flag)
                  for flag in FLAGS}
        profiles[fields["code"].text] = Profile(fields["code"].text, fields["name"].text, **values)
    return profiles


def profiles():
    result = data_profiles()
    for flag in FLAGS:  # each deviation alone
        result[f"only-{flag}"] = Profile(flag, flag, **{flag: not getattr(STANDARD, flag)})
    result["every-deviation"] = Profile("all", "all", **{flag: not getattr(STANDARD, flag) for flag in FLAGS})
    return result


PROFILES = profiles()
DATE = datetime.date(2026, 11, 24)
SITE = Party(gln="8714231774051", name="Bouwplaats Leeuwarden & Zn. <Noord> \"Hal 3\" - een naam die langer is dan "
                                       "zeventig tekens om af te kappen", street="Uranusweg 12", city="Leeuwarden",
             postal_code="8938 AJ", country="NL")


def full_order():
    """Every optional element, lines of every shape interleaved, texts to truncate and to escape."""
    return Order(
        "P2026/00042", DATE, Party(gln="8714231774051"), Party(gln="8713473000010"), time=datetime.time(9, 30, 5),
        delivery_party=SITE, customer_reference="Klantorder 77 van de eindafnemer, meer dan 35 tekens lang",
        project_reference="PRJ-2026-001 & <co>", required_date=datetime.date(2026, 11, 27),
        free_text="Bellen bij aankomst: 06-12345678 & niet vóór 7:00 <poort B>. " * 8, order_type="402",
        lines=[
            OrderLine("1", Decimal("2.5"), "PCE", "4011377309456", "2301056", "Afdekraam wit & zwart <enkel> " * 3,
                      required_date=datetime.date(2026, 11, 30)),
            OrderLine("2", Decimal("1.23456"), "MTR", "", "2700144288"),
            OrderLine("3", Decimal("10.000"), "", "96385074", "", "Kabelgoot ‘Ω’ €"),
            OrderLine("L-4", Decimal("0.001"), "PCE", "04011377309456", "ART 4", "",
                      required_date=datetime.date(2026, 12, 1)),
            OrderLine("5", Decimal("1E+1"), "BX", "4011377309456", "", "Doos"),
            OrderLine("6", Decimal("3"), "PCE", "", "ART-6", "Zonder GTIN", required_date=datetime.date(2026, 12, 2)),
            OrderLine("7", Decimal("12.3450"), "KGM", "614141000036", "ART-7", "GTIN-12"),
        ])


def minimal_order():
    """Nothing optional: no time, no delivery party, no references, one line with an article code."""
    return Order("P1", DATE, Party(gln="8714231774051"), Party(gln="8713473000010"), order_type="",
                 lines=[OrderLine("1", Decimal(1), "PCE", supplier_code="A1")])


def site_without_gln_order():
    """A delivery address without a GLN, a delivery party with a GLN only for the other side of the profiles."""
    return Order("P7", DATE, Party(gln="8714231774051"), Party(gln="8713473000010"), time=datetime.time(23, 59),
                 delivery_party=Party(name="Werf", street="Kade 1", city="Harlingen", postal_code="8861 AA",
                                      country="NL"),
                 lines=[OrderLine(str(n), Decimal(n), "PCE", "4011377309456", f"ART-{n}", f"Artikel {n}")
                        for n in range(1, 4)])


def bench_order():
    """The order bench/bench_dico.py measures (50 lines)."""
    return Order(
        "P00050", DATE, Party(gln="8714231774051"), Party(gln="8713473000010"), time=datetime.time(9, 0),
        delivery_party=Party(name="Site", street="Uranusweg 12", city="Leeuwarden", postal_code="8938 AJ",
                             country="NL"),
        customer_reference="S00077", project_reference="PRJ-1", required_date=datetime.date(2026, 11, 27),
        lines=[OrderLine(str(n), Decimal(n % 7 + 1), "PCE", "4011377309456", f"ART-{n}", f"Article {n}")
               for n in range(1, 51)])


ORDERS = {"full": full_order, "minimal": minimal_order, "site-without-gln": site_without_gln_order}
CASES = [(fmt, profile, name) for fmt in ("INSBOU003", "SALES005") for profile in PROFILES for name in ORDERS]
CASES += [(fmt, "gtin14", "bench50") for fmt in ("INSBOU003", "SALES005")]
ORDERS["bench50"] = bench_order


def golden_path(fmt, profile, name):
    return GOLDEN / fmt / f"{profile}-{name}.xml"


def build(fmt, profile, name):
    fmt = get_format(fmt)
    root = fmt.build_order(ORDERS[name](), PROFILES[profile])
    fmt.validate_order(root)
    return fmt.serialize(root)


@pytest.mark.parametrize(("fmt", "profile", "name"), CASES, ids=["/".join(c) for c in CASES])
def test_order_bytes_are_the_golden_ones(fmt, profile, name):
    path = golden_path(fmt, profile, name)
    data = build(fmt, profile, name)
    if os.environ.get("B2B_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data.decode("utf-8") == path.read_bytes().decode("utf-8")  # bytes for bytes, shown as a text diff


def test_the_golden_files_are_all_in_use():
    expected = {golden_path(*case) for case in CASES}
    assert set(GOLDEN.glob("*/*.xml")) == expected


def test_the_profiles_cover_every_flag_and_the_data_records():
    assert {"standard", "gtin14", "article_code", "gln_only", "technischeunie", "rexel", "solar",
            "oosterberg"} <= set(PROFILES)
    assert PROFILES["rexel"].line_identitfication and not PROFILES["rexel"].delivery_party_gln
    assert not PROFILES["gln_only"].send_order_time and PROFILES["standard"] == dataclasses.replace(
        STANDARD, key="standard", label=PROFILES["standard"].label)


# ---------------------------------------------------------------------------- validation refuses what it refused
def validate_as_first_written(fmt, root):
    """DicoFormat.validate_order as it was first written (every element in the format's Order namespace, then
    a copy without namespaces against the schema): the reference the validation is held to."""
    import copy  # noqa: PLC0415

    from odoo.addons.b2b_connector_base.lib import safe_xml  # noqa: PLC0415
    from odoo.addons.b2b_edi_connector.protocol.dico.format import ORDER_XSD  # noqa: PLC0415

    doc = root
    namespace = fmt.namespace("Order")
    strays = sorted({f"<{etree.QName(el).localname}> in {etree.QName(el).namespace or 'no namespace'}"
                     for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).namespace != namespace})
    if strays:
        raise safe_xml.XMLValidationError(f"DICO {fmt.code} Order", [
            f"{stray}, not {namespace or 'no namespace'}" for stray in strays])
    if namespace:
        doc = copy.deepcopy(root)
        for el in doc.iter():
            if isinstance(el.tag, str):
                el.tag = etree.QName(el.tag).localname
        etree.cleanup_namespaces(doc)
    safe_xml.validate_xsd(doc, ORDER_XSD, name=f"DICO {fmt.code} Order")
    return True


def _q(root, tag):
    namespace = etree.QName(root).namespace
    return f"{{{namespace}}}{tag}" if namespace else tag


def _find(root, path):
    return root.find("/".join(_q(root, step) for step in path.split("/")))


def _other_namespace(root):
    return "urn:example:other" if etree.QName(root).namespace else "http://www.ketenstandaard.nl/order/SALES/005"


MUTATIONS = {
    "as built": lambda root: None,
    "bad GLN": lambda root: setattr(_find(root, "Buyer/GLN"), "text", "12345"),
    "zero quantity": lambda root: setattr(_find(root, "OrderLine/OrderedQuantity"), "text", "0"),
    "quantity with four decimals": lambda root: setattr(_find(root, "OrderLine/OrderedQuantity"), "text", "1.2345"),
    "no order number": lambda root: root.remove(_find(root, "OrderNumber")),
    "elements swapped": lambda root: _find(root, "OrderNumber").addprevious(_find(root, "OrderDate")),
    "unknown element in a line": lambda root: etree.SubElement(_find(root, "OrderLine"), _q(root, "Colour")),
    "no lines": lambda root: [root.remove(el) for el in root.findall(_q(root, "OrderLine"))],
    "lowercase country": lambda root: setattr(_find(root, "DeliveryParty/Country"), "text", "nl"),
    "element in a GLN": lambda root: etree.SubElement(_find(root, "Buyer/GLN"), _q(root, "Digit")),
    "text in a line": lambda root: setattr(_find(root, "OrderLine"), "text", "loose text"),
    "attribute": lambda root: _find(root, "OrderLine").set("id", "1"),
    "long description (free content)": lambda root: setattr(
        _find(root, "OrderLine/TradeItemIdentification/AdditionalItemIdentification/TradeItemDescription"),
        "text", "x" * 200),
    "nested free content": lambda root: etree.SubElement(etree.SubElement(
        _find(root, "OrderLine/TradeItemIdentification/AdditionalItemIdentification"), _q(root, "Extra")),
        _q(root, "Deeper")),
    "other namespace in free content": lambda root: etree.SubElement(
        _find(root, "OrderLine/TradeItemIdentification/AdditionalItemIdentification"),
        f"{{{_other_namespace(root)}}}Extra"),
    "other namespace deep in free content": lambda root: etree.SubElement(etree.SubElement(
        _find(root, "OrderLine/TradeItemIdentification/AdditionalItemIdentification"), _q(root, "Extra")),
        f"{{{_other_namespace(root)}}}Deeper"),
    "other namespace in the header": lambda root: _find(root, "Buyer").addnext(
        etree.Element(f"{{{_other_namespace(root)}}}Invoicee")),
    "other namespace in place of a known element": lambda root: setattr(
        _find(root, "OrderNumber"), "tag", f"{{{_other_namespace(root)}}}OrderNumber"),
    "no namespace in a line": lambda root: etree.SubElement(_find(root, "OrderLine"), "Stray"),
    "comment and processing instruction": lambda root: (
        _find(root, "OrderLine").append(etree.Comment("a comment")),
        _find(root, "Buyer").addnext(etree.ProcessingInstruction("pi", "x"))),
    "root in another namespace": lambda root: setattr(root, "tag", f"{{{_other_namespace(root)}}}Order"),
}


def outcome(validate, fmt, root):
    from odoo.addons.b2b_connector_base.lib import safe_xml  # noqa: PLC0415

    try:
        return validate(root)
    except safe_xml.XMLValidationError as exc:
        return type(exc), exc.schema_name, exc.errors, str(exc)


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("source", ["built", "parsed"])
@pytest.mark.parametrize("fmt_code", ["INSBOU003", "SALES005"])
def test_validation_refuses_what_it_refused_with_the_same_errors(fmt_code, source, mutation):
    fmt = get_format(fmt_code)
    for other in ("INSBOU003", "SALES005"):  # an order of the other format too
        root = get_format(other).build_order(full_order(), PROFILES["standard"])
        if source == "parsed":  # as the sandbox validates a posted order: from bytes, with line numbers
            root = fmt.parse(fmt.serialize(root))[1]
        reference, candidate = copy_twice(root)
        MUTATIONS[mutation](reference)
        MUTATIONS[mutation](candidate)
        expected = outcome(lambda r: validate_as_first_written(fmt, r), fmt, reference)
        assert outcome(fmt.validate_order, fmt, candidate) == expected
        if mutation == "as built" and other == fmt_code:
            assert expected is True


def copy_twice(root):
    import copy  # noqa: PLC0415

    return copy.deepcopy(root), copy.deepcopy(root)
