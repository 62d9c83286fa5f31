"""DICO messages: the public INSBOU003 samples parse; what we build validates; both formats round-trip."""

import datetime
import pathlib
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol.dico import (
    FORMATS, DespatchAdvice, DespatchLine, DicoError, DicoFormat, Invoice, InvoiceLine, Order, OrderLine,
    OrderResponse, Party, Profile, ResponseLine, get_format, register,
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
    assert [(l.line_id, l.quantity, l.unit) for l in order.lines] == [("1", Decimal(10), "PCE"),
                                                                     ("2", Decimal("2.5"), "MTR")]
    if fmt is SALES:
        assert parsed_root.nsmap[None] == "https://www.ketenstandaard.nl/berichten/SALES005"
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
    assert (SALES.namespace, SALES.version, INSBOU.namespace) == (
        "https://www.ketenstandaard.nl/berichten/SALES005", "005", None)
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
    assert [(l.order_line_id, l.status, l.quantity) for l in parsed.lines] == [
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
