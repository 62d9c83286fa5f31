"""What the sandbox carriers share: shipments booked per tracking number, labels as small real PDF or ZPL
documents, the recipient data that makes a carrier refuse (documented for the demo and the tests):

* a recipient postcode ``00000`` (or none): the carrier's "invalid address" refusal;
* ``peer.down = True``: the carrier answers "service unavailable" (HTTP 503, as behind a maintenance page);
* wrong credentials: the carrier's authentication refusal;
* ``rate_limit`` requests per ``rate_period`` seconds at most (``lib.ratelimit``'s sliding window): HTTP 429 with a
  Retry-After past that, as the carriers' API gateways answer.
"""

import itertools
import threading
import time

from ..server import PeerServer, Response
from ..shop import RequestLimit

INVALID_ZIP = "00000"


def label_pdf(title, lines):
    """A one-page A6 PDF with ``title`` and ``lines`` of text: a label a PDF reader opens."""
    text = [f"BT /F1 14 Tf 20 260 Td ({_pdf_escape(title)}) Tj ET"]
    for i, line in enumerate(lines):
        text.append(f"BT /F1 9 Tf 20 {235 - 14 * i} Td ({_pdf_escape(line)}) Tj ET")
    stream = "\n".join(text).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def label_zpl(title, lines):
    """The same label as ZPL II (what a thermal printer takes)."""
    fields = [f"^FO30,30^A0N,40,40^FD{title}^FS"]
    fields += [f"^FO30,{90 + 35 * i}^A0N,28,28^FD{line}^FS" for i, line in enumerate(lines)]
    fields.append(f"^FO30,400^BCN,120,Y,N,N^FD{title}^FS")
    return ("^XA\n" + "\n".join(fields) + "\n^XZ\n").encode("ascii", "replace")


def _pdf_escape(text):
    return str(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


class CarrierPeer(PeerServer):
    """Base of the sandbox carriers: credentials, shipments by tracking number, a number sequence."""

    name = "carrier"
    prefix = "SBX"

    def __init__(self, account="sandbox", password="sandbox-secret", api_key="sandbox-key", rate_limit=None,
                 rate_period=60, clock=time.monotonic, **kw):
        super().__init__(**kw)
        self.account = account
        self.password = password
        self.api_key = api_key
        self.rate_limit, self.rate_period, self.clock = rate_limit, rate_period, clock
        self._init_state()

    def _init_state(self):
        self.shipments = {}  # tracking number -> dict(reference, service, status, events, cancelled)
        self.down = False
        self.request_limit = RequestLimit(self.rate_limit, self.rate_period, self.clock)
        self._numbers = itertools.count(1)
        self._numbers_lock = threading.Lock()

    def next_number(self):
        with self._numbers_lock:
            return f"{self.prefix}{next(self._numbers):09d}"

    def record(self, number, **data):
        data.setdefault("events", [("PC1", "Pris en charge / picked up")])
        data.setdefault("cancelled", False)
        with self.lock:
            self.shipments[number] = data
        return data

    def deliver(self, number):
        """Demo and tests: the parcel reaches its recipient (tracking then says delivered)."""
        with self.lock:
            self.shipments[number]["events"].append(("DI1", "Livré / delivered"))

    def gate(self):
        """The answer of a carrier that is down or over its request limit (None: serve the request)."""
        if self.down:
            return Response.text("Service temporarily unavailable", status=503, headers={"Retry-After": "30"})
        wait = self.request_limit.wait()
        if wait is not None:
            return Response.json({"error": "Too many requests"}, status=429, headers={"Retry-After": str(wait)})
        return None

    def label(self, number, fmt, lines):
        return label_zpl(number, lines) if fmt == "ZPL" else label_pdf(number, lines)
