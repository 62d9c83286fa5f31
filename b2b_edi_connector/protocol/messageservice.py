"""Ketenstandaard MessageService 3.1 (SOAP 1.1): our client, on zeep, driven by the wholesaler's WSDL.

Our side only; the service side the sandbox wholesaler plays is in b2b_sandbox/protocol/messageservice.py.

The contract is the one the wholesalers publish, as the PHP clients generated from their WSDLs show it
(wefabric/Message-Sender, ``MessageService31_*/src/StructType`` and ``ServiceType``; see
tests/fixtures/specs/messageservice31/): PostMessage sends a ``Message`` {MsgProperties {MsgDateTime,
MsgId, MsgFormat, MsgVersion, MsgType}, MsgContent (the DICO XML as text), Attachment*} and is answered by a
``MessageResponse`` {MessageResult, Message?} (a wholesaler may answer an order at once with its
response); GetMessage and DeleteMessage take a ``MessageRequest`` {MsgId, MsgFormat, MsgVersion};
GetAvailableMessages takes an ``AvailableMessagesRequest`` {MsgType, empty for all} and answers a list of
``MessageList`` entries (the properties above). Every call carries the ``CustomInfo`` header
{IsTestMessage, LanguageCode, IsContentCompressed, ApplicationId, VersionId, RelationId} and a WS-Security
UsernameToken (PasswordText, zeep's :class:`~zeep.wsse.username.UsernameToken`).

The four wholesalers' WSDLs are three contracts (:data:`CONTRACTS`, one WSDL each in
``schemas/messageservice31/``): Technische Unie's, which Oosterberg's is element for element; Rexel's
(MsgId before MsgDateTime, MessageResponse with Message before MessageResult, attachments wrapped in
ArrayOfAttachmentType, MsgFormat an enumeration, everything nillable); Solar's (MsgContent before
MsgProperties, every CustomInfo and MsgProperties element required, MsgId at most 50 characters). A
wholesaler profile names its contract; the service address is always the profile's or the supplier's,
never the WSDL's (Technische Unie publishes a test WSDL only: production is called through it at
another location).

Transport: zeep builds and parses the envelopes, our ``HttpClient`` (timeouts, retries, request budget,
call log with secrets masked) carries them (:class:`HttpTransport`). Every request is validated against the
WSDL's schema before it leaves (:class:`ValidatingPlugin`); answers are size-capped and parsed by zeep in
strict mode without DTDs, entities or external references.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import copy
import datetime
import pathlib
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import zeep
from lxml import etree
from zeep import exceptions as zeep_exceptions
from zeep.wsse.username import UsernameToken

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_connector_base.lib.http import TransportError

NS = "https://www.ketenstandaard.nl/WS/MessageService/3.1"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
XS = "http://www.w3.org/2001/XMLSchema"
BINDING = f"{{{NS}}}MessageServiceBinding"
SCHEMAS = pathlib.Path(__file__).resolve().parent / "schemas" / "messageservice31"
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
OPERATIONS = ("PostMessage", "GetAvailableMessages", "GetMessage", "DeleteMessage")
# reads may be repeated after a timeout; an order is posted once
IDEMPOTENT = {"PostMessage": False, "GetAvailableMessages": True, "GetMessage": True, "DeleteMessage": True}
SETTINGS = dict(strict=True, xml_huge_tree=False, forbid_dtd=True, forbid_entities=True, forbid_external=True)
AUTH_FAULTS = ("FailedAuthentication", "InvalidSecurity", "InvalidSecurityToken")


@dataclass(frozen=True)
class ServiceContract:
    """One wholesaler WSDL of MessageService 3.1."""

    code: str
    label: str
    wholesalers: str

    @property
    def wsdl(self):
        return SCHEMAS / f"{self.code}.wsdl"


CONTRACTS = {c.code: c for c in (
    ServiceContract("technischeunie", "Technische Unie / Oosterberg", "Technische Unie, Oosterberg"),
    ServiceContract("rexel", "Rexel", "Rexel"),
    ServiceContract("solar", "Solar", "Solar"),
)}
DEFAULT_CONTRACT = "technischeunie"


def get_contract(code):
    try:
        return CONTRACTS[code or DEFAULT_CONTRACT]
    except KeyError:
        raise ValueError(f"unknown MessageService contract {code!r} (known: {', '.join(CONTRACTS)})") from None


class SoapFault(Exception):
    """A SOAP Fault answered by the service; ``code`` is the faultcode's local part."""

    user_facing = True

    def __init__(self, code, message):
        self.code = code
        self.fault = message
        # the wholesaler's own words, after ours in the user's language
        super().__init__(Phrase(_lt("MessageService fault %(code)s: %(message)s"), code=code, message=message))

    @property
    def auth(self):
        return self.code in AUTH_FAULTS

    @property
    def retryable(self):
        return self.code in ("Server", "ServiceUnavailable")


@dataclass
class Credentials:
    username: str
    password: str


@dataclass
class CustomInfo:
    """The CustomInfo header: who sends, for which customer, in test or not."""

    relation_id: str = ""
    application_id: str = "b2b-connect"
    version_id: str = ""
    language_code: str = "NL"
    is_test_message: bool = False
    is_content_compressed: bool = False

    def as_header(self):
        return {"IsTestMessage": self.is_test_message, "LanguageCode": self.language_code or None,
                "IsContentCompressed": self.is_content_compressed, "ApplicationId": self.application_id or "",
                "VersionId": self.version_id or "", "RelationId": self.relation_id or ""}


@dataclass
class MessageProperties:
    msg_id: str
    msg_type: str = ""
    msg_format: str = ""
    msg_version: str = ""
    msg_datetime: datetime.datetime = None


@dataclass
class Attachment:
    file_name: str = ""
    file_type: str = ""
    document_type: str = ""
    url: str = ""
    data: str = ""  # as the service sends it (base64 text)


@dataclass
class Message:
    properties: MessageProperties
    content: bytes
    attachments: list = field(default_factory=list)

    @property
    def msg_id(self):
        return self.properties.msg_id

    @property
    def msg_type(self):
        return self.properties.msg_type


@dataclass
class PostResult:
    msg_id: str
    accepted: bool
    message: Message = None  # the wholesaler's answer in the same call, when it gives one


def secret_forms(password):
    """The forms ``password`` takes on the wire (XML-escaped in the UsernameToken): mask them all in logs."""
    return tuple(dict.fromkeys(f for f in (password, escape(password or ""), escape(password or "", {'"': "&quot;"}))
                               if f))


def new_msg_id():
    """A message id of ours: a GUID (Solar's WSDL: at most 50 characters)."""
    return str(uuid.uuid4())


def content_text(content):
    """MsgContent is the DICO document as text (an xs:string), not base64."""
    return content.decode("utf-8") if isinstance(content, bytes) else str(content)


def content_bytes(text):
    """The bytes of a received MsgContent, re-encoded as UTF-8 (its XML declaration, if any, says so)."""
    text = (text or "").lstrip("\ufeff")
    if text.startswith("<?xml"):
        end = text.find("?>")
        if end > 0:
            text = text[end + 2:].lstrip()
    return text.encode("utf-8")


# ---------------------------------------------------------------------------- transport and validation
class LocalTransport(zeep.Transport):
    """Loads the WSDL from the addon only, never from the network; sends nothing."""

    def __init__(self):
        super().__init__(cache=None)

    def load(self, url):
        path = pathlib.Path(url)
        if urlsplit(url).scheme or not path.is_file() or SCHEMAS not in path.resolve().parents:
            raise safe_xml.XMLSecurityError(f"MessageService document outside the addon refused: {url}")
        return path.read_bytes()

    def get(self, address, params, headers):
        raise TransportError("MessageService is called by POST only", kind="http", url=address)

    def post(self, address, message, headers):
        raise TransportError("this transport sends nothing", kind="http", url=address)


class HttpTransport(LocalTransport):
    """zeep's transport on our ``HttpClient``: the client's timeouts, retries, request budget and call log
    (secrets masked) apply to every SOAP call; answers are size-capped before zeep reads them."""

    def __init__(self, http, max_bytes=MAX_RESPONSE_BYTES):
        super().__init__()
        self.http = http
        self.max_bytes = max_bytes
        self.idempotent = False

    def post(self, address, message, headers):
        response = self.http.post(address, data=message, headers=headers, idempotent=self.idempotent,
                                  expected=(500,))  # SOAP 1.1 faults come with HTTP 500
        if len(response.content) > self.max_bytes:
            raise safe_xml.XMLSizeError(f"MessageService answer larger than {self.max_bytes} bytes: refused")
        return response


_SCHEMAS = {}


def request_schema(contract):
    """The XML Schema of ``contract``'s WSDL (its ``wsdl:types``), compiled once."""
    if contract.code not in _SCHEMAS:
        root = etree.parse(str(contract.wsdl)).getroot()
        types = root.find(f".//{{{XS}}}schema")
        # a schema of its own, with the WSDL's prefixes (its QName values say tns:...)
        schema = etree.Element(types.tag, attrib=dict(types.attrib), nsmap=dict(types.nsmap))
        schema.extend(copy.deepcopy(child) for child in types)
        _SCHEMAS[contract.code] = etree.XMLSchema(schema)
    return _SCHEMAS[contract.code]


def validate_envelope(envelope, contract):
    """Validate every element of ours in ``envelope`` (CustomInfo header and body) against the WSDL's
    schema; raises ``safe_xml.XMLValidationError``."""
    schema = request_schema(contract)
    header = envelope.find(f"{{{SOAP_ENV}}}Header")
    body = envelope.find(f"{{{SOAP_ENV}}}Body")
    parts = [el for el in (header if header is not None else ()) if etree.QName(el).namespace == NS]
    parts += list(body if body is not None else ())
    if not parts or body is None or len(body) != 1:
        raise safe_xml.XMLValidationError("MessageService request", ["the SOAP body must hold one element"])
    errors = []
    for part in parts:
        doc = copy.deepcopy(part)
        if not schema.validate(doc):
            errors += [f"{etree.QName(part).localname}: line {e.line}: {e.message}" for e in schema.error_log]
    if errors:
        raise safe_xml.XMLValidationError(f"MessageService 3.1 ({contract.label})", errors)


class ValidatingPlugin(zeep.Plugin):
    """Nothing leaves that does not match the wholesaler's WSDL (zeep checks required elements while
    building; the schema checks everything else: order, enumerations, lengths)."""

    def __init__(self, contract):
        self.contract = contract

    def egress(self, envelope, http_headers, operation, binding_options):
        validate_envelope(envelope, self.contract)
        return envelope, http_headers


# ---------------------------------------------------------------------------- the client
_DOCUMENTS = {}


def wsdl_document(contract):
    """The parsed WSDL of ``contract``: the addon's own file, parsed once per process."""
    if contract.code not in _DOCUMENTS:
        _DOCUMENTS[contract.code] = zeep.wsdl.Document(str(contract.wsdl), LocalTransport(),
                                                       settings=zeep.Settings(**SETTINGS))
    return _DOCUMENTS[contract.code]


class MessageServiceClient:
    """MessageService 3.1 of one wholesaler account.

    ``http`` is a ``b2b_connector_base.lib.http.HttpClient``; ``address`` the service location;
    ``contract`` a :class:`ServiceContract` code. Faults become :class:`SoapFault`; an HTTP 500 without a
    fault, or an answer that is no SOAP envelope, a ``TransportError`` / ``XMLInputError``.
    """

    def __init__(self, http, address, credentials, custom_info=None, contract=DEFAULT_CONTRACT,
                 max_response_bytes=MAX_RESPONSE_BYTES):
        self.contract = get_contract(contract)
        self.address = address
        self.custom_info = custom_info or CustomInfo()
        self.transport = HttpTransport(http, max_response_bytes)
        settings = zeep.Settings(**SETTINGS)
        self.client = zeep.Client(
            wsdl_document(self.contract), transport=self.transport, settings=settings,
            wsse=UsernameToken(credentials.username or "", credentials.password or ""),
            plugins=[ValidatingPlugin(self.contract)])
        self.service = self.client.create_service(BINDING, address)

    # ------------------------------------------------------------------ one call
    def call(self, operation, **body):
        if operation not in OPERATIONS:
            raise ValueError(f"unknown MessageService operation {operation}")
        self.transport.idempotent = IDEMPOTENT[operation]
        what = f"MessageService {operation}"
        try:
            return getattr(self.service, operation)(**body, _soapheaders={"CustomInfo": self.custom_info.as_header()})
        except safe_xml.XMLInputError:  # ours: the request's validation, the answer's size
            raise
        except zeep_exceptions.Fault as fault:
            raise _soap_fault(fault) from None
        except (zeep_exceptions.DTDForbidden, zeep_exceptions.EntitiesForbidden) as exc:
            raise safe_xml.XMLSecurityError(f"{what} answer refused: {exc}") from None
        except zeep_exceptions.TransportError as exc:
            if exc.status_code and exc.status_code >= 500:
                raise TransportError(f"{self.address} answered HTTP {exc.status_code} without a SOAP fault",
                                     kind="server", status=exc.status_code, url=self.address) from None
            raise safe_xml.XMLSyntaxError(f"{what} answer is not a SOAP envelope: {_first_line(exc)}") from None
        except zeep_exceptions.XMLSyntaxError as exc:
            raise safe_xml.XMLSyntaxError(f"{what} answer is not a SOAP 1.1 envelope: {_first_line(exc)}") from None
        except zeep_exceptions.ValidationError as exc:  # zeep building our request
            raise safe_xml.XMLValidationError(f"{what} request", [_first_line(exc)]) from None
        except (zeep_exceptions.XMLParseError, ValueError) as exc:  # their answer, read strictly
            raise safe_xml.XMLSyntaxError(f"{what} answer does not match the WSDL: {_first_line(exc)}") from None

    # ------------------------------------------------------------------ operations
    def post_message(self, content, msg_type="ORDERS", msg_format="INSBOU", msg_version="003", msg_id=None,
                     attachments=()):
        msg_id = msg_id or new_msg_id()
        result = self.call("PostMessage", **self._message_body(MessageProperties(
            msg_id, msg_type, msg_format, msg_version, datetime.datetime.now(datetime.timezone.utc).replace(
                microsecond=0)), content, attachments))
        accepted = bool(result and result["MessageResult"])
        message = result["Message"] if result is not None else None
        return PostResult(msg_id, accepted, self._message(message, msg_id) if message is not None else None)

    def get_available_messages(self, msg_type=""):
        result = self.call("GetAvailableMessages", MsgType=msg_type or "")
        entries = result if isinstance(result, list) else (_value(result, "MessageList") or [])
        return [self._properties(entry) for entry in entries if entry is not None]

    def get_message(self, msg_id, msg_format=None, msg_version=None):
        result = self.call("GetMessage", MsgId=msg_id, MsgFormat=msg_format or None, MsgVersion=msg_version or None)
        message = result if _has(result, "MsgContent") else _value(result, "MessageRequestResult")
        if message is None:
            raise safe_xml.XMLSyntaxError(f"GetMessage {msg_id}: the wholesaler answered no message")
        return self._message(message, msg_id)

    def delete_message(self, msg_id, msg_format=None, msg_version=None):
        result = self.call("DeleteMessage", MsgId=msg_id, MsgFormat=msg_format or None, MsgVersion=msg_version or None)
        return bool(_value(result, "MessageResult"))

    # ------------------------------------------------------------------ mapping
    def _message_body(self, properties, content, attachments):
        values = {"MsgProperties": {"MsgDateTime": properties.msg_datetime, "MsgId": properties.msg_id,
                                    "MsgFormat": properties.msg_format, "MsgVersion": properties.msg_version,
                                    "MsgType": properties.msg_type},
                  "MsgContent": content_text(content)}
        items = [{"URL": a.url or None, "DocumentType": a.document_type or None, "FileType": a.file_type,
                  "FileName": a.file_name or None, "AttachedData": a.data} for a in attachments]
        if items:
            values["Attachment"] = {"AttachmentType": items} if self.contract.code == "rexel" else items
        return values

    @staticmethod
    def _properties(entry):
        moment = _value(entry, "MsgDateTime")
        return MessageProperties(
            msg_id=(_value(entry, "MsgId") or "").strip(), msg_type=(_value(entry, "MsgType") or "").strip().upper(),
            msg_format=(_value(entry, "MsgFormat") or "").strip(),
            msg_version=(_value(entry, "MsgVersion") or "").strip(),
            msg_datetime=moment if isinstance(moment, datetime.datetime) else None)

    def _message(self, message, msg_id):
        props = _value(message, "MsgProperties")
        properties = self._properties(props) if props is not None else MessageProperties(msg_id)
        properties.msg_id = properties.msg_id or msg_id
        raw = _value(message, "Attachment") or []
        if not isinstance(raw, list):  # Rexel: ArrayOfAttachmentType
            raw = _value(raw, "AttachmentType") or []
        attachments = [Attachment(file_name=_value(a, "FileName") or "", file_type=_value(a, "FileType") or "",
                                  document_type=_value(a, "DocumentType") or "", url=_value(a, "URL") or "",
                                  data=_value(a, "AttachedData") or "") for a in raw if a is not None]
        return Message(properties, content_bytes(_value(message, "MsgContent")), attachments)


def _has(value, key):
    try:
        value[key]
    except (KeyError, TypeError, AttributeError, IndexError):
        return False
    return True


def _value(value, key):
    if value is None:
        return None
    try:
        return value[key]
    except (KeyError, TypeError, AttributeError, IndexError):
        return None


def _first_line(exc):
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _soap_fault(fault):
    code = (fault.code or "Server").split(":")[-1].strip() or "Server"
    message = (fault.message or "").strip()
    detail = fault.detail
    if detail is not None:  # Rexel's WSDL: a FaultError {FaultCode, FaultDetails {ErrorCode, Message}, FaultString}
        error = detail.find(f".//{{{NS}}}FaultError")
        if error is not None:
            parts = [error.findtext(f"{{{NS}}}FaultString"), error.findtext(f"{{{NS}}}FaultDetails/{{{NS}}}Message"),
                     error.findtext(f"{{{NS}}}FaultDetails/{{{NS}}}ErrorCode")]
            extra = " - ".join(p.strip() for p in parts if p and p.strip() and p.strip() not in message)
            message = f"{message} ({extra})" if extra and message else (extra or message)
    return SoapFault(code, message)
