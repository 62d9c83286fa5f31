"""Shared-library figures: safe XML parse throughput, request-budget pacing on a simulated clock."""

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import conftest  # noqa: E402,F401  (maps odoo.addons.<addon> onto the addon folders, without Odoo)
from _report import report  # noqa: E402

from odoo.addons.b2b_connector_base.lib.ratelimit import SlidingWindowBudget  # noqa: E402
from odoo.addons.b2b_connector_base.lib.safe_xml import parse_xml  # noqa: E402

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "specs"


def bench_parse():
    data = (FIXTURES / "insbou" / "Order.xml").read_bytes()
    n = 5000
    start = time.perf_counter()
    for _ in range(n):
        parse_xml(data)
    elapsed = time.perf_counter() - start
    print(f"safe_xml.parse_xml  {len(data)} bytes  {n / elapsed:,.0f} documents/s")
    report("base_xml_parse_per_s", n / elapsed)


def bench_budget():
    clock = [0.0]
    budget = SlidingWindowBudget(100, 60, clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    for _ in range(1000):
        budget.acquire()
    print(f"SlidingWindowBudget 100/min: 1000 calls take {clock[0] / 60:.1f} simulated minutes "
          f"({1000 / (clock[0] / 60):.1f} calls/min)")
    report("base_budget_calls_per_min", 1000 / (clock[0] / 60))


if __name__ == "__main__":
    bench_parse()
    bench_budget()
