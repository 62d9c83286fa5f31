import socket
import time

import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError, parse_retry_after
from odoo.addons.b2b_connector_base.lib.ratelimit import SlidingWindowBudget
from odoo.addons.b2b_sandbox.peers.server import Response, ScriptedPeer


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def peer():
    with ScriptedPeer() as p:
        yield p


def client(peer, **kw):
    calls = []
    kw.setdefault("sleep", Sleeps())
    kw.setdefault("jitter", 0)
    c = HttpClient(peer.url, timeout=(2, 2), on_call=calls.append, **kw)
    return c, calls


def test_fails_then_succeeds_with_exponential_backoff(peer):
    peer.script(Response.text("down", 503), Response.text("still down", 502))
    c, calls = client(peer, retries=3, backoff=0.5)
    r = c.get("/orders")
    assert r.status_code == 200 and r.text == "ok"
    assert [x.status for x in calls] == [503, 502, 200]
    assert [x.attempt for x in calls] == [1, 2, 3]
    assert [x.kind for x in calls] == ["server", "server", "ok"]
    assert c.sleep == [0.5, 1.0]
    assert len(peer.requests) == 3


def test_retry_after_seconds_is_honoured(peer):
    peer.script(Response.text("slow down", 429, headers={"Retry-After": "7"}))
    c, calls = client(peer, retries=2)
    assert c.get("/x").status_code == 200
    assert c.sleep == [7.0]
    assert calls[0].kind == "rate_limited"


def test_retry_after_http_date():
    now = 1_700_000_000
    header = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 30))
    assert parse_retry_after(header, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after("12") == 12
    assert parse_retry_after("garbage") is None


def test_retry_after_too_long_gives_up(peer):
    peer.script(Response.text("maintenance", 503, headers={"Retry-After": "3600"}))
    c, _ = client(peer, retries=3, max_retry_after=60)
    with pytest.raises(TransportError) as err:
        c.get("/x")
    assert "3600" in str(err.value) and err.value.status == 503
    assert c.sleep == []


@pytest.mark.parametrize("status", [429, 503])
def test_long_retry_after_is_carried_on_the_error(peer, status):
    # the client does not sleep 10 minutes in a worker: it gives up at once and says when to come back,
    # so the exchange's automatic retry is planned after it
    peer.script(Response.text("come back later", status, headers={"Retry-After": "600"}))
    c, calls = client(peer, retries=3)
    with pytest.raises(TransportError) as err:
        c.post("/orders", data="x")
    assert err.value.retry_after == 600.0 and err.value.retryable
    assert err.value.kind == ("rate_limited" if status == 429 else "server")
    assert c.sleep == [] and len(calls) == 1


def test_retry_after_of_the_last_answer_is_carried(peer):
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 900))
    peer.script(Response.text("busy", 503, headers={"Retry-After": "5"}),
                Response.text("busy", 503, headers={"Retry-After": when}))
    c, _ = client(peer, retries=1)
    with pytest.raises(TransportError) as err:
        c.get("/x")
    assert c.sleep == [5.0]
    assert err.value.retry_after == pytest.approx(900, abs=5)


def test_gives_up_after_retries_with_clear_error(peer):
    peer.script(*[Response.text("boom", 500)] * 5)
    c, calls = client(peer, retries=2)
    with pytest.raises(TransportError) as err:
        c.get("/x")
    assert err.value.kind == "server" and err.value.status == 500
    assert "after 3 attempts" in str(err.value) and "boom" in str(err.value)
    assert len(calls) == 3


def test_auth_errors_are_not_retried(peer):
    peer.script(Response.text("bad token", 401))
    c, calls = client(peer, retries=3)
    with pytest.raises(TransportError) as err:
        c.get("/x")
    assert err.value.kind == "auth"
    assert len(calls) == 1


def test_post_is_not_retried_on_500_but_on_503(peer):
    peer.script(Response.text("crash", 500))
    c, _ = client(peer, retries=3)
    with pytest.raises(TransportError):
        c.post("/orders", data=b"<Order/>")
    assert len(peer.requests) == 1
    peer.reset()
    peer.script(Response.text("busy", 503))
    assert c.post("/orders", data=b"<Order/>").status_code == 200
    assert len(peer.requests) == 2
    peer.reset()
    peer.script(Response.text("crash", 500))
    assert c.post("/orders", data=b"x", idempotent=True).status_code == 200


def test_read_timeout_then_success(peer):
    peer.script(Response(delay=1.5, body=b"late"))
    c = HttpClient(peer.url, timeout=(1, 0.5), retries=1, sleep=Sleeps(), jitter=0)
    calls = []
    c.on_call = calls.append
    assert c.get("/x").text == "ok"
    assert calls[0].kind == "timeout" and "0.5" in calls[0].error


def test_connection_refused_is_clear():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = HttpClient(f"http://127.0.0.1:{port}", retries=1, sleep=Sleeps(), jitter=0)
    with pytest.raises(TransportError) as err:
        c.post("/x", data=b"1")  # refused connections never reached the peer: safe to retry a POST
    assert err.value.kind == "connection"
    assert c.sleep == [0.5]


def test_secrets_are_masked_in_records_and_errors(peer):
    peer.script(Response.text("token s3cr3t-T0KEN is blocked", 403))
    calls = []
    c = HttpClient(peer.url, headers={"X-BLToken": "s3cr3t-T0KEN"}, secrets=["s3cr3t-T0KEN"],
                   on_call=calls.append, retries=0)
    with pytest.raises(TransportError) as err:
        c.post("/connector.php?token=s3cr3t-T0KEN", data={"method": "getOrders", "token": "s3cr3t-T0KEN"})
    rec = calls[0]
    blob = repr(rec) + str(err.value)
    assert "s3cr3t-T0KEN" not in blob
    assert rec.request_headers["X-BLToken"] == "***"
    # the peer did receive the real token
    assert peer.requests[0].header("X-BLToken") == "s3cr3t-T0KEN"


def test_budget_is_taken_for_every_attempt(peer):
    clock = [0.0]
    waits = []

    def sleep(s):
        waits.append(s)
        clock[0] += s

    budget = SlidingWindowBudget(2, 60, clock=lambda: clock[0], sleep=sleep)
    peer.script(Response.text("busy", 503))
    c = HttpClient(peer.url, budget=budget, retries=1, sleep=lambda s: None, jitter=0)
    c.get("/a")  # two attempts: the whole budget
    assert waits == []
    c.get("/b")  # third call in the window must wait for the window to slide
    assert waits == [60.0]


def test_binary_bodies_are_summarised_in_the_call_log(peer):
    records = []
    client = HttpClient(base_url=peer.url, retries=0, on_call=records.append)
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 4
    client.post("/upload", data=pdf)
    client.post("/form", data=b"a=1&b=\x00x")
    assert records[0].request_body == f"<{len(pdf)} bytes of binary data>"
    assert "\x00" not in records[1].request_body  # PostgreSQL text refuses NUL characters
