"""The figures bench scripts report, collected by bench/run_all.sh into its closing ``BENCH {json}`` line.

In a bench script::

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    from _report import report

    report("dico_insbou_order50_per_s", rate, "messages/s")   # prints a line; recorded for run_all.sh

``report`` prints ``  => key = value unit`` and, when ``B2B_BENCH_RESULTS`` names a file (run_all.sh sets it),
appends ``{"key": value}`` to it as one JSON line. A key must be one of ``KEYS`` (add yours there, with a
comment saying what it measures); a value is a number, or None for a figure that could not be taken.
A key reported twice keeps its last value.

``python bench/_report.py --collect FILE`` prints the figures FILE holds, says which keys have none, and
ends with the ``BENCH {json}`` line: every key of ``KEYS`` in order, ``null`` where no script reported it.
"""

import json
import math
import os
import sys

RESULTS_ENV = "B2B_BENCH_RESULTS"

KEYS = {  # key -> unit; "(to come)": no script reports it yet
    # bench_ecommerce.py: shop orders imported into Odoo per second (1,000 WooCommerce orders, one process, jobs
    # inline), and our import's time over Odoo's ORM making the same orders in batches in the same process
    "orders_per_s": "orders/s",
    "orders_vs_orm": "x",
    # bench_ecommerce.py: seconds for a 10,000-product stock delta, all / 10 % / none of the quantities changed
    "stock_all_s": "s",
    "stock_10pct_s": "s",
    "stock_none_s": "s",
    # bench_punchout.py: p95 of a cXML PunchOutSetupRequest answered with a start URL
    "punchout_setup_p95_ms": "ms",
    # bench_punchout.py: p95 of a 100-line cart return (POST /punchout/return and the form's POST to the buyer)
    "punchout_return_p95_ms": "ms",
    # (to come, bench_invoice_attach.py) BaseLinker uploads per minute; requests in the busiest 60 s window
    "bl_uploads_per_min": "uploads/min",
    "bl_busiest_minute": "requests",
    # bench_dico.py: 50-line Orders built, validated and serialised per second (median of the rounds)
    "dico_insbou_order50_per_s": "messages/s",
    "dico_sales005_order50_per_s": "messages/s",
    # bench_scale.py: orders imported with queue_job channel capacity 2 over capacity 1 (Odoo --workers 2)
    "scale_2_vs_1": "x",
    # bench_ecommerce.py: peak resident memory of the process importing the orders / running the stock deltas
    "import_peak_mb": "MB",
    "stock_peak_mb": "MB",
    # bench_scale.py: the same orders imported per second by Odoo --workers 2 with channel capacity 2 (its round)
    "orders_capacity2_per_s": "orders/s",
    # bench_base.py: safe_xml.parse_xml of the public INSBOU Order sample; the 100/min budget's pace
    "base_xml_parse_per_s": "documents/s",
    "base_budget_calls_per_min": "calls/min",
}


def _number(value):
    """A JSON number (None for no figure, and for NaN or infinity)."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else round(value, 3)


def report(key, value, unit=None):
    """Print the figure ``key`` and record it for run_all.sh; returns the recorded value."""
    if key not in KEYS:
        raise ValueError(f"unknown bench figure {key!r}: declare it in bench/_report.py KEYS")
    value = _number(value)
    shown = "none" if value is None else f"{value:,}"
    print(f"  => {key} = {shown} {unit or KEYS[key]}", flush=True)
    path = os.environ.get(RESULTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({key: value}) + "\n")
    return value


def collect(path):
    """The figures recorded in ``path`` (JSON lines; the last value of a key counts)."""
    figures = {}
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                line = line.strip()
                if line:
                    figures.update(json.loads(line))
    except FileNotFoundError:
        pass
    return figures


def bench_line(figures):
    return "BENCH " + json.dumps({key: figures.get(key) for key in KEYS})


def main(argv):
    if len(argv) != 2 or argv[0] != "--collect":
        print("usage: python bench/_report.py --collect FILE", file=sys.stderr)
        return 2
    figures = collect(argv[1])
    unknown = sorted(set(figures) - set(KEYS))
    if unknown:
        print(f"figures of unknown keys, left out: {', '.join(unknown)}")
    missing = [key for key in KEYS if figures.get(key) is None]
    if missing:
        print(f"no figure for: {', '.join(missing)}")
    print(bench_line(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
