"""Punch-out against the published contracts, not against our own peer: the cXML DTD of the version we
declare (for everything we and the sandbox procurement system build) and the public cXML samples; SAP's
OCI field lengths and number formats; the UBL 2.1 XSDs, PEPPOL's T77 rules (Schematron run with Saxon,
its generated part from the published structure) and the public PEPPOL samples. Where each comes from:
tests/fixtures/specs/SOURCES.md."""

import copy
import pathlib
import re
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_punchout.protocol import base, cxml, oci, peppol
from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml
from odoo.addons.b2b_sandbox.protocol import oci as buyer_oci
from odoo.addons.b2b_sandbox.protocol import peppol as buyer_peppol
from odoo.addons.b2b_sandbox.protocol import peppol_rules

SPECS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "specs"
DTD = SPECS / "cxml" / "cXML-1.2.063.dtd"
SENDER = cxml.Credential("NetworkId", "buyer@procure.example", "s3cr3t")
NS = peppol.NS


def cart(**kw):
    values = dict(
        reference="PO-1A2B3C4D", return_url="https://buyer.example/return", currency="EUR", supplier="Cable Co",
        buyer_identity="123456785", buyer_domain="0192", buyer_name="Region Hospital", buyer_cookie="cookie-7",
        supplier_domain="DUNS", supplier_identity="150483782", order_reference="S00042",
        lines=[base.CartLine("CAB-3", "Cable 3x1.5 per metre", Decimal(30), Decimal("0.333"), "EUR",
                             unspsc="26121609", line_ref="41", tax_percent=Decimal(21)),
               base.CartLine("CLIP-1", "Clip", Decimal(2), Decimal("1.5"), "EUR", line_ref="42",
                             tax_percent=Decimal(0))])
    values.update(kw)
    return base.Cart(**values)


def dtd_valid(data):
    """``data`` declares cXML 1.2.063 and is valid against that DTD as published (our fixture copy)."""
    match = re.search(rb'<!DOCTYPE cXML SYSTEM "http://xml\.cxml\.org/schemas/cXML/([0-9.]+)/cXML\.dtd">', data)
    assert match and match.group(1).decode() == cxml.VERSION == "1.2.063", "the version we declare is the DTD's"
    root = safe_xml.parse_xml(data)
    assert root.get("version") == cxml.VERSION
    return safe_xml.validate_dtd(root, DTD)


# ---------------------------------------------------------------------------- cXML
def test_the_addon_ships_the_published_dtd():
    assert cxml.DTD.read_bytes() == DTD.read_bytes()


def test_everything_cxml_we_build_is_valid_for_its_declared_dtd():
    ours = cxml.CxmlProtocol().cart_return(cart())
    setup = cxml.serialize(buyer_cxml.build_setup_request(SENDER, "c", "https://b.example/r", "edit",
                                                          items=[cxml.CartItem("CAB-3", Decimal(2), 0, "")]))
    order = buyer_cxml.build_order_request(
        SENDER, "PO-1", [cxml.CartItem("CAB-3", Decimal(30), Decimal("0.333"), "Cable", aux_id="41")],
        ship_to=base.Address("Acme Receiving", "Main 1", "Utrecht", "3511 AA", "NL", "dock@acme.example",
                             street2="Gate 4", state="UT", deliver_to="Joe Smith, Mailstop M-543"),
        supplier_order_id="S00042")
    for data in (ours.payload, cxml.build_response(200, "OK", start_url="https://shop.example/s"),
                 cxml.build_response(400, "Bad Request", "line 1: unknown product"), setup, order):
        assert dtd_valid(data)


def test_public_order_request_sample():
    order = cxml.parse_order_request((SPECS / "cxml" / "OrderRequest.xml").read_bytes())
    assert (order.order_id, order.total, order.currency, order.deployment_mode) == (
        "DO1234", Decimal("85.00"), "EUR", "test")
    assert order.ship_to == base.Address(
        name="Acme", street="123 Anystreet", city="Sunnyvale", postal_code="90489", country="US", state="CA",
        phone="+1 800 5551212", deliver_to="Joe Smith, Mailstop M-543")
    assert (order.bill_to.name, order.bill_to.city, order.bill_to.country) == ("Zinc GmbH", "Solingen", "DE")
    assert [(i.supplier_part_id, i.quantity, i.unit_price, i.classification_domain, i.classification)
            for i in order.items] == [("1233244", Decimal(10), Decimal("2.10"), "custom", "0"),
                                      ("1233245", Decimal(20), Decimal("3.20"), "custom", "0")]
    final = order.final_order()
    assert (final.order_id, final.cart_refs, final.ship_to.city) == ("DO1234", [], "Sunnyvale")
    assert [(line.part, line.quantity, line.price, line.line_ref) for line in final.lines] == [
        ("1233244", Decimal(10), Decimal("2.10"), ""), ("1233245", Decimal(20), Decimal("3.20"), "")]


def test_public_setup_request_and_order_message_samples():
    setup = cxml.parse_setup_request((SPECS / "cxml" / "PunchOutSetupRequest.xml").read_bytes())
    assert [(i.supplier_part_id, i.quantity) for i in setup.items] == [("5555", Decimal(2)), ("6666", Decimal(1))]
    assert [(c.domain, c.identity) for c in setup.to_credentials] == [("NetworkId", "supplier@supplier.com")]
    cookie, items, supplier_order, supplier = buyer_cxml.read_order_message(
        (SPECS / "cxml" / "PunchoutOrderMessage.xml").read_bytes())
    assert (cookie, supplier_order) == ("1CX3L4843PPZO", "")
    assert [(c.domain, c.identity) for c in supplier] == [("DUNS", "83528721")]
    assert [(i.supplier_part_id, i.quantity, i.unit_price, i.currency, i.classification_domain) for i in items] == [
        ("5555", Decimal(3), Decimal("763.20"), "USD", "UNSPSC"),
        ("666", Decimal(5), Decimal("763.20"), "USD", "UNSPSC")]


def test_cxml_cart_keeps_the_price_precision_unspsc_and_our_duns():
    result = cxml.CxmlProtocol().cart_return(cart(total=Decimal("12.99")))
    root = cxml.parse(result.payload)
    items = root.findall("Message/PunchOutOrderMessage/ItemIn")
    assert [i.findtext("ItemDetail/UnitPrice/Money") for i in items] == ["0.333", "1.50"], "0.333 is not 0.33"
    assert root.findtext("Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/Total/Money") == "12.99"
    unspsc, none = (i.find("ItemDetail/Classification") for i in items)
    assert (unspsc.get("domain"), unspsc.get("code"), unspsc.text) == ("UNSPSC", "26121609", "26121609")
    assert (none.get("domain"), none.get("code"), none.text) == ("custom", None, None), \
        "no UNSPSC: no UNSPSC domain either (the DTD still wants a Classification)"
    assert [(c.get("domain"), c.findtext("Identity")) for c in root.findall("Header/From/Credential")] == [
        ("DUNS", "150483782")]
    assert [i.findtext("ItemID/SupplierPartAuxiliaryID") for i in items] == ["41", "42"]
    _cookie, parsed, supplier_order, _from = buyer_cxml.read_order_message(result.payload)
    assert supplier_order == "S00042" and parsed[0].unit_price == Decimal("0.333")
    # the classification the buyer expects for products without UNSPSC code, when configured
    other = cxml.parse(cxml.CxmlProtocol().cart_return(cart(default_classification="UNSPSC:39121400")).payload)
    assert other.findall(".//Classification")[1].get("code") == "39121400"


def test_cxml_cart_without_configured_identity_answers_as_the_setup_addressed_us():
    options = {"to": [["NetworkId", "AN01000000123"]], "from": [["NetworkId", "AN02000000456"], ["DUNS", "12"]]}
    root = cxml.parse(cxml.CxmlProtocol().cart_return(cart(supplier_identity="", options=options)).payload)
    assert [(c.get("domain"), c.findtext("Identity")) for c in root.findall("Header/From/Credential")] == [
        ("NetworkId", "AN01000000123")]
    assert [(c.get("domain"), c.findtext("Identity")) for c in root.findall("Header/To/Credential")] == [
        ("NetworkId", "AN02000000456"), ("DUNS", "12")]


def test_cxml_order_request_refers_to_the_cart_and_keeps_precision():
    data = buyer_cxml.build_order_request(
        SENDER, "PO-9", [cxml.CartItem("CAB-3", Decimal(30), Decimal("0.333"), "Cable", aux_id="41")],
        supplier_order_id="S00042", ship_to=base.Address("Site", "Main 1", "Utrecht", "3511 AA", "nl"))
    final = cxml.parse_order_request(data).final_order()
    assert final.cart_refs == ["S00042"]
    assert [(line.part, line.price, line.line_ref) for line in final.lines] == [("CAB-3", Decimal("0.333"), "41")]
    assert final.ship_to.country == "NL"
    # a price basis (the price of 100 metres) is divided out: what one ordered unit costs
    root = etree.fromstring(data)
    detail = root.find(".//ItemOut/ItemDetail")
    detail.find("UnitPrice/Money").text = "33.30"
    basis = etree.Element("PriceBasisQuantity", quantity="100", conversionFactor="1")
    etree.SubElement(basis, "UnitOfMeasure").text = "MTR"
    detail.find("UnitOfMeasure").addnext(basis)
    assert cxml.validate(root)
    assert cxml.parse_order_request(etree.tostring(root)).items[0].unit_price == Decimal("0.333")


# ---------------------------------------------------------------------------- SAP OCI
# The inbound field lengths of SAP's OCI 4.0 / 5.0 documentation (all CHAR).
PUBLISHED_OCI_FIELDS = {
    "DESCRIPTION": 40, "MATNR": 40, "QUANTITY": 15, "UNIT": 3, "PRICE": 15, "CURRENCY": 5, "PRICEUNIT": 5,
    "LEADTIME": 5, "VENDOR": 10, "VENDORMAT": 40, "MANUFACTCODE": 10, "MANUFACTMAT": 40, "MATGROUP": 10,
    "SERVICE": 1, "CONTRACT": 10, "CONTRACT_ITEM": 5, "EXT_QUOTE_ID": 35, "EXT_QUOTE_ITEM": 10,
    "EXT_PRODUCT_ID": 40, "ATTACHMENT": 255, "ATTACHMENT_TITLE": 255, "ATTACHMENT_PURPOSE": 1,
    "EXT_SCHEMA_TYPE": 10, "EXT_CATEGORY_ID": 60,
}
# QUANTITY / PRICE: at most 11 digits before the decimal point and 3 after, a point, no comma
OCI_DECIMAL = re.compile(r"^\d{1,11}\.\d{3}$")


def oci_fields(line_price=Decimal("0.333"), **item):
    values = dict(description="Cable", quantity=Decimal(30), unit="MTR", price=line_price, currency="EUR",
                  vendor_mat="CAB-3")
    values.update(item)
    return dict(oci.cart_fields([oci.Item(**values)]))


def test_oci_fields_are_the_published_ones():
    assert oci.FIELDS == PUBLISHED_OCI_FIELDS
    fields = oci_fields(lead_time=5, unspsc="26121609")
    for name, value in fields.items():
        field = re.match(r"NEW_ITEM-([A-Z_]+)\[1\]$", name).group(1)
        assert len(value) <= PUBLISHED_OCI_FIELDS[field], name
    assert OCI_DECIMAL.match(fields["NEW_ITEM-QUANTITY[1]"]) and OCI_DECIMAL.match(fields["NEW_ITEM-PRICE[1]"])


@pytest.mark.parametrize("price,sent,price_unit", [
    (Decimal("0.333"), "0.333", "1"),  # fits the 3 decimals: per unit
    (Decimal("120.5"), "120.500", "1"),
    (Decimal("0.3333"), "3.333", "10"),  # more decimals than OCI has: the price of 10 units
    (Decimal("0.00125"), "0.125", "100"),
    (Decimal("0.0000001"), "0.001", "10000"),
])
def test_oci_price_keeps_its_precision_with_a_price_unit(price, sent, price_unit):
    fields = oci_fields(price)
    assert (fields["NEW_ITEM-PRICE[1]"], fields["NEW_ITEM-PRICEUNIT[1]"]) == (sent, price_unit)
    assert buyer_oci.parse_cart(fields)[0].price == price, "the buyer gets exactly our unit price back"


@pytest.mark.parametrize("item,message", [
    ({"line_price": Decimal("0.00000001")}, "even per 10000 units"),  # PRICEUNIT has 5 digits
    ({"line_price": Decimal("123456789012")}, "11 digits"),
    ({"quantity": Decimal("1.2345")}, "more than 3 decimals"),
    ({"quantity": Decimal("100000000000")}, "11 digits"),
    ({"quantity": Decimal(0)}, "greater than zero"),
    ({"lead_time": 100000}, "lead time"),
    ({"lead_time": Decimal("1.5")}, "whole number"),
    ({"vendor_mat": "X" * 41}, "VENDORMAT"),
    ({"currency": "EURO12"}, "CURRENCY"),
    ({"unspsc": "2" * 61}, "EXT_CATEGORY_ID"),
])
def test_oci_numbers_and_identifiers_that_do_not_fit_are_refused_never_cut(item, message):
    with pytest.raises(oci.OCIError, match=message):
        oci_fields(**item)


def test_the_sandbox_reads_oci_fields_as_sap_defines_them():
    fields = oci_fields(Decimal("0.3333"), lead_time=3, unspsc="26121609")
    item = buyer_oci.parse_cart(fields)[0]
    assert (item.quantity, item.price, item.price_unit, item.lead_time, item.unspsc) == (
        Decimal(30), Decimal("0.3333"), 10, 3, "26121609")
    for name, bad in (("NEW_ITEM-PRICE[1]", "0,333"), ("NEW_ITEM-QUANTITY[1]", "1.2345"),
                      ("NEW_ITEM-PRICEUNIT[1]", "1.5"), ("NEW_ITEM-DESCRIPTION[1]", "D" * 41),
                      ("NEW_ITEM-BOGUS[1]", "x")):
        with pytest.raises(oci.OCIError):
            buyer_oci.parse_cart({**fields, name: bad})


# ---------------------------------------------------------------------------- PEPPOL: UBL 2.1 + T77
def our_peppol_cart(**kw):
    return peppol.PeppolProtocol().cart_return(cart(**kw)).payload


def test_our_peppol_cart_passes_ubl_xsd_and_t77():
    data = our_peppol_cart()
    root, warnings = peppol_rules.validate_cart(data)
    assert warnings == []
    lines = root.findall("cac:CatalogueLine", NS)
    price = lines[0].find("cac:RequiredItemLocationQuantity/cac:Price", NS)
    assert price.findtext("cbc:PriceAmount", namespaces=NS) == "0.333", "0.333 is not 0.33"
    batch = lines[0].find("cac:RequiredItemLocationQuantity/cac:DeliveryUnit/cbc:BatchQuantity", NS)
    assert (price.findtext("cbc:BaseQuantity", namespaces=NS), price.find("cbc:BaseQuantity", NS).get("unitCode")) \
        == ("1", batch.get("unitCode"))
    code = lines[0].find("cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", NS)
    assert (code.get("listID"), code.text) == ("TST", "26121609")  # UNCL 7143: TST is UNSPSC
    assert lines[1].find("cac:Item/cac:CommodityClassification", NS) is None
    taxes = [(line.findtext("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", namespaces=NS),
              line.findtext("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", namespaces=NS)) for line in lines]
    assert taxes == [("S", "21"), ("Z", "0")]
    cart_read = buyer_peppol.read_cart(data)
    assert (cart_read.cart_id, cart_read.receiver.name, cart_read.receiver.endpoint_id) == (
        "PO-1A2B3C4D", "Region Hospital", "123456785")
    assert [(line.seller_item_id, line.quantity, line.price, line.unspsc) for line in cart_read.lines] == [
        ("CAB-3", Decimal(30), Decimal("0.333"), "26121609"), ("CLIP-1", Decimal(2), Decimal("1.50"), "")]


def _break(data, change):
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root)


@pytest.mark.parametrize("change,rule", [
    (lambda r: r.remove(r.find("cbc:IssueTime", NS)), "IssueTime is mandatory"),  # T77 structure
    (lambda r: r.find(".//cac:ReceiverParty/cac:PartyLegalEntity", NS).getparent().remove(
        r.find(".//cac:ReceiverParty/cac:PartyLegalEntity", NS)), "PartyLegalEntity is mandatory"),
    (lambda r: r.find(".//cbc:PriceAmount", NS).set("currencyID", "EUX"), "not in code list ISO4217"),
    (lambda r: r.find(".//cbc:ItemClassificationCode", NS).set("listID", "XYZ"), "not in code list UNCL7143"),
    (lambda r: r.find(".//cbc:PriceAmount", NS).__setattr__("text", "-0.333"), "PEPPOL-T77-R003"),
    (lambda r: r.find(".//cbc:BaseQuantity", NS).set("unitCode", "MTR"), "PEPPOL-T77-R006"),
    (lambda r: r.find(".//cac:Item/cbc:Name", NS).__setattr__("text", ""), "PEPPOL-COMMON-R001"),
    (lambda r: r.find(".//cac:ReceiverParty/cbc:EndpointID", NS).__setattr__("text", "123456789"),
     "PEPPOL-COMMON-R041"),  # a Norwegian organisation number fails its mod 11
    (lambda r: r.find(".//cac:ClassifiedTaxCategory/cbc:Percent", NS).__setattr__("text", "0"), "PEPPOL-T77-R009"),
])
def test_the_t77_rules_refuse_a_broken_cart(change, rule):
    data = our_peppol_cart()
    with pytest.raises(safe_xml.XMLValidationError) as err:
        peppol_rules.validate_cart(_break(data, change))
    assert any(rule in e for e in err.value.errors), err.value.errors


def test_t77_compiler_keeps_first_rule_semantics_and_the_published_rules():
    sheet = peppol_rules.compile_schematron(peppol_rules.T77, skip=(peppol_rules.T77_GENERATED,))
    assert sheet.count("<xsl:function") >= 10, "the published XSLT 2 functions (GLN, mod 11 ...) are in"
    assert "PEPPOL-T77-R010" in sheet and "PEPPOL-COMMON-R030" in sheet
    published = pathlib.Path(peppol_rules.T77).read_text()
    assert peppol_rules.T77_GENERATED in published, "the generated part is what the published file includes"


def test_public_punch_out_sample_passes_t77_and_parses():
    data = (SPECS / "peppol" / "PunchOut_Example.xml").read_bytes()
    read = buyer_peppol.read_cart(data)
    assert (read.cart_id, read.provider.name, read.receiver.endpoint_id) == ("1387", "ABC Supplier Ltd.", "123456785")
    assert [(line.seller_item_id, line.quantity, line.price, line.currency, line.unspsc) for line in read.lines] == [
        ("MNTR011", Decimal(1), Decimal("10.00"), "EUR", ""), ("MNTR012", Decimal(1), Decimal("90.00"), "EUR", "")], \
        "its classification is of list MP, not UNSPSC"


def test_public_order_sample_parses_references_delivery_and_price_basis():
    data = (SPECS / "peppol" / "Order_Example.xml").read_bytes()
    assert peppol_rules.validate_xsd(safe_xml.parse_xml(data), "Order")
    order = peppol.parse_order(data)
    assert (order.order_id, order.customer_reference, order.catalogue_reference, order.quotation_reference,
            order.sales_order_id) == ("34", "9000012345", "Cat2023-03-07", "QuoteID123", "112233")
    assert order.delivery == base.Address(
        name="Helseavdeling", street="Solheimsveien 10", street2="Add, 3rd Address line", city="Lørenskog",
        postal_code="1473", state="Region", country="NO", deliver_to="Ole", email="ole@helseforetak.no",
        phone="987098709")
    assert [(line.seller_item_id, line.quantity, line.price, line.base_quantity) for line in order.lines] == [
        ("121212", Decimal(120), Decimal("50.000"), Decimal(1)),
        ("SItemNo011", Decimal(15), Decimal("15.000"), Decimal(1))]
    final = order.final_order()
    assert final.cart_refs == ["Cat2023-03-07", "QuoteID123", "112233"]
    assert (final.customer_reference, final.ship_to.city) == ("9000012345", "Lørenskog")


def test_sandbox_order_is_ubl_valid_and_refers_to_the_cart():
    order = peppol.PeppolOrder(
        "ORD-7", "2026-11-24", peppol.Party("123456785", name="Region Hospital"), peppol.Party("987654325"),
        [peppol.Line("CAB-3", "Cable", Decimal(30), Decimal("0.3333"), base_quantity=Decimal(100))],
        currency="EUR", customer_reference="ward 7, J. Olsen", catalogue_reference="PO-1A2B3C4D",
        delivery=base.Address("Ward 7", "Sinsenveien 40", "Oslo", "0501", "NO", deliver_to="J. Olsen"))
    data = buyer_peppol.build_order(order)
    assert peppol_rules.validate_xsd(safe_xml.parse_xml(data), "Order")
    root = etree.fromstring(data)
    assert root.findtext("cbc:CustomerReference", namespaces=NS) == "ward 7, J. Olsen"
    assert root.find("cbc:BuyerReference", NS) is None, "UBL 2.1 Order has no BuyerReference"
    price = root.find(".//cac:LineItem/cac:Price", NS)
    assert (price.findtext("cbc:PriceAmount", namespaces=NS), price.findtext("cbc:BaseQuantity", namespaces=NS)) == (
        "33.33", "100")
    parsed = peppol.parse_order(data)
    assert parsed.lines[0].price == Decimal("0.3333"), "PriceAmount per BaseQuantity, back to the unit price"
    assert (parsed.final_order().cart_refs, parsed.delivery.deliver_to) == (["PO-1A2B3C4D"], "J. Olsen")
    broken = copy.deepcopy(root)
    etree.SubElement(broken, f"{{{NS['cbc']}}}BuyerReference").text = "x"
    with pytest.raises(safe_xml.XMLValidationError):
        peppol_rules.validate_xsd(broken, "Order")
