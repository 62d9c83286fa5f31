"""Sandbox Chronopost: the SOAP services ShippingServiceWS (``shippingMultiParcelV5``: one skybill and label per
parcel) and TrackingServiceWS (``cancelSkybill``, ``trackSkybillV2``), answering as their WSDLs define: the
result in ``<return>`` with ``errorCode`` 0 on success, a number and ``errorMessage`` otherwise; a request that is
no SOAP message gets a SOAP fault (HTTP 500). The sandbox's error codes: 3 authentication, 25 recipient postcode,
33 missing pickup point, 30 unknown product, 2 unknown skybill, 11 skybill already handed over (not cancellable)."""

import base64
from xml.sax.saxutils import escape

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml

from ..server import Response
from .common import INVALID_ZIP, CarrierPeer

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SHIPPING_NS = "http://cxf.shipping.soap.chronopost.fr/"
TRACKING_NS = "http://cxf.tracking.soap.chronopost.fr/"
PRODUCTS = {"01", "02", "16", "17", "86", "44", "5X", "4T"}
RELAY_PRODUCTS = {"86", "5X"}
MODES = {"PDF": "PDF", "PPR": "PDF", "SPD": "PDF", "THE": "PDF", "ZPL": "ZPL", "ZPL300": "ZPL"}


class ChronopostPeer(CarrierPeer):
    name = "chronopost"
    prefix = "XY"

    def __init__(self, account="19000001", **kw):  # accountNumber is an integer in the WSDL
        super().__init__(account=account, **kw)

    def handle(self, request):
        refusal = self.gate()
        if refusal:
            return refusal
        if request.method != "POST" or request.path not in ("/shipping-cxf/ShippingServiceWS",
                                                            "/tracking-cxf/TrackingServiceWS"):
            return Response.text("No service was found.", status=404)
        try:
            root = safe_xml.parse_xml(request.body, what="SOAP request")
        except safe_xml.XMLInputError as exc:
            return self.fault(f"Unmarshalling Error: {exc}")
        body = root.find(f"{{{SOAP_ENV}}}Body")
        operation = body[0] if body is not None and len(body) else None
        if operation is None:
            return self.fault("No operation in the SOAP body")
        name = etree.QName(operation)
        expected_ns = SHIPPING_NS if request.path.startswith("/shipping") else TRACKING_NS
        if name.namespace != expected_ns:
            return self.fault(f"Unexpected wrapper element {{{name.namespace}}}{name.localname} found. "
                              f"Expected {{{expected_ns}}}{name.localname}.")
        handler = {"shippingMultiParcelV5": self.shipping, "cancelSkybill": self.cancel,
                   "trackSkybillV2": self.track}.get(name.localname)
        if handler is None:
            return self.fault(f"Unexpected operation {name.localname}")
        return handler(operation)

    # ------------------------------------------------------------------ answers
    def fault(self, text):
        return Response.xml(
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode>'
            f"<faultstring>{escape(text)}</faultstring></soap:Fault></soap:Body></soap:Envelope>", status=500)

    @staticmethod
    def answer(operation, namespace, inner):
        return Response.xml(
            f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body><ns1:{operation}Response xmlns:ns1="{namespace}">'
            f"<return>{inner}</return></ns1:{operation}Response></soap:Body></soap:Envelope>")

    def error(self, operation, namespace, code, text):
        return self.answer(operation, namespace,
                           f"<errorCode>{code}</errorCode><errorMessage>{escape(text)}</errorMessage>")

    # ------------------------------------------------------------------ shippingMultiParcelV5
    def shipping(self, op):
        def err(code, text):
            return self.error("shippingMultiParcelV5", SHIPPING_NS, code, text)

        if op.findtext("headerValue/accountNumber") != self.account or op.findtext("password") != self.password:
            return err(3, "Echec de l'authentification : numéro de compte ou mot de passe incorrect")
        skybills = op.findall("skybillValue")
        refs = op.findall("refValue")
        recipient = op.find("recipientValue")
        try:
            count = int(op.findtext("numberOfParcel") or "0")
        except ValueError:
            return self.fault("Unmarshalling Error: numberOfParcel is not an integer")
        if not skybills or count != len(skybills) or (count > 1 and op.findtext("multiParcel") != "Y"):
            return err(21, "Le nombre de colis ne correspond pas aux skybillValue")
        if recipient is None or not recipient.findtext("recipientAdress1") or not recipient.findtext("recipientCity"):
            return err(26, "Adresse du destinataire incomplète")
        if (recipient.findtext("recipientZipCode") or INVALID_ZIP) == INVALID_ZIP:
            return err(25, "Code postal du destinataire invalide")
        mode = MODES.get(op.findtext("skybillParamsValue/mode") or "PDF")
        if not mode:
            return err(40, "Mode d'impression inconnu")
        results = []
        for rank, skybill in enumerate(skybills):
            product = skybill.findtext("productCode")
            if product not in PRODUCTS:
                return err(30, f"Produit {product} inconnu")
            try:
                weight = float(skybill.findtext("weight") or "0")
            except ValueError:
                return self.fault("Unmarshalling Error: weight is not a float")
            if not 0 < weight <= 30:
                return err(35, "Poids invalide")
            ref = refs[rank] if rank < len(refs) else refs[0] if refs else None
            relay = ref.findtext("recipientRef") if ref is not None else None
            if product in RELAY_PRODUCTS and not relay:
                return err(33, "Identifiant du point relais obligatoire (recipientRef)")
            results.append((product, weight, relay, ref.findtext("shipperRef") if ref is not None else ""))
        values = []
        for product, weight, relay, shipper_ref in results:
            number = self.next_number() + "FR"
            self.record(number, reference=shipper_ref, service=product, relay=relay, weight=weight,
                        events=[("DC", "Envoi prêt chez l'expéditeur")])
            city = f"{recipient.findtext('recipientZipCode')} {recipient.findtext('recipientCity')}"
            label = self.label(number, mode, [f"Chronopost {product}", recipient.findtext("recipientName") or "",
                                              recipient.findtext("recipientAdress1") or "", city])
            values.append(f"<resultMultiParcelValue><codeService>{product}</codeService>"
                          f"<pdfEtiquette>{base64.b64encode(label).decode()}</pdfEtiquette>"
                          f"<skybillNumber>{number}</skybillNumber></resultMultiParcelValue>")
        return self.answer("shippingMultiParcelV5", SHIPPING_NS, "<errorCode>0</errorCode><errorMessage></errorMessage>"
                           + "".join(values))

    # ------------------------------------------------------------------ TrackingServiceWS
    def cancel(self, op):
        if op.findtext("accountNumber") != self.account or op.findtext("password") != self.password:
            return self.error("cancelSkybill", TRACKING_NS, 3, "Echec de l'authentification")
        number = op.findtext("skybillNumber")
        shipment = self.shipments.get(number)
        if not shipment or shipment["cancelled"]:
            return self.error("cancelSkybill", TRACKING_NS, 2, f"Numéro de LT {number} inconnu")
        if len(shipment["events"]) > 1:
            return self.error("cancelSkybill", TRACKING_NS, 11, "Colis déjà pris en charge : annulation impossible")
        shipment["cancelled"] = True
        return self.answer("cancelSkybill", TRACKING_NS, "<errorCode>0</errorCode><statusCode>0</statusCode>")

    def track(self, op):
        number = op.findtext("skybillNumber")
        shipment = self.shipments.get(number)
        if not shipment:
            return self.error("trackSkybillV2", TRACKING_NS, 2, f"Numéro de LT {number} inconnu")
        events = "".join(f"<events><code>{code}</code><eventDate>2026-12-01T10:00:00</eventDate>"
                         f"<eventLabel>{escape(label)}</eventLabel><highPriority>false</highPriority></events>"
                         for code, label in shipment["events"])
        return self.answer("trackSkybillV2", TRACKING_NS, f"<errorCode>0</errorCode><listEventInfoComp>{events}"
                           f"<skybillNumber>{number}</skybillNumber></listEventInfoComp>")

    def deliver(self, number):
        with self.lock:
            self.shipments[number]["events"].append(("D", "Livraison effectuée"))


def demo_peers():
    return [ChronopostPeer(port=8091)]
