import threading

import pytest

from odoo.addons.b2b_connector_base.lib.ratelimit import (
    BudgetExceeded,
    SlidingWindowBudget,
    TokenBucket,
    get_budget,
)


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.now += s


def test_sliding_window_never_exceeds_limit_in_any_window():
    clk = FakeClock()
    b = SlidingWindowBudget(100, 60, clock=clk, sleep=clk.sleep)
    stamps = []
    for _ in range(1000):
        b.acquire()
        stamps.append(clk.now)
        clk.now += 0.05  # callers would go at 20/s
    # every window of 60 s holds at most 100 calls
    j = 0
    for i, t in enumerate(stamps):
        while stamps[j] <= t - 60:
            j += 1
        assert i - j + 1 <= 100
    # and the budget is used: 1000 calls take about 10 minutes, not more
    assert stamps[-1] - stamps[0] < 10 * 60 + 1


def test_non_blocking_acquire_raises_with_wait():
    clk = FakeClock()
    b = SlidingWindowBudget(1, 10, clock=clk, sleep=clk.sleep)
    b.acquire(block=False)
    with pytest.raises(BudgetExceeded) as err:
        b.acquire(block=False)
    assert err.value.wait == pytest.approx(10)
    with pytest.raises(BudgetExceeded):
        b.acquire(max_wait=5)


def test_token_bucket_burst_then_rate():
    clk = FakeClock()
    b = TokenBucket(capacity=5, rate=1, clock=clk, sleep=clk.sleep)
    start = clk.now
    for _ in range(5):
        assert b.acquire() == 0
    assert clk.now == start
    b.acquire()
    assert clk.now - start == pytest.approx(1)


def test_thread_safety():
    b = SlidingWindowBudget(50, 3600)
    errors = []

    def worker():
        for _ in range(10):
            try:
                b.acquire(block=False)
            except BudgetExceeded:
                errors.append(1)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert b.calls_in_window() == 50
    assert len(errors) == 50


def test_registry_shares_and_replaces():
    a = get_budget("bl:1", 100, 60)
    assert get_budget("bl:1", 100, 60) is a
    assert get_budget("bl:1", 50, 60) is not a
    assert isinstance(get_budget("shop:1", 40, 20, kind="bucket"), TokenBucket)


def test_invalid_arguments():
    with pytest.raises(ValueError):
        SlidingWindowBudget(0, 60)
    with pytest.raises(ValueError):
        TokenBucket(1, 0)
