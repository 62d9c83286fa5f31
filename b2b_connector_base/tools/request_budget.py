import logging
import time
import zlib

from ..lib.ratelimit import Budget

_logger = logging.getLogger(__name__)


class DbRequestBudget(Budget):
    """A strict sliding-window request budget shared by every Odoo process (workers, job runner).

    Calls are recorded in ``b2b_rate_event`` from an autonomous cursor under a PostgreSQL advisory
    lock, so ``max_calls`` per ``period`` holds across processes; waiting happens outside the lock.
    """

    def __init__(self, registry, key, max_calls, period, sleep=time.sleep, max_wait=None):
        self.registry = registry
        self.key = key
        self.max_calls = int(max_calls)
        self.period = float(period)
        self.sleep = sleep
        self.max_wait = max_wait
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
                    "INSERT INTO b2b_rate_event (key, ts) VALUES (%s, clock_timestamp() AT TIME ZONE 'UTC')",
                    [self.key],
                )
                return 0.0
            return max(float(wait or 0), 0.01)

    def acquire(self, block=True, max_wait=None):
        return super().acquire(block, self.max_wait if max_wait is None else max_wait)

    def _on_wait(self, wait):
        _logger.info("request budget %s: %s calls per %ss used, waiting %.1fs", self.key,
                     self.max_calls, self.period, wait)
