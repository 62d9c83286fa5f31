"""bench/_report.py: what a bench script reports reaches run_all.sh's closing BENCH line, every key there."""

import importlib.util
import json
import pathlib

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"
_spec = importlib.util.spec_from_file_location("bench_report", BENCH / "_report.py")
_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_report)


def test_reported_figures_reach_the_bench_line_with_every_key(tmp_path, monkeypatch, capsys):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(_report.RESULTS_ENV, str(results))
    _report.report("dico_insbou_order50_per_s", 2101.23456)
    _report.report("stock_all_s", float("nan"))  # a figure that could not be taken
    _report.report("bl_busiest_minute", 99)
    _report.report("bl_busiest_minute", 100)  # the last value counts
    assert "  => dico_insbou_order50_per_s = 2,101.235 messages/s" in capsys.readouterr().out
    line = _report.bench_line(_report.collect(results))
    assert line.startswith("BENCH ")
    figures = json.loads(line[len("BENCH "):])
    assert list(figures) == list(_report.KEYS)
    assert figures["dico_insbou_order50_per_s"] == 2101.235 and figures["bl_busiest_minute"] == 100
    assert figures["stock_all_s"] is None and figures["orders_vs_orm"] is None


def test_the_bench_line_holds_the_keys_of_the_throughput_issue():
    assert list(_report.KEYS)[:14] == [
        "orders_per_s", "orders_vs_orm", "stock_all_s", "stock_10pct_s", "stock_none_s", "punchout_setup_p95_ms",
        "punchout_return_p95_ms", "bl_uploads_per_min", "bl_busiest_minute", "dico_insbou_order50_per_s",
        "dico_sales005_order50_per_s", "scale_2_vs_1", "import_peak_mb", "stock_peak_mb"]


def test_collect_names_the_missing_figures_and_ends_with_the_bench_line(tmp_path, capsys):
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps({"orders_per_s": 12.5}) + "\n" + json.dumps({"not_a_key": 1}) + "\n")
    assert _report.main(["--collect", str(results)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == _report.bench_line({"orders_per_s": 12.5})
    assert any(line.startswith("no figure for: orders_vs_orm, stock_all_s") for line in out)
    assert any("not_a_key" in line for line in out)
    assert _report.main(["--collect", str(tmp_path / "none.jsonl")]) == 0  # no script reported anything


def test_without_a_results_file_a_figure_is_only_printed(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv(_report.RESULTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert _report.report("orders_per_s", 3) == 3
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="declare it in bench/_report.py KEYS"):
        _report.report("order_per_s", 3)


def test_run_all_runs_every_script_whatever_the_others_do(tmp_path):
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    bench = tmp_path / "bench"
    bench.mkdir()
    for name in ("run_all.sh", "_report.py"):
        shutil.copy(BENCH / name, bench / name)
    header = ("import pathlib, sys\nsys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))\n"
              "from _report import report\n")
    (bench / "bench_a.py").write_text(header + "report('orders_per_s', 7)\nraise SystemExit(3)\n")
    (bench / "bench_b.py").write_text(header + "print('SKIPPED: no Odoo here')\n")
    (bench / "bench_c.py").write_text(header + "report('stock_none_s', 0.25)\n")
    run = subprocess.run(["bash", str(bench / "run_all.sh")], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "PY": sys.executable})
    out = run.stdout.splitlines()
    assert run.returncode == 1, run.stdout + run.stderr
    assert out[-1].startswith("BENCH ")
    figures = json.loads(out[-1][len("BENCH "):])
    assert (figures["orders_per_s"], figures["stock_none_s"], figures["stock_all_s"]) == (7, 0.25, None)
    assert "failed: bench/bench_a.py (exit 3)" in out
    assert "skipped: bench/bench_b.py: SKIPPED: no Odoo here" in out
