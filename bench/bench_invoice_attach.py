"""BaseLinker invoice upload pace for 1,000 invoices on a simulated clock.

The protocol client talks over real HTTP to the sandbox BaseLinker peer (which blocks a token over
100 requests/minute); the clock both sides use is simulated, so the script runs in seconds and prints
what an hour of real uploading would look like: uploads per minute, requests per minute, the busiest
60-second window, and how many calls the peer refused because the token was blocked (must be 0 with
the budget, and is not without it).
"""

import collections
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
import conftest  # noqa: E402,F401  (maps odoo.addons.<addon> onto the addon folders, without Odoo)

from odoo.addons.b2b_connector_base.lib.http import HttpClient  # noqa: E402
from odoo.addons.b2b_connector_base.lib.ratelimit import SlidingWindowBudget  # noqa: E402
from odoo.addons.b2b_invoice_attach.protocol import baselinker as bl  # noqa: E402
from odoo.addons.b2b_sandbox.peers.baselinker import BaseLinkerPeer  # noqa: E402

PDF = b"%PDF-1.4\n" + b"0" * 40_000 + b"\n%%EOF\n"  # about the size of an Odoo invoice PDF
N = 1000


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds

    def tick(self, seconds=0.05):  # the time one call takes
        self.now += seconds


def run(with_budget):
    clock = Clock()
    stamps = []
    with BaseLinkerPeer(clock=clock, block_seconds=600) as peer:
        for n in range(N):
            peer.add_order(100_000 + n, date_confirmed=int(clock.now) - 3600 + n)
        budget = SlidingWindowBudget(bl.RATE_LIMIT, bl.RATE_PERIOD, clock=clock, sleep=clock.sleep) if with_budget else None

        class TimedBudget:  # records when each call leaves, and lets the simulated call take time
            def acquire(self):
                waited = budget.acquire() if budget else 0.0
                clock.tick()
                stamps.append(clock.now)
                return waited

        http = HttpClient(base_url=peer.url, retries=0, budget=TimedBudget(), sleep=clock.sleep, log_bodies=False)
        client = bl.BaseLinkerClient(http, peer.token, path="/connector.php")
        wall = time.perf_counter()
        start = clock.now
        uploaded = failed = 0
        orders = list(client.iter_orders(int(clock.now) - 7200))
        for order in orders:
            try:
                if not bl.find_invoice(client.get_invoices(order.order_id)):
                    invoice_id = client.add_invoice(order.order_id, 15)
                client.add_order_invoice_file(invoice_id, PDF, f"INV/{order.order_id}")
                uploaded += 1
            except bl.BaseLinkerError:
                failed += 1
                if failed > 20:
                    break
        minutes = (clock.now - start) / 60
        wall = time.perf_counter() - wall
        busiest = 0
        window = collections.deque()
        for t in stamps:
            window.append(t)
            while t - window[0] >= 60:
                window.popleft()
            busiest = max(busiest, len(window))
        label = "with 100/min budget" if with_budget else "without budget    "
        print(f"{label}: {uploaded:4d}/{len(orders)} uploaded, {len(stamps):5d} requests in {minutes:6.1f} simulated min "
              f"-> {uploaded / minutes if minutes else 0:5.1f} uploads/min, {len(stamps) / minutes if minutes else 0:5.1f} "
              f"requests/min, busiest 60 s window {busiest:3d} requests, token blocked {peer.blocked_calls} time(s) "
              f"[{wall:.1f} s real]")


if __name__ == "__main__":
    run(with_budget=True)
    run(with_budget=False)
