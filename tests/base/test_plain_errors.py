"""Failed HTTP calls in plain words: each TransportError kind, as HttpClient raises it against a peer."""

import socket

import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient, TransportError
from odoo.addons.b2b_connector_base.lib.plain_errors import describe_transport_error, host_of, peer_reason
from odoo.addons.b2b_sandbox.peers.server import Response, ScriptedPeer

HTML_404 = ("<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
            "<p>The requested URL was not found on this server.</p><hr><address>Apache/2.4.57</address></body></html>")


@pytest.fixture
def peer():
    with ScriptedPeer() as p:
        yield p


def fail(url, retries=0, **kw):
    client = HttpClient(url, timeout=(1, 1), retries=retries, sleep=lambda s: None, jitter=0, **kw)
    with pytest.raises(TransportError) as info:
        client.get("/api/orders")
    return info.value


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_names_the_peer_the_host_and_the_attempts():
    port = free_port()
    exc = fail(f"http://127.0.0.1:{port}", retries=3)
    assert "Connection refused" in str(exc) and exc.attempts == 4  # what the network stack said
    message = describe_transport_error(exc, peer="Rexel")
    assert message.startswith(f"Connection failed: the server of Rexel at 127.0.0.1:{port} did not answer "
                              "(4 attempts).")
    assert "Errno" not in message and "Connection refused" not in message
    assert describe_transport_error(exc).startswith(f"Connection failed: the server at 127.0.0.1:{port} ")


def test_unknown_host_says_the_address_does_not_exist():
    exc = TransportError("cannot connect to https://edi.nowhere.invalid/ws: Failed to resolve 'edi.nowhere.invalid' "
                         "([Errno -2] Name or service not known)", kind="connection",
                         url="https://edi.nowhere.invalid/ws")
    assert describe_transport_error(exc, peer="Solar") == (
        "Connection failed: the address edi.nowhere.invalid does not exist (check the URL).")


def test_timeout(peer):
    peer.script(Response(200, b"late", delay=1.5), Response(200, b"late", delay=1.5))
    exc = fail(peer.url, retries=1)
    assert exc.kind == "timeout"
    message = describe_transport_error(exc, peer="Technische Unie")
    assert message.startswith(f"Timeout: the server of Technische Unie at {host_of(peer.url)} did not answer in "
                              "time (2 attempts).")


def test_tls_handshake_with_a_plain_http_server(peer):
    exc = fail(peer.url.replace("http://", "https://"))
    assert exc.kind == "tls"
    assert describe_transport_error(exc) == (
        f"TLS/SSL error: the server at {host_of(peer.url)} could not be reached securely: the secure connection "
        "could not be set up.")


@pytest.mark.parametrize("detail, cause", [
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate", "is not trusted"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired", "has expired"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid "
     "for 'shop.example.com'", "not made out for this address"),
])
def test_tls_certificate_problems(detail, cause):
    exc = TransportError(f"TLS/SSL error: {detail}", kind="tls", url="https://shop.example.com/wp-json")
    message = describe_transport_error(exc, peer="My Shop")
    assert message.startswith("TLS/SSL error: the server of My Shop at shop.example.com could not be reached "
                              "securely: its certificate ")
    assert cause in message


def test_404_html_page_is_not_shown(peer):
    peer.script(Response.text(HTML_404, 404, content_type="text/html"))
    exc = fail(peer.url)
    assert exc.kind == "not_found" and "<html>" in exc.body
    message = describe_transport_error(exc, peer="Rexel")
    assert message == f"Not found: check the URL (the server of Rexel at {host_of(peer.url)} answered HTTP 404)."


@pytest.mark.parametrize("status, start", [
    (401, "Authentication refused: the server of My Shop at {host} did not accept the credentials (HTTP 401); "
          "check the user name, password or key."),
    (403, "Authentication refused: the server of My Shop at {host} does not allow this account to do this "
          "(HTTP 403); check the credentials and their permissions."),
])
def test_auth_refusals_with_the_peers_reason(peer, status, start):
    peer.script(Response.json({"code": "woocommerce_rest_cannot_view", "message": "Sorry, you cannot list resources."},
                              status))
    exc = fail(peer.url)
    assert exc.kind == "auth"
    message = describe_transport_error(exc, peer="My Shop")
    assert message == start.format(host=host_of(peer.url)) + " It said: Sorry, you cannot list resources."


def test_auth_refusal_as_html_page_says_nothing_of_the_page(peer):
    peer.script(Response.text("<html><body><h1>401 Authorization Required</h1></body></html>", 401,
                              content_type="text/html"))
    message = describe_transport_error(fail(peer.url))
    assert "<" not in message and "It said" not in message


def test_rate_limited_with_and_without_retry_after(peer):
    peer.script(Response.text("slow down", 429, headers={"Retry-After": "3600"}))
    exc = fail(peer.url, retries=2)
    assert describe_transport_error(exc, peer="BaseLinker") == (
        f"Rate limit reached: the server of BaseLinker at {host_of(peer.url)} asks to wait 3600 s before the "
        "next call (HTTP 429).")
    peer.script(*[Response.text("slow down", 429)] * 3)
    exc = fail(peer.url, retries=2)
    assert describe_transport_error(exc, peer="BaseLinker") == (
        f"Rate limit reached: the server of BaseLinker at {host_of(peer.url)} received too many calls (HTTP 429) "
        "(3 attempts).")


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors(peer, status):
    peer.script(*[Response.text("<html><body>Bad Gateway</body></html>", status, content_type="text/html")] * 2)
    exc = fail(peer.url, retries=1)
    assert exc.kind == "server"
    assert describe_transport_error(exc, peer="Rexel") == (
        f"Remote server error: the server of Rexel at {host_of(peer.url)} had a problem of its own (HTTP {status}) "
        "(2 attempts): the fault is on its side.")


def test_other_refusal_keeps_a_short_reason(peer):
    peer.script(Response.json({"errors": [{"message": "Title can't be blank"}]}, 422))
    exc = fail(peer.url)
    assert describe_transport_error(exc) == (
        f"HTTP error: the server at {host_of(peer.url)} refused the request (HTTP 422). It said: Title can't be blank")


def test_no_status_keeps_the_message():
    exc = TransportError("MessageService is called by POST only", kind="http", url="https://x.example/ws")
    assert describe_transport_error(exc) == "HTTP error: MessageService is called by POST only"


def test_translation_hook_gets_every_sentence():
    dutch = {
        "the server of %(peer)s at %(host)s": "de server van %(peer)s op %(host)s",
        " (%(count)s attempts)": " (%(count)s pogingen)",
        "Connection failed: %(server)s did not answer%(tries)s. It may be down, or the address or port may be "
        "wrong.": "Verbinding mislukt: %(server)s antwoordde niet%(tries)s.",
    }

    def gettext(source, **params):
        return dutch[source] % params

    exc = TransportError("x", kind="connection", url="http://peer.example:8080/a", attempts=2)
    assert describe_transport_error(exc, peer="Rexel", gettext=gettext) == (
        "Verbinding mislukt: de server van Rexel op peer.example:8080 antwoordde niet (2 pogingen).")


def test_helpers():
    assert host_of("https://user:secret@shop.example.com:8443/x?key=1") == "shop.example.com:8443"
    assert host_of("") == "" and host_of(None) == ""
    assert peer_reason(HTML_404) == ""
    assert peer_reason("<soap:Envelope/>") == ""
    assert peer_reason('{"error": {"message": "Invalid token"}}') == "Invalid token"
    assert peer_reason("x" * 500) == ""
