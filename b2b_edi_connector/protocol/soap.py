"""Ketenstandaard MessageService 3.1 (SOAP 1.1): envelopes, WS-Security header, client.

Our side only (the client); the service side the sandbox wholesaler plays is in
b2b_sandbox/protocol/messageservice.py. Operations: PostMessage, GetAvailableMessages, GetMessage,
DeleteMessage. Every request carries a WS-Security UsernameToken (PasswordText) and a CustomInfo header
naming the RelationId (the customer number the wholesaler gave us). Message contents travel base64-encoded. Our WSDL and XSD for the service
are in ``schemas/`` (MessageService31.wsdl, messageservice31.xsd); request bodies are validated against
the XSD before they leave, responses are parsed with the safe parser.
"""

import base64
import binascii
import copy
import datetime
import pathlib
from dataclasses import dataclass

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.http import TransportError

NS = "https://www.ketenstandaard.nl/WS/MessageService/3.1"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
SCHEMAS = pathlib.Path(__file__).resolve().parent / "schemas"
SERVICE_XSD = SCHEMAS / "messageservice31.xsd"
WSDL = SCHEMAS / "MessageService31.wsdl"
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
OPERATIONS = ("PostMessage", "GetAvailableMessages", "GetMessage", "DeleteMessage")


class SoapFault(Exception):
    """A SOAP Fault answered by the service; ``code`` is the faultcode's local part."""

    user_facing = True

    def __init__(self, code, message):
        self.code = code
        self.fault = message
        super().__init__(f"MessageService fault {code}: {message}")

    @property
    def auth(self):
        return self.code in ("FailedAuthentication", "InvalidSecurity", "InvalidSecurityToken")

    @property
    def retryable(self):
        return self.code in ("Server", "ServiceUnavailable")


@dataclass
class AvailableMessage:
    message_id: str
    message_type: str
    created: str = ""
    reference: str = ""


@dataclass
class Message:
    message_id: str
    message_type: str
    content: bytes
    message_format: str = ""


@dataclass
class Credentials:
    username: str
    password: str
    relation_id: str


def qname(tag, ns=NS):
    return f"{{{ns}}}{tag}"


def subelement(parent, tag, text=None, ns=NS):
    el = etree.SubElement(parent, qname(tag, ns))
    if text is not None:
        el.text = str(text)
    return el


# ---------------------------------------------------------------------------- envelopes
def build_request(operation, credentials, **fields):
    """The SOAP envelope (bytes) of one operation, body validated against our service XSD."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown MessageService operation {operation}")
    env = etree.Element(qname("Envelope", SOAP_ENV), nsmap={"soapenv": SOAP_ENV, "ms": NS, "wsse": WSSE, "wsu": WSU})
    header = subelement(env, "Header", ns=SOAP_ENV)
    security = subelement(header, "Security", ns=WSSE)
    security.set(qname("mustUnderstand", SOAP_ENV), "1")
    token = subelement(security, "UsernameToken", ns=WSSE)
    subelement(token, "Username", credentials.username or "", ns=WSSE)
    password = subelement(token, "Password", credentials.password or "", ns=WSSE)
    password.set("Type", PASSWORD_TEXT)
    subelement(token, "Created", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), ns=WSU)
    custom = subelement(header, "CustomInfo")
    subelement(custom, "RelationId", credentials.relation_id or "")
    body = subelement(env, "Body", ns=SOAP_ENV)
    request = subelement(body, operation)
    if operation == "PostMessage":
        subelement(request, "MessageType", fields["message_type"])
        subelement(request, "MessageFormat", fields.get("message_format") or "INSBOU003")
        if fields.get("reference"):
            subelement(request, "Reference", fields["reference"])
        subelement(request, "Content", base64.b64encode(fields["content"]).decode("ascii"))
    elif operation == "GetAvailableMessages":
        if fields.get("message_type"):
            subelement(request, "MessageType", fields["message_type"])
    else:
        subelement(request, "MessageId", fields["message_id"])
    safe_xml.validate_xsd(copy.deepcopy(request), SERVICE_XSD, name=f"MessageService {operation} request")
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def parse_envelope(data, what="MessageService answer"):
    """Parse a SOAP envelope safely; return the first element of its Body. Raises :class:`SoapFault` for
    a Fault and ``safe_xml.XMLInputError`` for anything that is not a sound SOAP 1.1 envelope."""
    root = safe_xml.parse_xml(data, max_bytes=MAX_RESPONSE_BYTES, what=what)
    if root.tag != qname("Envelope", SOAP_ENV):
        raise safe_xml.XMLSyntaxError(f"{what}: not a SOAP 1.1 envelope (<{etree.QName(root.tag).localname}>)")
    body = root.find(qname("Body", SOAP_ENV))
    if body is None or len(body) == 0:
        raise safe_xml.XMLSyntaxError(f"{what}: SOAP envelope without body")
    first = body[0]
    if first.tag == qname("Fault", SOAP_ENV):
        code = (first.findtext("faultcode") or "Server").strip()
        raise SoapFault(code.split(":")[-1], (first.findtext("faultstring") or "").strip())
    return first


def decode_content(content, what):
    """The bytes of a base64 ``Content`` element."""
    try:
        return base64.b64decode((content or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise safe_xml.XMLSyntaxError(f"{what}: Content is not valid base64") from None


# ---------------------------------------------------------------------------- client
class MessageServiceClient:
    """Calls the service through an injected HTTP client (``b2b_connector_base.lib.http.HttpClient``).

    SOAP 1.1 faults come with HTTP 500: those answers are read (``expected=(500,)``) so the fault text
    reaches the user; a 500 without a fault is a server error. Reads are retried on 502/503/504 and
    timeouts by the HTTP client; PostMessage is never blindly repeated.
    """

    def __init__(self, http, url, credentials):
        self.http = http
        self.url = url
        self.credentials = credentials

    def call(self, operation, idempotent, **fields):
        envelope = build_request(operation, self.credentials, **fields)
        response = self.http.post(
            self.url, data=envelope, idempotent=idempotent, expected=(500,),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}/{operation}"'},
        )
        try:
            body = parse_envelope(response.content, what=f"MessageService {operation} answer")
        except safe_xml.XMLInputError:
            if response.status_code == 500:
                raise TransportError(f"{self.url} answered HTTP 500 without a SOAP fault", kind="server",
                                     status=500, url=self.url) from None
            raise
        if body.tag != qname(f"{operation}Response"):
            raise safe_xml.XMLSyntaxError(
                f"MessageService {operation}: unexpected answer <{etree.QName(body.tag).localname}>")
        return body

    def post_message(self, content, message_type="ORDERS", message_format="INSBOU003", reference=None):
        body = self.call("PostMessage", False, content=content, message_type=message_type,
                         message_format=message_format, reference=reference)
        message_id = (body.findtext(qname("MessageId")) or "").strip()
        if not message_id:
            raise safe_xml.XMLSyntaxError("PostMessage answer has no MessageId")
        return message_id

    def get_available_messages(self, message_type=None):
        body = self.call("GetAvailableMessages", True, message_type=message_type)
        return [AvailableMessage(
            message_id=(el.findtext(qname("MessageId")) or "").strip(),
            message_type=(el.findtext(qname("MessageType")) or "").strip().upper(),
            created=(el.findtext(qname("Created")) or "").strip(),
            reference=(el.findtext(qname("Reference")) or "").strip(),
        ) for el in body.findall(qname("Message"))]

    def get_message(self, message_id):
        body = self.call("GetMessage", True, message_id=message_id)
        return Message(
            message_id=(body.findtext(qname("MessageId")) or message_id).strip(),
            message_type=(body.findtext(qname("MessageType")) or "").strip().upper(),
            message_format=(body.findtext(qname("MessageFormat")) or "").strip(),
            content=decode_content(body.findtext(qname("Content")), f"message {message_id}"),
        )

    def delete_message(self, message_id):
        body = self.call("DeleteMessage", True, message_id=message_id)
        return (body.findtext(qname("Result")) or "").strip().lower() == "true"
