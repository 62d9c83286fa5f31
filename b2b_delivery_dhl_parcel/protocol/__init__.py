"""DHL Parcel (Iberia) over its "B2B_B2C Web Service" (DHL CIM's integration document, v6): a JWT from
``authenticate``, ``POST shipment`` books every package of a delivery as one shipment (``Quantity``) and answers
its tracking number, the packages' numbers (``LP``) and the labels; ``GET shipment?Action=PRINT`` prints the label
of one package, ``Action=DELETE`` cancels; ``GET track`` gives the events. It is the API OCA's
``delivery_dhl_parcel`` speaks (see docs/DEVELOPING.md, "Carriers")."""

# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import base64
import math
import re
from datetime import date

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_delivery_carrier.protocol.base import CarrierAdapter, CarrierError, Credential, register
from odoo.addons.b2b_delivery_carrier.protocol.model import Booking, Label, TrackingEvent

API = "/cimapi/api/v1/customer"
TRACKING_PAGE = ("https://clientesparcel.dhl.es/seguimientoenvios/integra/SeguimientoDocumentos.aspx"
                 "?codigo={tracking}&anno={year}&lang=sp")
ADDRESS_WORDS = ("postal", "direcci", "address", "poblaci", "pais", "país", "consignatario", "destinatario")
DELIVERED_CODES = {"R"}
SERVICE_POINT_FEATURE = "701"


@register
class DhlParcelAdapter(CarrierAdapter):
    code = "b2b_dhl_parcel"
    label = "DHL Parcel"
    services = (
        ("B2B", "DHL Parcel B2B (standard, to businesses)"),
        ("B2C", "DHL Parcel B2C (to consumers)"),
        ("B2C_SP", "DHL Parcel B2C to a DHL ServicePoint"),
    )
    relay_services = ("B2C_SP",)
    label_formats = ("PDF", "ZPL")
    production_url = "https://external.dhl.es"
    credentials = (
        Credential("account", "Username", "The web-service user DHL Parcel gave (e.g. 11000000EMPRESA)"),
        Credential("password", "Password", "The web-service password"),
    )
    max_parcels = 999  # one shipment of up to 999 packages

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self._token = None

    # ------------------------------------------------------------------ transport
    def _authenticate(self):
        if self._token:
            return self._token
        response = self.http.post(f"{API}/authenticate", json={"Username": self.account, "Password": self.password},
                                  expected=(400, 401))
        if response.status_code >= 400:
            raise CarrierError(Phrase(_lt("DHL Parcel refused the user name or password.")), kind="auth")
        token = response.json()
        if not isinstance(token, str) or not token:
            raise CarrierError(Phrase(_lt("DHL Parcel answered no access token.")), kind="unavailable")
        self._token = token
        return token

    def _call(self, method, path, what, **kw):
        headers = {"Authorization": f"Bearer {self._authenticate()}", "Accept": "application/json"}
        response = self.http.request(method, f"{API}/{path}", headers=headers, expected=(400, 401, 404), **kw)
        if response.status_code == 401:
            raise CarrierError(Phrase(_lt("DHL Parcel refused the access token (%(what)s)."), what=what), kind="auth")
        if response.status_code == 404:
            raise CarrierError(Phrase(_lt("DHL Parcel does not know this shipment (%(what)s)."), what=what),
                               kind="refused")
        if response.status_code == 400:
            try:
                message = (response.json() or {}).get("Message") or ""
            except ValueError:
                message = response.text[:300]
            lowered = message.lower()
            kind = "address" if any(word in lowered for word in ADDRESS_WORDS) else "refused"
            raise CarrierError(Phrase(_lt("DHL Parcel refused the %(what)s: %(error)s"), what=what,
                                      error=message or "HTTP 400"), kind=kind)
        return response

    # ------------------------------------------------------------------ booking
    def shipment_request(self, shipment, parcels):
        """The JSON of ``POST shipment`` (the integration document's field table: lengths, the weight in whole
        kilos, 1 to 999 packages)."""
        weight = max(1, math.ceil(round(sum(parcel.weight for parcel in parcels), 3)))
        product = "B2C" if shipment.service == "B2C_SP" else shipment.service
        body = {
            "Customer": self.options.get("customer_code") or "",
            "Receiver": self._address(shipment.recipient, zip_len=9),
            "Sender": self._address(shipment.sender, zip_len=5, phone_len=9),
            "Reference": shipment.reference[:35],
            "Quantity": len(parcels),
            "Weight": weight,
            "Incoterms": self.options.get("incoterm") or "CPT",
            "Product": product,
            "Format": shipment.label_format,
        }
        if shipment.service in self.relay_services:
            body["Features"] = [{"Key": SERVICE_POINT_FEATURE, "Value": shipment.relay_point}]
        return body

    @staticmethod
    def _address(address, zip_len, phone_len=15):
        street = " ".join(part for part in (address.street, address.street2) if part)
        name = address.name if not address.company else f"{address.company}, {address.name}"
        phone = re.sub(r"\D", "", address.phone or address.mobile or "")
        if address.country_code in ("ES", "PT"):
            phone = phone[-9:]
        data = {
            "Name": name[:40],
            "Address": street[:40],
            "City": address.city[:20],
            "PostalCode": address.zip[:zip_len],
            "Country": address.country_code,
            "Phone": phone[:phone_len],
            "Email": (address.email or "")[:50],
        }
        return data

    def _book(self, shipment, parcels):
        if not self.options.get("customer_code"):
            raise CarrierError(Phrase(_lt(
                "The DHL Parcel customer code (xx-xxxxxx) is missing on the delivery method.")), kind="auth")
        answer = self._call("POST", "shipment", Phrase(_lt("shipment")),
                            json=self.shipment_request(shipment, parcels)).json()
        tracking, year = str(answer.get("Tracking") or ""), str(answer.get("Year") or date.today().year % 10)
        if not tracking or not answer.get("Label"):
            raise CarrierError(Phrase(_lt("DHL Parcel answered without tracking number or label.")), kind="refused")
        numbers = list(answer.get("LP") or [])
        if len(parcels) == 1:
            contents = [base64.b64decode(answer["Label"])]
        else:  # one label per package: the shipment's labels printed one by one
            contents = [self._print(year, tracking, rank, shipment.label_format) for rank in range(1, len(parcels) + 1)]
        labels = [Label(numbers[i] if i < len(numbers) else f"{tracking}-{i + 1}", content, shipment.label_format,
                        parcel.reference) for i, (parcel, content) in enumerate(zip(parcels, contents, strict=False))]
        return Booking(labels, tracking_numbers=[tracking], shipment_id=f"{year}:{tracking}", raw={tracking: {
            k: v for k, v in answer.items() if k != "Label"}})

    def _print(self, year, tracking, rank, label_format):
        answer = self._call("GET", "shipment", Phrase(_lt("label print")), params={
            "Year": year, "Tracking": tracking, "Action": "PRINT", "LabelFrom": rank, "LabelTo": rank,
            "Format": label_format}).json()
        if not answer.get("Label"):
            raise CarrierError(Phrase(_lt("DHL Parcel printed no label for package %(rank)s of %(tracking)s."),
                                      rank=rank, tracking=tracking), kind="refused")
        return base64.b64decode(answer["Label"])

    # ------------------------------------------------------------------ cancel and tracking
    def cancel(self, shipment_id, tracking_numbers):
        for year, tracking in self._shipments(shipment_id, tracking_numbers):
            self._call("GET", "shipment", Phrase(_lt("cancellation")),
                       params={"Year": year, "Tracking": tracking, "Action": "DELETE"})

    def track(self, tracking_numbers):
        events = []
        for number in tracking_numbers:
            found = self._call("GET", "track", Phrase(_lt("tracking")),
                               params={"id": number, "idioma": "es", "show": "events"}).json()
            if isinstance(found, dict):
                found = found.get("Events") or []
            latest = found[-1] if found else {}
            events.append(TrackingEvent(number, latest.get("Code", ""), latest.get("Status", ""),
                                        latest.get("DateTime", ""), latest.get("Code") in DELIVERED_CODES))
        return events

    @staticmethod
    def _shipments(shipment_id, tracking_numbers):
        pairs = [part.split(":", 1) for part in (shipment_id or "").split(",") if ":" in part]
        return pairs or [(str(date.today().year % 10), number) for number in tracking_numbers]

    def tracking_url(self, tracking_numbers, shipment_id=""):
        if not tracking_numbers:
            return ""
        year, tracking = self._shipments(shipment_id, tracking_numbers)[0]
        today = date.today().year
        full_year = today - ((today - int(year)) % 10) if year.isdigit() else today
        return TRACKING_PAGE.format(tracking=tracking, year=full_year)
