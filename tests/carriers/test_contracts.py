"""Our carrier requests against the carriers' published definitions, no network:

* Colissimo: karrio-colissimo's types of the SLS ``generateLabel`` request (every field we send is one of the
  request's, at its place, of its kind);
* Chronopost: karrio-chronopost's types generated from Chronopost's ShippingServiceWS / TrackingServiceWS WSDLs
  (the message parses with the WSDL's types and writes back identical: names, order, integers, floats, dates),
  in a SOAP 1.1 envelope whose wrapper element alone is qualified;
* DHL Parcel: the field table of DHL CIM's integration document v6 (``contract_errors``, the sandbox's copy).
"""

import typing
from datetime import date

import attr
import pytest
from karrio.schemas.chronopost import shippingservice, trackingservice
from karrio.schemas.colissimo import label_request as colissimo_types
from lxml import etree

from odoo.addons.b2b_delivery_chronopost import protocol as chronopost
from odoo.addons.b2b_delivery_colissimo.protocol import ColissimoAdapter
from odoo.addons.b2b_delivery_dhl_parcel.protocol import DhlParcelAdapter
from odoo.addons.b2b_sandbox.peers.carriers.dhl_parcel import contract_errors

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def schema_errors(cls, data, path=""):
    """What of ``data`` (decoded JSON) the attrs type ``cls`` does not declare, or declares of another kind."""
    errors = []
    fields = {field.name: field for field in attr.fields(cls)}
    for key, value in data.items():
        field = fields.get(key)
        if field is None:
            errors.append(f"{path}{key}: not in {cls.__name__}")
            continue
        kind = next((a for a in typing.get_args(field.type) if a is not type(None)), field.type)
        origin = typing.get_origin(kind)
        if origin in (list, list):
            (item,) = typing.get_args(kind)
            if not isinstance(value, list):
                errors.append(f"{path}{key}: a list")
            elif attr.has(item):
                for i, element in enumerate(value):
                    errors += schema_errors(item, element, f"{path}{key}[{i}].")
        elif attr.has(kind):
            if isinstance(value, dict):
                errors += schema_errors(kind, value, f"{path}{key}.")
            else:
                errors.append(f"{path}{key}: an object")
        elif kind is bool and not isinstance(value, bool):
            errors.append(f"{path}{key}: a boolean")
        elif kind in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float))):
            errors.append(f"{path}{key}: a number")
        elif kind is str and not isinstance(value, str):
            errors.append(f"{path}{key}: a text")
    return errors


# ---------------------------------------------------------------------------------------------------------- Colissimo
@pytest.mark.parametrize("service,extra", [
    ("DOS", {}), ("DOM", {"label_format": "ZPL"}), ("A2P", {"relay_point": "004567"}),
    ("COLI", {"value": 120.5}),
])
def test_colissimo_label_request_fits_the_published_request(shipment, service, extra):
    adapter = ColissimoAdapter(None, account="123456", password="secret")
    request = shipment(service, ship_date=date(2026, 12, 1), **extra)
    body = adapter.label_request(request, request.parcels[0])
    assert schema_errors(colissimo_types.LabelRequest, body) == []
    letter = body["letter"]
    assert letter["service"]["productCode"] == service
    assert letter["addressee"]["address"]["line2"] == "5 avenue des Tilleuls"  # the street is line2
    assert letter["addressee"]["address"]["line3"] == "Bâtiment B"
    assert ("pickupLocationId" in letter["parcel"]) == (service == "A2P")


def test_the_colissimo_check_catches_what_the_request_does_not_have(shipment):
    adapter = ColissimoAdapter(None, account="123456", password="secret")
    request = shipment("DOS")
    body = adapter.label_request(request, request.parcels[0])
    body["letter"]["parcel"]["weightKg"] = 1.5
    body["letter"]["sender"]["address"]["line2"] = 12
    assert schema_errors(colissimo_types.LabelRequest, body) == [
        "letter.parcel.weightKg: not in Parcel", "letter.sender.address.line2: a text"]


# ---------------------------------------------------------------------------------------------------------- Chronopost
def _operation(envelope, namespace, name):
    root = etree.fromstring(envelope)
    assert root.tag == f"{{{SOAP_ENV}}}Envelope"
    (operation,) = root.find(f"{{{SOAP_ENV}}}Body")
    assert operation.tag == f"{{{namespace}}}{name}", "the wrapper is the WSDL's qualified element"
    assert all(etree.QName(child).namespace is None for child in operation.iter() if child is not operation), \
        "its content is unqualified"
    return operation


def _round_trip(cls, operation):
    """``operation`` read with the WSDL's generated type and written back: identical when every element is the
    schema's, in its order, with values of its types."""
    collector = shippingservice.GdsCollector_()
    message = cls.factory()
    message.build(operation, gds_collector_=collector)
    assert collector.get_messages() == []
    export = etree.fromstring(chronopost.soap_envelope(message, etree.QName(operation).localname,
                                                       etree.QName(operation).namespace))
    (again,) = export.find(f"{{{SOAP_ENV}}}Body")
    return etree.tostring(again, method="c14n") == etree.tostring(operation, method="c14n")


@pytest.mark.parametrize("service,parcels,extra", [
    ("01", (1.5,), {}), ("16", (3.0, 4.0, 0.8), {}), ("86", (2.0,), {"relay_point": "2817R"}),
    ("02", (1.0,), {"label_format": "ZPL"}),
])
def test_chronopost_shipping_request_is_the_wsdls(shipment, service, parcels, extra):
    adapter = chronopost.ChronopostAdapter(None, account="19869502", password="255562")
    request = shipment(service, parcels=parcels, ship_date=date(2026, 12, 1), **extra)
    envelope = chronopost.soap_envelope(adapter.shipping_request(request, request.parcels),
                                        "shippingMultiParcelV5", chronopost.SHIPPING_NS)
    operation = _operation(envelope, chronopost.SHIPPING_NS, "shippingMultiParcelV5")
    assert _round_trip(shippingservice.shippingMultiParcelV5, operation)
    assert operation.findtext("numberOfParcel") == str(len(parcels))
    assert operation.findtext("multiParcel") == ("Y" if len(parcels) > 1 else "N")
    assert [e.text for e in operation.iter("skybillRank")] == [str(i) for i in range(1, len(parcels) + 1)]
    assert operation.findtext("refValue/recipientRef") == extra.get("relay_point")
    assert operation.findtext("skybillParamsValue/mode") == extra.get("label_format", "PDF")


def test_the_chronopost_round_trip_catches_what_the_wsdl_does_not_have(shipment):
    adapter = chronopost.ChronopostAdapter(None, account="19869502", password="255562")
    request = shipment("01")
    envelope = chronopost.soap_envelope(adapter.shipping_request(request, request.parcels),
                                        "shippingMultiParcelV5", chronopost.SHIPPING_NS)
    operation = _operation(envelope, chronopost.SHIPPING_NS, "shippingMultiParcelV5")
    etree.SubElement(operation.find("skybillValue"), "parcelColour").text = "blue"
    assert not _round_trip(shippingservice.shippingMultiParcelV5, operation)


@pytest.mark.parametrize("message,name", [
    (trackingservice.cancelSkybill(accountNumber=19869502, password="255562", language="fr_FR",
                                   skybillNumber="XY000000001FR"), "cancelSkybill"),
    (trackingservice.trackSkybillV2(language="fr_FR", skybillNumber="XY000000001FR"), "trackSkybillV2"),
])
def test_chronopost_tracking_service_messages(message, name):
    envelope = chronopost.soap_envelope(message, name, chronopost.TRACKING_NS)
    operation = _operation(envelope, chronopost.TRACKING_NS, name)
    assert _round_trip(getattr(trackingservice, name), operation)


def test_chronopost_account_numbers_are_integers(shipment):
    adapter = chronopost.ChronopostAdapter(None, account="my-login", password="x")
    with pytest.raises(chronopost.CarrierError, match="is a number"):
        adapter.check(shipment("01"))


# ---------------------------------------------------------------------------------------------------------- DHL Parcel
@pytest.mark.parametrize("service,parcels,extra", [
    ("B2B", (1.5,), {}), ("B2C", (0.2, 0.3), {"label_format": "ZPL"}),
    ("B2C_SP", (2.0,), {"relay_point": "DHL ServicePoint,102,ES-0000061"}),
])
def test_dhl_parcel_shipment_fits_the_integration_document(shipment, service, parcels, extra):
    adapter = DhlParcelAdapter(None, account="u", password="p", options={"customer_code": "08-100000"})
    request = shipment(service, parcels=parcels, **extra)
    request.recipient.name = "Jeanne-Marie de la Fontaine-Dupont-Aignan Client"  # over the 40 characters
    request.recipient.city = "Saint-Rémy-de-Provence-sur-Durance"
    body = adapter.shipment_request(request, request.parcels)
    assert contract_errors(body) == []
    assert body["Quantity"] == len(parcels)
    assert body["Weight"] == max(1, -(-sum(parcels) // 1)), "whole kilos, rounded up, at least 1"
    assert body["Product"] == ("B2C" if service == "B2C_SP" else service)
    assert ("Features" in body) == (service == "B2C_SP")


def test_the_dhl_parcel_table_catches_what_the_document_does_not_allow(shipment):
    adapter = DhlParcelAdapter(None, account="u", password="p", options={"customer_code": "08-100000"})
    request = shipment("B2B")
    body = adapter.shipment_request(request, request.parcels)
    body["Weight"] = 1.5
    body["Receiver"]["City"] = "x" * 21
    body["Colour"] = "blue"
    del body["Incoterms"]
    assert contract_errors(body) == [
        "Colour: unknown field", "Weight: a whole number from 1 to 99999", "Incoterms: mandatory",
        "Receiver.City: a text of at most 20 characters"]
