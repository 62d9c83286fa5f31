"""The attacks on punch-out, performed as the attacker would: JSON-RPC as a user who may edit partners, and
plain HTTP to the public endpoints as a procurement system, a buyer's browser or anybody else."""

import importlib.util
import logging
import pathlib
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from odoo import fields
from odoo.tests import JsonRpcException, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.b2b_sandbox.protocol import cxml as buyer_cxml

from ..protocol import cxml, guard, peppol
from .common import MUTE, OCI_USER, SECRET, SENDER, PunchoutAttackCase

CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')


def csrf_token(html):
    return re.search(r'value="([^"]+)"', CSRF_RE.search(html).group(0)).group(1)


@tagged("post_install", "-at_install")
class TestPunchoutConfigurationAccess(PunchoutAttackCase):
    def _start(self):
        response = self.post("/punchout/cxml/setup", self.setup_body())
        code, _text, start = buyer_cxml.parse_response(response.content)
        self.assertEqual(code, 200, start)
        return urlsplit(start).path

    def test_partner_editor_cannot_configure_punchout(self):
        admin = self.env.ref("base.user_admin")
        self.authenticate("po_editor", "po_editor")
        attacks = [{"punchout_user_id": admin.id}, {"punchout_return_urls": "https://evil.example/"},
                   {"punchout_identities": "NetworkId:evil"}, {"punchout_enabled": False},
                   {"punchout_protocol": "oci"}, {"punchout_secret": "mine"}, {"punchout_price_tolerance": 100},
                   {"punchout_pricelist_id": False}, {"punchout_link": "https://evil.example/"},
                   {"punchout_supplier_identity": "evil"}, {"punchout_supplier_domain": "DUNS"},
                   {"punchout_default_classification": "UNSPSC:10000000"}]
        for vals in attacks:
            with self.subTest(vals=vals), mute_logger(*MUTE), self.assertRaises(JsonRpcException) as caught:
                self.rpc("res.partner", "write", [self.buyer.id], vals)
            self.assertIn("AccessError", str(caught.exception))
        for method, args in (("read", [[self.buyer.id], ["punchout_identities", "punchout_user_id"]]),
                             ("action_punchout_generate_link", [[self.oci_buyer.id]])):
            with self.subTest(method=method), mute_logger(*MUTE), self.assertRaises(JsonRpcException) as caught:
                self.rpc("res.partner", method, *args)
            self.assertIn("AccessError", str(caught.exception))
        # the editor's partner form opens, without the punch-out page
        arch = self.rpc("res.partner", "get_views", [[False, "form"]])["views"]["form"]["arch"]
        self.assertNotIn("punchout_", arch)
        # the editor still edits what is theirs to edit
        self.rpc("res.partner", "write", [self.buyer.id], {"phone": "+31 30 123"})
        self.assertEqual(self.buyer.phone, "+31 30 123")
        self.assertFalse(self.buyer.punchout_user_id)
        self.assertEqual(self.buyer.punchout_return_urls.count("\n"), 2)

    def test_manager_cannot_choose_the_buyer_user(self):
        self.authenticate("po_manager", "po_manager")
        for user in (self.env.ref("base.user_admin"), self.editor):
            with self.subTest(user=user.login), mute_logger(*MUTE), self.assertRaises(JsonRpcException) as caught:
                self.rpc("res.partner", "write", [self.buyer.id], {"punchout_user_id": user.id})
            self.assertIn("ValidationError", str(caught.exception))
        self.assertFalse(self.buyer.punchout_user_id)
        # the manager may generate links
        self.assertTrue(self.rpc("res.partner", "action_punchout_generate_link", [self.oci_buyer.id]))

    def test_start_never_logs_in_as_an_internal_user(self):
        # a buyer user set before this fix (or behind the ORM's back): the start page refuses it
        admin = self.env.ref("base.user_admin")
        self.env.cr.execute("UPDATE res_partner SET punchout_user_id = %s WHERE id = %s", [admin.id, self.buyer.id])
        self.buyer.invalidate_recordset(["punchout_user_id"])
        start = self._start()
        with mute_logger(*MUTE):
            response = self.url_open(start, allow_redirects=False)
        self.assertEqual(response.status_code, 403)
        session = self.env["b2b.punchout.session"].search([("partner_id", "=", self.buyer.id)], limit=1)
        self.assertEqual((session.state, session.user_id), ("new", self.env["res.users"]))
        refused = self.Exchange.search([("partner_id", "=", self.buyer.id), ("state", "=", "failed")], limit=1)
        self.assertIn("not a dedicated portal user", refused.error)

    def test_buyer_user_is_dedicated_and_survives_being_cleared(self):
        response = self.url_open(self._start(), allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        user = self.buyer.punchout_user_id
        self.assertTrue(user.share and not user._is_internal() and user.partner_id == self.buyer)
        self.assertEqual(user.sudo().b2b_punchout_partner_id, self.buyer)
        users = self.env["res.users"].with_context(active_test=False).search_count([])
        # a manager clears the field: the next punch-out links the same dedicated user again
        self.authenticate("po_manager", "po_manager")
        self.rpc("res.partner", "write", [self.buyer.id], {"punchout_user_id": False})
        self.opener.cookies.clear()
        self.assertEqual(self.url_open(self._start(), allow_redirects=False).status_code, 303)
        self.assertEqual(self.buyer.punchout_user_id, user)
        # that user was made internal meanwhile: it is not used again, a new dedicated user is made
        user.write({"group_ids": [fields.Command.set([self.env.ref("base.group_user").id])]})
        self.buyer.sudo().punchout_user_id = False
        self.opener.cookies.clear()
        self.assertEqual(self.url_open(self._start(), allow_redirects=False).status_code, 303)
        new_user = self.buyer.punchout_user_id
        self.assertNotEqual(new_user, user)
        self.assertTrue(new_user.share)
        self.assertEqual(self.env["res.users"].with_context(active_test=False).search_count([]), users + 1)


@tagged("post_install", "-at_install")
class TestPunchoutOrders(PunchoutAttackCase):
    def _order(self, body):
        with mute_logger(*MUTE):
            return self.cxml_status(self.post("/punchout/cxml/order", body))

    def _refused(self, body, order_id, expect_code=400):
        status, code, message = self._order(body)
        self.assertEqual((status, code), (expect_code, expect_code), message)
        self.assertFalse(self.sale_orders(order_id), "a refused order creates no sale order")
        exchange = self.Exchange.search([("kind", "=", "punchout.order")], order="id desc", limit=1)
        self.assertEqual(exchange.state, "failed", "every refusal is in the log")
        return message, exchange

    def test_buyer_prices_and_quantities_are_not_trusted(self):
        message, _ex = self._refused(self.order_body([self.item(price="0.01")], "PO-CHEAP"), "PO-CHEAP")
        self.assertIn("prices differ", message)
        self.assertIn("100", message)
        valid = self.order_body([self.item()], "PO-QTY")
        for qty in ("-1", "0", "NaN", "Infinity", "-Infinity", "1e999999", "sNaN", "1e-999999", "abc", ""):
            with self.subTest(qty=qty):
                body = valid.replace(b'quantity="1"', f'quantity="{qty}"'.encode())
                self._refused(body, "PO-QTY")
        for price in ("-100", "NaN", "1e999999"):
            with self.subTest(price=price):
                body = valid.replace(b'<Money currency="%s">100.00</Money>' % self.currency.encode(),
                                     f'<Money currency="{self.currency}">{price}</Money>'.encode(), 1)
                self.assertNotEqual(body, valid)
                self._refused(body, "PO-QTY")
        message, _ex = self._refused(self.order_body([self.item("NS-1", price=10)], "PO-NS"), "PO-NS")
        self.assertIn("not for sale", message)
        message, exchange = self._refused(self.order_body([self.item("OC-1", price=5)], "PO-OC"), "PO-OC")
        self.assertIn("unknown product OC-1", message)
        self.assertNotIn(self.company_b.name, message + exchange.error)
        wrong_currency = cxml.CartItem("GD-1", Decimal(1), Decimal(100), "Desk",
                                       currency="JPY" if self.currency != "JPY" else "EUR")
        self._refused(self.order_body([wrong_currency], "PO-CUR"), "PO-CUR")

    def test_orders_are_made_at_our_prices(self):
        # within the tolerance (0.5 % by default): accepted, at our price, not the buyer's
        status, code, message = self._order(self.order_body([self.item(qty=3, price="100.40")], "PO-FAIR"))
        self.assertEqual((status, code), (200, 200), message)
        sale = self.sale_orders("PO-FAIR")
        self.assertEqual((sale.state, sale.order_line.price_unit, sale.amount_untaxed), ("sale", 100.0, 300.0))
        self.assertTrue(self.Exchange.search([("res_model", "=", "sale.order"), ("res_id", "=", sale.id)]))
        # the tolerance is the customer's
        self.buyer.punchout_price_tolerance = 0.1
        self._refused(self.order_body([self.item(price="100.40")], "PO-STRICT"), "PO-STRICT")

    def test_price_differences_can_be_flagged_instead(self):
        self.buyer.punchout_price_mismatch = "flag"
        status, code, message = self._order(self.order_body([self.item(qty=2, price=90)], "PO-FLAG"))
        self.assertEqual((status, code), (200, 200), message)
        self.assertIn("reviewed", message)
        sale = self.sale_orders("PO-FLAG")
        self.assertEqual((sale.state, sale.order_line.price_unit), ("draft", 100.0), "a quotation, at our price")
        self.assertIn("differ", sale.message_ids[:1].body)
        # quantities are never flagged, always refused
        body = self.order_body([self.item()], "PO-FLAG-2").replace(b'quantity="1"', b'quantity="-5"')
        self._refused(body, "PO-FLAG-2")

    def test_peppol_orders_get_the_same_checks(self):
        def send(lines, order_id):
            body = self.peppol_body(lines, order_id)
            with mute_logger(*MUTE):
                return self.url_open("/punchout/peppol/order", data=body, headers={
                    "Content-Type": "application/xml", "X-Punchout-Signature": self.peppol_signature(body)})

        r = send([peppol.Line("GD-1", "Desk", Decimal(3), Decimal(95))], "PEP-CHEAP")
        self.assertEqual(r.status_code, 400, r.text)
        self.assertIn("prices differ", r.text)
        self.assertFalse(self.sale_orders("PEP-CHEAP"))
        for bad in ("NaN", "-2", "1e999999"):
            body = self.peppol_body([peppol.Line("GD-1", "Desk", Decimal(1), Decimal(100))], "PEP-QTY").replace(
                b">1</cbc:Quantity>", f">{bad}</cbc:Quantity>".encode())
            with mute_logger(*MUTE):
                r = self.url_open("/punchout/peppol/order", data=body, headers={
                    "Content-Type": "application/xml", "X-Punchout-Signature": self.peppol_signature(body)})
            self.assertEqual(r.status_code, 400, bad)
        r = send([peppol.Line("NS-1", "Part", Decimal(1), Decimal(10))], "PEP-NS")
        self.assertEqual(r.status_code, 400)
        r = send([peppol.Line("GD-1", "Desk", Decimal(3), Decimal(100))], "PEP-OK")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(self.sale_orders("PEP-OK").order_line.price_unit, 100.0)
        self.assertFalse(self.sale_orders("PEP-QTY") | self.sale_orders("PEP-NS"))


@tagged("post_install", "-at_install")
class TestPunchoutStorageAndSecrets(PunchoutAttackCase):
    def _last_exchange(self, kind):
        return self.Exchange.search([("kind", "=", kind)], order="id desc", limit=1)

    def test_unauthenticated_requests_are_capped_and_only_excerpted(self):
        exchanges = self.Exchange.search_count([])
        # over the cap: refused before anything is parsed or stored
        huge = b'<?xml version="1.0"?><cXML>' + b"<x>" + b"A" * (6 * 1024 * 1024) + b"</x></cXML>"
        with mute_logger(*MUTE):
            response = self.post("/punchout/cxml/setup", huge)
        self.assertEqual(self.cxml_status(response)[:2], (413, 413))
        refused = self._last_exchange("punchout.setup")
        self.assertEqual(refused.state, "failed")
        self.assertFalse(refused.payload_attachment_id, "nothing of an over-long body is kept")
        # the same without a Content-Length (chunked): read up to the cap, no further
        chunks = (huge[i:i + 65536] for i in range(0, len(huge), 65536))
        with mute_logger(*MUTE):
            response = self.post("/punchout/cxml/order", chunks)
        self.assertEqual(self.cxml_status(response)[:2], (413, 413))
        self.assertFalse(self._last_exchange("punchout.order").payload_attachment_id)
        # a large, well-formed request from an unknown or unauthenticated buyer: a 4 KB excerpt, no more
        filler = cxml.CartItem("GD-1", Decimal(1), Decimal(100), "D" * 200, currency=self.currency)
        for sender, path, kind in (
                (cxml.Credential("NetworkId", "nobody@evil.example", "x"), "/punchout/cxml/order", "punchout.order"),
                (cxml.Credential("NetworkId", SENDER.identity, "wrong"), "/punchout/cxml/order", "punchout.order"),
                (cxml.Credential("NetworkId", SENDER.identity, "wrong"), "/punchout/cxml/setup", "punchout.setup")):
            body = (self.order_body([filler] * 900, sender=sender) if kind == "punchout.order"
                    else self.setup_body(sender=sender, items=[filler] * 900))
            self.assertGreater(len(body), 100 * 1024)
            with mute_logger(*MUTE):
                status, code, _message = self.cxml_status(self.post(path, body))
            self.assertEqual((status, code), (401, 401))
            refused = self._last_exchange(kind)
            self.assertEqual(refused.state, "failed")
            self.assertLessEqual(refused.payload_attachment_id.file_size, guard.EXCERPT_BYTES + 100)
            self.assertNotIn(b"wrong", refused._b2b_get_payload(), "the sent secret is masked in the excerpt")
        self.assertEqual(self.Exchange.search_count([]), exchanges + 5)

    def test_shared_secret_is_masked_whatever_its_markup(self):
        body = self.setup_body().replace(
            f"<SharedSecret>{SECRET}</SharedSecret>".encode(),
            f'<SharedSecret xml:lang="en">{SECRET}</SharedSecret >'.encode())
        self.assertIn(b'xml:lang="en"', body)
        status, code, _start = self.cxml_status(self.post("/punchout/cxml/setup", body))
        self.assertEqual((status, code), (200, 200))
        stored = self._last_exchange("punchout.setup")._b2b_get_payload()
        self.assertIn(SENDER.identity.encode(), stored)
        self.assertNotIn(SECRET.encode(), stored)
        # an accepted order and a refused one as well
        for price in (100, 1):
            body = self.order_body([self.item(price=price)]).replace(
                f"<SharedSecret>{SECRET}</SharedSecret>".encode(),
                f"<SharedSecret\n  xml:lang='en'><![CDATA[{SECRET}]]></SharedSecret\n>".encode())
            with mute_logger(*MUTE):
                self.post("/punchout/cxml/order", body)
            self.assertNotIn(SECRET.encode(), self._last_exchange("punchout.order")._b2b_get_payload())

    def test_oci_password_and_link_signatures_never_reach_the_log(self):
        self.oci_buyer.action_punchout_generate_link()
        link = urlsplit(self.oci_buyer.punchout_link)
        signature = dict(p.split("=", 1) for p in link.query.split("&"))["sig"]
        # level as a number: Odoo names its RUNBOT level (25) "INFO" too, so "INFO" would mean 25 here
        with self.assertLogs("werkzeug", level=logging.INFO) as logs:
            password_login = self.url_open(self.oci_login_url(), allow_redirects=False)
            link_login = self.url_open(f"{link.path}?{link.query}&HOOK_URL={self.peer.url}/oci/hook/l1",
                                       allow_redirects=False)
            start = self.url_open(urlsplit(link_login.headers["Location"]).path, allow_redirects=False)
        self.assertEqual((password_login.status_code, link_login.status_code, start.status_code), (303, 303, 303))
        token = urlsplit(link_login.headers["Location"]).path.rsplit("/", 1)[1]
        text = "\n".join(logs.output)
        self.assertIn("/punchout/oci/login", text, "the request lines are logged, without their secrets")
        self.assertIn("/punchout/start/", text)
        for secret in (SECRET, signature, token, "PASSWORD="):
            self.assertNotIn(secret, text)

    def test_return_url_paths_are_normalised(self):
        with mute_logger(*MUTE):
            for url in (f"{self.peer.url}/oci/../evil/x", f"{self.peer.url}/cxml/%2e%2e/evil",
                        f"{self.peer.url}/cxmlx/return", f"{self.peer.url}/cxml/..%2fevil",
                        f"{self.peer.url}\\@evil.example/cxml/",
                        "http://x@" + self.peer.url.split("//", 1)[1] + "/cxml/"):
                with self.subTest(url=url):
                    response = self.post("/punchout/cxml/setup", self.setup_body(return_url=url))
                    self.assertEqual(self.cxml_status(response)[:2], (403, 403))
            r = self.url_open(self.oci_login_url(hook=f"{self.peer.url}/oci/../evil/x"), allow_redirects=False)
            self.assertEqual(r.status_code, 403)
        ok = self.post("/punchout/cxml/setup", self.setup_body(return_url=f"{self.peer.url}/cxml/./return/c"))
        self.assertEqual(self.cxml_status(ok)[:2], (200, 200))


@tagged("post_install", "-at_install")
class TestPunchoutLogins(PunchoutAttackCase):
    def test_start_link_asks_a_signed_in_user_before_switching(self):
        self.authenticate("admin", "admin")
        _code, _text, start = buyer_cxml.parse_response(self.post("/punchout/cxml/setup", self.setup_body()).content)
        response = self.url_open(urlsplit(start).path, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_punchout_confirm", response.text)
        session = self.env["b2b.punchout.session"].search([("partner_id", "=", self.buyer.id)], limit=1)
        self.assertEqual(session.state, "new", "nothing happened yet")
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["uid"], self.env.ref("base.user_admin").id, "still the admin")
        # a cross-site POST without this browser's CSRF token does not switch either
        with mute_logger(*MUTE):
            forged = self.url_open(urlsplit(start).path, data={"x": "1"}, allow_redirects=False)
        self.assertGreaterEqual(forged.status_code, 400)
        self.assertEqual(session.state, "new")
        # the admin confirms on the page: the punch-out starts
        confirmed = self.url_open(urlsplit(start).path, data={"csrf_token": csrf_token(response.text)},
                                  allow_redirects=False)
        self.assertEqual(confirmed.status_code, 303)
        self.assertEqual(session.state, "active")
        with mute_logger("odoo.sql_db", "odoo.http"):  # a first session_info of a portal user retries read/write
            uid = self.make_jsonrpc_request("/web/session/get_session_info")["uid"]
        self.assertEqual(uid, self.buyer.punchout_user_id.id)

    def test_oci_start_link_only_works_in_the_browser_that_logged_in(self):
        login = self.url_open(self.oci_login_url(), allow_redirects=False)
        self.assertEqual(login.status_code, 303)
        start = urlsplit(login.headers["Location"]).path
        self.opener.cookies.clear()  # another browser (the attacker sends the link to a victim)
        with mute_logger(*MUTE):
            self.assertEqual(self.url_open(start, allow_redirects=False).status_code, 403)

    def test_oci_password_guessing_is_throttled(self):
        statuses = []
        with mute_logger(*MUTE):
            for n in range(150):
                statuses.append(self.url_open(self.oci_login_url(password=f"guess-{n}"),
                                              allow_redirects=False).status_code)
            right = self.url_open(self.oci_login_url(), allow_redirects=False)
        self.assertEqual(statuses[:5], [401] * 5)
        self.assertEqual(set(statuses[5:]), {429})
        self.assertEqual(right.status_code, 429, "blocked, even with the right password")
        self.assertGreater(int(right.headers["Retry-After"]), 0)
        Throttle = self.env["b2b.punchout.throttle"]
        self.assertEqual({r.key for r in Throttle.search([])}, {f"partner:{self.oci_buyer.id}", "ip:127.0.0.1"})
        # once the block is over, the right password works and the customer's failures are forgotten
        Throttle.search([]).write({"blocked_until": fields.Datetime.now() - timedelta(seconds=1)})
        self.assertEqual(self.url_open(self.oci_login_url(), allow_redirects=False).status_code, 303)
        self.assertFalse(Throttle.search([("key", "=", f"partner:{self.oci_buyer.id}")]))

    def test_password_spraying_from_one_address_is_throttled(self):
        statuses = []
        with mute_logger(*MUTE):
            for n in range(25):
                statuses.append(self.url_open(self.oci_login_url(username=f"user-{n}", password="x"),
                                              allow_redirects=False).status_code)
            right = self.url_open(self.oci_login_url(), allow_redirects=False)
        self.assertEqual(statuses, [401] * 20 + [429] * 5)
        self.assertEqual(right.status_code, 429, "the address is blocked for every customer")

    def test_peppol_link_guessing_is_throttled(self):
        statuses = []
        with mute_logger(*MUTE):
            for n in range(8):
                statuses.append(self.url_open(
                    f"/punchout/peppol/login?partner={self.peppol_buyer.id}&exp=9999999999&sig=forged{n}"
                    f"&return_url={self.peer.url}/peppol/return/x", allow_redirects=False).status_code)
        self.assertEqual(statuses, [401] * 5 + [429] * 3)

    def test_odd_login_parameters_are_refused_cleanly(self):
        hook = f"HOOK_URL={self.peer.url}/oci/h"
        with mute_logger(*MUTE):
            for query in (f"{hook}&partner=%C2%B2&exp=1&sig=x", f"{hook}&partner=99999999999999999999&exp=1&sig=x",
                          f"{hook}&partner={self.oci_buyer.id}&exp=99999999999&sig=%C3%A9t%C3%A9",
                          f"{hook}&partner={self.oci_buyer.id}&exp=x&sig=y",
                          f"HOOK_URL=http%3A%2F%2F%5B%3A%3A1&USERNAME={OCI_USER}&PASSWORD={SECRET}",
                          f"HOOK_URL={self.peer.url}/oci/%00&USERNAME={OCI_USER}&PASSWORD={SECRET}",
                          f"HOOK_URL={self.peer.url}/oci/h&USERNAME={OCI_USER}&PASSWORD={SECRET}%00"):
                with self.subTest(query=query):
                    self.env["b2b.punchout.throttle"].search([]).unlink()
                    r = self.url_open(f"/punchout/oci/login?{query}", allow_redirects=False)
                    self.assertIn(r.status_code, (400, 401, 403), r.text[:300])
                    self.assertNotIn("Traceback", r.text)
        self.assertFalse(self.env["b2b.punchout.session"].search([("partner_id", "=", self.oci_buyer.id)]))


@tagged("post_install", "-at_install")
class TestPunchoutUserMigration(TransactionCase):
    def test_upgrade_keeps_our_buyer_users_and_unlinks_any_other(self):
        path = pathlib.Path(__file__).resolve().parent.parent / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("b2b_punchout_post_migrate_19_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        Partner = self.env["res.partner"]
        ours, hijacked = Partner.create([{"name": "Legacy Buyer"}, {"name": "Hijacked Buyer"}])
        legacy = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Legacy Buyer (punch-out)", "login": f"punchout-{ours.id}@punchout.invalid", "partner_id": ours.id,
            "group_ids": [fields.Command.set([self.env.ref("base.group_portal").id])]})
        # as the code before 19.0.1.1.0 left them: no owner, any user possible
        self.env.cr.execute("UPDATE res_partner SET punchout_user_id = %s WHERE id = %s", [legacy.id, ours.id])
        self.env.cr.execute("UPDATE res_partner SET punchout_user_id = %s WHERE id = %s",
                            [self.env.ref("base.user_admin").id, hijacked.id])
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual((ours.punchout_user_id, legacy.b2b_punchout_partner_id), (legacy, ours))
        self.assertFalse(hijacked.punchout_user_id)
        self.assertFalse(self.env.ref("base.user_admin").b2b_punchout_partner_id)
