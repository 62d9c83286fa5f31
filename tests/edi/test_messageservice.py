"""MessageService 3.1 client against the sandbox wholesaler (pure tier): each wholesaler's contract on the
wire, the mailbox round trip per scenario, the documented order deviations, faults, transport failures."""

import datetime
import pathlib
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import requests
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_edi_connector.protocol import messageservice as ms
from odoo.addons.b2b_edi_connector.protocol.dico import Order, OrderLine, Party, Profile, get_format
from odoo.addons.b2b_sandbox.peers import dico_wholesaler
from odoo.addons.b2b_sandbox.peers.dico_wholesaler import DicoWholesalerPeer
from odoo.addons.b2b_sandbox.peers.server import Response
from odoo.addons.b2b_sandbox.protocol import messageservice as service

CREDS = ms.Credentials("buyer", "sandbox-edi")
# what the senders write for all four wholesalers (MessageSender::formatWithStandardRules)
SENDER = Profile(gtin14=True, line_identitfication=True, flat_references=True, delivery_party_gln=False)
CONTRACTS = ("technischeunie", "oosterberg", "rexel", "solar")


@pytest.fixture
def peer():
    with DicoWholesalerPeer(prices={"A-1": "2.00"}) as p:
        yield p


def client_for(peer, creds=CREDS, retries=0, timeout=(2.0, 5.0), relation="100234", **info):
    http = HttpClient(retries=retries, timeout=timeout, sleep=lambda s: None, secrets=(creds.password,))
    return ms.MessageServiceClient(http, f"{peer.url}/MessageService/3.1", creds,
                                   ms.CustomInfo(relation_id=relation, **info), contract=peer.contract)


def order_xml(fmt="INSBOU003", lines=None, profile=None):
    order = Order("P00077", datetime.date(2026, 11, 24), Party(gln="8714231774051"), Party(gln="8713473000010"),
                  delivery_party=Party(gln="8714231774051", name="Site", city="Leeuwarden"),
                  customer_reference="S-77", project_reference="PRJ-1",
                  lines=lines or [OrderLine("11", Decimal(10), "PCE", "4011377309456", "A-1", "Frame"),
                                  OrderLine("12", Decimal(4), "PCE", "", "B-2", "Switch")])
    f = get_format(fmt)
    return f.serialize(f.build_order(order, profile))


def post(client, data, fmt="INSBOU003"):
    f = get_format(fmt)
    return client.post_message(data, msg_format=f.msg_format, msg_version=f.version)


def test_wsdl_served_by_the_sandbox_is_ours_at_its_address(peer):
    answer = requests.get(f"{peer.url}/MessageService/3.1?wsdl", timeout=5)
    root = etree.fromstring(answer.content)
    address = root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == f"{peer.url}/MessageService/3.1"
    ours = etree.parse(str(ms.get_contract("technischeunie").wsdl)).getroot()
    assert etree.tostring(root.find("{http://schemas.xmlsoap.org/wsdl/}types")) == etree.tostring(
        ours.find("{http://schemas.xmlsoap.org/wsdl/}types"))


@pytest.mark.parametrize("wholesaler", CONTRACTS)
def test_mailbox_round_trip_with_each_wholesaler(wholesaler):
    accounts = {"solar-1" if wholesaler == "solar" else "100234": ("buyer", "sandbox-edi")}
    with DicoWholesalerPeer.as_wholesaler(wholesaler, accounts=accounts, prices={"A-1": "2.00"}) as peer:
        client = client_for(peer, relation="" if wholesaler == "solar" else "100234", version_id="9.4")
        assert client.get_available_messages() == []
        posted = post(client, order_xml(profile=SENDER))
        assert posted.accepted and posted.message is None
        received = peer.orders[0]
        assert (received.msg_id, received.format, received.order.number) == (posted.msg_id, "INSBOU003", "P00077")
        assert received.custom_info["RelationId"] == ("" if wholesaler == "solar" else "100234")
        assert received.custom_info["VersionId"] == "9.4"
        assert received.order.customer_reference == "S-77", "flattened references are read back"
        available = client.get_available_messages()
        assert [m.msg_type for m in available] == ["ORDRSP", "DESADV", "INVOIC"]
        assert {(m.msg_format, m.msg_version) for m in available} == {("INSBOU", "003")}
        fmt = get_format("INSBOU003")
        first = client.get_message(available[0].msg_id, available[0].msg_format, available[0].msg_version)
        response = fmt.parse_order_response(fmt.parse(first.content)[1])
        assert response.status == "accepted" and response.buyer_order_number == "P00077"
        assert [line.order_line_id for line in response.lines] == ["11", "12"]
        invoice_msg = client.get_message(available[2].msg_id)
        invoice = fmt.parse_invoice(fmt.parse(invoice_msg.content)[1])
        # 10 x 2.00 (price list) + 4 x 10.00 (default) = 60.00 net, 21 % VAT
        assert invoice.lines[0].price == Decimal("2.00") and invoice.total == Decimal("72.60")
        assert client.delete_message(available[0].msg_id, available[0].msg_format, available[0].msg_version)
        assert [m.msg_type for m in client.get_available_messages()] == ["DESADV", "INVOIC"]
        with pytest.raises(ms.SoapFault, match="not found"):
            client.get_message(available[0].msg_id)


@pytest.mark.parametrize("wholesaler", ("technischeunie", "rexel"))
def test_the_wholesaler_refuses_the_order_without_its_deviations(wholesaler):
    with DicoWholesalerPeer.as_wholesaler(wholesaler) as peer:
        client = client_for(peer)
        with pytest.raises(ms.SoapFault) as err:
            post(client, order_xml())  # the published standard
        assert err.value.code == "Client"
        assert "LineIdentitfication" in str(err.value) and "DeliveryParty has no GLN" in str(err.value)
        assert "14 digits" in str(err.value)
        assert peer.orders == []


def test_a_request_in_another_wholesalers_contract_is_refused():
    with DicoWholesalerPeer.as_wholesaler("rexel") as rexel:
        tu_client = ms.MessageServiceClient(HttpClient(retries=0, sleep=lambda s: None),
                                            f"{rexel.url}/MessageService/3.1", CREDS, ms.CustomInfo("100234"),
                                            contract="technischeunie")
        with pytest.raises(ms.SoapFault, match="does not match the service's WSDL"):
            tu_client.post_message(order_xml(profile=SENDER))  # MsgDateTime before MsgId: not Rexel's order
        assert rexel.orders == []


def test_solar_wants_an_empty_relation_id():
    with DicoWholesalerPeer.as_wholesaler("solar", accounts={"s1": ("buyer", "sandbox-edi")}) as peer:
        with pytest.raises(ms.SoapFault) as err:
            client_for(peer, relation="100234").get_available_messages()
        assert err.value.auth
        assert client_for(peer, relation="").get_available_messages() == []


def test_sales005_travels_as_format_sales_version_005(peer):
    client = client_for(peer)
    fmt = get_format("SALES005")
    post(client, order_xml("SALES005"), "SALES005")
    assert peer.orders[0].format == "SALES005"
    messages = client.get_available_messages()
    assert {(m.msg_format, m.msg_version) for m in messages} == {("SALES", "005")}
    root = fmt.parse(client.get_message(messages[0].msg_id).content)[1]
    assert etree.QName(root).namespace == "http://www.ketenstandaard.nl/orderbevestiging/SALES/005"


def test_partial_reject_and_pending_scenarios(peer):
    client = client_for(peer)
    fmt = get_format("INSBOU003")
    peer.scenario = "partial"
    post(client, order_xml())
    messages = client.get_available_messages()
    response = fmt.parse_order_response(fmt.parse(client.get_message(messages[0].msg_id).content)[1])
    assert response.status == "changed"
    first, second = response.lines
    assert (first.status, first.status_code, first.quantity, first.net_price) == ("changed", "6", Decimal(5),
                                                                               Decimal("2.20"))
    assert second.status == "accepted"
    advice = fmt.parse_despatch_advice(fmt.parse(client.get_message(messages[1].msg_id).content)[1])
    assert [line.quantity for line in advice.lines] == [Decimal(5), Decimal(4)]
    peer.reset()
    peer.scenario = "reject"
    post(client, order_xml())
    assert [m.msg_type for m in client.get_available_messages()] == ["ORDRSP"]
    peer.reset()
    peer.scenario = "pending"
    post(client, order_xml())
    messages = client.get_available_messages()
    response = fmt.parse_order_response(fmt.parse(client.get_message(messages[0].msg_id).content)[1])
    assert {line.status for line in response.lines} == {"unknown"} and [m.msg_type for m in messages] == ["ORDRSP"]
    peer.confirm()
    assert [m.msg_type for m in client.get_available_messages()] == ["ORDRSP", "ORDRSP", "DESADV", "INVOIC"]


def test_the_order_response_can_come_with_the_post(peer):
    peer.sync_answer = True
    posted = post(client_for(peer), order_xml())
    assert posted.accepted and posted.message.msg_type == "ORDRSP"
    fmt = get_format("INSBOU003")
    assert fmt.parse_order_response(fmt.parse(posted.message.content)[1]).buyer_order_number == "P00077"
    assert [m.msg_type for m in client_for(peer).get_available_messages()] == ["DESADV", "INVOIC"]


def test_the_same_message_id_is_not_posted_twice(peer):
    client = client_for(peer)
    client.post_message(order_xml(), msg_id="ORDER-1")
    with pytest.raises(ms.SoapFault, match="received already"):
        client.post_message(order_xml(), msg_id="ORDER-1")
    assert len(peer.orders) == 1


def test_auth_failure_is_a_named_fault_and_the_password_stays_masked(peer):
    calls = []
    password = "wr&ng<pw>"
    http = HttpClient(retries=0, sleep=lambda s: None, secrets=ms.secret_forms(password), on_call=calls.append)
    client = ms.MessageServiceClient(http, f"{peer.url}/MessageService/3.1", ms.Credentials("buyer", password),
                                     ms.CustomInfo("100234"))
    with pytest.raises(ms.SoapFault) as err:
        client.get_available_messages()
    assert err.value.auth and "could not be authenticated" in str(err.value)
    assert len(peer.requests) == 1, "an auth fault is not retried"
    assert b">wr&amp;ng&lt;pw&gt;</" in peer.requests[0].body, "the password went out, XML-escaped"
    logged = calls[0].request_body
    assert "wr&amp;ng" not in logged and "wr&ng" not in logged and "Password" in logged and "***" in logged


def test_invalid_order_refused_by_wholesaler(peer):
    bad = order_xml().replace(b"8713473000010", b"123")
    with pytest.raises(ms.SoapFault) as err:
        post(client_for(peer), bad)
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
        post(client, order_xml())  # an order that may have arrived is never posted twice
    assert sum(1 for r in peer.requests if b"MsgContent" in r.body) == 1
    assert peer.orders == []
    slow = client_for(peer, timeout=(1.0, 0.3))
    peer.script(Response(200, b"late", delay=1.0))
    with pytest.raises(TransportError) as err:
        post(slow, order_xml())
    assert err.value.kind == "timeout"
    peer.script(Response.xml(b"<html>not soap</html>"))
    with pytest.raises(safe_xml.XMLInputError, match="not a SOAP"):
        client.get_available_messages()
    peer.script(Response.text("<<<", status=200))
    with pytest.raises(safe_xml.XMLInputError, match="not a SOAP"):
        client.get_available_messages()


def test_the_service_side_refuses_what_breaks_the_contract():
    bad = (f'<s:Envelope xmlns:s="{ms.SOAP_ENV}"><s:Header><CustomInfo xmlns="{ms.NS}"><IsTestMessage>false'
           f'</IsTestMessage><IsContentCompressed>false</IsContentCompressed></CustomInfo></s:Header><s:Body>'
           f'<GetMessage xmlns="{ms.NS}"><MessageId>1</MessageId></GetMessage></s:Body></s:Envelope>').encode()
    with pytest.raises(service.RequestError, match="expects <MessageRequest>"):
        service.parse_request(bad, f'"{ms.NS}/GetMessage"')
    with pytest.raises(service.RequestError, match="unknown action"):
        service.parse_request(bad, '"urn:other"')
    old = bad.replace(b"GetMessage xmlns", b"MessageRequest xmlns").replace(b"</GetMessage>", b"</MessageRequest>")
    with pytest.raises(service.RequestError, match="does not match"):
        service.parse_request(old, f'"{ms.NS}/GetMessage"')  # <MessageId> is no element of the contract


def test_each_demo_supplier_calls_a_sandbox_wholesaler_playing_its_profile():
    addon = pathlib.Path(dico_wholesaler.__file__).resolve().parents[2] / "b2b_edi_connector"

    def records(path, model):
        return {r.get("id"): {f.get("name"): f.get("ref") or f.text for f in r.iter("field")}
                for r in etree.parse(str(addon / path)).iter("record") if r.get("model") == model}

    profiles = records("data/b2b_edi_profile_data.xml", "b2b.edi.profile")
    peers = {peer.port: peer for peer in dico_wholesaler.demo_peers()}
    suppliers = [s for s in records("demo/edi_demo.xml", "res.partner").values() if s.get("edi_url")]
    assert sorted(s["name"] for s in suppliers) == [
        "Oosterberg (sandbox)", "Rexel (sandbox)", "Solar (sandbox)", "Technische Unie (sandbox)"]
    for supplier in suppliers:
        profile = profiles[supplier["edi_profile_id"]]
        assert supplier["name"] == f"{profile['name']} (sandbox)"
        assert supplier["edi_test_url"] == supplier["edi_url"], "test mode stays in the sandbox too"
        peer = peers[urlsplit(supplier["edi_url"]).port]
        assert peer.name == f"dico_{profile['code']}"
        assert (peer.contract, peer.relation_id_rule) == (profile["messageservice_contract"],
                                                          profile["relation_id_rule"])
        assert bool(supplier.get("edi_relation_id")) == (profile["relation_id_rule"] != "empty")
        assert supplier["country_id"] == "base.nl" and supplier["zip"] and supplier["street"]
