"""Request budgets: how many calls a backend may make per period.

``SlidingWindowBudget`` is strict: never more than ``max_calls`` in any window of ``period`` seconds,
which is what a peer that *blocks* a token when over its limit (BaseLinker: 100 requests/minute) needs.
``TokenBucket`` allows a burst of ``capacity`` then ``rate`` calls per second (shops with leaky buckets).

Both take an injectable ``clock`` and ``sleep`` so tests and benchmarks run on a simulated clock.
Both are thread-safe; one instance per backend is shared through :func:`get_budget`.
"""

import collections
import threading
import time


class BudgetExceeded(RuntimeError):
    """Raised by ``acquire(block=False)`` (or when the wait would exceed ``max_wait``)."""

    def __init__(self, wait):
        self.wait = wait
        super().__init__(f"request budget exhausted; next call allowed in {wait:.1f} s")


class Budget:
    """Common waiting loop: subclasses implement ``_reserve()`` (record a call and return 0, or
    return the seconds to wait) and set ``sleep``."""

    sleep = staticmethod(time.sleep)

    def _reserve(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _on_wait(self, wait):
        """Hook called before sleeping (logging)."""

    def acquire(self, block=True, max_wait=None):
        """Take one call from the budget, sleeping until allowed; returns the seconds waited.
        Raises :class:`BudgetExceeded` when ``block`` is False or the wait would pass ``max_wait``."""
        waited = 0.0
        while True:
            wait = self._reserve()
            if wait <= 0:
                return waited
            if not block or (max_wait is not None and waited + wait > max_wait):
                raise BudgetExceeded(wait)
            self._on_wait(wait)
            self.sleep(wait)
            waited += wait


class SlidingWindowBudget(Budget):
    def __init__(self, max_calls, period=60.0, clock=time.monotonic, sleep=time.sleep):
        if max_calls < 1 or period <= 0:
            raise ValueError("a request budget needs max_calls >= 1 and period > 0")
        self.max_calls = int(max_calls)
        self.period = float(period)
        self.clock = clock
        self.sleep = sleep
        self._calls = collections.deque()
        self._lock = threading.Lock()

    def _reserve(self):
        """Record a call now if allowed and return 0, else return the seconds to wait."""
        now = self.clock()
        with self._lock:
            while self._calls and now - self._calls[0] >= self.period:
                self._calls.popleft()
            if len(self._calls) < self.max_calls:
                self._calls.append(now)
                return 0.0
            return self._calls[0] + self.period - now

    def calls_in_window(self):
        now = self.clock()
        with self._lock:
            return sum(1 for t in self._calls if now - t < self.period)


class TokenBucket(Budget):
    def __init__(self, capacity, rate, clock=time.monotonic, sleep=time.sleep):
        if capacity < 1 or rate <= 0:
            raise ValueError("a token bucket needs capacity >= 1 and rate > 0")
        self.capacity = float(capacity)
        self.rate = float(rate)  # tokens per second
        self.clock = clock
        self.sleep = sleep
        self._tokens = float(capacity)
        self._stamp = clock()
        self._lock = threading.Lock()

    def _reserve(self):
        with self._lock:
            now = self.clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate



_registry = {}
_registry_lock = threading.Lock()


def get_budget(key, max_calls, period=60.0, kind="window"):
    """The process-wide budget for ``key`` (e.g. ``"baselinker:3"``), created on first use and
    replaced when its limits change."""
    with _registry_lock:
        budget = _registry.get(key)
        if kind == "window":
            if not isinstance(budget, SlidingWindowBudget) or (budget.max_calls, budget.period) != (max_calls, period):
                budget = _registry[key] = SlidingWindowBudget(max_calls, period)
        else:
            rate = max_calls / period
            if not isinstance(budget, TokenBucket) or (budget.capacity, budget.rate) != (max_calls, rate):
                budget = _registry[key] = TokenBucket(max_calls, rate)
        return budget
