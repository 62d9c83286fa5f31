"""A bounded fuzz of every public punch-out endpoint: a few hundred requests mutated from valid samples with a
seeded random generator (same mutations on every run), sent over HTTP. Whatever arrives, the answer is no
5xx and no traceback, and nothing is half-created: a refusal creates no sale order, line, session or user,
and keeps at most a 4 KB excerpt of what was sent."""

import copy
import random
import re
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from lxml import etree

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml

from ..protocol import cxml, guard, peppol
from .common import MUTE, OCI_USER, SECRET, PunchoutAttackCase

SEED = 20261201
ROUNDS = 320
HOSTILE = ["", " ", "0", "-1", "-0", "0.0000001", "1e999999", "-1e999999", "NaN", "sNaN", "Infinity", "-inf",
           "1e-999999", "9" * 400, "0x1F", "1,5", "1_000", "\u0663", "\u00b2", "<", "&", "\u202e", "x" * 5000,
           "null", "true", "[]", "{}", "%00", "../../etc/passwd", "' OR 1=1 --", "https://evil.example/",
           "javascript:alert(1)", "edit", "inspect", "GD-1", "NS-1", "OC-1", "EUR", "USD", "JPY",
           "NetworkId:stranger@evil.example", "sec-buyer@procure.example"]
QUERY_HOSTILE = HOSTILE + ["\x00", "a\x00b", "\x1b[31m", "\r\nSet-Cookie: x=1", "\udcff", "\u00e9t\u00e9"]
SNIPPETS = [b"<!DOCTYPE cXML [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>", b"&x;", b"<![CDATA[", b"\x00",
            b"\xff\xfe", b"</cXML>", b"<cXML>", b"]]>", b'<?xml version="1.0" encoding="UTF-16"?>', b"&#0;"]
METHODS = ["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestPunchoutFuzz(PunchoutAttackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.oci_buyer.action_punchout_generate_link()
        cls.peppol_buyer.action_punchout_generate_link()

    # ------------------------------------------------------------------ counting what exists
    def _state(self):
        self.env.invalidate_all()
        Att = self.env["ir.attachment"].sudo()
        return {
            "orders": self.env["sale.order"].search_count([("client_order_ref", "=like", "FZ-%")]),
            "lines": self.env["sale.order.line"].search_count([("order_id.client_order_ref", "=like", "FZ-%")]),
            "sessions": self.env["b2b.punchout.session"].search_count([]),
            "users": self.env["res.users"].with_context(active_test=False).search_count([]),
            "exchanges": self.Exchange.search([], limit=1).id or 0,
            "attachments": Att.search([("res_model", "=", "b2b.exchange")], limit=1, order="id desc").id or 0,
        }

    def _new_payload_sizes(self, before):
        atts = self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "b2b.exchange"), ("id", ">", before["attachments"])])
        return atts.mapped("file_size")

    # ------------------------------------------------------------------ mutations
    def _mutate_xml(self, rng, data):
        choice = rng.randrange(8)
        if choice == 0:
            return data[:rng.randrange(len(data))]
        if choice == 1:
            data = bytearray(data)
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            return bytes(data)
        if choice == 2:
            at = rng.randrange(len(data))
            return data[:at] + rng.choice(SNIPPETS) + data[at:]
        root = etree.fromstring(data)
        elements = [el for el in root.iter() if isinstance(el.tag, str) and el is not root]
        el = rng.choice(elements)
        if choice == 3:
            el.getparent().remove(el)
        elif choice == 4:
            for _ in range(rng.choice([1, 2, 50])):
                el.addnext(copy.deepcopy(el))
        elif choice == 5:
            el.text = rng.choice(HOSTILE)
        elif choice == 6:
            target = rng.choice([e for e in elements if e.attrib] or [root])
            name = rng.choice(list(target.attrib) or ["quantity"])
            target.set(name, rng.choice(HOSTILE))
        else:
            for ident in root.iter("Identity"):
                ident.text = rng.choice(["stranger@evil.example", "", "x" * 300, "NetworkId"])
        return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")

    def _mutate_params(self, rng, params):
        params = dict(params)
        choice = rng.randrange(4)
        key = rng.choice(list(params))
        if choice == 0:
            params.pop(key)
        elif choice == 1:
            params[key] = rng.choice(QUERY_HOSTILE)
        elif choice == 2:
            params[rng.choice(["partner", "exp", "sig", "PASSWORD", "USERNAME", "return_url", "HOOK_URL"])] = \
                rng.choice(QUERY_HOSTILE)
        else:
            params[key] = params[key][:rng.randrange(len(params[key]) + 1)]
        return params

    # ------------------------------------------------------------------ the samples, one request each
    def _cxml_request(self, rng, path):
        if path.endswith("setup"):
            cookie = f"fz{rng.randrange(10**6)}"
            items = [self.item(qty=rng.choice([1, 2]))] if rng.random() < 0.3 else []
            data = self.setup_body(cookie=cookie, operation="edit" if items else "create", items=items)
        else:
            items = [self.item(part=rng.choice(["GD-1", "GD-1", "NS-1", "OC-1"]), qty=rng.choice([1, 3]),
                               price=rng.choice([100, 100, "99.9", "0.01"])) for _ in range(rng.choice([1, 2]))]
            data = self.order_body(items, f"FZ-{rng.randrange(10**6)}")
        if rng.random() < 0.85:
            data = self._mutate_xml(rng, data)
        headers = dict(rng.choice([{}, {}, {"Content-Type": "application/x-www-form-urlencoded"},
                                   {"Content-Type": "application/octet-stream"}]))
        method = rng.choice(METHODS) if rng.random() < 0.08 else "POST"
        return method, path, {"data": data, "headers": headers}

    def _peppol_order_request(self, rng):
        lines = [peppol.Line(rng.choice(["GD-1", "NS-1", "OC-1"]), "Desk", Decimal(rng.choice([1, 2])),
                             Decimal(rng.choice([100, 100, 95]))) for _ in range(rng.choice([1, 2]))]
        data = self.peppol_body(lines, f"FZ-{rng.randrange(10**6)}")
        if rng.random() < 0.85:
            data = self._mutate_xml(rng, data)
        signature = rng.choice([self.peppol_signature(data), self.peppol_signature(data), "",
                                "0" * 64, "\u00e9" * 64, self.peppol_signature(data, "wrong")])
        headers = {"Content-Type": "application/xml", "X-Punchout-Signature": signature.encode("utf-8")}
        return "POST", "/punchout/peppol/order", {"data": data, "headers": headers}

    def _login_request(self, rng, protocol):
        if protocol == "oci" and rng.random() < 0.6:
            params = {"HOOK_URL": f"{self.peer.url}/oci/hook/fz", "USERNAME": OCI_USER,
                      "PASSWORD": rng.choice([SECRET, SECRET, "wrong"]), "~OkCode": "ADDI", "~TARGET": "_top"}
        else:
            buyer = self.oci_buyer if protocol == "oci" else self.peppol_buyer
            link = urlsplit(buyer.punchout_link)
            params = dict(p.split("=", 1) for p in link.query.split("&"))
            params["HOOK_URL" if protocol == "oci" else "return_url"] = f"{self.peer.url}/{protocol}/hook/fz"
        if rng.random() < 0.8:
            params = self._mutate_params(rng, params)
        path = f"/punchout/{protocol}/login"
        shape = rng.randrange(4)
        if shape == 0:
            return "POST", path, {"data": urlencode(params, errors="surrogateescape"),
                                  "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
        if shape == 1:
            files = {k: ("f.txt", v.encode("utf-8", "surrogateescape")) for k, v in params.items()}
            return "POST", path, {"files": files}
        if shape == 2:
            return rng.choice(["PUT", "DELETE"]), f"{path}?{urlencode(params, errors='surrogateescape')}", {}
        return "GET", f"{path}?{urlencode(params, errors='surrogateescape')}", {}

    def _start_request(self, rng):
        response = self.post("/punchout/cxml/setup", self.setup_body())
        token = urlsplit(buyer_cxml.parse_response(response.content)[2]).path.rsplit("/", 1)[-1]
        choice = rng.randrange(6)
        if choice == 0:
            token = token[:rng.randrange(len(token))] or "x"
        elif choice == 1:
            token = token[:-1] + ("A" if token[-1] != "A" else "B")
        elif choice == 2:
            token = rng.choice(["..", "%2e%2e", "x" * 3000, "%00", "%C3%A9", "%ZZ", token + token])
        if rng.random() < 0.5:
            self.opener.cookies.clear()
        method = rng.choice(["GET", "GET", "POST", "PUT"])
        return method, f"/punchout/start/{token}", {"data": {"csrf_token": "forged"}} if method == "POST" else {}

    def _return_request(self, rng):
        kw = {"data": rng.choice([{}, {"csrf_token": "forged"}, {"csrf_token": ""}, {"x": "\x00"}])}
        if rng.random() < 0.5:  # a buyer in a live punch-out session sends odd forms
            response = self.post("/punchout/cxml/setup", self.setup_body())
            self.opener.cookies.clear()
            self.url_open(urlsplit(buyer_cxml.parse_response(response.content)[2]).path)
            cart = self.url_open("/shop/cart")
            match = CSRF_RE.search(cart.text)
            if match and rng.random() < 0.5:
                kw["data"]["csrf_token"] = match.group(1)
        return rng.choice(["POST", "POST", "GET"]), "/punchout/return", kw

    def _request(self, rng, kind):
        if kind in ("cxml_setup", "cxml_order"):
            return self._cxml_request(rng, f"/punchout/{kind.replace('_', '/')}")
        if kind == "peppol_order":
            return self._peppol_order_request(rng)
        if kind in ("oci_login", "peppol_login"):
            return self._login_request(rng, kind.split("_")[0])
        if kind == "start":
            return self._start_request(rng)
        return self._return_request(rng)

    # ------------------------------------------------------------------ the run
    def test_public_endpoints_survive_mutated_requests(self):
        rng = random.Random(SEED)
        kinds = ["cxml_setup"] * 3 + ["cxml_order"] * 4 + ["peppol_order"] * 2 + ["oci_login"] * 2 + \
                ["peppol_login", "start", "return"]
        seen = {}
        with mute_logger(*MUTE, "odoo.addons.b2b_punchout.controllers.common", "odoo.models.unlink"):
            for n in range(ROUNDS):
                kind = rng.choice(kinds)
                self.env["b2b.punchout.throttle"].sudo().search([]).unlink()  # every login reaches its checks
                method, path, kw = self._request(rng, kind)
                before = self._state()
                response = self.url_open(path, method=method, allow_redirects=False, **kw)
                after = self._state()
                label = f"#{n} {kind} {method} {path[:80]} -> {response.status_code}"
                seen.setdefault(kind, set()).add(response.status_code)
                self.assertLess(response.status_code, 500, label)
                self.assertNotIn("Traceback", response.text, label)
                sizes = self._new_payload_sizes(before)
                if response.status_code >= 400:
                    for key in ("orders", "lines", "sessions", "users"):
                        self.assertEqual(after[key], before[key], f"{label}: a refusal created {key}")
                    self.assertTrue(all(size <= guard.EXCERPT_BYTES + 100 for size in sizes),
                                    f"{label}: a refusal stored {sizes} bytes")
                else:
                    self.assertLessEqual(after["orders"] - before["orders"], 1, label)
                    self.assertLessEqual(after["users"] - before["users"], 1, label)
                    self.assertTrue(all(size <= cxml.MAX_BYTES for size in sizes), label)
                if kind in ("cxml_order", "peppol_order") and after["orders"] > before["orders"]:
                    self.assertIn(response.status_code, (200,), label)
        # every created order is ours: sellable products, positive quantities, our prices, confirmed
        sales = self.env["sale.order"].search([("client_order_ref", "=like", "FZ-%")])
        for line in sales.order_line:
            self.assertEqual((line.product_id, line.price_unit), (self.product, 100.0), line.order_id.client_order_ref)
            self.assertGreater(line.product_uom_qty, 0)
        self.assertEqual(set(sales.mapped("state")), {"sale"} if sales else set())
        self.assertTrue(sales, "the fuzz also sends orders that are fine")
        # the run reached both sides of every endpoint
        for kind in ("cxml_setup", "cxml_order", "peppol_order", "oci_login", "peppol_login", "start"):
            self.assertTrue(any(s < 400 for s in seen[kind]) and any(s >= 400 for s in seen[kind]),
                            f"{kind}: {seen[kind]}")
