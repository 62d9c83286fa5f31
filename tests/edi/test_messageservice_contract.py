"""Our MessageService 3.1 client against the wholesalers' own contract, as the PHP clients generated from their
WSDLs show it (tests/fixtures/specs/messageservice31/structtypes.json, from wefabric/Message-Sender):

* each of our WSDLs declares, struct for struct, the elements of its wholesaler's generated client (names,
  order, minOccurs, maxOccurs, nillable, enumerations) and its operations with the same parameter and
  return structs and the CustomInfo header;
* every request our client sends, to each of the four wholesalers, follows the generated structs element by
  element (walked here with the fixture alone, not with our WSDL), and validates against the WSDL's schema;
* answers written in the order of the generated structs (not by our sandbox) are read.
"""

import base64
import datetime
import json
import pathlib

import pytest
import requests
from lxml import etree

from odoo.addons.b2b_connector_base.lib import safe_xml
from odoo.addons.b2b_edi_connector.protocol import messageservice as ms

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "fixtures/specs/messageservice31/structtypes.json"
CONTRACT = json.loads(FIXTURE.read_text())
PACKAGES = {"technischeunie": "technischeunie", "oosterberg": "technischeunie", "rexel": "rexel", "solar": "solar"}
NS, XS, SOAP = ms.NS, ms.XS, ms.SOAP_ENV
SCALAR = {"string": ("xs:string", "xs:dateTime", "tns:GUID", "tns:Text50"), "boolean": ("xs:boolean",)}
CREDS = ms.Credentials("buyer", "s3cr&t<pw>")


def q(tag):
    return f"{{{NS}}}{tag}"


def structs(package):
    return CONTRACT[package]["structs"]


def struct_elements(package, name):
    spec = structs(package)[name]
    base = spec.get("extends")
    return (struct_elements(package, base) if base else []) + spec["elements"]


# ---------------------------------------------------------------------------- the WSDLs
def wsdl_schema(contract):
    return etree.parse(str(ms.get_contract(contract).wsdl)).getroot().find(f".//{{{XS}}}schema")


def declared_sequence(schema, name):
    """(element declarations, base) of the complexType ``name``, or of the global element ``name``'s type."""
    node = schema.find(f"{{{XS}}}complexType[@name='{name}']")
    if node is None:
        element = schema.find(f"{{{XS}}}element[@name='{name}']")
        assert element is not None, f"{name} is neither a type nor an element of the WSDL"
        node = element.find(f"{{{XS}}}complexType")
        if node is None:
            return declared_sequence(schema, element.get("type").split(":")[1])
    extension = node.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
    if extension is not None:
        base = extension.get("base").split(":")[1]
        own = extension.findall(f"{{{XS}}}sequence/{{{XS}}}element")
        return declared_sequence(schema, base)[0] + own, base
    return node.findall(f"{{{XS}}}sequence/{{{XS}}}element"), None


def element_type(schema, name):
    element = schema.find(f"{{{XS}}}element[@name='{name}']")
    return element.get("type", "").split(":")[-1] or name


@pytest.mark.parametrize("package", PACKAGES)
def test_each_wsdl_declares_the_generated_structs_element_by_element(package):
    schema = wsdl_schema(PACKAGES[package])
    enums = CONTRACT[package]["enums"]
    for struct, spec in structs(package).items():
        if struct in ("Security", "Timestamp", "UsernameToken"):
            continue  # the OASIS WS-Security header, added by zeep's UsernameToken
        declared, base = declared_sequence(schema, struct)
        assert base == spec.get("extends"), struct
        expected = struct_elements(package, struct)
        assert [d.get("name") for d in declared] == [e["name"] for e in expected], struct
        for decl, exp in zip(declared, expected, strict=False):
            where = f"{package} {struct}/{exp['name']}"
            assert int(decl.get("minOccurs", "1")) == exp["minOccurs"], where
            assert decl.get("maxOccurs", "1") == str(exp["maxOccurs"]), where
            assert (decl.get("nillable") == "true") == exp["nillable"], where
            xs_type = decl.get("type")
            if exp.get("enum"):
                assert xs_type == f"tns:{exp['enum']}", where
                values = schema.findall(f"{{{XS}}}simpleType[@name='{exp['enum']}']//{{{XS}}}enumeration")
                assert [v.get("value") for v in values] == enums[exp["enum"]], where
            elif exp["type"] in SCALAR:
                assert xs_type in SCALAR[exp["type"]], where
                if exp.get("base") == "xs:dateTime":
                    assert xs_type == "xs:dateTime", where
                if exp.get("maxLength"):
                    name = xs_type.split(":")[1]
                    length = schema.find(f"{{{XS}}}simpleType[@name='{name}']//{{{XS}}}maxLength")
                    assert int(length.get("value")) == exp["maxLength"], where
            else:
                assert xs_type == f"tns:{exp['type']}", where


@pytest.mark.parametrize("package", PACKAGES)
def test_each_wsdl_has_the_generated_operations_and_headers(package):
    contract = ms.get_contract(PACKAGES[package])
    root = etree.parse(str(contract.wsdl)).getroot()
    schema = wsdl_schema(contract.code)
    wsdl = "http://schemas.xmlsoap.org/wsdl/"
    messages = {m.get("name"): m.find(f"{{{wsdl}}}part").get("element").split(":")[1]
                for m in root.findall(f"{{{wsdl}}}message")}
    operations = {op.get("name"): op for op in root.findall(f"{{{wsdl}}}portType/{{{wsdl}}}operation")}
    assert set(operations) == set(CONTRACT[package]["operations"]) == set(ms.OPERATIONS)
    for name, spec in CONTRACT[package]["operations"].items():
        op = operations[name]
        body_in = messages[op.find(f"{{{wsdl}}}input").get("message").split(":")[1]]
        body_out = messages[op.find(f"{{{wsdl}}}output").get("message").split(":")[1]]
        assert element_type(schema, body_in) == spec["input"], name
        assert element_type(schema, body_out) == spec["output"], name
        binding = root.find(f"{{{wsdl}}}binding/{{{wsdl}}}operation[@name='{name}']")
        headers = binding.findall(".//{http://schemas.xmlsoap.org/wsdl/soap/}header")
        assert [messages[h.get("message").split(":")[1]] for h in headers] == ["CustomInfo"]
        assert spec["headers"]["CustomInfo"] == NS
    assert element_type(schema, "CustomInfo") in structs(package)


# ---------------------------------------------------------------------------- the requests we send
class RecordingHttp:
    """An HttpClient stand-in: records what would go on the wire and answers with canned envelopes."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.sent = []

    def post(self, address, data=None, headers=None, idempotent=None, expected=None):
        self.sent.append((address, data, dict(headers), idempotent))
        status, body = self.answers.pop(0)
        response = requests.Response()
        response.status_code, response._content = status, body
        response.headers["Content-Type"] = "text/xml; charset=utf-8"
        return response


def walk(package, el, struct, path=""):
    """``el``'s children are ``struct``'s elements of the generated client, in its order, each required one
    present, none other; recursing into the structs they hold."""
    children = list(el)
    i = 0
    for decl in struct_elements(package, struct):
        count = 0
        while i < len(children) and children[i].tag == q(decl["name"]):
            child = children[i]
            if decl["type"] in structs(package):
                walk(package, child, decl["type"], f"{path}/{decl['name']}")
            else:
                assert len(child) == 0, f"{path}/{decl['name']} is a {decl['type']}"
            i += 1
            count += 1
        assert count >= decl["minOccurs"], f"{package}: {path}/{decl['name']} missing"
        assert decl["maxOccurs"] == "unbounded" or count <= decl["maxOccurs"], f"{path}/{decl['name']} repeated"
    assert i == len(children), f"{package}: unexpected <{etree.QName(children[i]).localname}> in {path or struct}"


def envelope(package, body_struct, values):
    """An answer envelope written from the generated structs' order (not by our sandbox)."""
    env = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"s": SOAP, "a": NS})
    render(package, etree.SubElement(etree.SubElement(env, f"{{{SOAP}}}Body"), q(values.pop("_element"))),
           body_struct, values)
    return etree.tostring(env)


def render(package, parent, struct, values):
    for decl in struct_elements(package, struct):
        value = values.get(decl["name"])
        for item in (value if isinstance(value, list) else [] if value is None else [value]):
            el = etree.SubElement(parent, q(decl["name"]))
            if decl["type"] in structs(package):
                render(package, el, decl["type"], item)
            else:
                el.text = item


PROPS = {"MsgDateTime": "2026-11-25T08:15:00+01:00", "MsgId": "MSG-7", "MsgFormat": "INSBOU", "MsgVersion": "003",
         "MsgType": "ORDRSP"}
RESPONSE = b"<OrderResponse><BuyersOrderNumber>P00042</BuyersOrderNumber></OrderResponse>"


def answers(package):
    """What each operation answers, per the generated structs (Rexel: attachments as ArrayOfAttachmentType)."""
    ops = CONTRACT[package]["operations"]
    message_struct = ops["PostMessage"]["input"]
    attachment = {"URL": "", "DocumentType": "PDF", "FileType": "PDF", "FileName": "F1.pdf",
                  "AttachedData": base64.b64encode(b"%PDF-1").decode()}
    message = {"MsgProperties": dict(PROPS), "MsgContent": '<?xml version="1.0" encoding="utf-8"?>' + RESPONSE.decode(),
               "Attachment": {"AttachmentType": [attachment]} if package == "rexel" else [attachment]}
    listed = {"MessageList": [dict(PROPS), dict(PROPS, MsgId="MSG-8", MsgType="INVOIC")]}
    return {
        "PostMessage": envelope(package, ops["PostMessage"]["output"], {"_element": "MessageResponse",
                                                                         "MessageResult": "true"}),
        "GetAvailableMessages": envelope(package, ops["GetAvailableMessages"]["output"],
                                         dict(listed, _element="AvailableMessagesResponse")),
        "GetMessage": envelope(package, ops["GetMessage"]["output"], {"_element": "MessageRequestResponse",
                                                                       "MessageRequestResult": message}),
        "DeleteMessage": envelope(package, ops["DeleteMessage"]["output"], {"_element": "MessageResponse",
                                                                             "MessageResult": "true"}),
        "_message_struct": message_struct,
    }


def client_for(package, http, relation="100234"):
    info = ms.CustomInfo(relation_id="" if package == "solar" else relation, application_id="b2b-connect",
                         version_id="3.10" if package == "technischeunie" else "9.4")
    return ms.MessageServiceClient(http, "https://wholesaler.test/MessageService.svc", CREDS, info,
                                   contract=PACKAGES[package])


@pytest.mark.parametrize("package", PACKAGES)
def test_every_request_follows_the_generated_structs(package):
    canned = answers(package)
    http = RecordingHttp([(200, canned[op]) for op in ("PostMessage", "GetAvailableMessages", "GetMessage",
                                                       "DeleteMessage")])
    client = client_for(package, http)
    posted = client.post_message(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Order><OrderNumber>P1</OrderNumber></Order>',
        msg_type="ORDERS", msg_format="INSBOU", msg_version="003")
    listed = client.get_available_messages()
    message = client.get_message(listed[0].msg_id, listed[0].msg_format, listed[0].msg_version)
    deleted = client.delete_message(listed[0].msg_id, listed[0].msg_format, listed[0].msg_version)
    ops = CONTRACT[package]["operations"]
    for (address, data, headers, idempotent), name in zip(http.sent, ("PostMessage", "GetAvailableMessages",
                                                                      "GetMessage", "DeleteMessage"), strict=False):
        assert address == "https://wholesaler.test/MessageService.svc"
        assert headers["SOAPAction"] == f'"{NS}/{name}"'
        assert idempotent is (name != "PostMessage")
        root = etree.fromstring(data)
        header, body = root.find(f"{{{SOAP}}}Header"), root.find(f"{{{SOAP}}}Body")
        # the CustomInfo header, element by element, with the values of the profile
        custom = header.find(q("CustomInfo"))
        walk(package, custom, element_type(wsdl_schema(PACKAGES[package]), "CustomInfo"), "CustomInfo")
        assert custom.findtext(q("RelationId")) == ("" if package == "solar" else "100234")
        assert custom.findtext(q("IsTestMessage")) == "false"
        # WS-Security UsernameToken, PasswordText, in the OASIS namespace
        token = header.find(f"{{{ms.WSSE}}}Security/{{{ms.WSSE}}}UsernameToken")
        assert token.findtext(f"{{{ms.WSSE}}}Username") == "buyer"
        assert token.findtext(f"{{{ms.WSSE}}}Password") == CREDS.password
        # the body: one element, the generated input struct, element by element
        assert len(body) == 1
        walk(package, body[0], ops[name]["input"], name)
        ms.validate_envelope(root, ms.get_contract(PACKAGES[package]))
    post = etree.fromstring(http.sent[0][1]).find(f"{{{SOAP}}}Body")[0]
    props = post.find(q("MsgProperties"))
    assert [etree.QName(c).localname for c in props] == [e["name"] for e in struct_elements(
        package, next(e["type"] for e in struct_elements(package, ops["PostMessage"]["input"])
                      if e["name"] == "MsgProperties"))]
    assert (props.findtext(q("MsgId")), props.findtext(q("MsgType")), props.findtext(q("MsgFormat")),
            props.findtext(q("MsgVersion"))) == (posted.msg_id, "ORDERS", "INSBOU", "003")
    assert len(posted.msg_id) <= 50  # Solar: a GUID of at most 50 characters
    assert datetime.datetime.fromisoformat(props.findtext(q("MsgDateTime"))).tzinfo is not None
    assert post.findtext(q("MsgContent")).startswith("<?xml"), "the order travels as text, not base64"
    get = etree.fromstring(http.sent[2][1]).find(f"{{{SOAP}}}Body")[0]
    assert [get.findtext(q(n)) for n in ("MsgId", "MsgFormat", "MsgVersion")] == ["MSG-7", "INSBOU", "003"]
    # ... and the answers, written from the generated structs, are read
    assert posted.accepted and posted.message is None
    assert [(m.msg_id, m.msg_type) for m in listed] == [("MSG-7", "ORDRSP"), ("MSG-8", "INVOIC")]
    assert listed[0].msg_datetime == datetime.datetime(2026, 11, 25, 7, 15, tzinfo=datetime.timezone.utc)
    assert message.content == RESPONSE and message.msg_type == "ORDRSP"
    assert [(a.file_name, base64.b64decode(a.data)) for a in message.attachments] == [("F1.pdf", b"%PDF-1")]
    assert deleted is True


def test_an_empty_message_type_asks_for_every_message():
    http = RecordingHttp([(200, answers("technischeunie")["GetAvailableMessages"])])
    client_for("technischeunie", http).get_available_messages()
    body = etree.fromstring(http.sent[0][1]).find(f"{{{SOAP}}}Body")[0]
    assert body.tag == q("AvailableMessagesRequest") and body.findtext(q("MsgType")) == ""


def test_a_synchronous_order_response_in_the_post_answer_is_kept():
    for package in ("technischeunie", "rexel"):
        ops = CONTRACT[package]["operations"]
        body = envelope(package, ops["PostMessage"]["output"], {
            "_element": "MessageResponse", "MessageResult": "true",
            "Message": {"MsgProperties": dict(PROPS), "MsgContent": RESPONSE.decode()}})
        posted = client_for(package, RecordingHttp([(200, body)])).post_message(b"<Order/>")
        assert posted.accepted and posted.message.content == RESPONSE
        assert posted.message.properties.msg_type == "ORDRSP"


def test_requests_outside_the_contract_never_leave():
    http = RecordingHttp([])
    client = client_for("solar", http)
    with pytest.raises(safe_xml.XMLValidationError, match="GUID|maxLength|length"):
        client.get_message("M" * 51)  # Solar's MsgId is at most 50 characters
    rexel = client_for("rexel", http)
    with pytest.raises(safe_xml.XMLValidationError):
        rexel.get_message("M1", msg_format="EDIFACT")  # not one of Rexel's MsgFormat values
    assert http.sent == []


def test_answers_outside_the_contract_are_refused():
    package = "technischeunie"
    listed = answers(package)["GetAvailableMessages"].replace(b"<a:MsgType>ORDRSP", b"<a:Surprise/><a:MsgType>ORDRSP")
    with pytest.raises(safe_xml.XMLSyntaxError, match="does not match the WSDL"):
        client_for(package, RecordingHttp([(200, listed)])).get_available_messages()
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&x;</s:Body></s:Envelope>')
    with pytest.raises(safe_xml.XMLInputError):
        client_for(package, RecordingHttp([(200, xxe)])).get_available_messages()
    big = answers(package)["GetAvailableMessages"] + b" " * 2048
    client = ms.MessageServiceClient(RecordingHttp([(200, big)]), "https://w.test/ms", CREDS, max_response_bytes=1024)
    with pytest.raises(safe_xml.XMLSizeError):
        client.get_available_messages()


def test_rexel_fault_details_reach_the_message():
    fault = (f'<s:Envelope xmlns:s="{SOAP}"><s:Body><s:Fault><faultcode>s:Client</faultcode>'
             f"<faultstring>Bericht afgekeurd</faultstring><detail><FaultError xmlns=\"{NS}\"><FaultCode>400"
             "</FaultCode><FaultDetails><ErrorCode>E042</ErrorCode><Message>OrderLine 1: onbekend artikel</Message>"
             "</FaultDetails><FaultString>Bericht afgekeurd</FaultString></FaultError></detail></s:Fault>"
             "</s:Body></s:Envelope>").encode()
    with pytest.raises(ms.SoapFault) as err:
        client_for("rexel", RecordingHttp([(500, fault)])).post_message(b"<Order/>")
    assert err.value.code == "Client" and not err.value.auth
    assert "Bericht afgekeurd" in str(err.value) and "onbekend artikel" in str(err.value) and "E042" in str(err.value)
