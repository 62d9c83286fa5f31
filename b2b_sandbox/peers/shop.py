"""What the sandbox shops share (and other peers may use): an injectable clock, id sequences, a request limit on
``b2b_connector_base.lib.ratelimit``'s sliding window, readers of requests (HTTP Basic credentials, multipart
forms) and a few writers (money, slugs, pages)."""

import base64
import binascii
import collections
import email.parser
import email.policy
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from odoo.addons.b2b_connector_base.lib.ratelimit import BudgetExceeded, SlidingWindowBudget

from .server import PeerServer

CENT = Decimal("0.01")


class ShopPeer(PeerServer):
    """A sandbox shop: its time comes from ``clock`` (seconds since the epoch), so tests and benchmarks can run
    it on simulated time."""

    def __init__(self, clock=time.time, **kw):
        super().__init__(**kw)
        self.clock = clock

    def utcnow(self):
        """The peer's "now": aware UTC, whole seconds."""
        return datetime.fromtimestamp(self.clock(), timezone.utc).replace(microsecond=0)


class Sequences:
    """Ids as a database's auto-increment columns hand them out: one sequence per kind, from ``start`` (or
    ``starts[kind]``); ``claim`` moves a sequence past an id that was given explicitly."""

    def __init__(self, start=1, **starts):
        self._next = collections.defaultdict(lambda: start, starts)

    def next(self, kind=""):
        value = self._next[kind]
        self._next[kind] = value + 1
        return value

    def peek(self, kind=""):
        """The id ``next(kind)`` will give."""
        return self._next[kind]

    def claim(self, kind, value):
        value = int(value)
        self._next[kind] = max(self._next[kind], value + 1)
        return value


class RequestLimit:
    """At most ``max_calls`` requests in any ``period`` seconds of ``clock``, counted on ``lib.ratelimit``'s
    sliding window as a platform (or the proxy in front of it) counts them; no limit without ``max_calls``."""

    def __init__(self, max_calls, period, clock):
        self.budget = SlidingWindowBudget(max_calls, period, clock=clock) if max_calls else None

    def wait(self):
        """None when one more request may be served now (it is counted), else the whole seconds (at least one)
        until one may: what a ``Retry-After`` header says."""
        if self.budget is None:
            return None
        try:
            self.budget.acquire(block=False)
        except BudgetExceeded as exc:
            return max(1, math.ceil(exc.wait))
        return None


# ---------------------------------------------------------------------------- reading requests
def basic_credentials(request):
    """(user, password) of the request's HTTP Basic ``Authorization`` header; None without one (or unreadable)."""
    header = request.header("Authorization") or ""
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return user, password


@dataclass
class FormPart:
    name: str
    filename: str
    content_type: str
    data: bytes

    @property
    def value(self):
        return self.data.decode("utf-8", "replace")


def form_parts(request):
    """The parts of a ``multipart/form-data`` body, in order (None when the body is not one)."""
    content_type = request.header("Content-Type") or ""
    if "multipart/form-data" not in content_type:
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + request.body)
    return [FormPart(part.get_param("name", header="content-disposition") or "", part.get_filename() or "",
                     part.get_content_type(), part.get_payload(decode=True) or b"")
            for part in message.iter_parts()]


# ---------------------------------------------------------------------------- writing answers
def decimal(value):
    """A Decimal of a number or numeric text ("" and None: 0); ValueError when it is not one."""
    try:
        return Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def money_text(value):
    """An amount with two decimals, as text."""
    return str(decimal(value).quantize(CENT, ROUND_HALF_UP))


def slug(text, default="item"):
    """A URL key: lower case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", str(text or "").lower()).strip("-") or default


def page_of(items, page, size):
    """The ``page``-th (from 1) slice of ``size`` items."""
    return items[(page - 1) * size: page * size]
