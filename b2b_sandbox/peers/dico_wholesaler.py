"""Sandbox wholesaler: a Ketenstandaard MessageService 3.1 SOAP server that trades DICO messages.

* ``POST /MessageService/3.1`` (any path ending in MessageService/3.1), SOAP 1.1 on one of the wholesalers'
  WSDLs (``contract``: technischeunie, rexel, solar; the same files our client uses, served at ``?wsdl``
  with the peer's address). A request that breaks the WSDL (element names, order, namespaces, a missing
  CustomInfo) is refused with a Client fault, as the real service would; a wrong login (WS-Security
  UsernameToken + CustomInfo/RelationId: the customer number, or empty for a ``relation_id_rule`` "empty"
  wholesaler such as Solar) answers ``wsse:FailedAuthentication`` with HTTP 500.
* PostMessage (ORDERS, MsgFormat/MsgVersion INSBOU/003 or SALES/005): the order is parsed, validated against
  the DICO Order schema and checked against the wholesaler's ``expects`` (the documented deviations it
  needs: ``LineIdentitfication``, flat references, no GLN in the delivery party, 14-digit GTINs); the
  wholesaler then prepares its answers according to ``scenario``: ``accept`` (ORDRSP all accepted, DESADV,
  INVOIC), ``partial`` (first line confirmed for half the quantity, later and at another price),
  ``substitute`` (first line delivered as the article ``substitutes`` names), ``split`` (first line in two
  partial deliveries, the second a week later; the first ships), ``pending`` (ORDRSP with every line
  still unknown, nothing else: ``confirm()`` sends the final answer), ``reject`` (ORDRSP rejected), ``hold``
  (nothing). ``sync_answer`` puts the order response in the PostMessage answer instead of the mailbox.
  ``packages`` ships half of each line in a package of its own and the rest together in one more
  (several item levels in one despatch line, one order line in several); ``price_basis`` prices articles
  per N units; ``response_form`` is "nested" (standard) or "flat" (vendor form).
* GetAvailableMessages / GetMessage / DeleteMessage on the account's mailbox.
* ``inject()`` puts any document in a mailbox (tests of hostile or unknown messages); failures of the
  transport itself (5xx, slow answers, dropped connections) come from ``PeerServer.script()``.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol.dico import (
    FORMATS,
    DespatchAdvice,
    DespatchLine,
    DespatchPackage,
    DicoError,
    Invoice,
    InvoiceLine,
    OrderResponse,
    PartialDelivery,
    Party,
    ResponseLine,
)

from ..protocol import dico, messageservice
from .server import PeerServer, Response

WHOLESALER_GLN = "8713473000010"
# what every sender of wefabric/Message-Sender writes for these four (MessageSender::formatWithStandardRules)
SENDER_RULES = {"line_identitfication": True, "flat_references": True, "delivery_party_gln": False, "gtin14": True}
# the wholesalers as the sandbox plays them. Which real one answers in the nested or the flat form is not
# published: both forms cross the wire in the round trips this way.
WHOLESALERS = {
    "technischeunie": dict(contract="technischeunie", expects=SENDER_RULES, response_form="nested"),
    "oosterberg": dict(contract="technischeunie", expects=SENDER_RULES, response_form="nested"),
    "rexel": dict(contract="rexel", expects=SENDER_RULES, response_form="flat"),
    "solar": dict(contract="solar", expects=SENDER_RULES, response_form="flat", relation_id_rule="empty"),
}


@dataclass
class ReceivedOrder:
    account: str
    format: str
    order: object
    msg_id: str
    custom_info: dict = field(default_factory=dict)
    form: dict = field(default_factory=dict)


class DicoWholesalerPeer(PeerServer):
    name = "dico_wholesaler"

    def __init__(self, accounts=None, scenario="accept", prices=None, vat=Decimal("21.00"), contract="technischeunie",
                 relation_id_rule="customer", expects=None, response_form="flat", price_basis=None,
                 substitutes=None, packages=False, sync_answer=False, **kw):
        super().__init__(**kw)
        # account key (the relation id, the customer number) -> (username, password)
        self.accounts = dict(accounts or {"100234": ("buyer", "sandbox-edi")})
        self.scenario = scenario
        self.prices = dict(prices or {})  # supplier article code or GTIN -> unit price
        self.vat = vat
        self.contract = contract
        self.relation_id_rule = relation_id_rule
        self.expects = dict(expects or {})
        self.response_form = response_form
        self.price_basis = dict(price_basis or {})  # article code -> number of units a price is for
        self.substitutes = dict(substitutes or {})  # article code -> (gtin, code, description) delivered instead
        self.packages = packages
        self.sync_answer = sync_answer
        self._ids = itertools.count(1)  # never reset: a service does not hand out a message id twice
        self._init_state()

    @classmethod
    def as_wholesaler(cls, code, **kw):
        """The peer playing ``code`` (technischeunie, oosterberg, rexel, solar) as its public material shows."""
        return cls(**dict(WHOLESALERS[code], **kw))

    def _init_state(self):
        self.orders = []  # ReceivedOrder
        self.mailbox = {}  # account -> {msg_id: StoredMessage}
        self.deleted = []
        self.pending = []  # (account, format, order) answered "still unknown", awaiting confirm()
        self._received_ids = set()

    def reset(self):
        result = super().reset()
        with self.lock:
            self._init_state()
        return result

    # ------------------------------------------------------------------ helpers for tests and demo
    def inject(self, account, msg_type, content, msg_format="INSBOU", msg_version="003", msg_datetime=None):
        with self.lock:
            msg_id = f"MSG-{next(self._ids):06d}"
            message = messageservice.StoredMessage(
                msg_id, msg_type, content if isinstance(content, bytes) else content.encode(), msg_format, msg_version)
            if msg_datetime:
                message.msg_datetime = msg_datetime
            self.mailbox.setdefault(account, {})[msg_id] = message
        return msg_id

    def messages(self, account):
        return list(self.mailbox.get(account, {}).values())

    def confirm(self, scenario="accept"):
        """Send the final answers to the orders answered "still unknown" (scenario ``pending``)."""
        with self.lock:
            pending, self.pending = self.pending, []
            for account, fmt, order in pending:
                self._answer(account, fmt, order, scenario)

    # ------------------------------------------------------------------ SOAP
    def handle(self, request):
        if not request.path.rstrip("/").endswith("MessageService/3.1"):
            return Response.text("Not Found", status=404)
        if request.method == "GET" and "wsdl" in {k.lower() for k in request.query}:
            return Response.xml(messageservice.served_wsdl(self.contract, f"{self.url}{request.path}"))
        if request.method != "POST":
            return Response.text("Method Not Allowed", status=405)
        try:
            soap = messageservice.parse_request(request.body, request.header("SOAPAction"), self.contract)
        except messageservice.RequestError as exc:
            return self._fault(exc.code, str(exc))
        account = self._account(soap)
        if account is None:
            return self._fault("FailedAuthentication", "The security token could not be authenticated or authorized")
        return getattr(self, f"_op_{soap.operation}")(account, soap)

    def _account(self, soap):
        if self.relation_id_rule == "empty":
            if soap.relation_id:
                return None
            return next((key for key, login in self.accounts.items() if login == (soap.username, soap.password)), None)
        login = self.accounts.get(soap.relation_id)
        return soap.relation_id if login and login == (soap.username, soap.password) else None

    def _fault(self, code, message):
        return Response.xml(messageservice.build_fault(code, message, self.contract), status=500)

    def _respond(self, operation, **kw):
        return Response.xml(messageservice.build_response(operation, self.contract, **kw))

    def _format(self, msg_format, msg_version):
        for fmt in FORMATS.values():
            if (fmt.msg_format, fmt.version) == (msg_format, msg_version):
                return fmt
        raise DicoError(f"message format {msg_format} {msg_version} is not taken here")

    def _check_form(self, root):
        """The deviations this wholesaler needs, as its own reader would trip over them."""
        form = dico.order_form(root)
        problems = []
        if self.expects.get("line_identitfication") and form["line_identification"]:
            problems.append("OrderLine/LineIdentification is not known here (LineIdentitfication is)")
        if self.expects.get("flat_references") and form["wrapped_references"]:
            problems.append("CustomerOrderReference/ProjectReference are not known here (EndCustomerOrderNumber, "
                            "ProjectNumber are)")
        if self.expects.get("delivery_party_gln") is False and form["delivery_party_gln"]:
            problems.append("DeliveryParty has no GLN here")
        if self.expects.get("gtin14") and form["gtin_lengths"] - {14}:
            problems.append("GTINs must have 14 digits")
        if problems:
            raise DicoError("; ".join(problems))
        return form

    def _op_PostMessage(self, account, soap):
        props, content = messageservice.message_of(soap)
        if props.get("MsgType") != "ORDERS":
            return self._fault("Client", f"this wholesaler accepts ORDERS only, not {props.get('MsgType')}")
        if props.get("MsgId") in self._received_ids:
            return self._fault("Client", f"message {props['MsgId']} was received already")
        try:
            fmt = self._format(props.get("MsgFormat"), props.get("MsgVersion"))
            kind, root = fmt.parse(content, what="posted order")
            if kind != "ORDERS":
                raise DicoError(f"posted message is a {kind}, not an order")
            fmt.validate_order(root)
            form = self._check_form(root)
            order = dico.parse_order(root)
        except (DicoError, safe_xml.XMLInputError) as exc:
            return self._fault("Client", f"order refused: {exc}")
        with self.lock:
            self._received_ids.add(props["MsgId"])
            self.orders.append(ReceivedOrder(account, fmt.code, order, props["MsgId"], dict(soap.custom_info), form))
            answer = self._answer(account, fmt, order, self.scenario, keep_response=self.sync_answer)
        return self._respond("PostMessage", message=answer)

    def _op_GetAvailableMessages(self, account, soap):
        wanted = soap.text("MsgType")
        with self.lock:
            messages = [m for m in self.mailbox.get(account, {}).values() if not wanted or m.msg_type == wanted]
        return self._respond("GetAvailableMessages", messages=messages)

    def _stored(self, account, soap):
        message = self.mailbox.get(account, {}).get(soap.text("MsgId"))
        if message and soap.text("MsgFormat") and soap.text("MsgFormat") != message.msg_format:
            return None
        return message

    def _op_GetMessage(self, account, soap):
        message = self._stored(account, soap)
        if not message:
            return self._fault("Client", f"message {soap.text('MsgId')} not found")
        return self._respond("GetMessage", message=message)

    def _op_DeleteMessage(self, account, soap):
        with self.lock:
            message = self._stored(account, soap)
            if not message:
                return self._fault("Client", f"message {soap.text('MsgId')} not found")
            del self.mailbox[account][message.msg_id]
            self.deleted.append(message.msg_id)
        return self._respond("DeleteMessage")

    # ------------------------------------------------------------------ the wholesaler's answers
    def _code(self, line):
        return line.supplier_code or line.gtin

    def _price(self, line):
        for key in (line.supplier_code, line.gtin):
            if key and key in self.prices:
                return Decimal(str(self.prices[key]))
        return Decimal("10.00")

    def _basis(self, line):
        return Decimal(str(self.price_basis.get(self._code(line), 1)))

    def _store(self, account, fmt, msg_type, root):
        return self.inject(account, msg_type, fmt.serialize(root), fmt.msg_format, fmt.version)

    def _answer(self, account, fmt, order, scenario, keep_response=False):
        """Prepare the answers to ``order``; returns the order response when ``keep_response`` (it is then
        not put in the mailbox: the caller answers with it)."""
        if scenario == "hold":
            return None
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        today = now.date()
        planned = order.required_date or today + datetime.timedelta(days=2)
        supplier = Party(gln=WHOLESALER_GLN, name="Sandbox Groothandel B.V.")
        response_lines, shipped = [], []
        for n, line in enumerate(order.lines):
            price = self._price(line)
            qty, date, status = line.quantity, planned, "accepted"
            item = (line.gtin, line.supplier_code, line.description)
            partials = []
            shipping = qty
            if scenario == "reject":
                status, qty, shipping = "rejected", Decimal(0), Decimal(0)
            elif scenario == "pending":
                status, qty, date, shipping = "unknown", None, None, Decimal(0)
            elif n == 0 and scenario == "partial":
                status = "changed"
                qty = shipping = (line.quantity / 2).quantize(Decimal(1), rounding=ROUND_DOWN)
                date = planned + datetime.timedelta(days=5)
                price = (price * Decimal("1.10")).quantize(Decimal("0.01"))
            elif n == 0 and scenario == "substitute" and self._code(line) in self.substitutes:
                status, item = "changed", self.substitutes[self._code(line)]
            elif n == 0 and scenario == "split":
                status = "changed"
                first = (line.quantity / 2).quantize(Decimal(1), rounding=ROUND_DOWN)
                partials = [PartialDelivery(first, planned, line.unit),
                            PartialDelivery(line.quantity - first, planned + datetime.timedelta(days=7), line.unit)]
                shipping = first
            response_lines.append(ResponseLine(
                order_line_id=line.line_id, status=status, quantity=qty, unit=line.unit, gtin=item[0],
                supplier_code=item[1], description=item[2], net_price=price if status != "rejected" else None,
                price_basis=self._basis(line), delivery_date=date, partial_deliveries=partials))
            if shipping:
                shipped.append((line, shipping, price, item))
        header = {"accept": "accepted", "reject": "rejected", "pending": "accepted"}.get(scenario, "changed")
        number = f"{next(self._ids):08d}"
        response = OrderResponse(number=number, date=today, time=now.time(), buyer_order_number=order.number,
                                 status=header, lines=response_lines, scheduled_date=planned if shipped else None,
                                 buyer=order.buyer, supplier=supplier)
        response_root = dico.build_order_response(fmt, response, self.response_form)
        answer = None
        if keep_response:
            answer = messageservice.StoredMessage(f"OR-{number}", "ORDRSP", fmt.serialize(response_root),
                                                  fmt.msg_format, fmt.version)
        else:
            self._store(account, fmt, "ORDRSP", response_root)
        if scenario == "pending":
            self.pending.append((account, fmt, order))
        if not shipped:
            return answer
        lines = [DespatchLine(order_line_id=line.line_id, quantity=qty, unit=line.unit, gtin=item[0],
                              supplier_code=item[1], description=item[2]) for line, qty, _price, item in shipped]
        packages = []
        if self.packages:  # half of each line in a package of its own, the rest together in one more
            mixed = DespatchPackage(str(len(lines) + 1))
            for n, dline in enumerate(lines, 1):
                own = (dline.quantity / 2).quantize(Decimal(1), rounding=ROUND_DOWN)
                if own:
                    packages.append(DespatchPackage(str(n), lines=[_copy(dline, own)]))
                mixed.lines.append(_copy(dline, dline.quantity - own))
            packages.append(mixed)
        advice = DespatchAdvice(
            number=f"DA{number}", date=today, buyer_order_number=order.number, scheduled_date=planned,
            tracking_ref=f"3SSBX{number}", supplier=supplier, buyer=order.buyer, lines=lines, packages=packages)
        self._store(account, fmt, "DESADV", dico.build_despatch_advice(fmt, advice))
        invoice_lines = [InvoiceLine(order_line_id=line.line_id, quantity=qty, price=price, net_amount=qty * price,
                                     unit=line.unit, gtin=item[0], supplier_code=item[1], description=item[2],
                                     vat_percentage=self.vat, price_basis=self._basis(line))
                         for line, qty, price, item in shipped]
        net = sum((line.net_amount for line in invoice_lines), Decimal(0)).quantize(Decimal("0.01"))
        vat = (net * self.vat / 100).quantize(Decimal("0.01"))
        invoice = Invoice(number=f"F{number}", date=today, buyer_order_number=order.number, lines=invoice_lines,
                          despatch_number=advice.number, total_net=net, total_vat=vat, total=net + vat,
                          supplier=supplier, buyer=order.buyer)
        self._store(account, fmt, "INVOIC", dico.build_invoice(fmt, invoice))
        return answer


def _copy(line, quantity):
    return DespatchLine(order_line_id=line.order_line_id, quantity=quantity, unit=line.unit, gtin=line.gtin,
                        supplier_code=line.supplier_code, description=line.description)


# the demo suppliers "Technische Unie (sandbox)", ... (b2b_edi_connector/demo/edi_demo.xml) call these
DEMO_PORTS = {"technischeunie": 8071, "rexel": 8081, "solar": 8082, "oosterberg": 8083}


def demo_peers():
    """One sandbox wholesaler per wholesaler profile, each playing its wholesaler (WSDL, deviations it checks,
    RelationId rule), on the ports of ``DEMO_PORTS`` (relation 100234, user "buyer", password "sandbox-edi")."""
    peers = []
    for code, port in DEMO_PORTS.items():
        peer = DicoWholesalerPeer.as_wholesaler(code, port=port, prices={"SBX-100": "4.95", "SBX-200": "12.50"})
        peer.name = f"dico_{code}"
        peers.append(peer)
    return peers
