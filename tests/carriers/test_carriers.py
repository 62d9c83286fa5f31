"""The carrier adapters against the sandbox carriers: booking (one label per parcel), tracking, cancellation, and
the refusals every carrier has: authentication, invalid address, service unavailable (retried by itself)."""

import pytest
from lxml import etree

from odoo.addons.b2b_connector_base.lib.http import TransportError
from odoo.addons.b2b_delivery_carrier.protocol.base import CarrierError, get_adapter, multipart_parts
from odoo.addons.b2b_delivery_chronopost.protocol import ChronopostAdapter
from odoo.addons.b2b_delivery_colissimo.protocol import ColissimoAdapter, parse_label_response
from odoo.addons.b2b_delivery_dhl_parcel.protocol import DhlParcelAdapter
from odoo.addons.b2b_sandbox.peers.carriers.chronopost import ChronopostPeer
from odoo.addons.b2b_sandbox.peers.carriers.colissimo import ColissimoPeer
from odoo.addons.b2b_sandbox.peers.carriers.dhl_parcel import DhlParcelPeer
from odoo.addons.b2b_sandbox.peers.server import Response

CARRIERS = {
    "colissimo": (ColissimoPeer, ColissimoAdapter, "DOS", {}),
    "chronopost": (ChronopostPeer, ChronopostAdapter, "01", {}),
    "dhl_parcel": (DhlParcelPeer, DhlParcelAdapter, "B2B", {"customer_code": "08-100000"}),
}


@pytest.fixture(params=sorted(CARRIERS))
def carrier(request, client):
    peer_class, adapter_class, service, options = CARRIERS[request.param]
    peer = peer_class().start()

    def adapter(password=None, **kw):
        opts = dict(options, tracking_url=peer.url + "/suivi/v2", **kw)
        return adapter_class(client(peer), account=peer.account, password=password or peer.password,
                             api_key=peer.api_key, options=opts)
    yield peer, adapter, service
    peer.stop()


def test_registry():
    assert get_adapter("b2b_colissimo") is ColissimoAdapter
    with pytest.raises(CarrierError):
        get_adapter("b2b_pigeon")


def test_book_track_and_the_tracking_page(carrier, shipment):
    peer, adapter, service = carrier
    booking = adapter().book(shipment(service, parcels=(1.5, 2.5)))
    assert len(booking.labels) == 2, "one label per parcel"
    assert all(label.content.startswith(b"%PDF") for label in booking.labels)
    assert [label.parcel_reference for label in booking.labels] == ["PACK-1", "PACK-2"]
    assert set(booking.tracking_numbers) <= set(peer.shipments)
    events = adapter().track(booking.tracking_numbers)
    assert [event.tracking_number for event in events] == booking.tracking_numbers
    assert not any(event.delivered for event in events)
    for number in booking.tracking_numbers:
        peer.deliver(number)
    assert all(event.delivered for event in adapter().track(booking.tracking_numbers))
    url = adapter().tracking_url(booking.tracking_numbers, booking.shipment_id)
    assert url.startswith("https://") and booking.tracking_numbers[0] in url


def test_zpl_labels(carrier, shipment):
    _peer, adapter, service = carrier
    booking = adapter().book(shipment(service, label_format="ZPL"))
    assert booking.labels[0].content.startswith(b"^XA")
    assert (booking.labels[0].extension, booking.labels[0].mimetype) == ("zpl", "text/plain")


def test_wrong_password_is_an_authentication_refusal(carrier, shipment):
    peer, adapter, service = carrier
    with pytest.raises(CarrierError) as refused:
        adapter(password="not-the-password").book(shipment(service))
    assert refused.value.kind == "auth"
    assert not refused.value.retryable
    assert not peer.shipments


def test_invalid_address(carrier, shipment):
    peer, adapter, service = carrier
    request = shipment(service)
    request.recipient.zip = "00000"
    with pytest.raises(CarrierError) as refused:
        adapter().book(request)
    assert refused.value.kind == "address"
    assert not peer.shipments


def test_an_address_without_street_is_refused_before_anything_is_sent(carrier, shipment):
    peer, adapter, service = carrier
    request = shipment(service)
    request.recipient.street = ""
    with pytest.raises(CarrierError, match="recipient's address lacks: street"):
        adapter().book(request)
    assert not peer.requests


def test_service_unavailable_is_retried_later(carrier, shipment):
    peer, adapter, service = carrier
    peer.down = True
    with pytest.raises(TransportError) as down:
        adapter().book(shipment(service))
    assert (down.value.kind, down.value.status, down.value.retry_after) == ("server", 503, 30.0)
    assert down.value.retryable
    peer.down = False
    assert adapter().book(shipment(service)).labels


def test_cancellation(carrier, shipment):
    peer, adapter, service = carrier
    booking = adapter().book(shipment(service))
    if not adapter().can_cancel:
        with pytest.raises(CarrierError) as refused:
            adapter().cancel(booking.shipment_id, booking.tracking_numbers)
        assert refused.value.kind == "unsupported"
        return
    adapter().cancel(booking.shipment_id, booking.tracking_numbers)
    assert all(peer.shipments[n]["cancelled"] for n in booking.tracking_numbers)
    with pytest.raises(CarrierError):  # twice: the carrier no longer knows it
        adapter().cancel(booking.shipment_id, booking.tracking_numbers)


def test_a_handed_over_parcel_cannot_be_cancelled(carrier, shipment):
    peer, adapter, service = carrier
    booking = adapter().book(shipment(service))
    if not adapter().can_cancel:  # Colissimo: no cancellation at all (see test_cancellation)
        assert len(peer.requests) == 1
        return
    peer.deliver(booking.tracking_numbers[0])
    with pytest.raises(CarrierError):
        adapter().cancel(booking.shipment_id, booking.tracking_numbers)


def test_relay_services_need_a_pickup_point(carrier, shipment):
    peer, adapter, _service = carrier
    relay = adapter().relay_services[0]
    with pytest.raises(CarrierError, match="pickup point"):
        adapter().book(shipment(relay))
    point = "DHL ServicePoint,102,ES-0000061" if peer.name == "dhl_parcel" else "004567"
    assert adapter().book(shipment(relay, relay_point=point)).labels
    assert list(peer.shipments.values())[0].get("relay", list(peer.shipments.values())[0].get("service_point")) == point


# ---------------------------------------------------------------------------------------------------------- details
def test_colissimo_multipart_answer():
    peer = ColissimoPeer()
    answer = peer._multipart({"labelV2Response": {"parcelNumber": "6A1"}}, b"%PDF-1.4 label\r\n\x00binary")
    info, label = parse_label_response(answer.headers["Content-Type"], answer.body)
    assert info["labelV2Response"]["parcelNumber"] == "6A1"
    assert label == b"%PDF-1.4 label\r\n\x00binary"
    assert multipart_parts("application/json", b"{}") == [({"content-type": "application/json"}, b"{}")]


def test_colissimo_has_no_cancellation_call(shipment, client):
    peer = ColissimoPeer().start()
    try:
        adapter = ColissimoAdapter(client(peer), account=peer.account, password=peer.password)
        assert adapter.can_cancel is False
        assert not peer.calls_to("POST", "cancel")
    finally:
        peer.stop()


def test_chronopost_one_call_for_every_parcel(shipment, client):
    peer = ChronopostPeer().start()
    try:
        adapter = ChronopostAdapter(client(peer), account=peer.account, password=peer.password)
        booking = adapter.book(shipment("16", parcels=(1.0, 2.0, 3.0)))
        (call,) = peer.requests
        assert len(booking.labels) == 3 == len(set(booking.tracking_numbers))
        assert etree.fromstring(call.body).findtext(".//numberOfParcel") == "3"
    finally:
        peer.stop()


def test_chronopost_a_wrapper_outside_the_wsdls_namespace_is_a_soap_fault(client):
    # what a client that puts the operation in the envelope's namespace gets (HTTP 500, a SOAP fault)
    peer = ChronopostPeer().start()
    try:
        http = client(peer)
        body = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
                b"<soapenv:shippingMultiParcelV5/></soapenv:Body></soapenv:Envelope>")
        response = http.post("/shipping-cxf/ShippingServiceWS", data=body, expected=(500,))
        assert response.status_code == 500 and b"Unexpected wrapper element" in response.content
        from odoo.addons.b2b_delivery_chronopost.protocol import shipping, soap_return
        with pytest.raises(CarrierError, match="Unexpected wrapper element"):
            soap_return(response.content, "shippingMultiParcelV5", shipping.resultMultiParcelExpeditionValue, "test")
    finally:
        peer.stop()


def test_dhl_parcel_one_token_per_adapter_and_a_refused_token(shipment, client):
    peer = DhlParcelPeer().start()
    try:
        adapter = DhlParcelAdapter(client(peer), account=peer.account, password=peer.password,
                                   options={"customer_code": peer.customer})
        booking = adapter.book(shipment("B2B", parcels=(1.0, 1.0, 1.0)))
        assert len(peer.calls_to("POST", "/authenticate")) == 1
        assert len(peer.calls_to("GET", "/customer/shipment")) == 3, "each package's label printed"
        assert [label.number for label in booking.labels] == peer_lps(peer, booking.tracking_numbers[0])
        adapter._token = "forged.token"
        with pytest.raises(CarrierError) as refused:
            adapter.track(booking.tracking_numbers)
        assert refused.value.kind == "auth"
        adapter._token = None
        adapter._authenticate()
        peer.script(Response.json({"Message": "Código de cliente no autorizado"}, status=400))
        with pytest.raises(CarrierError, match="no autorizado") as refused:
            adapter.book(shipment("B2B"))
        assert refused.value.kind == "refused"
    finally:
        peer.stop()


def peer_lps(peer, tracking):
    return [f"JJD0000{tracking}{i:03d}" for i in range(1, peer.shipments[tracking]["quantity"] + 1)]


def test_over_the_request_limit_is_retried_later(shipment, client):
    clock = [0.0]
    peer = ColissimoPeer(rate_limit=2, rate_period=60, clock=lambda: clock[0]).start()
    try:
        adapter = ColissimoAdapter(client(peer), account=peer.account, password=peer.password)
        adapter.book(shipment("DOS", parcels=(1.0, 1.0)))
        with pytest.raises(TransportError) as limited:
            adapter.book(shipment("DOS"))
        assert (limited.value.kind, limited.value.retry_after) == ("rate_limited", 60.0)
        assert limited.value.retryable
        clock[0] = 61.0
        assert adapter.book(shipment("DOS")).labels
    finally:
        peer.stop()
