"""The service side of Ketenstandaard MessageService 3.1 (SOAP 1.1), as the sandbox wholesaler plays it:
read a client's request (WS-Security UsernameToken, RelationId), answer with a response envelope
(validated against our service XSD) or a SOAP Fault. Our client is b2b_edi_connector/protocol/soap.py."""

import base64
import copy

from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol.soap import (
    MAX_RESPONSE_BYTES, NS, SERVICE_XSD, SOAP_ENV, WSSE, Credentials, qname, subelement,
)


def parse_request(data):
    """``(operation, credentials, body element)`` of a client's request."""
    root = safe_xml.parse_xml(data, max_bytes=MAX_RESPONSE_BYTES, what="MessageService request")
    header = root.find(qname("Header", SOAP_ENV))
    body = root.find(qname("Body", SOAP_ENV))
    if body is None or len(body) == 0:
        raise safe_xml.XMLSyntaxError("SOAP request without body")
    token = header.find(f"{qname('Security', WSSE)}/{qname('UsernameToken', WSSE)}") if header is not None else None
    creds = Credentials(
        username=token.findtext(qname("Username", WSSE)) if token is not None else "",
        password=token.findtext(qname("Password", WSSE)) if token is not None else "",
        relation_id=(header.findtext(f"{qname('CustomInfo')}/{qname('RelationId')}") if header is not None else "")
        or "",
    )
    request = body[0]
    return etree.QName(request.tag).localname, creds, request


def build_response(operation, **fields):
    """A SOAP response envelope (bytes) of one operation."""
    env = etree.Element(qname("Envelope", SOAP_ENV), nsmap={"soapenv": SOAP_ENV, "ms": NS})
    body = subelement(env, "Body", ns=SOAP_ENV)
    response = subelement(body, f"{operation}Response")
    if operation == "PostMessage":
        subelement(response, "MessageId", fields["message_id"])
    elif operation == "GetAvailableMessages":
        for msg in fields.get("messages", ()):
            el = subelement(response, "Message")
            subelement(el, "MessageId", msg.message_id)
            subelement(el, "MessageType", msg.message_type)
            if msg.created:
                subelement(el, "Created", msg.created)
            if msg.reference:
                subelement(el, "Reference", msg.reference)
    elif operation == "GetMessage":
        msg = fields["message"]
        subelement(response, "MessageId", msg.message_id)
        subelement(response, "MessageType", msg.message_type)
        subelement(response, "MessageFormat", msg.message_format or "INSBOU003")
        subelement(response, "Content", base64.b64encode(msg.content).decode("ascii"))
    elif operation == "DeleteMessage":
        subelement(response, "Result", "true")
    safe_xml.validate_xsd(copy.deepcopy(response), SERVICE_XSD, name=f"MessageService {operation} response")
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def build_fault(code, message, ns_prefix="soapenv"):
    env = etree.Element(qname("Envelope", SOAP_ENV), nsmap={"soapenv": SOAP_ENV, "wsse": WSSE})
    body = subelement(env, "Body", ns=SOAP_ENV)
    fault = subelement(body, "Fault", ns=SOAP_ENV)
    faultcode = etree.SubElement(fault, "faultcode")
    faultcode.text = f"wsse:{code}" if code in ("FailedAuthentication", "InvalidSecurity") else f"{ns_prefix}:{code}"
    faultstring = etree.SubElement(fault, "faultstring")
    faultstring.text = message
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")
