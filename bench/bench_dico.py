"""DICO throughput: Order build + schema validation, parsing of incoming messages, and the MessageService
envelopes (zeep building and validating a PostMessage, reading a GetAvailableMessages answer) (messages/s).

Each figure is the median of several rounds (``--rounds``, 7; each about 0.3 s of calls) after a warm-up,
with the spread of the rounds: on a machine shared with other work single rounds vary a lot. The 50-line Order
figures are reported (bench/_report.py) as dico_insbou_order50_per_s and dico_sales005_order50_per_s. Options:
``--rounds N``, ``--orders-only`` (the Order figures alone).
"""

import argparse
import datetime
import functools
import pathlib
import statistics
import sys
import time
from decimal import Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import conftest  # noqa: E402,F401  (maps odoo.addons.<addon> onto the addon folders, without Odoo)
from _report import report  # noqa: E402

from odoo.addons.b2b_edi_connector.protocol import messageservice as ms  # noqa: E402
from odoo.addons.b2b_edi_connector.protocol.dico import (  # noqa: E402
    DespatchAdvice,
    DespatchLine,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    OrderResponse,
    Party,
    Profile,
    ResponseLine,
    get_format,
)
from odoo.addons.b2b_sandbox.protocol import dico as wholesaler  # noqa: E402
from odoo.addons.b2b_sandbox.protocol import messageservice as service  # noqa: E402


class CannedHttp:
    """Answers every call with one envelope, without a network (the transport is not measured)."""

    def __init__(self, body):
        import requests

        self.response = requests.Response()
        self.response.status_code, self.response._content = 200, body

    def post(self, address, **kw):
        return self.response

GTIN14 = Profile("gtin14", "GTIN as 14 digits, no empty indicators", gtin14=True, omit_empty_indicators=True)


def make_order(lines):
    return Order(
        f"P{lines:05d}", datetime.date(2026, 11, 24), Party(gln="8714231774051"), Party(gln="8713473000010"),
        time=datetime.time(9, 0), delivery_party=Party(name="Site", street="Uranusweg 12", city="Leeuwarden",
                                                        postal_code="8938 AJ", country="NL"),
        customer_reference="S00077", project_reference="PRJ-1", required_date=datetime.date(2026, 11, 27),
        lines=[OrderLine(str(n), Decimal(n % 7 + 1), "PCE", "4011377309456", f"ART-{n}", f"Article {n}")
               for n in range(1, lines + 1)])


ROUNDS = 7
ROUND_SECONDS = 0.3
REPORTED = {"INSBOU003": "dico_insbou_order50_per_s", "SALES005": "dico_sales005_order50_per_s"}


def rate(label, fn):
    """Messages per second: ``ROUNDS`` rounds of as many calls as take about ``ROUND_SECONDS`` (counted
    during the warm-up); prints the median and the spread, and the pace per second of CPU this process got
    (what other work on the machine takes from the wall-clock figure); returns the wall-clock median."""
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.1:  # warm-up: schemas compiled, caches filled; the pace of a round
        fn()
        calls += 1
    n = max(3, round(calls * ROUND_SECONDS / 0.1))
    rates, cpu_rates = [], []
    for _ in range(ROUNDS):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        rates.append(n / (time.perf_counter() - start))
        cpu_rates.append(n / max(time.process_time() - cpu, 1e-9))
    median = statistics.median(rates)
    print(f"{label:<56} {median:10,.0f} messages/s  ({ROUNDS} x {n}: {min(rates):,.0f}-{max(rates):,.0f}; "
          f"per CPU second {statistics.median(cpu_rates):,.0f})", flush=True)
    return median


def build_validate(fmt, order):
    root = fmt.build_order(order, GTIN14)
    fmt.validate_order(root)
    return fmt.serialize(root)


def parse_document(fmt, parse, data):
    return parse(fmt.parse(data)[1])


def bench_orders():
    for fmt_name in ("INSBOU003", "SALES005"):
        fmt = get_format(fmt_name)
        for lines in (5, 50):
            # partial binds this round's format and order (a closure would see the loop's last ones)
            per_s = rate(f"{fmt_name} Order build+validate+serialize ({lines} lines)",
                         functools.partial(build_validate, fmt, make_order(lines)))
            if lines == 50:
                report(REPORTED[fmt_name], per_s)


def bench_answers():
    for fmt_name in ("INSBOU003", "SALES005"):
        fmt = get_format(fmt_name)
        today = datetime.date(2026, 11, 24)
        lines = [ResponseLine(str(n), "accepted", Decimal(3), supplier_code=f"ART-{n}", net_price=Decimal("1.5"))
                 for n in range(20)]
        documents = {
            "OrderResponse": (fmt.serialize(wholesaler.build_order_response(
                fmt, OrderResponse("R1", today, "P1", "accepted", lines))), fmt.parse_order_response),
            "DespatchAdvice": (fmt.serialize(wholesaler.build_despatch_advice(fmt, DespatchAdvice(
                "D1", today, "P1", [DespatchLine(str(n), Decimal(3), supplier_code=f"ART-{n}") for n in range(20)]))),
                fmt.parse_despatch_advice),
            "Invoice": (fmt.serialize(wholesaler.build_invoice(fmt, Invoice("F1", today, "P1", [InvoiceLine(
                str(n), Decimal(3), Decimal("1.5"), Decimal("4.5"), supplier_code=f"ART-{n}") for n in range(20)]))),
                fmt.parse_invoice),
        }
        for name, (data, parse) in documents.items():
            rate(f"{fmt_name} {name} safe parse + map (20 lines)", functools.partial(parse_document, fmt, parse, data))


def bench_messageservice():
    order = get_format("INSBOU003")
    data = order.serialize(order.build_order(make_order(5), GTIN14))
    listed = [service.StoredMessage(f"MSG-{n}", "ORDRSP", b"<x/>") for n in range(20)]
    for code in ms.CONTRACTS:
        posted = service.build_response("PostMessage", code)
        client = ms.MessageServiceClient(CannedHttp(posted), "https://w.test/ms", ms.Credentials("u", "p"),
                                         ms.CustomInfo("100234"), contract=code)
        rate(f"MessageService {code} PostMessage build+validate+read", functools.partial(client.post_message, data))
        answer = service.build_response("GetAvailableMessages", code, messages=listed)
        reader = ms.MessageServiceClient(CannedHttp(answer), "https://w.test/ms", ms.Credentials("u", "p"),
                                         ms.CustomInfo("100234"), contract=code)
        rate(f"MessageService {code} GetAvailableMessages (20 listed)", reader.get_available_messages)


def main():
    global ROUNDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--orders-only", action="store_true", help="only the Order build+validate+serialize figures")
    args = parser.parse_args()
    ROUNDS = args.rounds
    bench_orders()
    if not args.orders_only:
        bench_answers()
        bench_messageservice()


if __name__ == "__main__":
    main()
