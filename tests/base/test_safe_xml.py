import pathlib

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.safe_xml import (
    XMLSecurityError,
    XMLSizeError,
    XMLSyntaxError,
    XMLValidationError,
    parse_xml,
)

SPECS = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "specs"


def test_parses_plain_document_and_text_with_declaration():
    root = parse_xml(b"<Order><Id>42</Id></Order>")
    assert root.findtext("Id") == "42"
    # text input with a declared encoding is accepted (lxml alone refuses it)
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>caf\u00e9</a>')
    assert root.text == "caf\u00e9"


def test_xxe_file_disclosure_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'
    with pytest.raises(XMLSecurityError) as err:
        parse_xml(doc.encode())
    assert "entit" in str(err.value)
    assert "TOP-SECRET" not in str(err.value)


def test_external_parameter_entity_over_network_is_refused():
    doc = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><r/>'
    with pytest.raises((XMLSecurityError, XMLSyntaxError)):
        parse_xml(doc)


def test_billion_laughs_is_refused_quickly():
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE lolz [{lol}]><lolz>&lol9;</lolz>'
    with pytest.raises(XMLSecurityError):
        parse_xml(doc.encode())


def test_oversized_input_is_refused_before_parsing():
    big = b"<a>" + b"x" * 2000 + b"</a>"
    with pytest.raises(XMLSizeError) as err:
        parse_xml(big, max_bytes=1000, what="DICO message")
    assert "DICO message" in str(err.value) and "1000" in str(err.value)


@pytest.mark.parametrize("data", [b"", b"   ", b"<a><b></a>", b"not xml", b"<a>&undefined;</a>"])
def test_malformed_input_gives_clear_error(data):
    with pytest.raises((XMLSyntaxError, XMLSecurityError)) as err:
        parse_xml(data)
    assert isinstance(err.value, ValueError)


def test_wrong_type():
    with pytest.raises(safe_xml.XMLInputError):
        parse_xml(12)


def test_cxml_doctype_without_entities_is_accepted_and_dtd_not_fetched():
    data = (SPECS / "cxml" / "PunchOutSetupRequest.xml").read_bytes()
    assert b"<!DOCTYPE" in data
    root = parse_xml(data)
    assert root.tag == "cXML"


def test_xsd_validation_reports_every_error(tmp_path):
    xsd = tmp_path / "order.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="Order"><xs:complexType><xs:sequence>'
        '<xs:element name="Id" type="xs:string"/><xs:element name="Qty" type="xs:decimal"/>'
        "</xs:sequence></xs:complexType></xs:element></xs:schema>"
    )
    assert safe_xml.validate_xsd(b"<Order><Id>1</Id><Qty>2.5</Qty></Order>", str(xsd))
    with pytest.raises(XMLValidationError) as err:
        safe_xml.validate_xsd(parse_xml(b"<Order><Id>1</Id><Qty>many</Qty></Order>"), str(xsd))
    assert "Qty" in str(err.value) and err.value.errors


def test_dtd_validation_with_the_cxml_dtd():
    dtd = SPECS / "cxml" / "cXML-1.2.063.dtd"
    good = parse_xml((SPECS / "cxml" / "PunchoutOrderMessage.xml").read_bytes())
    assert safe_xml.validate_dtd(good, str(dtd))
    bad = parse_xml(b'<cXML payloadID="1" timestamp="2024-01-01T00:00:00"><Nonsense/></cXML>')
    with pytest.raises(XMLValidationError):
        safe_xml.validate_dtd(bad, str(dtd))


def test_schematron_validation(tmp_path):
    sch = tmp_path / "rules.sch"
    sch.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron"><pattern><rule context="Line">'
        '<assert test="number(Qty) &gt; 0">quantity must be positive</assert>'
        "</rule></pattern></schema>"
    )
    assert safe_xml.validate_schematron(b"<Order><Line><Qty>1</Qty></Line></Order>", str(sch))
    with pytest.raises(XMLValidationError) as err:
        safe_xml.validate_schematron(b"<Order><Line><Qty>0</Qty></Line></Order>", str(sch))
    assert "quantity must be positive" in str(err.value)


def test_to_bytes_roundtrip():
    root = etree.Element("a")
    root.text = "\u20ac"
    data = safe_xml.to_bytes(root)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert parse_xml(data).text == "\u20ac"
