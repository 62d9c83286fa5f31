"""Sandbox DHL Parcel (Iberia): the "B2B_B2C Web Service" of DHL CIM's integration document (v6, 31-05-2022):
``POST /cimapi/api/v1/customer/authenticate`` (a JWT, 30 minutes), ``POST .../shipment`` (booked, labels in
base64), ``GET .../shipment?Year&Tracking&Action=PRINT|DELETE[&LabelFrom&LabelTo&Format]``, ``GET .../track``.

``SHIPMENT_FIELDS`` is the document's table of the shipment's input fields (p. 4-6: type, length, mandatory): the
peer refuses what does not fit it with 400 {"Message": ...}, as DHL does; the pure contract tests check our
requests against it."""

import base64
import hashlib
import hmac
import json
import time

from ..server import Response
from .common import INVALID_ZIP, CarrierPeer, label_pdf, label_zpl

API = "/cimapi/api/v1/customer"
# field: (type, max length or (min, max) value, mandatory) - "S" in the document's "Obligatorio" column
ADDRESS_FIELDS = {
    "Receiver": {"Name": ("str", 40, True), "Address": ("str", 40, True), "City": ("str", 20, True),
                 "PostalCode": ("str", 9, True), "Country": ("str", 2, True), "Phone": ("str", 15, False),
                 "Email": ("str", 50, False)},
    "Sender": {"Name": ("str", 40, False), "Address": ("str", 40, False), "City": ("str", 20, False),
               "PostalCode": ("str", 5, False), "Country": ("str", 2, False), "Phone": ("str", 9, False),
               "Email": ("str", 50, False)},
}
SHIPMENT_FIELDS = {
    "Customer": ("str", 10, True), "Reference": ("str", 35, False), "Quantity": ("int", (1, 999), True),
    "Weight": ("int", (1, 99999), True), "WeightVolume": ("int", (0, 99999), False),
    "CODAmount": ("num", None, False), "CODExpenses": ("str", 1, False), "CODCurrency": ("str", 3, False),
    "InsuranceAmount": ("num", None, False), "InsuranceExpenses": ("str", 1, False),
    "InsuranceCurrency": ("str", 3, False), "DeliveryNote": ("str", 1, False), "ServiceType": ("str", 1, False),
    "Remarks1": ("str", 40, False), "Remarks2": ("str", 40, False), "Incoterms": ("str", 3, True),
    "ContactName": ("str", 25, False), "GoodsDescription": ("str", 70, False), "CustomsValue": ("num", None, False),
    "CustomsCurrency": ("str", 3, False), "Format": ("str", 3, False), "Product": ("str", 3, False),
    "Features": ("list", None, False), "Lp": ("list", None, False), "LP": ("list", None, False),
    "Customs": ("dict", None, False), "Receiver": ("dict", None, True), "Sender": ("dict", None, False),
}
INCOTERMS = {"CPT", "EXW", "DDP", "DAP"}
FORMATS = {"PDF", "ZPL", "EPL"}
PRODUCTS = {"B2B", "B2C", "R2C"}


def _field_errors(fields, data, where):
    """What in ``data`` does not fit ``fields`` (unknown fields included); [] when it fits."""
    errors = [f"{where}{name}: unknown field" for name in data if name not in fields]
    for name, (kind, limit, mandatory) in fields.items():
        value = data.get(name)
        if value in (None, ""):
            if mandatory:
                errors.append(f"{where}{name}: mandatory")
            continue
        if kind == "str" and (not isinstance(value, str) or len(value) > limit):
            errors.append(f"{where}{name}: a text of at most {limit} characters")
        elif kind == "int" and (not isinstance(value, int) or isinstance(value, bool)
                                or not limit[0] <= value <= limit[1]):
            errors.append(f"{where}{name}: a whole number from {limit[0]} to {limit[1]}")
        elif kind == "num" and not isinstance(value, (int, float)):
            errors.append(f"{where}{name}: a number")
        elif kind == "list" and not isinstance(value, list):
            errors.append(f"{where}{name}: a list")
        elif kind == "dict" and not isinstance(value, dict):
            errors.append(f"{where}{name}: an object")
    return errors


def contract_errors(body):
    """What in ``body`` does not fit the document's field table (unknown fields included); [] when it fits."""
    if not isinstance(body, dict):
        return ["the body is no JSON object"]
    errors = _field_errors(SHIPMENT_FIELDS, body, "")
    for part, fields in ADDRESS_FIELDS.items():
        if isinstance(body.get(part), dict):
            errors += _field_errors(fields, body[part], f"{part}.")
    for feature in body.get("Features") or []:
        if not isinstance(feature, dict) or set(feature) - {"Key", "Value"} or not feature.get("Key"):
            errors.append("Features: objects of Key and Value")
    return errors


class DhlParcelPeer(CarrierPeer):
    name = "dhl_parcel"
    prefix = "08"

    def __init__(self, account="11000000SANDBOX", customer="08-100000", **kw):
        super().__init__(account=account, **kw)
        self.customer = customer
        self.token_lifetime = 1800

    def _init_state(self):
        result = super()._init_state()
        self.labels = {}  # tracking -> list of label bytes, one per package
        return result

    # ------------------------------------------------------------------ tokens
    def _token(self):
        expires = int(time.time()) + self.token_lifetime
        payload = base64.urlsafe_b64encode(json.dumps({"unique_name": self.account, "exp": expires}).encode()).decode()
        signature = hmac.new(self.password.encode(), payload.encode(), hashlib.sha256).hexdigest()
        return f"{payload}.{signature}"

    def _authorized(self, request):
        header = request.header("Authorization") or ""
        if not header.startswith("Bearer ") or "." not in header:
            return False
        payload, signature = header[7:].rsplit(".", 1)
        expected = hmac.new(self.password.encode(), payload.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature, expected):
            return False
        try:
            return json.loads(base64.urlsafe_b64decode(payload.encode())).get("exp", 0) > time.time()
        except ValueError:
            return False

    # ------------------------------------------------------------------ routing
    def handle(self, request):
        refusal = self.gate()
        if refusal:
            return refusal
        if request.path == f"{API}/authenticate" and request.method == "POST":
            try:
                creds = request.json() or {}
            except ValueError:
                creds = {}
            if creds.get("Username") != self.account or creds.get("Password") != self.password:
                return Response(401, b"", {})
            return Response.json(self._token())
        if not request.path.startswith(API + "/"):
            return Response(404, b"", {})
        if not self._authorized(request):
            return Response(401, b"", {})
        if request.path == f"{API}/shipment" and request.method == "POST":
            return self.book(request)
        if request.path == f"{API}/shipment" and request.method == "GET":
            return self.action(request)
        if request.path == f"{API}/track" and request.method == "GET":
            return self.track(request)
        return Response(404, b"", {})

    @staticmethod
    def refuse(message):
        return Response.json({"Message": message}, status=400)

    # ------------------------------------------------------------------ shipment
    def book(self, request):
        try:
            body = request.json()
        except ValueError:
            return self.refuse("El contenido no es un JSON válido")
        errors = contract_errors(body)
        if errors:
            return self.refuse("; ".join(errors))
        if body["Customer"] != self.customer:
            return self.refuse(f"Código de cliente {body['Customer']} no autorizado para este usuario")
        receiver = body["Receiver"]
        if receiver["PostalCode"] == INVALID_ZIP:
            return self.refuse("Código postal del consignatario no válido")
        if body["Incoterms"] not in INCOTERMS:
            return self.refuse("Clave de portes no válida")
        fmt = body.get("Format") or "PDF"
        if fmt not in FORMATS or (body.get("Product") or "B2B") not in PRODUCTS:
            return self.refuse("Formato o producto no válido")
        service_point = next((f.get("Value") for f in body.get("Features") or [] if f.get("Key") == "701"), None)
        if service_point is not None and (body.get("Product") != "B2C" or len(service_point.split(",")) < 3):
            return self.refuse("Entrega en Service point: producto B2C y Value 'Keyword,harmonisedId,psfKey'")
        tracking = "08" + self.next_number()[-8:]  # 10 digits, the origin first
        year = str(time.gmtime().tm_year % 10)
        count = body["Quantity"]
        lps = [f"JJD0000{tracking}{i:03d}" for i in range(1, count + 1)]
        pages = [self._label(tracking, lps[i], i + 1, count, receiver, fmt) for i in range(count)]
        with self.lock:
            self.labels[tracking] = pages
        self.record(tracking, reference=body.get("Reference"), service=body.get("Product") or "B2B", year=year,
                    service_point=service_point, weight=body["Weight"], quantity=count,
                    events=[("A", "Asignado")])
        label = b"".join(pages) if fmt != "PDF" else self._all(pages)
        return Response.json({"Origin": tracking[:2], "Customer": self.customer.split("-")[-1], "Year": year,
                              "Tracking": tracking, "AWB": "", "LP": lps,
                              "Label": base64.b64encode(label).decode()})

    @staticmethod
    def _label(tracking, lp, rank, count, receiver, fmt):
        lines = [f"DHL Parcel {rank}/{count}", lp, receiver["Name"], receiver["Address"],
                 f"{receiver['PostalCode']} {receiver['City']}"]
        return label_zpl(tracking, lines) if fmt in ("ZPL", "EPL") else label_pdf(tracking, lines)

    @staticmethod
    def _all(pages):
        # every package's label in the shipment's document: the sandbox keeps it simple, the first page holds it
        return pages[0] if len(pages) == 1 else label_pdf("DHL Parcel", [f"{len(pages)} labels"])

    def action(self, request):
        query = request.query
        tracking = query.get("Tracking")
        shipment = self.shipments.get(tracking)
        if not shipment or shipment["cancelled"] or shipment.get("year") != query.get("Year"):
            return Response(404, b"", {})
        action = (query.get("Action") or "PRINT").upper()
        if action == "DELETE":
            if len(shipment["events"]) > 1:
                return self.refuse("El envío ya está en tránsito: no se puede borrar")
            shipment["cancelled"] = True
            return Response.json({"Tracking": tracking, "Message": "Envío borrado"})
        if action != "PRINT":
            return self.refuse(f"Acción {action} no válida")
        pages = self.labels[tracking]
        try:
            first, last = int(query.get("LabelFrom") or 1), int(query.get("LabelTo") or len(pages))
        except ValueError:
            return self.refuse("Rango de etiquetas no válido")
        if not 1 <= first <= last <= len(pages):
            return self.refuse("Rango de etiquetas no válido")
        chosen = pages[first - 1:last]
        return Response.json({"Origin": tracking[:2], "Tracking": tracking, "AWB": "",
                              "Label": base64.b64encode(chosen[0] if len(chosen) == 1 else self._all(chosen)).decode()})

    def track(self, request):
        shipment = self.shipments.get(request.query.get("id"))
        if not shipment:
            return Response(404, b"", {})
        events = [{"DateTime": "2026-12-01T10:00:00", "Code": code, "Status": label, "Ubication": "Barcelona"}
                  for code, label in shipment["events"]]
        return Response.json(events)

    def deliver(self, number):
        with self.lock:
            self.shipments[number]["events"].append(("R", "Entregado"))


def demo_peers():
    return [DhlParcelPeer(port=8092)]
