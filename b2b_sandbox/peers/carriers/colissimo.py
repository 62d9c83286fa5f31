"""Sandbox Colissimo: the SLS REST ``generateLabel`` service (a multipart answer: the JSON infos, then the
label) and La Poste's tracking API "Suivi" v2 (``GET /suivi/v2/idships/{numbers}`` with X-Okapi-Key), as the
Colissimo web-services documentation describes them. Colissimo has no cancellation."""

import json
import uuid

from ..server import Response
from .common import INVALID_ZIP, CarrierPeer

PRODUCTS = {"DOM", "DOS", "A2P", "BPR", "COLI", "CMT", "BDP", "CORE", "CORI"}
RELAY_PRODUCTS = {"A2P", "BPR", "CMT", "BDP"}
PRINTING_TYPES = {"PDF_10x15_300dpi": "PDF", "PDF_A4_300dpi": "PDF", "ZPL_10x15_203dpi": "ZPL",
                  "ZPL_10x15_300dpi": "ZPL"}


class ColissimoPeer(CarrierPeer):
    name = "colissimo"
    prefix = "6A"

    def handle(self, request):
        refusal = self.gate()
        if refusal:
            return refusal
        if request.method == "POST" and request.path == "/sls-ws/SlsServiceWSRest/2.0/generateLabel":
            return self.generate_label(request)
        if request.method == "GET" and request.path.startswith("/suivi/v2/idships/"):
            return self.tracking(request, request.path.rsplit("/", 1)[1])
        return Response.json({"code": "NOT_FOUND", "message": "no such resource"}, status=404)

    # ------------------------------------------------------------------ generateLabel
    def generate_label(self, request):
        try:
            body = request.json()
        except ValueError:
            return self._refusal("30100", "Le format de la requête est invalide", status=400)
        if body.get("contractNumber") != self.account or body.get("password") != self.password:
            return self._refusal("30000", "Identifiant ou mot de passe incorrect")
        letter = body.get("letter") or {}
        service = letter.get("service") or {}
        parcel = letter.get("parcel") or {}
        addressee = (letter.get("addressee") or {}).get("address") or {}
        sender = (letter.get("sender") or {}).get("address") or {}
        fmt = PRINTING_TYPES.get((body.get("outputFormat") or {}).get("outputPrintingType"))
        if not fmt:
            return self._refusal("30108", "Le format d'impression est incorrect")
        product = service.get("productCode")
        if product not in PRODUCTS:
            return self._refusal("30101", "Le code produit est incorrect")
        if not isinstance(parcel.get("weight"), (int, float)) or not 0 < parcel["weight"] <= 30:
            return self._refusal("30501", "Le poids du colis est incorrect")
        for role, address in (("expéditeur", sender), ("destinataire", addressee)):
            for key in ("line2", "city", "countryCode"):
                if not address.get(key):
                    return self._refusal("30221", f"L'adresse du {role} est incomplète ({key})")
        if not (addressee.get("lastName") or addressee.get("companyName")):
            return self._refusal("30220", "Le nom du destinataire est obligatoire")
        if not addressee.get("zipCode") or addressee.get("zipCode") == INVALID_ZIP:
            return self._refusal("30222", "Le code postal du destinataire est invalide")
        if product in RELAY_PRODUCTS:
            if not parcel.get("pickupLocationId"):
                return self._refusal("30600", "L'identifiant du point de retrait est obligatoire")
            if not (addressee.get("mobileNumber") or addressee.get("email")):
                return self._refusal("30601",
                                     "Le portable ou l'e-mail du destinataire est obligatoire en point retrait")
        number = self.next_number() + "FR"
        self.record(number, reference=(letter.get("sender") or {}).get("senderParcelRef"), service=product,
                    relay=parcel.get("pickupLocationId"), weight=parcel["weight"])
        city = f"{addressee.get('zipCode')} {addressee.get('city')}"
        label = self.label(number, fmt, [f"Colissimo {product}", addressee.get("lastName") or "",
                                         addressee.get("line2", ""), city])
        info = {"messages": [{"id": "0", "type": "INFOS", "messageContent": "La requête a été traitée avec succès"}],
                "labelV2Response": {"parcelNumber": number, "parcelNumberPartner": None, "pdfUrl": None}}
        return self._multipart(info, label)

    def _refusal(self, code, text, status=400):
        return self._multipart({"messages": [{"id": code, "type": "ERROR", "messageContent": text}]}, None, status)

    @staticmethod
    def _multipart(info, label, status=200):
        boundary = f"uuid:{uuid.uuid4()}"
        parts = [b"--" + boundary.encode() + b"\r\nContent-Type: application/json;charset=UTF-8\r\n"
                 b"Content-Transfer-Encoding: binary\r\nContent-ID: <jsonInfos>\r\n\r\n"
                 + json.dumps(info).encode() + b"\r\n"]
        if label is not None:
            parts.append(b"--" + boundary.encode() + b"\r\nContent-Type: application/octet-stream\r\n"
                         b"Content-Transfer-Encoding: binary\r\nContent-ID: <label>\r\n\r\n" + label + b"\r\n")
        body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
        content_type = f'multipart/mixed; boundary="{boundary}"; start="<jsonInfos>"; type="application/json"'
        return Response(status, body, {"Content-Type": content_type})

    # ------------------------------------------------------------------ Suivi v2
    def tracking(self, request, number):
        if request.header("X-Okapi-Key") != self.api_key:
            return Response.json({"code": "UNAUTHORIZED", "message": "Invalid credentials"}, status=401)
        shipment = self.shipments.get(number)
        if not shipment:
            return Response.json({"returnCode": 404, "returnMessage": f"Numéro {number} inconnu",
                                  "idShip": number}, status=404)
        events = [{"code": code, "label": label, "date": "2026-12-01T10:00:00+01:00"}
                  for code, label in reversed(shipment["events"])]
        return Response.json({"returnCode": 200, "lang": request.query.get("lang", "fr_FR"),
                              "shipment": {"idShip": number, "product": "colissimo", "event": events,
                                           "isFinal": events[0]["code"].startswith("DI")}})


def demo_peers():
    return [ColissimoPeer(port=8090)]
