"""Punch-out protocols (pure tier): cXML against the DTD and the public samples, OCI fields, PEPPOL cart
and order."""

import dataclasses
import pathlib
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_punchout.protocol import base, cxml, guard, oci, peppol
from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml
from odoo.addons.b2b_sandbox.protocol import oci as buyer_oci
from odoo.addons.b2b_sandbox.protocol import peppol as buyer_peppol

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
    cookie, items = buyer_cxml.parse_order_message((SPECS / "cxml" / "PunchoutOrderMessage.xml").read_bytes())
    assert cookie == "1CX3L4843PPZO"
    assert [(i.supplier_part_id, i.quantity) for i in items] == [("5555", Decimal(3)), ("666", Decimal(5))]
    order = cxml.parse_order_request((SPECS / "cxml" / "OrderRequest.xml").read_bytes())
    assert order.order_id and order.items


def test_setup_round_trip_and_response_validate_against_the_dtd():
    data = cxml.serialize(buyer_cxml.build_setup_request(SENDER, "cookie-1", "https://buyer.example/return", "edit",
                                                   items=ITEMS))
    assert data.startswith(b"<?xml") and b"<!DOCTYPE cXML SYSTEM" in data
    request = cxml.parse_setup_request(data)
    assert request.operation == "edit" and [i.supplier_part_id for i in request.items] == ["DESK-1", "CHAIR-9"]
    answer = cxml.build_response(200, "OK", start_url="https://shop.example/punchout/start/abc")
    assert buyer_cxml.parse_response(answer) == (200, "OK", "https://shop.example/punchout/start/abc")
    refused = cxml.build_response(401, "Unauthorized", "wrong secret")
    assert buyer_cxml.parse_response(refused) == (401, "Unauthorized", "wrong secret")


def test_order_message_validates_and_round_trips():
    data = cxml.build_order_message("cookie-1", ITEMS, "EUR", [cxml.Credential("DUNS", "123")],
                                    [cxml.Credential("NetworkId", "buyer@procure.example")], SENDER)
    cxml.validate(safe_xml.parse_xml(data))
    cookie, items = buyer_cxml.parse_order_message(data)
    assert cookie == "cookie-1"
    assert [(i.supplier_part_id, i.quantity, i.unit_price, i.aux_id) for i in items] == [
        ("DESK-1", Decimal(2), Decimal("120.50"), ""), ("CHAIR-9", Decimal(3), Decimal("80.00"), "v2")]
    assert b"481.00" in data  # total
    assert cxml.encode_form_value(data)


def test_order_request_round_trip_and_refusals():
    data = buyer_cxml.build_order_request(SENDER, "PO-778", ITEMS, ship_to=cxml.Address("Site", "Main 1", "Utrecht",
                                                                                   "3511AA", "NL"))
    order = cxml.parse_order_request(data)
    assert order.order_id == "PO-778" and order.sender.shared_secret == "s3cr3t"
    assert order.ship_to.city == "Utrecht" and order.ship_to.country == "NL"
    with pytest.raises(cxml.CXMLError, match="not a cXML"):
        cxml.parse(b"<Order/>")
    with pytest.raises(cxml.CXMLError, match="holds no OrderRequest"):
        cxml.parse_order_request(cxml.build_response())
    xxe = b'<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><cXML>&x;</cXML>'
    with pytest.raises(safe_xml.XMLInputError):
        cxml.parse(xxe)


def test_dtd_refuses_what_is_not_cxml():
    root = buyer_cxml.build_setup_request(SENDER, "c", "https://b.example/r")
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
    assert fields["NEW_ITEM-QUANTITY[1]"] == "2.000" and fields["NEW_ITEM-PRICE[1]"] == "120.500"
    assert fields["NEW_ITEM-PRICEUNIT[1]"] == "1" and fields["NEW_ITEM-LEADTIME[1]"] == "3"
    assert len(fields["NEW_ITEM-DESCRIPTION[1]"]) == 40, "SAP keeps 40 characters of the description..."
    assert fields["NEW_ITEM-LONGTEXT_1:132[]"] == items[0].description, "... the long text has all of it"
    assert buyer_oci.parse_cart(fields)[0].vendor_mat == "DESK-1"
    html = base.auto_submit_form(login.hook_url, pairs, login.target)
    assert 'action="https://srm.example/hook?x=1"' in html and 'target="_parent"' in html
    assert 'name="NEW_ITEM-VENDORMAT[1]" value="DESK-1"' in html
    with pytest.raises(oci.OCIError):
        oci.cart_fields([oci.Item("x", Decimal(1), "PCE", Decimal(1), "EUR", "")])
    assert "&lt;script&gt;" in base.auto_submit_form("https://x", [("a", "<script>")])


def test_peppol_cart_validates_and_round_trips():
    lines = [peppol.Line("DESK-1", "Desk", Decimal(2), Decimal("120.5")),
             peppol.Line("CHAIR-9", "Chair", Decimal(3), Decimal(80))]
    data = peppol.build_cart("cart-1", peppol.Party("987654325", name="Supplier"),
                             peppol.Party("123456785", name="Buyer"), lines)
    cart_id, parsed = buyer_peppol.parse_cart(buyer_peppol.decode_field(peppol.encode_cart(data)))
    assert cart_id == "cart-1"
    assert [(ln.seller_item_id, ln.quantity, ln.price) for ln in parsed] == [("DESK-1", Decimal(2), Decimal("120.50")),
                                                                         ("CHAIR-9", Decimal(3), Decimal("80.00"))]
    with pytest.raises(safe_xml.XMLValidationError) as err:
        peppol.build_cart("cart-2", peppol.Party("1", name="S"), peppol.Party("2", name="B"),
                          [peppol.Line("", "x", Decimal(1), Decimal(1))])
    assert "PO-11" in str(err.value)
    with pytest.raises(safe_xml.XMLValidationError):
        peppol.build_cart("cart-3", peppol.Party("1", name="S"), peppol.Party("2", name="B"), [])
    with pytest.raises(safe_xml.XMLValidationError, match="PO-08"):
        peppol.build_cart("cart-4", peppol.Party("1", name="S"), peppol.Party("2"), lines)
    with pytest.raises(peppol.PeppolError, match="base64"):
        buyer_peppol.decode_field("@@@")


def test_public_peppol_samples():
    _cart_id, lines = buyer_peppol.parse_cart((SPECS / "peppol" / "PunchOut_Example.xml").read_bytes())
    assert lines[0].seller_item_id == "MNTR011" and lines[0].price == Decimal("10.00")
    order = peppol.parse_order((SPECS / "peppol" / "Order_Example.xml").read_bytes())
    assert order.order_id == "34" and order.buyer.endpoint_id == "987654325" and order.lines


def test_peppol_order_round_trip():
    order = peppol.PeppolOrder("ORD-9", "2026-11-24", peppol.Party("123456785", name="Hospital"),
                               peppol.Party("987654325"),
                               [peppol.Line("DESK-1", "Desk", Decimal(2), Decimal("120.50"))])
    parsed = peppol.parse_order(buyer_peppol.build_order(order))
    assert (parsed.order_id, parsed.buyer.endpoint_id, parsed.buyer.name) == ("ORD-9", "123456785", "Hospital")
    assert parsed.lines[0].quantity == Decimal(2)
    with pytest.raises(peppol.PeppolError, match="not a UBL Order"):
        peppol.parse_order(b"<Invoice/>")


# ---------------------------------------------------------------------------- the protocols as the shop sees them
CART = base.Cart(reference="PO-ABC", return_url="https://buyer.example/return/1", currency="EUR",
                 supplier="My Company", buyer_identity="123456785", buyer_cookie="cookie-9",
                 lines=[base.CartLine("DESK-1", "Desk with a very long name that exceeds forty characters",
                                      Decimal(2), Decimal("120.50"), "EUR", unspsc="56101703", line_ref="17")],
                 supplier_domain="DUNS", supplier_identity="123456789", order_reference="S00042", buyer_name="Buyer AS",
                 buyer_domain="0192")


def test_the_built_in_protocols_are_registered():
    assert {"cxml", "oci", "peppol"} <= set(base.PROTOCOLS)
    assert base.get_protocol("oci").login_route == "/punchout/oci/login"
    assert base.get_protocol("peppol").login_route == "/punchout/peppol/login"
    assert base.get_protocol("cxml").login_route is None, "cXML buyers come with a setup request"
    with pytest.raises(base.PunchoutError):
        base.get_protocol("edifact")
    with pytest.raises(ValueError, match="twice"):
        base.register(type("Again", (base.PunchoutProtocol,), {"code": "oci"}))
    assert type(base.get_protocol("oci")) is oci.OciProtocol


def test_cxml_cart_return():
    result = base.get_protocol("cxml").cart_return(CART)
    assert [name for name, _value in result.fields] == ["cxml-base64"] and result.target == "_top"
    data = buyer_peppol.decode_field(result.fields[0][1])
    assert data == result.payload
    cookie, items = buyer_cxml.parse_order_message(data)
    assert cookie == "cookie-9"
    assert [(i.supplier_part_id, i.quantity, i.unit_price, i.aux_id, i.classification_domain, i.classification)
            for i in items] == [("DESK-1", Decimal(2), Decimal("120.50"), "17", "UNSPSC", "56101703")]
    root = cxml.parse(data)
    assert root.findtext("Header/To/Credential/Identity") == "123456785"
    for box in ("From", "Sender"):
        assert [(c.get("domain"), c.findtext("Identity")) for c in root.findall(f"Header/{box}/Credential")] == [
            ("DUNS", "123456789")], "our configured identity, not our company's name"
    assert root.find("Message/PunchOutOrderMessage/PunchOutOrderMessageHeader/SupplierOrderInfo").get(
        "orderID") == "S00042"


def test_oci_cart_return_follows_the_login():
    login_options = dict(CART.options, target="_parent", ok_code="ADDI")
    result = base.get_protocol("oci").cart_return(base.Cart(**{**CART.__dict__, "options": login_options}))
    fields = dict(result.fields)
    assert (result.target, fields["~TARGET"], fields["~OkCode"]) == ("_parent", "_parent", "ADDI")
    assert buyer_oci.parse_cart(fields)[0].vendor_mat == "DESK-1"
    assert len(fields["NEW_ITEM-DESCRIPTION[1]"]) == 40 and "NEW_ITEM-MATGROUP[1]" not in fields
    assert (fields["NEW_ITEM-EXT_SCHEMA_TYPE[1]"], fields["NEW_ITEM-EXT_CATEGORY_ID[1]"]) == ("UNSPSC", "56101703")
    assert b"NEW_ITEM-PRICE[1]=120.500" in result.payload
    assert base.get_protocol("oci").cart_return(CART).target == "_top"


def test_peppol_cart_return():
    result = base.get_protocol("peppol").cart_return(CART)
    assert [name for name, _value in result.fields] == [peppol.FORM_FIELD]
    cart_id, lines = buyer_peppol.parse_cart(buyer_peppol.decode_field(result.fields[0][1]))
    assert cart_id == "PO-ABC"
    assert [(line.seller_item_id, line.quantity, line.price) for line in lines] == [
        ("DESK-1", Decimal(2), Decimal("120.50"))]
    assert b"123456785" in result.payload


# ---------------------------------------------------------------------------- guards: what a buyer sends
@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999", "1e-999999", "", None, "abc",
                                   "1.2.3", "9" * 13])
def test_numbers_must_be_finite_and_sane(value):
    with pytest.raises(guard.InputError):
        guard.number(value, "quantity")


def test_number_signs():
    assert guard.number(" 2.50 ", "q", positive=True) == Decimal("2.50")
    assert guard.number("0", "price", non_negative=True) == 0
    with pytest.raises(guard.InputError, match="greater than zero"):
        guard.number("0", "q", positive=True)
    with pytest.raises(guard.InputError, match="negative"):
        guard.number("-0.01", "price", non_negative=True)


def test_order_request_refuses_what_no_buyer_orders():
    data = buyer_cxml.build_order_request(SENDER, "PO-1", ITEMS[:1])
    assert cxml.parse_order_request(data).items[0].quantity == 2
    for qty in (b"0", b"-2", b"NaN", b"Infinity", b"1e999999"):
        with pytest.raises(cxml.CXMLError):
            cxml.parse_order_request(data.replace(b'quantity="2"', b'quantity="' + qty + b'"'))
    with pytest.raises(cxml.CXMLError, match="not be negative"):
        cxml.parse_order_request(data.replace(b">120.50<", b">-1<"))
    many = buyer_cxml.build_order_request(SENDER, "PO-2", ITEMS[:1] * (guard.MAX_LINES + 1))
    with pytest.raises(cxml.CXMLError, match="over the limit"):
        cxml.parse_order_request(many)
    setup = cxml.serialize(buyer_cxml.build_setup_request(SENDER, "c", "https://b.example/r", "edit", items=ITEMS))
    with pytest.raises(cxml.CXMLError):
        cxml.parse_setup_request(setup.replace(b'quantity="2"', b'quantity="NaN"'))


def test_peppol_order_refuses_what_no_buyer_orders():
    order = peppol.PeppolOrder("ORD-1", "2026-11-24", peppol.Party("123456785"), peppol.Party("987654325"),
                               [peppol.Line("DESK-1", "Desk", Decimal(2), Decimal("120.50"))])
    data = buyer_peppol.build_order(order)
    for bad in (b"NaN", b"-1", b"0", b"1e999999", b""):
        with pytest.raises(peppol.PeppolError):
            peppol.parse_order(data.replace(b">2</cbc:Quantity>", b">" + bad + b"</cbc:Quantity>"))


@pytest.mark.parametrize("markup", [
    b"<SharedSecret>TOPSECRET</SharedSecret>",
    b'<SharedSecret xml:lang="en">TOPSECRET</SharedSecret >',
    b"<SharedSecret\n>TOP<![CDATA[SECRET]]></SharedSecret\n>",
    b"<SharedSecret><![CDATA[TOPSECRET]]></SharedSecret>",
    b"<CredentialMac type='x'>TOPSECRET</CredentialMac>",
])
def test_shared_secret_masked_in_the_parsed_tree(markup):
    data = (b'<?xml version="1.0"?><cXML><Header><Sender><Credential domain="x"><Identity>me</Identity>'
            + markup + b"</Credential></Sender></Header></cXML>")
    masked = cxml.mask_secrets(data)
    assert b"TOPSECRET" not in masked and b"SECRET" not in masked.replace(b"SharedSecret", b"")
    assert b"<Identity>me</Identity>" in masked
    # a document that does not parse is masked from the opening tag on, up to its closing tag or the end
    broken = data.replace(b"</cXML>", b"")
    for cut in (broken, broken[:broken.index(b"SECRET") + 3]):
        assert b"TOPSECRET" not in cxml.mask_secrets(cut) and b"TOP" not in cxml.mask_secrets(cut)


def test_excerpt_is_bounded():
    assert guard.excerpt(b"abc") == b"abc"
    cut = guard.excerpt(b"x" * 10000)
    assert cut.startswith(b"x" * guard.EXCERPT_BYTES) and len(cut) < guard.EXCERPT_BYTES + 100


@pytest.mark.parametrize("url,ok", [
    ("https://srm.example/oci/hook/1", True),
    ("https://SRM.example:443/oci/hook/1?x=../y", True),
    ("https://srm.example/oci", True),
    ("https://srm.example/oci/./hook", True),
    ("https://srm.example/oci/../cxml/x", False),
    ("https://srm.example/oci/%2e%2e/cxml/x", False),
    ("https://srm.example/oci/..%2Fcxml", False),
    ("https://srm.example/ocix/hook", False),
    ("https://srm.example:8443/oci/hook", False),
    ("http://srm.example/oci/hook", False),
    ("https://srm.example\\@evil.example/oci/", False),
    ("https://user@srm.example/oci/", False),
    ("https://srm.example.evil.example/oci/", False),
    ("https://srm.example/oci/\x00", False),
    ("https://[::1/oci/", False),
    ("javascript://srm.example/oci/", False),
])
def test_return_urls_compared_by_normalised_segments(url, ok):
    assert guard.return_url_allowed(url, ["https://srm.example/oci/"]) is ok


def test_request_lines_are_redacted():
    line = ('127.0.0.1 - - [01/Dec/2026 15:31:10] "GET /punchout/oci/login?HOOK_URL=https://x/h&USERNAME=acme'
            '&PASSWORD=pw HTTP/1.1 x&sig=abc HTTP/1.1" 303 - 39')
    redacted = guard.redact_request_line(line)
    assert "pw" not in redacted and "sig" not in redacted and "USERNAME" not in redacted
    assert '"GET /punchout/oci/login?*** HTTP/1.1" 303 - 39' in redacted
    assert (guard.redact_request_line('"GET /punchout/start/tok3n HTTP/1.1" 303')
            == '"GET /punchout/start/*** HTTP/1.1" 303')
    assert guard.redact_request_line('"GET /shop?search=a HTTP/1.1" 200') == '"GET /shop?search=a HTTP/1.1" 200'


def test_log_filter_redacts_records():
    import logging

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /punchout/peppol/login?partner=1&exp=2&sig=deadbeef HTTP/1.1", 303, "-"), None)
    assert guard.RedactPunchoutFilter().filter(record)
    assert "deadbeef" not in record.getMessage() and "/punchout/peppol/login?***" in record.getMessage()


def test_cxml_setup_language_and_a_cart_in_it():
    """The buyer's language comes with the setup request (the cXML's xml:lang): the cart goes back with its
    descriptions tagged in it, valid against the DTD; a value that is no language tag is not taken."""
    assert cxml.parse_setup_request((SPECS / "cxml" / "PunchOutSetupRequest.xml").read_bytes()).language == "en-US"
    swedish = buyer_cxml.build_setup_request(SENDER, "c", "https://b.example/r", language="sv-SE")
    assert cxml.parse_setup_request(cxml.serialize(swedish)).language == "sv-SE"
    for odd in ("swedish please", "sv_SE<", "x" * 40):
        root = buyer_cxml.build_setup_request(SENDER, "c", "https://b.example/r")
        root.set("{http://www.w3.org/XML/1998/namespace}lang", odd)
        assert cxml.parse_setup_request(cxml.serialize(root)).language == "", odd
    cart = dataclasses.replace(CART, language="sv-SE")
    data = base.get_protocol("cxml").cart_return(cart).payload
    root = cxml.parse(data)
    cxml.validate(root)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert root.get(lang) == "sv-SE"
    assert [d.get(lang) for d in root.iter("Description")] == ["sv-SE"]
    english = cxml.parse(base.get_protocol("cxml").cart_return(CART).payload)
    assert english.get(lang) == "en-US" and [d.get(lang) for d in english.iter("Description")] == ["en"]
