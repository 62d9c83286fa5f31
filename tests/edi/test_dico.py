"""DICO messages: the public INSBOU003 samples parse (asserted values); what we build validates, with the
deviations wholesalers need; the OrderResponse in the nested and the flat form, line status codes, partial
deliveries, substitutes, despatch advices of several packages and item levels, price bases; SALES005 in
the namespaces of the published pattern; both formats round-trip."""

import datetime
import pathlib
import re
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol.dico import (
    FORMATS,
    DespatchAdvice,
    DespatchLine,
    DicoError,
    DicoFormat,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    OrderResponse,
    Party,
    Profile,
    ResponseLine,
    get_format,
    register,
)
from odoo.addons.b2b_sandbox.protocol import dico as wholesaler

SPECS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "specs" / "insbou"
INSBOU = get_format("INSBOU003")
SALES = get_format("SALES005")


def sample(name):
    return (SPECS / name).read_bytes()


def make_order(**kw):
    values = dict(
        number="P00042", date=datetime.date(2026, 11, 24), time=datetime.time(9, 30),
        buyer=Party(gln="8714231774051"), supplier=Party(gln="8713473000010"),
        delivery_party=Party(gln="8714231774051", name="Site Leeuwarden", street="Uranusweg 12", city="Leeuwarden",
                             postal_code="8938 AJ", country="NL"),
        customer_reference="Client PO 77", project_reference="PRJ-2026-001",
        required_date=datetime.date(2026, 11, 27),
        lines=[OrderLine("1", Decimal("10"), "PCE", "4011377309456", "2301056", "Cover frame white"),
               OrderLine("2", Decimal("2.5"), "MTR", "", "2700144288", "Cable")],
    )
    values.update(kw)
    return Order(**values)


# ---------------------------------------------------------------------------- public samples
def test_public_order_sample_validates_and_parses():
    data = sample("Order.xml")
    for placeholder, value in ((b"%%BUYER_GLN%%", b"8714231774051"), (b"%%SUPPLIER_GLN%%", b"8713473000010"),
                               (b"%%DELIVERYPARTY_GLN%%", b"8714231774051"), (b"%%ITEM_ID%%", b"2301056")):
        data = data.replace(placeholder, value)
    kind, root = INSBOU.parse(data)
    assert kind == "ORDERS"
    INSBOU.validate_order(root)  # the wholesalers' own sample passes our schema
    order = wholesaler.parse_order(root)
    assert order.number == "ORD001" and order.project_reference == "PROJ001"
    assert order.customer_reference == "Eindafnemer001"
    assert order.lines[0].quantity == Decimal(10) and order.lines[0].supplier_code == "2301056"


def test_public_response_sample():
    kind, root = INSBOU.parse(sample("Response.xml"))
    assert kind == "ORDRSP"
    response = INSBOU.parse_order_response(root)
    assert response.buyer_order_number == "ELB-100197043"
    assert response.status == "accepted"  # header StatusCode 29
    line = response.lines[0]
    assert (line.status, line.quantity, line.net_price) == ("accepted", Decimal(50), Decimal("1.57"))
    assert line.gtin == "04011377309456" and line.order_line_id == "1"
    assert response.scheduled_date == datetime.date(2021, 12, 22)


def test_public_despatch_sample_with_vendor_typos():
    kind, root = INSBOU.parse(sample("Despatch.xml"))
    assert kind == "DESADV"
    advice = INSBOU.parse_despatch_advice(root)  # DeliveryTimeEarlies typo and empty GLN are tolerated
    assert advice.number == "21664280" and advice.buyer_order_number == "239891 RN"
    assert advice.lines[0].quantity == Decimal(1) and advice.lines[0].supplier_code == "2700144288"
    assert advice.supplier.gln == "8713473000010"


def test_public_invoice_sample():
    kind, root = INSBOU.parse(sample("Invoice.xml"))
    assert kind == "INVOIC"
    invoice = INSBOU.parse_invoice(root)
    assert (invoice.number, invoice.type, invoice.buyer_order_number) == ("12345678", "invoice", "123456")
    line = invoice.lines[0]
    assert (line.quantity, line.price, line.net_amount, line.vat_percentage) == (
        Decimal(3), Decimal("1.85"), Decimal("5.55"), Decimal("21.00"))
    assert invoice.total == Decimal("6.72") and invoice.total_vat == Decimal("1.17")


# ---------------------------------------------------------------------------- building
@pytest.mark.parametrize("fmt", [INSBOU, SALES], ids=["INSBOU003", "SALES005"])
def test_order_builds_validates_and_round_trips(fmt):
    root = fmt.build_order(make_order())
    fmt.validate_order(root)
    data = fmt.serialize(root)
    kind, parsed_root = fmt.parse(data)
    assert kind == "ORDERS"
    order = wholesaler.parse_order(parsed_root)
    assert order.number == "P00042" and order.project_reference == "PRJ-2026-001"
    assert order.delivery_party.city == "Leeuwarden"
    assert [(line.line_id, line.quantity, line.unit) for line in order.lines] == [("1", Decimal(10), "PCE"),
                                                                     ("2", Decimal("2.5"), "MTR")]
    if fmt is SALES:
        assert parsed_root.nsmap[None] == "http://www.ketenstandaard.nl/order/SALES/005"
        assert {etree.QName(el).namespace for el in parsed_root.iter()} == {parsed_root.nsmap[None]}
    else:
        assert parsed_root.nsmap == {}


def test_profiles_change_what_is_sent():
    order = make_order()
    standard = INSBOU.build_order(order)  # no profile: the messages as published
    assert standard.find("DraftOrderIndicator") is not None and standard.findtext("OrderTime") == "09:30:00"
    assert standard.findtext("OrderLine/TradeItemIdentification/GTIN") == "4011377309456"
    assert standard.findtext("DeliveryParty/City") == "Leeuwarden"
    assert etree.tostring(INSBOU.build_order(order, Profile())) == etree.tostring(standard)
    padded = INSBOU.build_order(order, Profile(gtin14=True))
    assert padded.findtext("OrderLine/TradeItemIdentification/GTIN") == "04011377309456"
    assert INSBOU.build_order(order, Profile(omit_empty_indicators=True)).find("DraftOrderIndicator") is None
    codes = INSBOU.build_order(order, Profile(supplier_code_only=True))
    assert codes.find("OrderLine/TradeItemIdentification/GTIN") is None
    assert codes.findtext("OrderLine/TradeItemIdentification/SuppliersTradeItemIdentification") == "2301056"
    gln_only = INSBOU.build_order(order, Profile(send_order_time=False, delivery_party_address=False))
    assert gln_only.find("OrderTime") is None and gln_only.find("DeliveryParty/City") is None
    assert gln_only.findtext("DeliveryParty/GLN") == "8714231774051"
    for root in (standard, padded, codes, gln_only):
        INSBOU.validate_order(root)


def test_formats_are_registered_by_their_modules():
    assert {"INSBOU003", "SALES005"} <= set(FORMATS)
    assert get_format(None) is get_format("INSBOU003")
    assert SALES.namespaces == {
        "Order": "http://www.ketenstandaard.nl/order/SALES/005",
        "OrderResponse": "http://www.ketenstandaard.nl/orderbevestiging/SALES/005",
        "DespatchAdvice": "http://www.ketenstandaard.nl/verzendbericht/SALES/005",
        "Invoice": "http://www.ketenstandaard.nl/factuur/SALES/005"}
    # the published pattern (artikelbericht, onderhoudsopdracht, onderhoudsstatus are SALES005 namespaces)
    assert all(re.fullmatch(r"http://www\.ketenstandaard\.nl/[a-z]+/SALES/005", ns) for ns in SALES.namespaces.values())
    assert (SALES.version, SALES.msg_format, INSBOU.namespace("Order"), INSBOU.msg_format, INSBOU.version) == (
        "005", "SALES", None, "INSBOU", "003")
    with pytest.raises(ValueError, match="twice"):
        register(DicoFormat("SALES005"))
    assert get_format("SALES005") is SALES


def test_invalid_orders_are_refused_before_sending():
    with pytest.raises(DicoError, match="no lines"):
        INSBOU.build_order(make_order(lines=[]))
    with pytest.raises(DicoError, match="neither a GTIN nor"):
        INSBOU.build_order(make_order(lines=[OrderLine("1", Decimal(1), "PCE")]))
    bad = INSBOU.build_order(make_order(buyer=Party(gln="12345")))
    with pytest.raises(safe_xml.XMLValidationError) as err:
        INSBOU.validate_order(bad)
    assert "GLN" in str(err.value)
    bad = INSBOU.build_order(make_order(lines=[OrderLine("1", Decimal(0), "PCE", "", "A1")]))
    with pytest.raises(safe_xml.XMLValidationError):
        INSBOU.validate_order(bad)
    with pytest.raises(DicoError):
        get_format("EDIFACT")


@pytest.mark.parametrize("fmt", [INSBOU, SALES], ids=["INSBOU003", "SALES005"])
def test_answers_round_trip(fmt):
    response = OrderResponse("OR1", datetime.date(2026, 11, 25), "P00042", "changed", lines=[
        ResponseLine("1", "changed", Decimal(5), "PCE", "4011377309456", "2301056", net_price=Decimal("1.70"),
                     delivery_date=datetime.date(2026, 12, 2)),
        ResponseLine("2", "rejected", Decimal(0), "MTR", supplier_code="2700144288")])
    parsed = fmt.parse_order_response(fmt.parse(fmt.serialize(wholesaler.build_order_response(fmt, response)))[1])
    assert parsed.status == "changed"
    assert [(line.order_line_id, line.status, line.quantity) for line in parsed.lines] == [
        ("1", "changed", Decimal(5)), ("2", "rejected", Decimal(0))]
    assert parsed.lines[0].delivery_date == datetime.date(2026, 12, 2)

    advice = DespatchAdvice("DA1", datetime.date(2026, 11, 26), "P00042", tracking_ref="3SABC123",
                            lines=[DespatchLine("1", Decimal(5), supplier_code="2301056")])
    parsed = fmt.parse_despatch_advice(fmt.parse(fmt.serialize(wholesaler.build_despatch_advice(fmt, advice)))[1])
    assert parsed.tracking_ref == "3SABC123" and parsed.lines[0].order_line_id == "1"

    invoice = Invoice("F1", datetime.date(2026, 11, 27), "P00042", total=Decimal("10.29"),
                      lines=[InvoiceLine("1", Decimal(5), Decimal("1.70"), Decimal("8.50"), supplier_code="2301056",
                                         vat_percentage=Decimal(21))])
    parsed = fmt.parse_invoice(fmt.parse(fmt.serialize(wholesaler.build_invoice(fmt, invoice)))[1])
    assert parsed.lines[0].price == Decimal("1.70") and parsed.total == Decimal("10.29")


def test_incoming_errors_are_clear():
    with pytest.raises(DicoError, match="not a DICO"):
        INSBOU.parse(b"<Catalogue/>")
    with pytest.raises(DicoError, match="BuyersOrderNumber"):
        INSBOU.parse_order_response(etree.fromstring(b"<OrderResponse><StatusCode>29</StatusCode></OrderResponse>"))
    with pytest.raises(DicoError, match="line status code"):
        INSBOU.parse_order_response(etree.fromstring(
            b"<OrderResponse><BuyersOrderNumber>P1</BuyersOrderNumber><OrderResponseLine><StatusCode>99</StatusCode>"
            b"</OrderResponseLine></OrderResponse>"))
    with pytest.raises(DicoError, match="not a number"):
        INSBOU.parse_despatch_advice(etree.fromstring(
            b"<DespatchAdvice><BuyersOrderNumber>P1</BuyersOrderNumber><DespatchLine><DeliveredQuantity>ten"
            b"</DeliveredQuantity></DespatchLine></DespatchAdvice>"))
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<OrderResponse><BuyersOrderNumber>&x;</BuyersOrderNumber></OrderResponse>")
    with pytest.raises(safe_xml.XMLInputError):
        INSBOU.parse(xxe)
    with pytest.raises(safe_xml.XMLInputError):
        INSBOU.parse(b"<OrderResponse>")


# ---------------------------------------------------------------------------- the answers in every form
def test_public_response_sample_in_the_flat_vendor_form():
    response = INSBOU.parse_order_response(INSBOU.parse(sample("Response.xml"))[1])
    assert (response.number, response.date, response.time) == ("1035706087", datetime.date(2021, 12, 21),
                                                                datetime.time(15, 12, 36))
    assert (response.status, response.status_code) == ("accepted", "29")
    assert response.free_text.startswith("Lorem ipsum") and response.supplier.name == "Koekebakker B.V."
    line = response.lines[0]
    assert (line.status_code, line.gross_price, line.net_price, line.price_basis) == (
        "5", Decimal("2.9"), Decimal("1.57"), Decimal("1.00"))
    assert line.description == "JUNG AS500 AFDEKRAAM WT 9016 AS" and line.partial_deliveries == []


NESTED = b"""<OrderResponse>
  <OrderResponseNumber>OR-2</OrderResponseNumber><OrderResponseDate>2026-11-25</OrderResponseDate>
  <OrderResponseTime>10:30:00</OrderResponseTime><StatusCode>4</StatusCode>
  <OrderReference><BuyersOrderNumber>P00042</BuyersOrderNumber></OrderReference>
  <AdditionalInformation><FreeText>Levering in delen</FreeText></AdditionalInformation>
  <Buyer><GLN>8714231774051</GLN></Buyer><Supplier><GLN>8713473000010</GLN></Supplier>
  <OrderResponseLine>
    <LineNumber>1</LineNumber><StatusCode>6</StatusCode><PlannedDeliveryQuantity>10</PlannedDeliveryQuantity>
    <QuantityMeasureUnitCode>PCE</QuantityMeasureUnitCode>
    <AdditionalInformation><FreeText>Vervangend artikel</FreeText></AdditionalInformation>
    <TradeItemIdentification><GTIN>04011377309463</GTIN><SuppliersTradeItemIdentification>2301057</SuppliersTradeItemIdentification></TradeItemIdentification>
    <OrderLineReference><OrderLineIdentification>1</OrderLineIdentification></OrderLineReference>
    <PriceInformation><NetPrice>157.00</NetPrice><PriceBase><NumberOfUnitsInPriceBasis>100</NumberOfUnitsInPriceBasis>
      <MeasureUnitPriceBasis>PCE</MeasureUnitPriceBasis></PriceBase></PriceInformation>
    <PartialDelivery><PlannedPartialDeliveryQuantity>4</PlannedPartialDeliveryQuantity>
      <DeliveryDateTimeInformation><ScheduledDeliveryDate>2026-12-09</ScheduledDeliveryDate></DeliveryDateTimeInformation></PartialDelivery>
    <PartialDelivery><PlannedPartialDeliveryQuantity>6</PlannedPartialDeliveryQuantity>
      <DeliveryDateTimeInformation><ScheduledDeliveryDate>2026-12-02T00:00:00</ScheduledDeliveryDate></DeliveryDateTimeInformation></PartialDelivery>
  </OrderResponseLine>
  <OrderResponseLine><LineNumber>2</LineNumber><StatusCode>4</StatusCode>
    <TradeItemIdentification><SuppliersTradeItemIdentification>2700144288</SuppliersTradeItemIdentification></TradeItemIdentification>
    <OrderLineReference><OrderLineIdentification>2</OrderLineIdentification></OrderLineReference></OrderResponseLine>
  <OrderResponseLine><LineNumber>3</LineNumber><StatusCode>7</StatusCode>
    <TradeItemIdentification><SuppliersTradeItemIdentification>2700175908</SuppliersTradeItemIdentification></TradeItemIdentification>
    <OrderLineReference><OrderLineIdentification>3</OrderLineIdentification></OrderLineReference></OrderResponseLine>
</OrderResponse>"""


@pytest.mark.parametrize("fmt", [INSBOU, SALES], ids=["INSBOU003", "SALES005"])
def test_order_response_in_the_standard_nested_form(fmt):
    data = NESTED
    if fmt is SALES:  # the same message in SALES005's namespace
        data = data.replace(b"<OrderResponse>", b'<OrderResponse xmlns="http://www.ketenstandaard.nl/orderbevestiging/SALES/005">')
    response = fmt.parse_order_response(fmt.parse(data)[1])
    assert (response.buyer_order_number, response.status, response.status_code) == ("P00042", "changed", "4")
    assert response.free_text == "Levering in delen"
    assert response.issued == datetime.datetime(2026, 11, 25, 10, 30)
    first, unknown, rejected = response.lines
    assert (first.order_line_id, first.status, first.quantity) == ("1", "changed", Decimal(10))
    assert (first.gtin, first.supplier_code) == ("04011377309463", "2301057"), "the article delivered instead"
    assert (first.net_price, first.price_basis) == (Decimal("1.57"), Decimal(100)), "157.00 per 100 pieces"
    assert [(p.quantity, p.date) for p in first.partial_deliveries] == [
        (Decimal(6), datetime.date(2026, 12, 2)), (Decimal(4), datetime.date(2026, 12, 9))], "in date order"
    assert first.delivery_date == datetime.date(2026, 12, 2) and first.free_text == "Vervangend artikel"
    assert (unknown.status, unknown.status_code, unknown.quantity) == ("unknown", "4", None)
    assert (rejected.order_line_id, rejected.status) == ("3", "rejected")


def test_line_status_codes_as_the_code_list_has_them():
    def status(code):
        xml = (f"<OrderResponse><BuyersOrderNumber>P1</BuyersOrderNumber><OrderResponseLine><StatusCode>{code}"
               "</StatusCode><OrderLineIdentification>1</OrderLineIdentification></OrderResponseLine></OrderResponse>")
        return INSBOU.parse_order_response(etree.fromstring(xml)).lines[0].status
    assert {code: status(code) for code in ("4", "5", "6", "7", "41", "3")} == {
        "4": "unknown", "5": "accepted", "6": "changed", "7": "rejected", "41": "unknown", "3": "changed"}
    with pytest.raises(DicoError, match="unknown line status code '9'"):
        status("9")


def test_a_later_response_is_told_apart_by_its_date_time_and_number():
    def response(date, time, number):
        return OrderResponse(number, date, "P1", "accepted", time=time)
    day = datetime.date(2026, 11, 25)
    older, newer = response(day, datetime.time(9), "7"), response(day, datetime.time(10), "3")
    assert (older.issued, older.sequence) < (newer.issued, newer.sequence)
    assert response(day, None, "9").sequence < response(day, None, "10").sequence, "numbers compare as numbers"


@pytest.mark.parametrize("fmt", [INSBOU, SALES], ids=["INSBOU003", "SALES005"])
@pytest.mark.parametrize("form", ["flat", "nested"])
def test_the_wholesaler_writes_both_forms_and_we_read_them(fmt, form):
    from odoo.addons.b2b_edi_connector.protocol.dico import PartialDelivery
    response = OrderResponse("OR9", datetime.date(2026, 11, 25), "P00042", "changed", time=datetime.time(8, 0),
                             free_text="Deels later", lines=[
        ResponseLine("1", "changed", Decimal(10), "PCE", "04011377309463", "2301057", net_price=Decimal("0.125"),
                     price_basis=Decimal(100), partial_deliveries=[
                         PartialDelivery(Decimal(6), datetime.date(2026, 12, 2)),
                         PartialDelivery(Decimal(4), datetime.date(2026, 12, 9))]),
        ResponseLine("2", "unknown", None, "MTR", supplier_code="2700144288")])
    root = wholesaler.build_order_response(fmt, response, form)
    assert (root.find(".//{*}OrderReference") is not None) == (form == "nested")
    parsed = fmt.parse_order_response(fmt.parse(fmt.serialize(root))[1])
    assert (parsed.number, parsed.issued, parsed.free_text) == (
        "OR9", datetime.datetime(2026, 11, 25, 8), "Deels later")
    first, second = parsed.lines
    assert (first.order_line_id, first.net_price, first.price_basis) == ("1", Decimal("0.125"), Decimal(100))
    assert [p.quantity for p in first.partial_deliveries] == [Decimal(6), Decimal(4)]
    assert (second.order_line_id, second.status, second.quantity) == ("2", "unknown", None)


def test_despatch_advice_of_several_packages_and_item_levels():
    xml = b"""<DespatchAdvice><MessageNumber>DA7</MessageNumber><MessageDate>2026-11-26</MessageDate>
      <MessageStructure>EANNL4</MessageStructure><BuyersOrderNumber>P00042</BuyersOrderNumber>
      <DespatchLine><DespatchLineNumber>1</DespatchLineNumber>
        <DespatchUnitInformation><SSCC>387123456000000018</SSCC></DespatchUnitInformation>
        <ItemLevelDespatchAdvice><LineNumber>1</LineNumber><DeliveredQuantity>6</DeliveredQuantity>
          <DeliveredQuantityMeasurementUnit>PCE</DeliveredQuantityMeasurementUnit><LineIdentification>1</LineIdentification>
          <TradeItemIdentification><SuppliersTradeItemIdentification>2301056</SuppliersTradeItemIdentification></TradeItemIdentification>
        </ItemLevelDespatchAdvice>
        <ItemLevelDespatchAdvice><LineNumber>2</LineNumber><DeliveredQuantity>2.5</DeliveredQuantity>
          <DeliveredNetQuantityMeasurementUnit>MTR</DeliveredNetQuantityMeasurementUnit><LineIdentification>2</LineIdentification>
          <TradeItemIdentification><SuppliersTradeItemIdentification>2700144288</SuppliersTradeItemIdentification></TradeItemIdentification>
          <BatchNumber>B-77</BatchNumber></ItemLevelDespatchAdvice>
      </DespatchLine>
      <DespatchLine><DespatchLineNumber>2</DespatchLineNumber>
        <ItemLevelDespatchAdvice><LineNumber>3</LineNumber><DeliveredQuantity>4</DeliveredQuantity>
          <DeliveredQuantityMeasurementUnit>PCE</DeliveredQuantityMeasurementUnit><LineIdentification>1</LineIdentification>
          <TradeItemIdentification><SuppliersTradeItemIdentification>2301056</SuppliersTradeItemIdentification></TradeItemIdentification>
        </ItemLevelDespatchAdvice>
      </DespatchLine></DespatchAdvice>"""
    advice = INSBOU.parse_despatch_advice(etree.fromstring(xml))
    assert (advice.structure, [p.number for p in advice.packages]) == ("EANNL4", ["1", "2"])
    assert advice.packages[0].sscc == "387123456000000018" and len(advice.packages[0].lines) == 2
    assert [(line.order_line_id, line.quantity, line.unit, line.package) for line in advice.lines] == [
        ("1", Decimal(6), "PCE", "1"), ("2", Decimal("2.5"), "MTR", "1"), ("1", Decimal(4), "PCE", "2")]
    assert advice.lines[1].batch == "B-77", "Oosterberg's DeliveredNetQuantityMeasurementUnit read as the unit"
    public = INSBOU.parse_despatch_advice(INSBOU.parse(sample("Despatch.xml"))[1])
    assert (public.structure, len(public.packages), public.packages[0].number) == ("EANNL1", 1, "10")
    assert public.scheduled_date == datetime.date(2023, 1, 23) and public.supplier.name == "Rexel Nederland B.V."


def test_invoice_price_basis_gives_the_unit_price():
    xml = b"""<Invoice><InvoiceType>380</InvoiceType><InvoiceNumber>F9</InvoiceNumber>
      <InvoiceDate>2026-11-27</InvoiceDate><BuyersOrderNumber>P00042</BuyersOrderNumber>
      <InvoiceLine><LineNumber>1</LineNumber><NumberOfInvoicingUnits>250</NumberOfInvoicingUnits>
        <NetLineAmount>31.25</NetLineAmount>
        <TradeItemIdentification><SuppliersTradeItemIdentification>SCREW</SuppliersTradeItemIdentification></TradeItemIdentification>
        <PriceInformation><Price>12.50</Price><PriceBase><NumberOfUnitsInPriceBasis>100</NumberOfUnitsInPriceBasis>
        <MeasureUnitPriceBasis>PCE</MeasureUnitPriceBasis></PriceBase></PriceInformation></InvoiceLine>
      <InvoiceLine><LineNumber>2</LineNumber><NumberOfInvoicingUnits>4</NumberOfInvoicingUnits><NetLineAmount>10.00</NetLineAmount>
        <TradeItemIdentification><SuppliersTradeItemIdentification>X</SuppliersTradeItemIdentification></TradeItemIdentification>
        <PriceInformation><PriceBase><NumberOfUnitsInPriceBasis>10</NumberOfUnitsInPriceBasis></PriceBase></PriceInformation></InvoiceLine>
    </Invoice>"""
    first, second = INSBOU.parse_invoice(etree.fromstring(xml)).lines
    assert (first.price, first.price_basis, first.quantity, first.net_amount) == (
        Decimal("0.125"), Decimal(100), Decimal(250), Decimal("31.25"))
    assert second.price == Decimal("2.5"), "no price stated: the net amount per unit, not divided again"
    with pytest.raises(DicoError, match="NumberOfUnitsInPriceBasis"):
        INSBOU.parse_invoice(etree.fromstring(xml.replace(b">100<", b">0<")))
    invoice = Invoice("F1", datetime.date(2026, 11, 27), "P00042", lines=[
        InvoiceLine("1", Decimal(250), Decimal("0.125"), Decimal("31.25"), supplier_code="SCREW",
                    price_basis=Decimal(100))])
    root = wholesaler.build_invoice(INSBOU, invoice)
    assert root.findtext("InvoiceLine/PriceInformation/Price") == "12.5"
    assert INSBOU.parse_invoice(root).lines[0].price == Decimal("0.125")


# ---------------------------------------------------------------------------- the order wholesalers need
def test_public_minimal_order_validates_and_parses():
    data = sample("OrderMinimal.xml")
    for placeholder, value in ((b"%%BUYER_GLN%%", b"8714231774051"), (b"%%SUPPLIER_GLN%%", b"8713473000010"),
                               (b"%%DELIVERYPARTY_GLN%%", b"8714231774051"), (b"%%ITEM_ID%%", b"2700320341")):
        data = data.replace(placeholder, value)
    kind, root = INSBOU.parse(data)
    INSBOU.validate_order(root)
    order = wholesaler.parse_order(root)
    assert (order.number, order.lines[0].supplier_code, order.lines[0].quantity) == (
        "ORD001", "2700320341", Decimal(10))
    assert order.delivery_party.city == "Buitenpost"


def test_the_senders_deviations_shape_the_order_and_validate():
    sender = Profile(gtin14=True, line_identitfication=True, flat_references=True, delivery_party_gln=False)
    order = make_order(free_text="Bellen bij aankomst")
    root = INSBOU.build_order(order, sender)
    INSBOU.validate_order(root)
    assert root.find("OrderLine/LineIdentitfication") is not None and root.find("OrderLine/LineIdentification") is None
    assert root.findtext("EndCustomerOrderNumber") == "Client PO 77" and root.find("CustomerOrderReference") is None
    assert root.findtext("ProjectNumber") == "PRJ-2026-001" and root.findtext("FreeText") == "Bellen bij aankomst"
    assert root.find("DeliveryParty/GLN") is None and root.findtext("DeliveryParty/City") == "Leeuwarden"
    assert root.find("UltimateConsignee") is None and root.find("ShipFrom") is None
    assert root.findtext("OrderLine/TradeItemIdentification/GTIN") == "04011377309456"
    tags = [el.tag for el in root]
    assert (tags.index("EndCustomerOrderNumber") < tags.index("ProjectNumber") < tags.index("FreeText")
            < tags.index("Buyer"))
    back = wholesaler.parse_order(root)
    assert (back.customer_reference, back.project_reference, back.free_text) == (
        "Client PO 77", "PRJ-2026-001", "Bellen bij aankomst")
    assert [line.line_id for line in back.lines] == ["1", "2"]
    form = wholesaler.order_form(root)
    assert form["line_identitfication"] and form["flat_references"] and not form["delivery_party_gln"]
    # the standard one stays as published
    standard = INSBOU.build_order(order)
    assert standard.findtext("CustomerOrderReference/EndCustomerOrderNumber") == "Client PO 77"
    assert standard.findtext("DeliveryParty/GLN") == "8714231774051"


def test_sales005_order_elements_all_in_the_order_namespace():
    root = SALES.build_order(make_order())
    SALES.validate_order(root)
    with pytest.raises(safe_xml.XMLValidationError, match="not http://www.ketenstandaard.nl/order/SALES/005"):
        SALES.validate_order(INSBOU.build_order(make_order()))  # an INSBOU003 order is no SALES005 one
    etree.SubElement(root, "Stray")
    with pytest.raises(safe_xml.XMLValidationError, match="Stray"):
        SALES.validate_order(root)
    with pytest.raises(safe_xml.XMLValidationError):
        INSBOU.validate_order(SALES.build_order(make_order()))
