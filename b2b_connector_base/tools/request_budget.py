import logging
import time
import zlib

from ..lib.ratelimit import Budget

_logger = logging.getLogger(__name__)


class DbRequestBudget(Budget):
    """A strict sliding-window request budget shared by every Odoo process (workers, job runner).

    Calls are recorded in ``b2b_rate_event`` from an autonomous cursor under a PostgreSQL advisory
    lock, so ``max_calls`` per ``period`` holds across processes; waiting happens outside the lock.

    A call counts from the moment it is reserved, before it is sent. For a peer that counts requests as they
    arrive and blocks beyond its limit, that is not enough: a request that took longer to arrive than the one
    ``max_calls`` later lands in the same window. With ``settles`` the call counts from when its answer came
    (:meth:`settle`, which ``lib.http.HttpClient`` calls after each attempt): the next window can only begin
    after the peer has seen it, whatever the network did.
    """

    def __init__(self, registry, key, max_calls, period, sleep=time.sleep, max_wait=None, settles=False):
        self.registry = registry
        self.key = key
        self.max_calls = int(max_calls)
        self.period = float(period)
        self.sleep = sleep
        self.max_wait = max_wait
        self.settles = settles
        self._reserved = None  # the b2b_rate_event of the call under way (one HttpClient: one call at a time)
        self._lock_id = zlib.crc32(f"b2b.budget:{key}".encode()) - 2**31

    def _reserve(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock_id])
            cr.execute(
                "DELETE FROM b2b_rate_event WHERE key = %s "
                "AND ts < (now() AT TIME ZONE 'UTC') - make_interval(secs => %s)",
                [self.key, self.period],
            )
            cr.execute(
                "SELECT count(*), EXTRACT(EPOCH FROM min(ts) + make_interval(secs => %s) "
                "- clock_timestamp() AT TIME ZONE 'UTC') FROM b2b_rate_event "
                "WHERE key = %s AND ts > clock_timestamp() AT TIME ZONE 'UTC' - make_interval(secs => %s)",
                [self.period, self.key, self.period],
            )
            count, wait = cr.fetchone()
            if count < self.max_calls:
                cr.execute(
                    "INSERT INTO b2b_rate_event (key, ts) VALUES (%s, clock_timestamp() AT TIME ZONE 'UTC') "
                    "RETURNING id",
                    [self.key],
                )
                self._reserved = cr.fetchone()[0]
                return 0.0
            return max(float(wait or 0), 0.01)

    def settle(self):
        """The call reserved last was answered (or failed): with ``settles``, it counts from now on."""
        event, self._reserved = self._reserved, None
        if not self.settles or event is None:
            return
        with self.registry.cursor() as cr:
            cr.execute("UPDATE b2b_rate_event SET ts = clock_timestamp() AT TIME ZONE 'UTC' WHERE id = %s", [event])

    def acquire(self, block=True, max_wait=None):
        return super().acquire(block, self.max_wait if max_wait is None else max_wait)

    def _on_wait(self, wait):
        _logger.info("request budget %s: %s calls per %ss used, waiting %.1fs", self.key,
                     self.max_calls, self.period, wait)
