"""BaseLinker protocol client against the sandbox BaseLinker peer (pure tier)."""

import json
import pathlib
from urllib.parse import urlencode

import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_connector_base.lib.ratelimit import SlidingWindowBudget
from odoo.addons.b2b_invoice_attach.protocol import baselinker as bl
from odoo.addons.b2b_sandbox.peers.baselinker import ApiContract, BaseLinkerPeer
from odoo.addons.b2b_sandbox.peers.server import Response

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SPECS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "specs" / "baselinker"
CONTRACT = ApiContract.load(SPECS / "api_methods.json")


class FakeClock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture
def peer():
    """The sandbox BaseLinker, checking every request of the client and every answer of its own against the
    published contract: a test passes only when both sides kept to it."""
    with BaseLinkerPeer(contract=CONTRACT) as p:
        yield p
        assert p.contract_problems == []


def client_for(peer, token="sandbox-bl-token", budget=None, retries=0):
    http = HttpClient(base_url=peer.url, retries=retries, budget=budget, sleep=lambda s: None)
    return bl.BaseLinkerClient(http, token, path="/connector.php")


# ---------------------------------------------------------------------------- encoding
def test_encode_request_is_method_plus_json_parameters():
    fields = bl.encode_request("getOrders", {"date_confirmed_from": 5, "status_id": 7})
    assert fields["method"] == "getOrders"
    assert json.loads(fields["parameters"]) == {"date_confirmed_from": 5, "status_id": 7}
    with pytest.raises(ValueError):
        bl.encode_request("")


def test_parse_response_errors_are_clear():
    assert bl.parse_response(b'{"status": "SUCCESS", "orders": []}', "getOrders")["orders"] == []
    with pytest.raises(bl.BaseLinkerError) as err:
        bl.parse_response(b'{"status":"ERROR","error_code":"ERROR_BAD_TOKEN","error_message":"Invalid user token"}',
                          "getOrders")
    assert err.value.code == "ERROR_BAD_TOKEN" and err.value.auth and not err.value.retryable
    assert "Invalid user token" in str(err.value)
    with pytest.raises(bl.BaseLinkerError, match="not JSON"):
        bl.parse_response(b"<html>502 Bad Gateway</html>", "getOrders")
    with pytest.raises(bl.BaseLinkerError, match="no status"):
        bl.parse_response(b'{"orders": []}', "getOrders")
    with pytest.raises(bl.BaseLinkerError, match="larger than"):
        bl.parse_response(b"{" + b" " * 2048 + b"}", "getOrders", max_bytes=1024)
    blocked = bl.BaseLinkerError("ERROR_USER_ACCOUNT_BLOCKED", "x")
    assert blocked.blocked and blocked.retryable


def test_file_encoding_round_trip_and_refusals():
    encoded = bl.encode_file(PDF)
    assert encoded.startswith("data:")
    assert bl.decode_file(encoded) == PDF
    with pytest.raises(bl.BaseLinkerError, match="not a PDF") as refused:
        bl.encode_file(b"<html>not a pdf</html>")
    assert (refused.value.code, refused.value.method) == ("ERROR_NOT_PDF", "addOrderInvoiceFile")
    with pytest.raises(bl.BaseLinkerError, match="larger than 10 MB") as refused:
        bl.encode_file(b"%PDF" + b" " * bl.MAX_FILE_BYTES)
    assert refused.value.code == "ERROR_FILE_TOO_LARGE" and not refused.value.retryable
    with pytest.raises(bl.BaseLinkerError, match="not a 'data:' string"):
        bl.decode_file("JVBERi0=")
    with pytest.raises(bl.BaseLinkerError, match="base64") as refused:
        bl.decode_file("data:%%%")
    assert refused.value.code == "ERROR_BAD_ANSWER"


def test_order_keys():
    order = bl.Order.from_json({"order_id": "42", "shop_order_id": 0, "external_order_id": "A-1", "date_confirmed": 9})
    assert order.key("order_id") == "42" and order.key("external_order_id") == "A-1"
    assert order.key("shop_order_id") == ""
    with pytest.raises(ValueError):
        order.key("email")
    with pytest.raises(bl.BaseLinkerError):
        bl.Order.from_json({"no": "id"})


def test_find_invoice_by_type():
    invoices = [bl.Invoice(1, 5, "normal"), bl.Invoice(3, 5, "normal"), bl.Invoice(2, 5, "correcting")]
    assert bl.find_invoice(invoices).invoice_id == 3
    assert bl.find_invoice(invoices, "correcting").invoice_id == 2
    assert bl.find_invoice([], "normal") is None


# ---------------------------------------------------------------------------- client x peer
def test_wrong_token_is_an_auth_error(peer):
    with pytest.raises(bl.BaseLinkerError) as err:
        client_for(peer, token="wrong").get_order_status_list()
    assert err.value.auth
    with pytest.raises(bl.BaseLinkerError):
        bl.BaseLinkerClient(object(), "")


def test_status_list(peer):
    statuses = client_for(peer).get_order_status_list()
    assert [s.id for s in statuses][:2] == [1051, 1052]
    assert statuses[1].name == "Paid"


def test_orders_paged_100_per_call_without_gaps_or_duplicates(peer):
    base = 1_700_000_000
    # 250 orders, several per second, including 3 in the second where the first page ends
    for n in range(250):
        peer.add_order(10_000 + n, date_confirmed=base + n // 3)
    client = client_for(peer)
    orders = list(client.iter_orders(base))
    assert sorted(o.order_id for o in orders) == [10_000 + n for n in range(250)]
    assert len({o.order_id for o in orders}) == 250
    calls = [json.loads(r.form()["parameters"]) for r in peer.requests]
    assert len(calls) == client.calls == 3
    assert all(c["get_unconfirmed_orders"] is False for c in calls)
    # every page starts where the previous one ended (same second, so nothing is skipped)
    assert calls[1]["date_confirmed_from"] == base + 99 // 3


def test_orders_whole_page_in_one_second_moves_on(peer):
    for n in range(100):
        peer.add_order(n + 1, date_confirmed=1_700_000_000)
    peer.add_order(500, date_confirmed=1_700_000_005)
    orders = list(client_for(peer).iter_orders(1_699_999_000))
    assert [o.order_id for o in orders][-1] == 500 and len(orders) == 101


def test_orders_status_filter_and_window(peer):
    peer.add_order(1, date_confirmed=1000, status_id=1051)
    peer.add_order(2, date_confirmed=2000, status_id=1052)
    peer.add_order(3, date_confirmed=3000, status_id=1052)
    client = client_for(peer)
    assert [o.order_id for o in client.iter_orders(1500)] == [2, 3]
    assert [o.order_id for o in client.iter_orders(0, status_id=1051)] == [1]


def test_invoice_upload_round_trip(peer):
    peer.add_order(77, date_confirmed=1000)
    client = client_for(peer)
    assert client.get_invoices(77) == []
    with pytest.raises(bl.BaseLinkerError, match="series"):
        client.add_invoice(77, 0)
    invoice_id = client.add_invoice(77, 15)
    assert [i.invoice_id for i in client.get_invoices(77)] == [invoice_id]
    client.add_order_invoice_file(invoice_id, PDF, "INV/2026/00001")
    assert peer.files[invoice_id] == {"pdf": PDF, "external_invoice_number": "INV/2026/00001"}
    assert client.get_invoices(77)[0].external_invoice_number == "INV/2026/00001"
    client.set_order_status(77, 1053)
    assert peer.orders[77]["order_status_id"] == 1053
    with pytest.raises(bl.BaseLinkerError) as err:
        client.set_order_status(77, 4242)
    assert err.value.code == "ERROR_STATUS_NOT_FOUND"
    with pytest.raises(bl.BaseLinkerError) as err:
        client.add_order_invoice_file(31337, PDF, "X")
    assert err.value.code == "ERROR_INVOICE_NOT_FOUND"
    with pytest.raises(bl.BaseLinkerError, match="invoice_id"):
        client.add_order_invoice_file(0, PDF, "X")


def test_peer_refuses_bad_requests(peer):
    client = client_for(peer)
    with pytest.raises(bl.BaseLinkerError) as err:
        client.call("getNothing")
    assert err.value.code == "ERROR_UNKNOWN_METHOD"
    peer.add_order(1)
    peer.add_invoice(1)
    http = HttpClient(base_url=peer.url, retries=0)
    answer = http.post("/connector.php", data={"method": "addOrderInvoiceFile",
                                               "parameters": json.dumps({"invoice_id": 9001, "file": "data:aGVsbG8="})},
                       headers={"X-BLToken": peer.token})
    assert answer.json()["error_code"] == "ERROR_BAD_FILE"
    assert http.get("/other", expected=(404,)).status_code == 404
    # that request broke the contract too, and the peer says so (the fixture's check is emptied for the others)
    assert peer.contract_problems == ["addOrderInvoiceFile: required parameter 'external_invoice_number' missing"]
    peer.contract_problems.clear()


def test_peer_blocks_a_token_over_the_limit_and_the_budget_prevents_it():
    clock = FakeClock()
    with BaseLinkerPeer(rate_limit=100, rate_period=60, clock=clock) as peer:
        # without a budget, the 101st call within a minute blocks the token
        client = client_for(peer)
        for _ in range(100):
            client.get_order_status_list()
        with pytest.raises(bl.BaseLinkerError) as err:
            client.get_order_status_list()
        assert err.value.blocked and err.value.retryable
        clock.now += 61  # still blocked: the block lasts longer than the window
        with pytest.raises(bl.BaseLinkerError):
            client.get_order_status_list()
        assert peer.blocked_calls == 2

    clock = FakeClock()
    with BaseLinkerPeer(rate_limit=100, rate_period=60, clock=clock) as peer:
        budget = SlidingWindowBudget(100, 60, clock=clock, sleep=clock.sleep)
        client = client_for(peer, budget=budget)
        start = clock.now
        for _ in range(250):
            client.get_order_status_list()
        assert peer.blocked_calls == 0
        assert clock.now - start >= 120  # 250 calls at 100/min take two extra minutes


def test_retry_on_server_error_for_reads_only(peer):
    peer.script(Response.text("busy", status=503))
    client = client_for(peer, retries=2)
    assert client.get_order_status_list()  # 503 retried
    peer.add_order(5)
    invoice_id = peer.add_invoice(5)
    peer.script(Response.text("oops", status=500))
    from odoo.addons.b2b_connector_base.lib.http import TransportError
    with pytest.raises(TransportError) as err:
        client.add_order_invoice_file(invoice_id, PDF, "N1")  # a write is not blindly repeated on 500
    assert err.value.kind == "server"
    assert invoice_id not in peer.files


# ---------------------------------------------------------------------------- paging that never ends
def _ignoring_the_window(peer, limit=40):
    """The peer answers every getOrders with the first page, whatever date_confirmed_from says (the first
    ``limit`` calls; then nothing, so a client that does not stop ends all the same)."""
    real = peer.handle
    calls = []

    def handle(request):
        form = request.form() if request.body else {}
        if form.get("method") == "getOrders":
            calls.append(form)
            if len(calls) > limit:
                return Response.json({"status": "SUCCESS", "orders": []})
            params = json.loads(form["parameters"])
            params["date_confirmed_from"] = 0
            form["parameters"] = json.dumps(params)
            request.body = urlencode(form).encode()
        return real(request)

    peer.handle = handle
    return calls


def test_orders_a_repeated_page_ends_the_listing_with_a_warning():
    with BaseLinkerPeer(page_size=3) as peer:
        for n in range(3):
            peer.add_order(n + 1, date_confirmed=1_700_000_000 + n)
        calls = _ignoring_the_window(peer)
        client = client_for(peer)
        assert [o.order_id for o in client.iter_orders(1_700_000_000, page_size=3)] == [1, 2, 3]
        assert len(calls) == 2
        assert client.warnings == ["BaseLinker answered getOrders page 2 with orders already read: stopped "
                                   "reading there."]


def test_orders_stop_at_the_page_cap_and_say_up_to_when():
    with BaseLinkerPeer(page_size=2) as peer:
        for n in range(7):
            peer.add_order(n + 1, date_confirmed=1_700_000_000 + 10 * n)
        client = client_for(peer)
        orders = list(client.iter_orders(1_700_000_000, page_size=2, max_pages=2))
        assert [o.order_id for o in orders] == [1, 2, 3]  # page 2 starts at the second of order 2
        assert client.calls == 2
        assert client.warnings == ["BaseLinker: the order list stopped at the cap of 2 pages (3 orders); orders "
                                   "confirmed after 2023-11-14 22:13:40 UTC were not read."]
        again = client_for(peer)
        assert len(list(again.iter_orders(1_700_000_000, page_size=2, max_pages=10))) == 7 and not again.warnings


# ---------------------------------------------------------------------------- the published contract
def test_the_contract_check_catches_what_is_not_published():
    assert CONTRACT.request_problems("getInvoices", {"order_id": 5, "get_external_invoices": False}) == []
    assert CONTRACT.request_problems("getInvoices", {"order_id": "5", "with_files": True}) == [
        "getInvoices(order_id): '5' is not int", "getInvoices: parameter 'with_files' is not documented"]
    assert CONTRACT.request_problems("addOrderInvoiceFile", {"invoice_id": 1, "file": "data:",
                                                              "external_invoice_number": "X" * 31}) == [
        "addOrderInvoiceFile(external_invoice_number): 31 characters, the documented varchar(30) takes 30"]
    assert CONTRACT.request_problems("getInvoicesByMagic", {}) == ["getInvoicesByMagic: not a documented method"]
    answer = {"status": "SUCCESS", "invoices": [{"invoice_id": 1, "external_file": True}]}
    problems = CONTRACT.answer_problems("getInvoices", {}, answer)
    assert "getInvoices answer.invoices[0]: field 'external_file' is not documented" in problems
    assert "getInvoices answer.invoices[0]: documented field 'external_invoice_number' missing" in problems


def test_the_client_reads_only_published_answer_fields():
    order_fields = CONTRACT.fields("getOrders")["orders"]["items"]
    invoice_fields = CONTRACT.fields("getInvoices")["invoices"]["items"]
    assert set(bl.Order.FIELDS) | set(bl.Order.KEYS) <= set(order_fields)
    assert set(bl.Invoice.FIELDS) <= set(invoice_fields)
    assert "external_file" not in invoice_fields
    assert invoice_fields["external_invoice_number"]["type"] == "varchar(30)"
    number = CONTRACT.fields("addOrderInvoiceFile", "request")["external_invoice_number"]
    assert number == {"type": "varchar(30)", "required": True,
                      "doc": "External system invoice number (overwrites BaseLinker invoice number)"}
    assert bl.MAX_EXTERNAL_NUMBER == 30


@pytest.mark.parametrize("name", ["getInvoices_answer_captured_1.json", "getInvoices_answer_captured_2.json"])
def test_captured_getinvoices_answers_are_published_fields_and_parse(name):
    """Answers of the real API captured in a public client's tests: every field is one the fixture has (the
    captured types differ from the documented ones in places: external_id as text, exchange_rate as "")."""
    answer = json.loads((SPECS / name).read_text())
    assert CONTRACT.answer_problems("getInvoices", {}, answer, complete=False, types=False) == []
    invoice = bl.Invoice.from_json(answer["invoices"][0])
    if name.endswith("_1.json"):
        assert (invoice.invoice_id, invoice.order_id, invoice.series_id) == (1818929, 10905553, 44517)
        assert (invoice.type, invoice.number, invoice.date_add) == ("normal", "2/9/2021", 1632140552)
        assert invoice.raw["external_id"] == "1818929"
    else:
        assert (invoice.invoice_id, invoice.number, invoice.raw["exchange_rate"]) == (1850244, "3/9/2021", 4.5789)
    assert invoice.external_invoice_number == ""


def test_the_peer_answers_every_published_field_and_only_those(peer):
    peer.add_order(61, date_confirmed=1000, products=[{"name": "Lamp", "sku": "L-1", "price_brutto": 12.3,
                                                       "quantity": 2}])
    invoice_id = peer.add_invoice(61)
    client = client_for(peer)
    client.get_order_status_list()
    [order] = list(client.iter_orders(0))
    assert set(order.raw) == {k for k, f in CONTRACT.fields("getOrders")["orders"]["items"].items()
                              if not f.get("when")}
    [invoice] = client.get_invoices(order_id=61)
    assert set(invoice.raw) == {k for k, f in CONTRACT.fields("getInvoices")["invoices"]["items"].items()
                                if not f.get("when")}
    assert invoice.raw["items"][0]["order_product_id"] == order.raw["products"][0]["order_product_id"]
    answer = client.call("getInvoices", invoice_id=invoice_id, get_government_data=True)
    assert {"gov_id", "gov_date", "gov_status"} <= set(answer["invoices"][0])
    # the checks ran on every call above (the fixture asserts none failed)
    assert peer.calls["getInvoices"] == 2


def test_invoices_listed_page_by_page_with_or_without_those_uploaded(peer):
    for n in range(250):
        peer.add_order(30_000 + n, date_confirmed=1000)
        peer.add_invoice(30_000 + n)
    for invoice_id in (9001, 9150, 9250):  # three already carry an ERP's file
        peer.attach_file(invoice_id, PDF, f"ERP-{invoice_id}")
    client = client_for(peer)
    everything = list(client.iter_invoices(0))
    assert [i.invoice_id for i in everything] == list(range(9001, 9251))
    calls = [json.loads(r.form()["parameters"]) for r in peer.requests]
    assert len(calls) == 3
    assert calls[0] == {"date_from": 0, "get_external_invoices": True}
    assert calls[1]["id_from"] == 9100 and calls[2]["id_from"] == 9199  # the page's highest id: no gap either way
    pending = list(client.iter_invoices(0, get_external_invoices=False))
    assert len(pending) == 247 and {9001, 9150, 9250}.isdisjoint(i.invoice_id for i in pending)
    assert everything[0].external_invoice_number == "ERP-9001"
    assert not client.warnings


def test_invoices_paging_holds_when_id_from_is_exclusive(peer):
    """The documentation does not say whether id_from includes that id: paging from the highest id of a page
    loses nothing either way."""
    for n in range(230):
        peer.add_order(40_000 + n, date_confirmed=1000)
        peer.add_invoice(40_000 + n)
    real = peer._m_getInvoices

    def exclusive(params):
        if "id_from" in params:
            params = dict(params, id_from=params["id_from"] + 1)
        return real(params)

    peer._m_getInvoices = exclusive
    assert [i.invoice_id for i in client_for(peer).iter_invoices(0)] == list(range(9001, 9231))


def test_invoice_listing_stops_on_a_repeated_page_and_at_the_cap():
    with BaseLinkerPeer(page_size=2, contract=CONTRACT) as peer:
        for n in range(7):
            peer.add_order(n + 1, date_confirmed=1000)
            peer.add_invoice(n + 1)
        client = client_for(peer)
        assert len(list(client.iter_invoices(0, page_size=2, max_pages=2))) == 3
        assert client.warnings == ["BaseLinker: the invoice list stopped at the cap of 2 pages (3 invoices); "
                                   "invoices after id 9003 were not read."]
        peer._m_getInvoices = lambda params: peer._ok(invoices=[dict(peer.invoices[9001]), dict(peer.invoices[9002])])
        again = client_for(peer)
        assert len(list(again.iter_invoices(0, page_size=2))) == 2
        assert again.warnings == ["BaseLinker answered getInvoices page 2 with invoices already read: stopped "
                                  "reading there."]
        assert peer.contract_problems == []


def test_an_external_number_over_30_characters_is_refused_never_shortened(peer):
    peer.add_order(70, date_confirmed=1000)
    invoice_id = peer.add_invoice(70)
    client = client_for(peer)
    with pytest.raises(bl.BaseLinkerError) as err:
        client.add_order_invoice_file(invoice_id, PDF, "INV/2026/MARKETPLACE-AMAZON/0001")  # 32 characters
    assert err.value.code == "ERROR_EXTERNAL_NUMBER" and "at most 30" in str(err.value)
    with pytest.raises(bl.BaseLinkerError, match="no number"):
        client.add_order_invoice_file(invoice_id, PDF, "  ")
    assert peer.calls["addOrderInvoiceFile"] == 0, "nothing was sent"
    client.add_order_invoice_file(invoice_id, PDF, "INV/2026/MARKETPLACE-AMAZON/01")  # 30: fine
    assert peer.invoices[invoice_id]["external_invoice_number"] == "INV/2026/MARKETPLACE-AMAZON/01"


def test_the_uploaded_file_is_the_invoice_file_and_an_uploaded_invoice_leaves_the_pending_list(peer):
    peer.add_order(80, date_confirmed=1000)
    invoice_id = peer.add_invoice(80)
    client = client_for(peer)
    assert [i.invoice_id for i in client.get_invoices(order_id=80, get_external_invoices=False)] == [invoice_id]
    own, number = client.get_invoice_file(invoice_id)
    assert own.startswith(b"%PDF") and number == peer.invoices[invoice_id]["number"]
    client.add_order_invoice_file(invoice_id, PDF, "INV/2026/00080")
    assert client.get_invoices(order_id=80, get_external_invoices=False) == []
    [invoice] = client.get_invoices(invoice_id=invoice_id)
    assert invoice.external_invoice_number == "INV/2026/00080"
    assert client.get_invoice_file(invoice_id) == (PDF, "INV/2026/00080")
    assert client.get_invoice_file(invoice_id, get_external=False)[1] == invoice.number
    with pytest.raises(ValueError):
        client.get_invoices()


# ---------------------------------------------------------------------------- planning a batch of uploads
def _seed_cases(peer):
    for order_id in (1, 2, 3, 4, 5, 6):
        peer.add_order(order_id, date_confirmed=5000)
    pending = peer.add_invoice(1)  # BaseLinker issued it, no file yet
    ours = peer.add_invoice(2)
    peer.attach_file(ours, PDF, "INV/2")  # our file is there already (a run that died after the upload)
    theirs = peer.add_invoice(3)
    peer.attach_file(theirs, PDF, "ERP/3")  # another system's
    correcting = peer.add_invoice(5, type="correcting")
    shared = peer.add_invoice(6)
    return pending, ours, theirs, correcting, shared


def test_a_batch_is_planned_from_listings_not_per_order(peer):
    pending, ours, theirs, correcting, shared = _seed_cases(peer)
    client = client_for(peer)
    wanted = [(1, "normal", "INV/1"), (2, "normal", "INV/2"), (3, "normal", "INV/3"), (4, "normal", "INV/4"),
              (5, "correcting", "RINV/5"), (5, "normal", "INV/5"), (6, "normal", "INV/6a"), (6, "normal", "INV/6b")]
    plans = bl.plan_uploads(client, wanted, since=0)
    assert [(p.action, p.invoice_id) for p in plans] == [
        (bl.UPLOAD, pending), (bl.PRESENT, ours), (bl.CONFLICT, theirs), (bl.CREATE, 0), (bl.UPLOAD, correcting),
        (bl.CREATE, 0), (bl.UPLOAD, shared), (bl.CHECK, shared)]
    assert plans[2].other == "ERP/3" and plans[2].number == peer.invoices[theirs]["number"]
    listings = [json.loads(r.form()["parameters"]) for r in peer.requests]
    assert listings == [{"date_from": 0, "get_external_invoices": False},
                        {"date_from": 0, "get_external_invoices": True}]
    assert bl.Plan.from_json(plans[0].to_json()) == plans[0]
    assert bl.Plan.from_json({}).action == bl.CHECK  # an upload queued before plans existed looks first


def test_when_every_order_has_an_invoice_without_file_one_listing_is_all(peer):
    for n in range(150):
        peer.add_order(2000 + n, date_confirmed=5000)
        peer.add_invoice(2000 + n)
    client = client_for(peer)
    plans = bl.plan_uploads(client, [(2000 + n, "normal", f"INV/{n}") for n in range(150)], since=0)
    assert {p.action for p in plans} == {bl.UPLOAD}
    assert len({p.invoice_id for p in plans}) == 150
    assert peer.calls == {"getInvoices": 2}  # two pages of the invoices without file, nothing per order
    assert bl.plan_uploads(client, [], since=0) == [] and peer.calls["getInvoices"] == 2


def test_look_tells_the_state_of_one_document_now(peer):
    pending, ours, theirs, correcting, _shared = _seed_cases(peer)
    client = client_for(peer)
    assert bl.look(client, 1, "normal", "INV/1") == bl.Plan(bl.UPLOAD, pending, peer.invoices[pending]["number"])
    assert bl.look(client, 2, "normal", "INV/2").action == bl.PRESENT
    conflict = bl.look(client, 3, "normal", "INV/3")
    assert (conflict.action, conflict.other) == (bl.CONFLICT, "ERP/3")
    assert bl.look(client, 4, "normal", "INV/4") == bl.Plan(bl.CREATE)
    assert bl.look(client, 5, "correcting", "RINV/5").invoice_id == correcting
    assert bl.look(client, 5, "normal", "INV/5").action == bl.CREATE
    peer.requests.clear()
    bl.look(client, 4, "normal", "INV/4")
    assert len(peer.requests) == 1, "no invoice: one call"


# ---------------------------------------------------------------------------- the request budget, as BaseLinker counts
def test_the_http_client_settles_a_budget_after_each_attempt(peer):
    """A budget with ``settle()`` hears when each call it let through is over: after the peer received it, and
    also when it failed (BaseLinker counts a call when it arrives, so the budget counts it until then)."""
    events = []

    class Budget:
        def acquire(self):
            events.append(("acquire", len(peer.requests)))
            return 0.0

        def settle(self):
            events.append(("settle", len(peer.requests)))

    http = HttpClient(base_url=peer.url, retries=1, budget=Budget(), sleep=lambda s: None)
    client = bl.BaseLinkerClient(http, peer.token, path="/connector.php")
    client.get_order_status_list()
    assert events == [("acquire", 0), ("settle", 1)]
    events.clear()
    peer.requests.clear()
    peer.script(Response.text("busy", status=503))
    client.get_order_status_list()  # one 503, retried
    assert events == [("acquire", 0), ("settle", 1), ("acquire", 1), ("settle", 2)]
    events.clear()
    gone = HttpClient(base_url="http://127.0.0.1:9", retries=0, budget=Budget(), sleep=lambda s: None)
    from odoo.addons.b2b_connector_base.lib.http import TransportError
    with pytest.raises(TransportError):
        gone.post("/connector.php", data={"method": "getOrders"}, idempotent=True)
    assert [e for e, _n in events] == ["acquire", "settle"]
