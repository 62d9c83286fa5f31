"""Colissimo (La Poste) labels over the SLS REST service ``generateLabel`` (one parcel per call), tracking over
La Poste's "Suivi" API v2. Colissimo offers no cancellation: a label never handed over is not charged."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import json

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt

from odoo.addons.b2b_delivery_carrier.protocol.base import (
    CarrierAdapter, CarrierError, Credential, multipart_parts, register)
from odoo.addons.b2b_delivery_carrier.protocol.model import Booking, Label, TrackingEvent

GENERATE_LABEL = "/sls-ws/SlsServiceWSRest/2.0/generateLabel"
TRACKING_API = "https://api.laposte.fr/suivi/v2"
TRACKING_PAGE = "https://www.laposte.fr/outils/suivre-vos-envois?code={}"
PRINTING_TYPES = {"PDF": "PDF_10x15_300dpi", "ZPL": "ZPL_10x15_203dpi"}
# SLS message ids that mean: fix the address (the rest is the account, the product or the service)
ADDRESS_ERRORS = {"30220", "30221", "30222", "30223", "30224", "30225", "30226", "30227", "30228"}
AUTH_ERRORS = {"30000", "30001"}
DELIVERED_CODES = {"DI1", "DI2"}


@register
class ColissimoAdapter(CarrierAdapter):
    code = "b2b_colissimo"
    label = "Colissimo"
    services = (
        ("DOM", "Colissimo Domicile - sans signature"),
        ("DOS", "Colissimo Domicile - avec signature"),
        ("A2P", "Colissimo Point Retrait (relais Pickup)"),
        ("BPR", "Colissimo Point Retrait (bureau de poste)"),
        ("COLI", "Colissimo Expert International"),
    )
    relay_services = ("A2P", "BPR")
    can_cancel = False
    production_url = "https://ws.colissimo.fr"
    credentials = (
        Credential("account", "Contract Number", "Colissimo Box contract number (contractNumber)"),
        Credential("password", "Password", "Colissimo Box web-service password"),
        Credential("api_key", "La Poste Okapi Key", "X-Okapi-Key of La Poste's tracking API (Suivi v2)"),
    )
    max_parcels = 1

    def label_request(self, shipment, parcel):
        """The JSON body of ``generateLabel`` for one parcel (see the SLS documentation: letter / service,
        parcel, sender, addressee; line2 is the street, line3 the complement)."""
        sender, recipient = shipment.sender, shipment.recipient
        service = {
            "productCode": shipment.service,
            "depositDate": (shipment.ship_date.isoformat() if shipment.ship_date else None),
            "orderNumber": shipment.reference[:30],
            "commercialName": (sender.company or sender.name)[:38],
        }
        parcel_data = {"weight": round(max(parcel.weight, 0.01), 2)}
        if shipment.service in self.relay_services:
            parcel_data["pickupLocationId"] = shipment.relay_point
        if shipment.value and shipment.service == "COLI":
            parcel_data["insuranceValue"] = round(shipment.value * 100)  # in cents
        body = {
            "contractNumber": self.account,
            "password": self.password,
            "outputFormat": {"x": 0, "y": 0, "outputPrintingType": PRINTING_TYPES[shipment.label_format]},
            "letter": {
                "service": {k: v for k, v in service.items() if v},
                "parcel": parcel_data,
                "sender": {"senderParcelRef": parcel.reference[:17], "address": self._address(sender)},
                "addressee": {"addresseeParcelRef": parcel.reference[:17], "address": self._address(recipient)},
            },
        }
        return body

    @staticmethod
    def _address(address):
        data = {
            "companyName": address.company[:35] if address.company else None,
            "lastName": address.name[:35],
            "line2": address.street[:35],
            "line3": address.street2[:35] if address.street2 else None,
            "countryCode": address.country_code,
            "city": address.city[:35],
            "zipCode": address.zip,
            "phoneNumber": address.phone or None,
            "mobileNumber": address.mobile or None,
            "email": address.email or None,
            "language": (address.lang or "fr")[:2].upper(),
        }
        return {k: v for k, v in data.items() if v}

    def _book(self, shipment, parcels):
        (parcel,) = parcels
        response = self.http.post(GENERATE_LABEL, json=self.label_request(shipment, parcel), expected=(400, 500))
        info, label = parse_label_response(response.headers.get("Content-Type", ""), response.content)
        errors = [m for m in info.get("messages") or [] if m.get("type") == "ERROR"]
        if errors or response.status_code >= 400:
            raise self._error(errors, response.status_code)
        number = ((info.get("labelV2Response") or {}).get("parcelNumber") or "").strip()
        if not number or not label:
            raise CarrierError(Phrase(_lt("Colissimo answered without a parcel number or label.")), kind="refused")
        return Booking([Label(number, label, shipment.label_format, parcel.reference)], raw={number: info})

    @staticmethod
    def _error(errors, status):
        if not errors:
            return CarrierError(Phrase(_lt("Colissimo answered HTTP %(status)s without a message."), status=status),
                                kind="unavailable" if status >= 500 else "refused")
        first = errors[0]
        code = str(first.get("id") or "")
        kind = "auth" if code in AUTH_ERRORS else "address" if code in ADDRESS_ERRORS else \
            "unavailable" if status >= 500 else "refused"
        text = "; ".join(f"{m.get('id')}: {m.get('messageContent')}" for m in errors)
        return CarrierError(Phrase(_lt("Colissimo refused the label: %(error)s"), error=text), kind=kind, code=code)

    def track(self, tracking_numbers):
        base = (self.options.get("tracking_url") or TRACKING_API).rstrip("/")
        events = []
        for number in tracking_numbers:
            response = self.http.get(f"{base}/idships/{number}", params={"lang": "fr_FR"},
                                     headers={"X-Okapi-Key": self.api_key, "Accept": "application/json"},
                                     expected=(400, 401, 404))
            data = response.json()
            if response.status_code >= 400:
                kind = "auth" if response.status_code == 401 else "refused"
                raise CarrierError(Phrase(_lt("La Poste tracking: %(error)s"),
                                          error=data.get("returnMessage") or response.status_code), kind=kind)
            shipment = data.get("shipment") or {}
            latest = (shipment.get("event") or [{}])[0]  # newest first
            events.append(TrackingEvent(number, latest.get("code", ""), latest.get("label", ""),
                                        latest.get("date", ""), bool(shipment.get("isFinal"))
                                        or latest.get("code") in DELIVERED_CODES))
        return events

    def tracking_url(self, tracking_numbers, shipment_id=""):
        return TRACKING_PAGE.format(",".join(tracking_numbers)) if tracking_numbers else ""


def parse_label_response(content_type, body):
    """(jsonInfos dict, label bytes or None) of a ``generateLabel`` answer: multipart (a JSON part, then the
    label), or a plain JSON body for some refusals."""
    info, label = {}, None
    for headers, payload in multipart_parts(content_type, body):
        kind = headers.get("content-type", "")
        content_id = headers.get("content-id", "")
        if "json" in kind or "jsonInfos" in content_id:
            try:
                info = json.loads(payload.decode("utf-8"))
            except ValueError:
                raise CarrierError(Phrase(_lt("Colissimo answered something that is not its label answer.")),
                                   kind="unavailable") from None
        elif payload:
            label = payload
    return info, label
