"""The HTTP client every b2b-connect addon uses to talk to remote peers.

* one ``requests.Session`` per client (connection reuse), connect and read timeouts on every call;
* retries with exponential backoff on timeouts, connection errors and 429/5xx answers; a peer's
  ``Retry-After`` is honoured (seconds or HTTP date); non-idempotent calls (POST...) are only retried
  when the request provably did not reach the peer, unless the caller declares them idempotent;
* a request budget (see :mod:`.ratelimit`) taken before every attempt, so a backend never exceeds
  its peer's limit, retries included;
* every attempt reported to ``on_call`` as a :class:`CallRecord` with secrets masked, which the Odoo
  side stores on the exchange log;
* failures raised as :class:`TransportError` with a ``kind`` (auth, timeout, tls, connection, server,
  rate_limited, not_found, http) and a message safe to show to users.
"""

import email.utils
import logging
import random
import time
from dataclasses import dataclass, field

import requests

from .masking import mask_headers, mask_text, mask_url, truncate

_logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class CallRecord:
    method: str
    url: str
    attempt: int
    status: int = None
    duration: float = 0.0
    kind: str = "ok"
    error: str = None
    request_headers: dict = field(default_factory=dict)
    request_body: str = None
    response_body: str = None
    waited: float = 0.0  # seconds spent waiting for the request budget before this attempt


class TransportError(Exception):
    """A call failed for good. ``kind`` names the cause; ``status`` and ``body`` when the peer answered."""

    def __init__(self, message, kind="http", status=None, body=None, url=None, retry_after=None, attempts=1):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.body = body
        self.url = url
        self.retry_after = retry_after
        self.attempts = attempts  # how many times the call was sent before giving up

    @property
    def retryable(self):
        return self.kind in ("timeout", "connection", "server", "rate_limited")


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def _body_text(body, secrets, limit=20000):
    if body is None:
        return None
    if isinstance(body, dict):
        body = "&".join(f"{k}={v}" for k, v in body.items())
    if isinstance(body, bytes):
        if body.startswith(b"%PDF") or b"\x00" in body[:4096]:
            return f"<{len(body)} bytes of binary data>"  # a PDF, an image: not text for the call log
        body = body.decode("utf-8", "replace")
    # PostgreSQL text cannot hold NUL characters
    return truncate(mask_text(str(body), secrets), limit).replace("\x00", "")


class HttpClient:
    def __init__(
        self,
        base_url="",
        timeout=(5.0, 30.0),
        retries=3,
        backoff=0.5,
        max_backoff=30.0,
        max_retry_after=120.0,
        retry_statuses=RETRY_STATUSES,
        budget=None,
        on_call=None,
        headers=None,
        auth=None,
        secrets=(),
        verify=True,
        session=None,
        sleep=time.sleep,
        jitter=0.1,
        user_agent="b2b-connect/19.0",
        log_bodies=True,
    ):
        self.base_url = base_url.rstrip("/") if base_url else ""
        self.timeout = timeout if isinstance(timeout, tuple) else (min(float(timeout), 10.0), float(timeout))
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.max_retry_after = float(max_retry_after)
        self.retry_statuses = tuple(retry_statuses)
        self.budget = budget
        self.on_call = on_call
        self.secrets = tuple(s for s in secrets if s)
        self.verify = verify
        self.sleep = sleep
        self.jitter = jitter
        self.log_bodies = log_bodies
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        if headers:
            self.session.headers.update(headers)
        if auth:
            self.session.auth = auth

    # ------------------------------------------------------------------ helpers
    def url(self, path):
        if path.startswith(("http://", "https://")) or not self.base_url:
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _safe(self, text):
        return mask_text(text, self.secrets)

    def _backoff(self, attempt):
        delay = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        if self.jitter:
            delay *= 1 + random.uniform(0, self.jitter)
        return delay

    def _settle(self):
        """Tell a budget that counts each call until its answer (``settle()``) that the call just sent is over."""
        settle = getattr(self.budget, "settle", None)
        if settle is not None:
            settle()

    def _report(self, record):
        _logger.debug(
            "%s %s -> %s (%s, %.3fs, attempt %s)",
            record.method, record.url, record.status, record.kind, record.duration, record.attempt,
        )
        if self.on_call:
            try:
                self.on_call(record)
            except Exception:  # a broken logger must never break the call itself
                _logger.exception("could not record an HTTP call")

    # ------------------------------------------------------------------ the call
    def request(self, method, path, *, params=None, data=None, json=None, headers=None, files=None,
                idempotent=None, expected=None, timeout=None):
        """Send a request; return the ``requests.Response`` of a 2xx answer (or of a status in
        ``expected``), else raise :class:`TransportError` after the allowed retries."""
        method = method.upper()
        url = self.url(path)
        idempotent = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        attempts = self.retries + 1
        last_error = None
        for attempt in range(1, attempts + 1):
            waited = self.budget.acquire() if self.budget is not None else 0.0
            prepared = self.session.prepare_request(requests.Request(
                method, url, params=params, data=data, json=json, headers=headers, files=files,
            ))
            record = CallRecord(
                method=method,
                url=mask_url(self._safe(prepared.url)),
                attempt=attempt,
                request_headers=mask_headers(dict(prepared.headers)),
                request_body=_body_text(prepared.body, self.secrets) if self.log_bodies and not files else None,
                waited=waited,
            )
            start = time.monotonic()
            retry_after = None
            try:
                try:
                    response = self.session.send(prepared, timeout=timeout or self.timeout, verify=self.verify)
                finally:
                    self._settle()
            except requests.exceptions.SSLError as exc:
                record.kind, record.error = "tls", self._safe(f"TLS/SSL error: {exc}")
                can_retry = False
            except requests.exceptions.ConnectTimeout:
                record.kind, record.error = "timeout", f"connection to {record.url} timed out after {self.timeout[0]} s"
                can_retry = True  # the request never left
            except requests.exceptions.ReadTimeout:
                record.kind, record.error = "timeout", f"no answer from {record.url} within {self.timeout[1]} s"
                can_retry = idempotent
            except requests.exceptions.ConnectionError as exc:
                record.kind, record.error = "connection", self._safe(f"cannot connect to {record.url}: {_short(exc)}")
                can_retry = idempotent or _not_sent(exc)
            except requests.exceptions.RequestException as exc:
                record.kind, record.error = "http", self._safe(f"request to {record.url} failed: {exc}")
                can_retry = False
            else:
                record.status = response.status_code
                if self.log_bodies:
                    record.response_body = _body_text(response.content, self.secrets)
                ok = 200 <= response.status_code < 300 or (expected and response.status_code in expected)
                if ok:
                    record.duration = time.monotonic() - start
                    self._report(record)
                    return response
                record.kind = _status_kind(response.status_code)
                reason = _short_body(response)
                record.error = self._safe(
                    f"{record.url} answered HTTP {response.status_code} {response.reason or ''}".rstrip()
                    + (f": {reason}" if reason else "")
                )
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                # 429 and 503 mean "not processed, come back later": safe to retry any method
                can_retry = response.status_code in self.retry_statuses and (
                    idempotent or response.status_code in (429, 503)
                )
            record.duration = time.monotonic() - start
            self._report(record)
            last_error = TransportError(
                record.error, kind=record.kind, status=record.status,
                body=record.response_body, url=record.url, retry_after=retry_after,
            )
            if not can_retry or attempt == attempts:
                break
            if retry_after is not None and retry_after > self.max_retry_after:
                last_error.args = (f"{record.error} (peer asks to retry after {retry_after:.0f} s)",)
                break
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            _logger.info("%s %s failed (%s); retry %s/%s in %.1f s", method, record.url, record.kind,
                         attempt, self.retries, delay)
            self.sleep(delay)
        last_error.attempts = attempt
        if attempts > 1 and last_error is not None and last_error.retryable:
            last_error.args = (f"{last_error.args[0]} (after {attempt} attempt{'s' if attempt > 1 else ''})",)
        raise last_error

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def close(self):
        self.session.close()


def _status_kind(status):
    if status in (401, 403):
        return "auth"
    if status == 404:
        return "not_found"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server"
    return "http"


def _short(exc):
    text = str(exc)
    for marker in ("Failed to establish a new connection: ", "NewConnectionError("):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.split("'))")[0].strip("(')\" ")[:300]


def _not_sent(exc):
    text = str(exc)
    return any(m in text for m in ("Failed to establish a new connection", "Connection refused",
                                   "Name or service not known", "nodename nor servname"))


def _short_body(response, limit=300):
    try:
        text = response.text.strip()
    except Exception:
        return ""
    return " ".join(text.split())[:limit]
