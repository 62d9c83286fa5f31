"""DICO throughput: Order build + schema validation, parsing of incoming messages, and the MessageService
envelopes (zeep building and validating a PostMessage, reading a GetAvailableMessages answer) (messages/s)."""

import datetime
import pathlib
import sys
import time
from decimal import Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
import conftest  # noqa: E402,F401  (maps odoo.addons.<addon> onto the addon folders, without Odoo)

from odoo.addons.b2b_edi_connector.protocol.dico import (  # noqa: E402
    DespatchAdvice, DespatchLine, Invoice, InvoiceLine, Order, OrderLine, OrderResponse, Party, Profile,
    ResponseLine, get_format,
)
from odoo.addons.b2b_edi_connector.protocol import messageservice as ms  # noqa: E402
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
        "P%05d" % lines, datetime.date(2026, 11, 24), Party(gln="8714231774051"), Party(gln="8713473000010"),
        time=datetime.time(9, 0), delivery_party=Party(name="Site", street="Uranusweg 12", city="Leeuwarden",
                                                        postal_code="8938 AJ", country="NL"),
        customer_reference="S00077", project_reference="PRJ-1", required_date=datetime.date(2026, 11, 27),
        lines=[OrderLine(str(n), Decimal(n % 7 + 1), "PCE", "4011377309456", f"ART-{n}", f"Article {n}")
               for n in range(1, lines + 1)])


def rate(label, n, fn):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {n / elapsed:10,.0f} messages/s")


def main():
    for fmt_name in ("INSBOU003", "SALES005"):
        fmt = get_format(fmt_name)
        for lines in (5, 50):
            order = make_order(lines)

            def build_validate():
                root = fmt.build_order(order, GTIN14)
                fmt.validate_order(root)
                return fmt.serialize(root)

            rate(f"{fmt_name} Order build+validate+serialize ({lines} lines)", 2000 if lines == 5 else 300,
                 build_validate)
        today = datetime.date(2026, 11, 24)
        lines = [ResponseLine(str(n), "accepted", Decimal(3), supplier_code=f"ART-{n}", net_price=Decimal("1.5"))
                 for n in range(20)]
        documents = {
            "OrderResponse": (fmt.serialize(wholesaler.build_order_response(fmt, OrderResponse("R1", today, "P1", "accepted", lines))),
                              fmt.parse_order_response),
            "DespatchAdvice": (fmt.serialize(wholesaler.build_despatch_advice(fmt, DespatchAdvice(
                "D1", today, "P1", [DespatchLine(str(n), Decimal(3), supplier_code=f"ART-{n}") for n in range(20)]))),
                fmt.parse_despatch_advice),
            "Invoice": (fmt.serialize(wholesaler.build_invoice(fmt, Invoice("F1", today, "P1", [InvoiceLine(
                str(n), Decimal(3), Decimal("1.5"), Decimal("4.5"), supplier_code=f"ART-{n}") for n in range(20)]))),
                fmt.parse_invoice),
        }
        for name, (data, parse) in documents.items():
            rate(f"{fmt_name} {name} safe parse + map (20 lines)", 2000, lambda: parse(fmt.parse(data)[1]))


def bench_messageservice():
    order = get_format("INSBOU003")
    data = order.serialize(order.build_order(make_order(5), GTIN14))
    listed = [service.StoredMessage(f"MSG-{n}", "ORDRSP", b"<x/>") for n in range(20)]
    for code in ms.CONTRACTS:
        posted = service.build_response("PostMessage", code)
        client = ms.MessageServiceClient(CannedHttp(posted), "https://w.test/ms", ms.Credentials("u", "p"),
                                         ms.CustomInfo("100234"), contract=code)
        rate(f"MessageService {code} PostMessage build+validate+read", 500, lambda: client.post_message(data))
        answer = service.build_response("GetAvailableMessages", code, messages=listed)
        reader = ms.MessageServiceClient(CannedHttp(answer), "https://w.test/ms", ms.Credentials("u", "p"),
                                         ms.CustomInfo("100234"), contract=code)
        rate(f"MessageService {code} GetAvailableMessages (20 listed)", 500, reader.get_available_messages)


if __name__ == "__main__":
    main()
    bench_messageservice()
