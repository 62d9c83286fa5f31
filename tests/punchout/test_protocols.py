"""Punch-out protocols (pure tier): cXML against the DTD and the public samples, OCI fields, PEPPOL cart
and order."""

import pathlib
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_punchout.protocol import cxml, oci, peppol

SPECS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "specs"
SENDER = cxml.Credential("NetworkId", "buyer@procure.example", "s3cr3t")
ITEMS = [cxml.CartItem("DESK-1", Decimal(2), Decimal("120.50"), "Desk", unit="EA", classification="56101703"),
         cxml.CartItem("CHAIR-9", Decimal(3), Decimal("80"), "Chair & armrests", aux_id="v2")]


def test_public_setup_request_parses():
    request = cxml.parse_setup_request((SPECS / "cxml" / "PunchOutSetupRequest.xml").read_bytes())
    assert request.operation == "create" and request.buyer_cookie == "550bce3e592023b2e7b015307f965133"
    assert request.sender.identity == "inbound@prominate-platform.com" and request.sender.shared_secret == "s3cr3t"
    assert request.browser_form_post == "https://prominate-platform.com/hook-url"
    assert request.user_email == "john-doe@domain.com"


def test_public_order_message_and_order_request_parse():
    cookie, items = cxml.parse_order_message((SPECS / "cxml" / "PunchoutOrderMessage.xml").read_bytes())
    assert cookie == "1CX3L4843PPZO"
    assert [(i.supplier_part_id, i.quantity) for i in items] == [("5555", Decimal(3)), ("666", Decimal(5))]
    order = cxml.parse_order_request((SPECS / "cxml" / "OrderRequest.xml").read_bytes())
    assert order.order_id and order.items


def test_setup_round_trip_and_response_validate_against_the_dtd():
    data = cxml.serialize(cxml.build_setup_request(SENDER, "cookie-1", "https://buyer.example/return", "edit",
                                                   items=ITEMS))
    assert data.startswith(b"<?xml") and b"<!DOCTYPE cXML SYSTEM" in data
    request = cxml.parse_setup_request(data)
    assert request.operation == "edit" and [i.supplier_part_id for i in request.items] == ["DESK-1", "CHAIR-9"]
    answer = cxml.build_response(200, "OK", start_url="https://shop.example/punchout/start/abc")
    assert cxml.parse_response(answer) == (200, "OK", "https://shop.example/punchout/start/abc")
    assert cxml.parse_response(cxml.build_response(401, "Unauthorized", "wrong secret")) == (401, "Unauthorized", "wrong secret")


def test_order_message_validates_and_round_trips():
    data = cxml.build_order_message("cookie-1", ITEMS, "EUR", [cxml.Credential("DUNS", "123")],
                                    [cxml.Credential("NetworkId", "buyer@procure.example")], SENDER)
    cxml.validate(safe_xml.parse_xml(data))
    cookie, items = cxml.parse_order_message(data)
    assert cookie == "cookie-1"
    assert [(i.supplier_part_id, i.quantity, i.unit_price, i.aux_id) for i in items] == [
        ("DESK-1", Decimal(2), Decimal("120.50"), ""), ("CHAIR-9", Decimal(3), Decimal("80.00"), "v2")]
    assert b"481.00" in data  # total
    assert cxml.encode_form_value(data)


def test_order_request_round_trip_and_refusals():
    data = cxml.build_order_request(SENDER, "PO-778", ITEMS, ship_to=cxml.Address("Site", "Main 1", "Utrecht",
                                                                                   "3511AA", "NL"))
    order = cxml.parse_order_request(data)
    assert order.order_id == "PO-778" and order.sender.shared_secret == "s3cr3t"
    assert order.ship_to.city == "Utrecht" and order.ship_to.country == "NL"
    with pytest.raises(cxml.CXMLError, match="not a cXML"):
        cxml.parse(b"<Order/>")
    with pytest.raises(cxml.CXMLError, match="not an OrderRequest"):
        cxml.parse_order_request(cxml.build_response())
    xxe = b'<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><cXML>&x;</cXML>'
    with pytest.raises(safe_xml.XMLInputError):
        cxml.parse(xxe)


def test_dtd_refuses_what_is_not_cxml():
    root = cxml.build_setup_request(SENDER, "c", "https://b.example/r")
    etree.SubElement(root.find("Request/PunchOutSetupRequest"), "Bogus")
    with pytest.raises(safe_xml.XMLValidationError):
        cxml.validate(root)


def test_oci_login_fields_and_form():
    login = oci.parse_login({"HOOK_URL": "https://srm.example/hook?x=1", "USERNAME": "acme", "PASSWORD": "pw",
                             "~OkCode": "ADDI", "~TARGET": "_parent"})
    assert (login.hook_url, login.ok_code, login.target) == ("https://srm.example/hook?x=1", "ADDI", "_parent")
    with pytest.raises(oci.OCIError):
        oci.parse_login({})
    items = [oci.Item("Desk with a very long name that exceeds forty characters", Decimal(2), "PCE",
                      Decimal("120.5"), "EUR", "DESK-1", lead_time=3)]
    pairs = oci.cart_fields(items, login)
    fields = dict(pairs)
    assert fields["~OkCode"] == "ADDI"
    assert fields["NEW_ITEM-QUANTITY[1]"] == "2" and fields["NEW_ITEM-PRICE[1]"] == "120.50"
    assert len(fields["NEW_ITEM-DESCRIPTION[1]"]) == 40
    assert oci.parse_cart(fields)[0].vendor_mat == "DESK-1"
    html = oci.auto_submit_form(login.hook_url, pairs, login.target)
    assert 'action="https://srm.example/hook?x=1"' in html and 'target="_parent"' in html
    assert 'name="NEW_ITEM-VENDORMAT[1]" value="DESK-1"' in html
    with pytest.raises(oci.OCIError):
        oci.cart_fields([oci.Item("x", Decimal(1), "PCE", Decimal(1), "EUR", "")])
    assert "&lt;script&gt;" in oci.auto_submit_form("https://x", [("a", "<script>")])


def test_peppol_cart_validates_and_round_trips():
    lines = [peppol.Line("DESK-1", "Desk", Decimal(2), Decimal("120.5")), peppol.Line("CHAIR-9", "Chair", Decimal(3), Decimal(80))]
    data = peppol.build_cart("cart-1", peppol.Party("987654325", name="Supplier"), peppol.Party("123456785"), lines)
    cart_id, parsed = peppol.parse_cart(peppol.decode_field(peppol.encode_cart(data)))
    assert cart_id == "cart-1"
    assert [(l.seller_item_id, l.quantity, l.price) for l in parsed] == [("DESK-1", Decimal(2), Decimal("120.50")),
                                                                         ("CHAIR-9", Decimal(3), Decimal("80.00"))]
    with pytest.raises(safe_xml.XMLValidationError) as err:
        peppol.build_cart("cart-2", peppol.Party("1"), peppol.Party("2"), [peppol.Line("", "x", Decimal(1), Decimal(1))])
    assert "PO-11" in str(err.value)
    with pytest.raises(safe_xml.XMLValidationError):
        peppol.build_cart("cart-3", peppol.Party("1"), peppol.Party("2"), [])
    with pytest.raises(peppol.PeppolError, match="base64"):
        peppol.decode_field("@@@")


def test_public_peppol_samples():
    _cart_id, lines = peppol.parse_cart((SPECS / "peppol" / "PunchOut_Example.xml").read_bytes())
    assert lines[0].seller_item_id == "MNTR011" and lines[0].price == Decimal("10.00")
    order = peppol.parse_order((SPECS / "peppol" / "Order_Example.xml").read_bytes())
    assert order.order_id == "34" and order.buyer.endpoint_id == "987654325" and order.lines


def test_peppol_order_round_trip():
    order = peppol.PeppolOrder("ORD-9", "2026-11-24", peppol.Party("123456785", name="Hospital"),
                               peppol.Party("987654325"), [peppol.Line("DESK-1", "Desk", Decimal(2), Decimal("120.50"))])
    parsed = peppol.parse_order(peppol.build_order(order))
    assert (parsed.order_id, parsed.buyer.endpoint_id, parsed.buyer.name) == ("ORD-9", "123456785", "Hospital")
    assert parsed.lines[0].quantity == Decimal(2)
    with pytest.raises(peppol.PeppolError, match="not a UBL Order"):
        peppol.parse_order(b"<Invoice/>")
