"""Chronopost over its SOAP web services: ``shippingMultiParcelV5`` of ShippingServiceWS (one skybill and one
label per parcel, all parcels of a delivery in one call), ``cancelSkybill`` and ``trackSkybillV2`` of
TrackingServiceWS.

The messages are built and read with the types karrio-chronopost generated (generateDS) from Chronopost's
published WSDLs (``karrio.schemas.chronopost``): element names, order and simple types are the WSDL's. karrio's
own mapping and transport are not used (see docs/DEVELOPING.md, "Carriers"): the calls go through our HttpClient.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import base64
import io

from karrio.schemas.chronopost import shippingservice as shipping
from karrio.schemas.chronopost import trackingservice as tracking
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_delivery_carrier.protocol.base import CarrierAdapter, CarrierError, Credential, register
from odoo.addons.b2b_delivery_carrier.protocol.model import Booking, Label, TrackingEvent

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SHIPPING_NS = "http://cxf.shipping.soap.chronopost.fr/"
TRACKING_NS = "http://cxf.tracking.soap.chronopost.fr/"
SHIPPING_PATH = "/shipping-cxf/ShippingServiceWS"
TRACKING_PATH = "/tracking-cxf/TrackingServiceWS"
TRACKING_PAGE = "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={}"
LABEL_MODES = {"PDF": "PDF", "ZPL": "ZPL"}
MAX_ANSWER = 20 * 1024 * 1024
# errorCode values of the answers (0 is success)
AUTH_ERRORS = {3}
ADDRESS_ERRORS = {25, 26, 27, 28, 29, 30, 31, 32, 33, 34}
UNAVAILABLE_ERRORS = {1}
DELIVERED_CODES = {"D", "D1", "D2"}


def soap_envelope(message, name, namespace):
    """The SOAP 1.1 envelope of the generateDS ``message`` as the operation ``name`` of ``namespace`` (the wrapper
    element qualified, its children unqualified, as the WSDL's schemas say)."""
    out = io.StringIO()
    # (a message read from XML keeps the prefix it was read with: declare it)
    message.export(out, 0, name_=name, namespaceprefix_="", namespacedef_=f'xmlns:cxf="{namespace}"',
                   pretty_print=False)
    operation = etree.fromstring(out.getvalue().encode("utf-8"))
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV, "cxf": namespace})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Header")
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    operation.tag = f"{{{namespace}}}{name}"  # only the wrapper is qualified
    body.append(operation)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def soap_return(content, operation, result_class, what):
    """The ``return`` of the ``<operation>Response`` in a SOAP answer, read into ``result_class``; a SOAP fault
    becomes a CarrierError."""
    root = safe_xml.parse_xml(content, max_bytes=MAX_ANSWER, what=what)
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None:
        raise CarrierError(Phrase(_lt("%(what)s: the answer is no SOAP message."), what=what), kind="unavailable")
    fault = body.find(f"{{{SOAP_ENV}}}Fault")
    if fault is not None:
        text = (fault.findtext("faultstring") or "SOAP fault").strip()
        raise CarrierError(f"{what}: {text}", kind="refused")
    response = next((child for child in body if etree.QName(child).localname == f"{operation}Response"), None)
    returned = response.find("return") if response is not None else None
    if returned is None:
        raise CarrierError(Phrase(_lt("%(what)s: the answer has no %(element)s."), what=what,
                                  element=f"{operation}Response"), kind="unavailable")
    result = result_class.factory()
    result.build(returned)
    return result


@register
class ChronopostAdapter(CarrierAdapter):
    code = "b2b_chronopost"
    label = "Chronopost"
    services = (
        ("01", "Chrono 13 (before 13:00)"),
        ("16", "Chrono 18 (before 18:00)"),
        ("86", "Chrono Relais (pickup point)"),
        ("02", "Chrono 10 (before 10:00)"),
        ("17", "Chrono Classic (Europe)"),
    )
    relay_services = ("86",)
    production_url = "https://ws.chronopost.fr"
    credentials = (
        Credential("account", "Account Number", "Chronopost account number (accountNumber)"),
        Credential("password", "Password", "Chronopost web-service password"),
    )
    max_parcels = 99  # shippingMultiParcel: every parcel of the delivery in one call, one skybill each

    # ------------------------------------------------------------------ booking
    def check(self, shipment):
        result = super().check(shipment)
        if not self.account.isdigit():
            raise CarrierError(Phrase(_lt("The Chronopost account number is a number (accountNumber is an integer).")),
                               kind="auth")
        return result

    def shipping_request(self, shipment, parcels):
        """The ``shippingMultiParcelV5`` message of ``parcels``: one skybillValue per parcel."""
        sender, recipient = shipment.sender, shipment.recipient
        ship_date = shipment.ship_date.isoformat() + "T12:00:00" if shipment.ship_date else None
        relay = shipment.service in self.relay_services
        return shipping.shippingMultiParcelV5(
            headerValue=shipping.headerValue(accountNumber=self.account, idEmit="CHRFR", subAccount=None),
            shipperValue=[shipping.shipperValue(
                shipperAdress1=sender.street[:38], shipperAdress2=sender.street2[:38] or None,
                shipperCity=sender.city[:50], shipperCivility="E" if sender.company else "M",
                shipperContactName=sender.name[:100], shipperCountry=sender.country_code,
                shipperEmail=sender.email or None, shipperMobilePhone=sender.mobile or None,
                shipperName=(sender.company or sender.name)[:100], shipperPhone=sender.phone or None,
                shipperPreAlert=0, shipperZipCode=sender.zip)],
            customerValue=shipping.customerValue(
                customerAdress1=sender.street[:38], customerAdress2=sender.street2[:38] or None,
                customerCity=sender.city[:50], customerCivility="E" if sender.company else "M",
                customerContactName=sender.name[:100], customerCountry=sender.country_code,
                customerEmail=sender.email or None, customerName=(sender.company or sender.name)[:100],
                customerPhone=sender.phone or None, customerPreAlert=0, customerZipCode=sender.zip,
                printAsSender="N"),
            recipientValue=[shipping.recipientValue(
                recipientAdress1=recipient.street[:38], recipientAdress2=recipient.street2[:38] or None,
                recipientCity=recipient.city[:50], recipientContactName=recipient.name[:100],
                recipientCountry=recipient.country_code, recipientEmail=recipient.email or None,
                recipientMobilePhone=recipient.mobile or recipient.phone or None,
                recipientName=(recipient.company or recipient.name)[:100],
                recipientName2=recipient.name[:100] if recipient.company else None,
                recipientPhone=recipient.phone or None,
                # pre-alert by e-mail (22) where we have an address: the recipient hears from Chronopost
                recipientPreAlert=22 if recipient.email else 0, recipientZipCode=recipient.zip)],
            refValue=[shipping.refValue(
                shipperRef=parcel.reference[:35], recipientRef=shipment.relay_point if relay else None,
                customerSkybillNumber=shipment.reference[:38])
                for parcel in parcels],
            skybillValue=[shipping.skybillValue(
                bulkNumber=len(parcels), evtCode="DC", objectType="MAR", productCode=shipment.service,
                service="0", shipDate=ship_date, shipHour=12, skybillRank=rank,
                weight=round(parcel.weight, 3), weightUnit="KGM")
                for rank, parcel in enumerate(parcels, 1)],
            skybillParamsValue=shipping.skybillParamsValue(mode=LABEL_MODES[shipment.label_format]),
            password=self.password,
            modeRetour=2,  # labels in the answer
            numberOfParcel=len(parcels),
            version="2.0",
            multiParcel="Y" if len(parcels) > 1 else "N",
        )

    def _book(self, shipment, parcels):
        body = soap_envelope(self.shipping_request(shipment, parcels), "shippingMultiParcelV5", SHIPPING_NS)
        response = self.http.post(SHIPPING_PATH, data=body, headers={"Content-Type": "text/xml; charset=utf-8",
                                                                    "SOAPAction": '""'}, expected=(500,))
        result = soap_return(response.content, "shippingMultiParcelV5", shipping.resultMultiParcelExpeditionValue,
                             "Chronopost shippingMultiParcelV5")
        self._raise_for(result, Phrase(_lt("booking")))
        labels = []
        for parcel, value in zip(parcels, result.resultMultiParcelValue or [], strict=False):
            content = value.pdfEtiquette
            if isinstance(content, str):
                content = base64.b64decode(content)
            if not value.skybillNumber or not content:
                raise CarrierError(Phrase(_lt("Chronopost answered a parcel without skybill number or label.")),
                                   kind="refused")
            labels.append(Label(value.skybillNumber, content, shipment.label_format, parcel.reference))
        if len(labels) != len(parcels):
            raise CarrierError(Phrase(_lt("Chronopost answered %(labels)s labels for %(parcels)s parcels."),
                                      labels=len(labels), parcels=len(parcels)), kind="refused")
        return Booking(labels)

    def _raise_for(self, result, what):
        code = int(result.errorCode or 0)
        if code:
            kind = "auth" if code in AUTH_ERRORS else "address" if code in ADDRESS_ERRORS else \
                "unavailable" if code in UNAVAILABLE_ERRORS else "refused"
            message = (result.errorMessage or "").strip()
            refused = (Phrase(_lt("Chronopost refused the %(what)s (error %(code)s): %(error)s"), what=what, code=code,
                              error=message) if message else
                       Phrase(_lt("Chronopost refused the %(what)s (error %(code)s)"), what=what, code=code))
            raise CarrierError(refused, kind=kind, code=str(code))

    # ------------------------------------------------------------------ cancel and tracking
    def cancel(self, shipment_id, tracking_numbers):
        for number in tracking_numbers:
            message = tracking.cancelSkybill(accountNumber=self.account, password=self.password, language="fr_FR",
                                             skybillNumber=number)
            result = self._tracking_call(message, "cancelSkybill", tracking.resultCancelSkybill)
            self._raise_for(result, Phrase(_lt("cancellation of %(number)s"), number=number))

    def track(self, tracking_numbers):
        events = []
        for number in tracking_numbers:
            message = tracking.trackSkybillV2(language="fr_FR", skybillNumber=number)
            result = self._tracking_call(message, "trackSkybillV2", tracking.resultTrackSkybillV2)
            self._raise_for(result, Phrase(_lt("tracking of %(number)s"), number=number))
            found = (result.listEventInfoComp.events if result.listEventInfoComp else None) or []
            latest = found[-1] if found else None
            events.append(TrackingEvent(
                number, latest.code if latest else "", (latest.eventLabel or "") if latest else "",
                str(latest.eventDate or "") if latest else "", bool(latest and latest.code in DELIVERED_CODES)))
        return events

    def _tracking_call(self, message, operation, result_class):
        body = soap_envelope(message, operation, TRACKING_NS)
        response = self.http.post(TRACKING_PATH, data=body, headers={"Content-Type": "text/xml; charset=utf-8",
                                                                    "SOAPAction": '""'}, expected=(500,))
        return soap_return(response.content, operation, result_class, f"Chronopost {operation}")

    def tracking_url(self, tracking_numbers, shipment_id=""):
        return TRACKING_PAGE.format(",".join(tracking_numbers)) if tracking_numbers else ""
