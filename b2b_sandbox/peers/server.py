"""A small threaded HTTP server base for every sandbox peer.

Peers subclass :class:`PeerServer` and implement ``handle(request) -> Response``. The server binds
127.0.0.1 on a free port by default, runs in a daemon thread, records every request it received
(``peer.requests``), and can be scripted to misbehave for the next calls (``peer.fail_next``):
HTTP errors with optional Retry-After, slow answers, dropped connections.
"""

import collections
import contextlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    client: tuple = None
    received_at: float = 0.0

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body or b"null")

    def form(self):
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}

    def header(self, name, default=None):
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return default


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (slow peer)
    drop: bool = False  # close the connection without answering

    @classmethod
    def json(cls, data, status=200, headers=None):
        h = {"Content-Type": "application/json; charset=utf-8"}
        h.update(headers or {})
        return cls(status, json.dumps(data).encode(), h)

    @classmethod
    def xml(cls, data, status=200, headers=None, content_type="text/xml; charset=utf-8"):
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return cls(status, data if isinstance(data, bytes) else data.encode(), h)

    @classmethod
    def text(cls, data, status=200, headers=None, content_type="text/plain; charset=utf-8"):
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return cls(status, data.encode(), h)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "b2b-sandbox/1.0"
    disable_nagle_algorithm = True  # headers and body leave as separate writes: no 40 ms delayed-ACK stalls

    def log_message(self, fmt, *args):  # quiet; the peer keeps its own request list
        if self.server.peer.verbose:
            return super().log_message(fmt, *args)
        return None

    def _handle(self):
        peer = self.server.peer
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        req = Request(
            method=self.command,
            path=parts.path,
            query={k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            headers=dict(self.headers.items()),
            body=body,
            client=self.client_address,
            received_at=time.time(),
        )
        with peer.lock:
            peer.requests.append(req)
            scripted = peer.fail_next.popleft() if peer.fail_next else None
        try:
            resp = scripted if scripted is not None else peer.handle(req)
        except Exception as exc:  # a peer bug must show as a 500, not hang the client
            resp = Response.text(f"sandbox peer error: {exc}", status=500)
        if resp.delay:
            time.sleep(resp.delay)
        if resp.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):  # the client may have gone already: dropped either way
                self.connection.shutdown(2)
            return
        self.send_response(resp.status)
        headers = {"Content-Length": str(len(resp.body))}
        headers.update(resp.headers)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # a client that gave up (timeout test) closes the socket under a slow answer: not an error
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


class PeerServer:
    """Base of every sandbox peer. Use as a context manager or call start()/stop()."""

    name = "peer"

    def __init__(self, host="127.0.0.1", port=0, verbose=False):
        self.host = host
        self.port = port
        self.verbose = verbose
        self.requests = []
        self.fail_next = collections.deque()
        self.lock = threading.RLock()
        self._httpd = None
        self._thread = None

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.peer = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"peer-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    # ------------------------------------------------------------------ scripting
    def script(self, *responses):
        """Answer the next requests with these responses (in order), then behave normally again."""
        with self.lock:
            self.fail_next.extend(responses)
        return self

    def reset(self):
        """Forget the requests and the scripted answers, and start again from the peer's initial state."""
        with self.lock:
            self.requests.clear()
            self.fail_next.clear()
            self._init_state()

    def _init_state(self):
        """Hook: (re)build the peer's data; ``reset()`` calls it (and a peer's constructor, usually)."""

    def calls_to(self, method, fragment):
        """The requests received with ``method`` whose path contains ``fragment``."""
        return [r for r in self.requests if r.method == method and fragment in r.path]

    def handle(self, request):  # pragma: no cover - overridden
        return Response.text("not implemented", status=501)


class ScriptedPeer(PeerServer):
    """A peer that answers from a list of responses, then with ``default`` (200 "ok")."""

    name = "scripted"

    def __init__(self, *responses, default=None, **kw):
        super().__init__(**kw)
        self.default = default or Response.text("ok")
        self.script(*responses)

    def handle(self, request):
        return self.default
