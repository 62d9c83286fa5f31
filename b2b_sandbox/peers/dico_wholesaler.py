"""Sandbox wholesaler: a Ketenstandaard MessageService 3.1 SOAP server that trades DICO messages.

* ``POST /MessageService/3.1`` (any path ending in MessageService/3.1), SOAP 1.1, WS-Security UsernameToken
  (PasswordText) + CustomInfo/RelationId checked against ``accounts``; a wrong login answers the
  ``wsse:FailedAuthentication`` fault with HTTP 500, as SOAP 1.1 services do.
* PostMessage (ORDERS): the order is parsed and validated against the DICO Order schema (an invalid
  order is refused with a Client fault); the wholesaler then prepares its answers for the customer's
  mailbox according to ``scenario``: ``accept`` (ORDRSP all accepted, DESADV, INVOIC), ``partial`` (first
  line confirmed for half the quantity, later and at another price; DESADV and INVOIC for what ships),
  ``reject`` (ORDRSP rejected, nothing else), ``hold`` (nothing yet).
* GetAvailableMessages / GetMessage / DeleteMessage on the customer's mailbox.
* ``inject()`` puts any document in a mailbox (tests of hostile or unknown messages); failures of the
  transport itself (5xx, slow answers, dropped connections) come from ``PeerServer.script()``.
"""

import datetime
import itertools
from decimal import ROUND_DOWN, Decimal

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol import soap
from odoo.addons.b2b_edi_connector.protocol.dico import (
    DespatchAdvice, DespatchLine, DicoError, Invoice, InvoiceLine, OrderResponse, Party, ResponseLine, get_format,
)

from ..protocol import dico, messageservice
from .server import PeerServer, Response

WHOLESALER_GLN = "8713473000010"


class DicoWholesalerPeer(PeerServer):
    name = "dico_wholesaler"

    def __init__(self, accounts=None, scenario="accept", prices=None, vat=Decimal("21.00"), **kw):
        super().__init__(**kw)
        # relation id (customer number) -> (username, password)
        self.accounts = dict(accounts or {"100234": ("buyer", "sandbox-edi")})
        self.scenario = scenario
        self.prices = dict(prices or {})  # supplier article code or GTIN -> unit price
        self.vat = vat
        self._init_state()

    def _init_state(self):
        self.orders = []  # (relation_id, format, Order)
        self.mailbox = {}  # relation_id -> {message_id: soap.Message}
        self.deleted = []
        self._ids = itertools.count(1)

    def reset(self):
        super().reset()
        with self.lock:
            self._init_state()

    # ------------------------------------------------------------------ helpers for tests and demo
    def inject(self, relation_id, message_type, content, message_format="INSBOU003"):
        with self.lock:
            message_id = f"MSG-{next(self._ids):06d}"
            self.mailbox.setdefault(relation_id, {})[message_id] = soap.Message(
                message_id, message_type, content if isinstance(content, bytes) else content.encode(), message_format)
        return message_id

    def messages(self, relation_id):
        return list(self.mailbox.get(relation_id, {}).values())

    # ------------------------------------------------------------------ SOAP
    def handle(self, request):
        if request.method != "POST" or not request.path.rstrip("/").endswith("MessageService/3.1"):
            return Response.text("Not Found", status=404)
        try:
            operation, creds, body = messageservice.parse_request(request.body)
        except safe_xml.XMLInputError as exc:
            return self._fault("Client", f"invalid SOAP request: {exc}")
        account = self.accounts.get(creds.relation_id)
        if not account or account != (creds.username, creds.password):
            return self._fault("FailedAuthentication", "The security token could not be authenticated or authorized")
        handler = getattr(self, f"_op_{operation}", None)
        if handler is None:
            return self._fault("Client", f"unknown operation {operation}")
        return handler(creds.relation_id, body)

    def _fault(self, code, message):
        return Response.xml(messageservice.build_fault(code, message), status=500)

    @staticmethod
    def _text(body, tag):
        return (body.findtext(f"{{{soap.NS}}}{tag}") or "").strip()

    def _op_PostMessage(self, relation_id, body):
        message_type = self._text(body, "MessageType")
        fmt_name = self._text(body, "MessageFormat") or "INSBOU003"
        if message_type != "ORDERS":
            return self._fault("Client", f"this wholesaler accepts ORDERS only, not {message_type}")
        try:
            fmt = get_format(fmt_name)
            content = soap.decode_content(self._text(body, "Content"), "PostMessage")
            kind, root = fmt.parse(content, what="posted order")
            if kind != "ORDERS":
                raise DicoError(f"posted message is a {kind}, not an order")
            fmt.validate_order(root)
            order = dico.parse_order(root)
        except (DicoError, safe_xml.XMLInputError) as exc:
            return self._fault("Client", f"order refused: {exc}")
        with self.lock:
            self.orders.append((relation_id, fmt_name, order))
            message_id = f"IN-{next(self._ids):06d}"
            self._answer(relation_id, fmt, fmt_name, order)
        return Response.xml(messageservice.build_response("PostMessage", message_id=message_id))

    def _op_GetAvailableMessages(self, relation_id, body):
        wanted = self._text(body, "MessageType")
        with self.lock:
            messages = [soap.AvailableMessage(m.message_id, m.message_type,
                                              created=datetime.datetime.now(datetime.timezone.utc).strftime(
                                                  "%Y-%m-%dT%H:%M:%SZ"))
                        for m in self.mailbox.get(relation_id, {}).values()
                        if not wanted or m.message_type == wanted]
        return Response.xml(messageservice.build_response("GetAvailableMessages", messages=messages))

    def _op_GetMessage(self, relation_id, body):
        message_id = self._text(body, "MessageId")
        message = self.mailbox.get(relation_id, {}).get(message_id)
        if not message:
            return self._fault("Client", f"message {message_id} not found")
        return Response.xml(messageservice.build_response("GetMessage", message=message))

    def _op_DeleteMessage(self, relation_id, body):
        message_id = self._text(body, "MessageId")
        with self.lock:
            if self.mailbox.get(relation_id, {}).pop(message_id, None) is None:
                return self._fault("Client", f"message {message_id} not found")
            self.deleted.append(message_id)
        return Response.xml(messageservice.build_response("DeleteMessage"))

    # ------------------------------------------------------------------ the wholesaler's answers
    def _price(self, line):
        for key in (line.supplier_code, line.gtin):
            if key and key in self.prices:
                return Decimal(str(self.prices[key]))
        return Decimal("10.00")

    def _answer(self, relation_id, fmt, fmt_name, order):
        if self.scenario == "hold":
            return
        today = datetime.date.today()
        planned = order.required_date or today + datetime.timedelta(days=2)
        supplier = Party(gln=WHOLESALER_GLN, name="Sandbox Groothandel B.V.")
        response_lines, shipped = [], []
        for n, line in enumerate(order.lines):
            price = self._price(line)
            qty, date, status = line.quantity, planned, "accepted"
            if self.scenario == "reject":
                status, qty = "rejected", Decimal(0)
            elif self.scenario == "partial" and n == 0:
                status = "changed"
                qty = (line.quantity / 2).quantize(Decimal(1), rounding=ROUND_DOWN)
                date = planned + datetime.timedelta(days=5)
                price = (price * Decimal("1.10")).quantize(Decimal("0.01"))
            response_lines.append(ResponseLine(
                order_line_id=line.line_id, status=status, quantity=qty, unit=line.unit, gtin=line.gtin,
                supplier_code=line.supplier_code, description=line.description, net_price=price, delivery_date=date))
            if qty:
                shipped.append((line, qty, price))
        header = {"accept": "accepted", "partial": "changed", "reject": "rejected"}.get(self.scenario, "accepted")
        number = f"{next(self._ids):08d}"
        response = OrderResponse(number=f"OR{number}", date=today, buyer_order_number=order.number, status=header,
                                 lines=response_lines, scheduled_date=planned, buyer=order.buyer, supplier=supplier)
        self.inject(relation_id, "ORDRSP", fmt.serialize(dico.build_order_response(fmt, response)), fmt_name)
        if not shipped:
            return
        advice = DespatchAdvice(
            number=f"DA{number}", date=today, buyer_order_number=order.number, scheduled_date=planned,
            tracking_ref=f"3SSBX{number}", supplier=supplier, buyer=order.buyer,
            lines=[DespatchLine(order_line_id=line.line_id, quantity=qty, unit=line.unit, gtin=line.gtin,
                                supplier_code=line.supplier_code, description=line.description)
                   for line, qty, _price in shipped])
        self.inject(relation_id, "DESADV", fmt.serialize(dico.build_despatch_advice(fmt, advice)), fmt_name)
        lines = [InvoiceLine(order_line_id=line.line_id, quantity=qty, price=price, net_amount=qty * price,
                             unit=line.unit, gtin=line.gtin, supplier_code=line.supplier_code,
                             description=line.description, vat_percentage=self.vat)
                 for line, qty, price in shipped]
        net = sum((line.net_amount for line in lines), Decimal(0))
        vat = (net * self.vat / 100).quantize(Decimal("0.01"))
        invoice = Invoice(number=f"F{number}", date=today, buyer_order_number=order.number, lines=lines,
                          despatch_number=advice.number, total_net=net, total_vat=vat, total=net + vat,
                          supplier=supplier, buyer=order.buyer)
        self.inject(relation_id, "INVOIC", fmt.serialize(dico.build_invoice(fmt, invoice)), fmt_name)


def demo_peers():
    """The demo wholesaler on port 8071 (relation 100234, user "buyer", password "sandbox-edi")."""
    return [DicoWholesalerPeer(port=8071, prices={"SBX-100": "4.95", "SBX-200": "12.50"})]
