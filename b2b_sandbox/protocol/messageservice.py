"""The service side of Ketenstandaard MessageService 3.1 (SOAP 1.1), as the sandbox wholesaler plays it, on the
same WSDLs our client uses (b2b_edi_connector/protocol/schemas/messageservice31/): read a client's request
(the operation from its SOAPAction, WS-Security UsernameToken, CustomInfo), check it against the WSDL's
schema as a real service would, and answer in the element order of the wholesaler's contract (or with a
SOAP Fault). Plain Python and lxml; our client is b2b_edi_connector/protocol/messageservice.py."""

import datetime
from dataclasses import dataclass, field

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol.messageservice import (
    AUTH_FAULTS,
    MAX_RESPONSE_BYTES,
    NS,
    SOAP_ENV,
    WSSE,
    get_contract,
    request_schema,
)

# the body element of each operation's request and answer (the same names in every contract)
INPUT = {"PostMessage": "Message", "GetMessage": "MessageRequest", "DeleteMessage": "MessageRequest",
         "GetAvailableMessages": "AvailableMessagesRequest"}
OUTPUT = {"PostMessage": "MessageResponse", "GetMessage": "MessageRequestResponse",
          "DeleteMessage": "MessageResponse", "GetAvailableMessages": "AvailableMessagesResponse"}
# where the contracts differ on the wire (tests/fixtures/specs/messageservice31/structtypes.json)
LAYOUT = {
    "technischeunie": dict(properties=("MsgDateTime", "MsgId", "MsgFormat", "MsgVersion", "MsgType"),
                           message=("MsgProperties", "MsgContent", "Attachment"),
                           response=("MessageResult", "Message"), wrapped_attachments=False),
    "rexel": dict(properties=("MsgId", "MsgDateTime", "MsgFormat", "MsgVersion", "MsgType"),
                  message=("MsgProperties", "MsgContent", "Attachment"),
                  response=("Message", "MessageResult"), wrapped_attachments=True),
    "solar": dict(properties=("MsgDateTime", "MsgId", "MsgFormat", "MsgVersion", "MsgType"),
                  message=("MsgContent", "MsgProperties", "Attachment"),
                  response=("MessageResult", "Message"), wrapped_attachments=False),
}


@dataclass
class Request:
    operation: str
    username: str
    password: str
    custom_info: dict
    body: etree._Element

    def text(self, tag):
        return (self.body.findtext(f"{{{NS}}}{tag}") or "").strip()

    @property
    def relation_id(self):
        return self.custom_info.get("RelationId", "")


@dataclass
class StoredMessage:
    """A message in a mailbox, as the service keeps it."""

    msg_id: str
    msg_type: str
    content: bytes
    msg_format: str = "INSBOU"
    msg_version: str = "003"
    msg_datetime: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc))


class RequestError(Exception):
    """A request the service refuses; ``code`` is the SOAP faultcode."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def qname(tag, ns=NS):
    return f"{{{ns}}}{tag}"


def sub(parent, tag, text=None, ns=NS):
    el = etree.SubElement(parent, qname(tag, ns))
    if text is not None:
        el.text = str(text)
    return el


def operation_of(soap_action):
    """The operation a SOAPAction header names (``"<ns>/PostMessage"``)."""
    action = (soap_action or "").strip().strip('"')
    return action.rsplit("/", 1)[-1] if action else ""


def parse_request(data, soap_action, contract="technischeunie"):
    """The :class:`Request` in ``data``; :class:`RequestError` when it breaks the contract."""
    contract = get_contract(contract)
    try:
        root = safe_xml.parse_xml(data, max_bytes=MAX_RESPONSE_BYTES, what="MessageService request")
    except safe_xml.XMLInputError as exc:
        raise RequestError("Client", f"invalid SOAP request: {exc}") from None
    if root.tag != qname("Envelope", SOAP_ENV):
        raise RequestError("VersionMismatch", "not a SOAP 1.1 envelope")
    header, body = root.find(qname("Header", SOAP_ENV)), root.find(qname("Body", SOAP_ENV))
    if body is None or len(body) != 1:
        raise RequestError("Client", "the SOAP body must hold one element")
    operation = operation_of(soap_action)
    if operation not in INPUT:
        raise RequestError("Client", f"unknown action {soap_action!r}")
    request = body[0]
    if request.tag != qname(INPUT[operation]):
        got = etree.QName(request)
        raise RequestError("Client", f"{operation} expects <{INPUT[operation]}>, not <{got.localname}> "
                                     f"({got.namespace or 'no namespace'})")
    custom = header.find(qname("CustomInfo")) if header is not None else None
    if custom is None:
        raise RequestError("Client", "the CustomInfo header is missing")
    schema = request_schema(contract)
    for part in (custom, request):
        if not schema.validate(part):
            raise RequestError("Client", f"<{etree.QName(part).localname}> does not match the service's WSDL: "
                                         f"{schema.error_log.last_error.message}")
    token = header.find(f"{qname('Security', WSSE)}/{qname('UsernameToken', WSSE)}")
    return Request(
        operation=operation,
        username=(token.findtext(qname("Username", WSSE)) or "") if token is not None else "",
        password=(token.findtext(qname("Password", WSSE)) or "") if token is not None else "",
        custom_info={etree.QName(el).localname: (el.text or "").strip() for el in custom},
        body=request,
    )


def message_of(request):
    """The (properties, content) of a PostMessage request: properties as a dict of their local names."""
    props = request.body.find(qname("MsgProperties"))
    values = {etree.QName(el).localname: (el.text or "").strip() for el in (props if props is not None else ())}
    return values, (request.body.findtext(qname("MsgContent")) or "").encode("utf-8")


# ---------------------------------------------------------------------------- answers
def _envelope():
    env = etree.Element(qname("Envelope", SOAP_ENV), nsmap={"s": SOAP_ENV, "ms": NS})
    return env, sub(env, "Body", ns=SOAP_ENV)


def _properties(parent, tag, message, layout):
    el = sub(parent, tag)
    values = {"MsgDateTime": message.msg_datetime.replace(microsecond=0).isoformat(), "MsgId": message.msg_id,
              "MsgFormat": message.msg_format, "MsgVersion": message.msg_version, "MsgType": message.msg_type}
    for name in layout["properties"]:
        sub(el, name, values[name])
    return el


def _message(parent, tag, message, layout):
    el = sub(parent, tag)
    for name in layout["message"]:
        if name == "MsgProperties":
            _properties(el, "MsgProperties", message, layout)
        elif name == "MsgContent":
            sub(el, "MsgContent", message.content.decode("utf-8"))
    return el


def build_response(operation, contract="technischeunie", message=None, messages=(), result=True):
    """The answer envelope (bytes) of ``operation``, in ``contract``'s element order, checked against its
    WSDL before it leaves."""
    contract = get_contract(contract)
    layout = LAYOUT[contract.code]
    env, body = _envelope()
    answer = sub(body, OUTPUT[operation])
    if operation in ("PostMessage", "DeleteMessage"):
        for name in layout["response"]:
            if name == "MessageResult":
                sub(answer, "MessageResult", "true" if result else "false")
            elif message is not None:
                _message(answer, "Message", message, layout)
    elif operation == "GetMessage":
        _message(answer, "MessageRequestResult", message, layout)
    elif operation == "GetAvailableMessages":
        for item in messages:
            _properties(answer, "MessageList", item, layout)
    schema = request_schema(contract)
    if not schema.validate(answer):
        raise ValueError(f"sandbox answer breaks the {contract.label} WSDL: {schema.error_log.last_error.message}")
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def build_fault(code, message, contract="technischeunie"):
    """A SOAP 1.1 Fault; Rexel's contract adds its FaultError detail."""
    env, body = _envelope()
    fault = sub(body, "Fault", ns=SOAP_ENV)
    faultcode = etree.SubElement(fault, "faultcode", nsmap={"wsse": WSSE} if code in AUTH_FAULTS else None)
    faultcode.text = f"wsse:{code}" if code in AUTH_FAULTS else f"s:{code}"
    etree.SubElement(fault, "faultstring").text = message
    if get_contract(contract).code == "rexel":
        error = sub(etree.SubElement(fault, "detail"), "FaultError")
        sub(error, "FaultCode", code)
        details = sub(error, "FaultDetails")
        sub(details, "ErrorCode", "MS-" + code.upper()[:12])
        sub(details, "Message", message)
        sub(error, "FaultString", message)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def served_wsdl(contract, location):
    """The contract's WSDL as the sandbox serves it at ``?wsdl``: its address is the peer's."""
    tree = etree.parse(str(get_contract(contract).wsdl))
    for address in tree.getroot().iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"):
        address.set("location", location)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
