"""MessageService 3.1 client against the sandbox wholesaler (pure tier): SOAP envelopes, WS-Security,
the wholesaler's answers per scenario, faults, transport failures."""

import base64
import datetime
from decimal import Decimal

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_edi_connector.protocol import soap
from odoo.addons.b2b_edi_connector.protocol.dico import Order, OrderLine, Party, get_format
from odoo.addons.b2b_sandbox.peers.dico_wholesaler import DicoWholesalerPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_sandbox.protocol import messageservice

CREDS = soap.Credentials("buyer", "sandbox-edi", "100234")


@pytest.fixture
def peer():
    with DicoWholesalerPeer(prices={"A-1": "2.00"}) as p:
        yield p


def client_for(peer, creds=CREDS, retries=0, timeout=(2.0, 5.0)):
    http = HttpClient(retries=retries, timeout=timeout, sleep=lambda s: None)
    return soap.MessageServiceClient(http, f"{peer.url}/MessageService/3.1", creds)


def order_xml(fmt="INSBOU003", lines=None):
    order = Order("P00077", datetime.date(2026, 11, 24), Party(gln="8714231774051"), Party(gln="8713473000010"),
                  lines=lines or [OrderLine("11", Decimal(10), "PCE", "4011377309456", "A-1", "Frame"),
                                  OrderLine("12", Decimal(4), "PCE", "", "B-2", "Switch")])
    f = get_format(fmt)
    return f.serialize(f.build_order(order))


def test_envelope_carries_ws_security_and_relation_id():
    data = soap.build_request("GetMessage", CREDS, message_id="M1")
    root = etree.fromstring(data)
    ns = {"s": soap.SOAP_ENV, "w": soap.WSSE, "m": soap.NS}
    assert root.findtext("s:Header/w:Security/w:UsernameToken/w:Username", namespaces=ns) == "buyer"
    password = root.find("s:Header/w:Security/w:UsernameToken/w:Password", namespaces=ns)
    assert password.text == "sandbox-edi" and password.get("Type").endswith("#PasswordText")
    assert root.findtext("s:Header/m:CustomInfo/m:RelationId", namespaces=ns) == "100234"
    assert root.findtext("s:Body/m:GetMessage/m:MessageId", namespaces=ns) == "M1"
    with pytest.raises(safe_xml.XMLValidationError):
        soap.build_request("GetMessage", CREDS, message_id="")  # our XSD refuses an empty id
    with pytest.raises(ValueError):
        soap.build_request("Explode", CREDS)


def test_wsdl_and_schema_are_well_formed():
    wsdl = etree.parse(str(soap.WSDL))
    ops = wsdl.getroot().findall(".//{http://schemas.xmlsoap.org/wsdl/}portType/{http://schemas.xmlsoap.org/wsdl/}operation")
    assert sorted(o.get("name") for o in ops) == sorted(soap.OPERATIONS)
    etree.XMLSchema(etree.parse(str(soap.SERVICE_XSD)))


def test_full_mailbox_round_trip_accept(peer):
    client = client_for(peer)
    assert client.get_available_messages() == []
    message_id = client.post_message(order_xml(), reference="P00077")
    assert message_id.startswith("IN-")
    relation, fmt, order = peer.orders[0]
    assert (relation, fmt, order.number) == ("100234", "INSBOU003", "P00077")
    available = client.get_available_messages()
    assert [m.message_type for m in available] == ["ORDRSP", "DESADV", "INVOIC"]
    fmt = get_format("INSBOU003")
    response = fmt.parse_order_response(fmt.parse(client.get_message(available[0].message_id).content)[1])
    assert response.status == "accepted" and response.buyer_order_number == "P00077"
    assert [l.order_line_id for l in response.lines] == ["11", "12"]
    invoice = fmt.parse_invoice(fmt.parse(client.get_message(available[2].message_id).content)[1])
    # 10 x 2.00 (price list) + 4 x 10.00 (default) = 60.00 net, 21 % VAT
    assert invoice.lines[0].price == Decimal("2.00") and invoice.total == Decimal("72.60")
    assert client.delete_message(available[0].message_id) is True
    assert [m.message_type for m in client.get_available_messages()] == ["DESADV", "INVOIC"]
    with pytest.raises(soap.SoapFault, match="not found"):
        client.get_message(available[0].message_id)


def test_partial_and_reject_scenarios(peer):
    client = client_for(peer)
    fmt = get_format("SALES005")
    peer.scenario = "partial"
    client.post_message(order_xml("SALES005"), message_format="SALES005")
    messages = client.get_available_messages()
    response = fmt.parse_order_response(fmt.parse(client.get_message(messages[0].message_id).content)[1])
    assert response.status == "changed"
    first, second = response.lines
    assert (first.status, first.quantity, first.net_price) == ("changed", Decimal(5), Decimal("2.20"))
    assert second.status == "accepted"
    advice = fmt.parse_despatch_advice(fmt.parse(client.get_message(messages[1].message_id).content)[1])
    assert [l.quantity for l in advice.lines] == [Decimal(5), Decimal(4)]
    peer.reset()
    peer.scenario = "reject"
    client.post_message(order_xml())
    messages = client.get_available_messages()
    assert [m.message_type for m in messages] == ["ORDRSP"]


def test_auth_failure_is_a_named_fault(peer):
    client = client_for(peer, soap.Credentials("buyer", "wrong", "100234"))
    with pytest.raises(soap.SoapFault) as err:
        client.get_available_messages()
    assert err.value.auth and "could not be authenticated" in str(err.value)
    assert len(peer.requests) == 1, "an auth fault is not retried"


def test_invalid_order_refused_by_wholesaler(peer):
    bad = order_xml().replace(b"8713473000010", b"123")
    with pytest.raises(soap.SoapFault) as err:
        client_for(peer).post_message(bad)
    assert err.value.code == "Client" and "GLN" in str(err.value)
    assert peer.orders == []


def test_server_errors_slow_answers_and_garbage(peer):
    client = client_for(peer, retries=2)
    peer.script(Response.text("busy", status=503))
    assert client.get_available_messages() == []  # read retried after a 503
    peer.script(Response.text("boom", status=500))
    with pytest.raises(TransportError) as err:
        client.get_available_messages()
    assert err.value.kind == "server" and err.value.retryable
    peer.script(Response.text("boom", status=502))
    with pytest.raises(TransportError):
        client.post_message(order_xml())  # an order that may have arrived is never posted twice
    assert sum(1 for r in peer.requests if b"PostMessage" in r.body) == 1
    assert peer.orders == []
    slow = client_for(peer, timeout=(1.0, 0.3))
    peer.script(Response(200, b"late", delay=1.0))
    with pytest.raises(TransportError) as err:
        slow.post_message(order_xml())
    assert err.value.kind == "timeout"
    peer.script(Response.xml(b"<html>not soap</html>"))
    with pytest.raises(safe_xml.XMLInputError, match="not a SOAP"):
        client.get_available_messages()


def test_message_content_must_be_base64(peer):
    env = messageservice.build_response("GetMessage", message=soap.Message("M1", "ORDRSP", b"<x/>"))
    broken = env.replace(base64.b64encode(b"<x/>"), b"!!!notbase64")
    peer.script(Response.xml(broken))
    with pytest.raises(safe_xml.XMLInputError, match="base64"):
        client_for(peer).get_message("M1")
