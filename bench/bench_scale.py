"""Scale-out on queue_job: the same shop orders imported by Odoo in multi-process mode (``--workers 2``, the
queue_job runner in it) with the channel capacity 1, then 2; prints the speed-up (``scale_2_vs_1``) and the orders
per second of the capacity-2 round (``orders_capacity2_per_s``).

Each round works in a database of its own copied from the bench database (dropped afterwards), with a shop on
the sandbox WooCommerce store of this process holding the orders (the bench_ecommerce.py orders, read in pages of
100: one import job per page). The clock runs from the orders run queued (committed) until every order
exchange of the run is done; the server's start (until its job runner is ready and both workers have loaded
the database) is not counted. The capacity is set with queue_job's
``ODOO_QUEUE_JOB_CHANNELS`` (``root:1``, ``root:2``); the shop's channel, configured by nobody, takes what the
root channel gives. Options: --orders N (default 1,000), --timeout S.
"""

import argparse
import concurrent.futures
import os
import pathlib
import shutil
import sys
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _odoo  # noqa: E402
import bench_ecommerce  # noqa: E402
from _report import report  # noqa: E402


def copy_database(source, target):
    _odoo.drop_database(target)
    _odoo._query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                 "AND pid <> pg_backend_pid() AND usename = current_user", [source])
    _odoo._query(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    src = _odoo._filestore(source)
    if src.is_dir():
        shutil.copytree(src, _odoo._filestore(target), symlinks=True)


def warm_workers(url, dbname, workers=2):
    """Requests at the same time to every worker process, so that each has loaded the database's registry
    before the clock runs (a worker loads it on its first request: part of the server's start)."""
    def get(_n):
        with urllib.request.urlopen(f"{url}/web/login?db={dbname}", timeout=120) as response:
            return response.status

    with concurrent.futures.ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(get, range(workers * 4)))


def one_round(woo, capacity, n_orders, skus, timeout):
    dbname = f"{_odoo.BENCH_DB}_scale{capacity}"
    copy_database(_odoo.BENCH_DB, dbname)
    os.environ["ODOO_QUEUE_JOB_CHANNELS"] = f"root:{capacity}"
    try:
        with woo.WooCommercePeer() as peer:
            for n in range(n_orders):
                peer.add_order(10_000 + n, "processing", **bench_ecommerce.order_spec(n, skus))
            with _odoo.odoo_env(dbname) as env:
                backend = bench_ecommerce.make_backend(env, woo, peer, f"Bench scale shop {capacity}")
                backend_id = backend.id
            args = ("--workers", "2", "--max-cron-threads", "0", "--limit-time-real", "3600",
                    "--limit-time-cpu", "3600")
            # started: the job runner connected to the database and each worker process has loaded it
            with _odoo.odoo_server(dbname, extra_args=args, ready_log=f"queue job runner ready for db {dbname}") as url:
                warm_workers(url, dbname)
                with _odoo.odoo_env(dbname) as env:
                    run = env["b2b.shop.backend"].browse(backend_id)._shop_queue_run("orders")
                    run_id = run.id
                start = time.perf_counter()  # the run job is committed when odoo_env ends
                ref = f"b2b.shop.backend,{backend_id}"
                while True:
                    time.sleep(0.5)
                    rows = _odoo._query(
                        "SELECT count(*) FILTER (WHERE state IN ('done', 'failed', 'cancelled')), count(*) "
                        "FROM b2b_exchange WHERE kind = 'shop.order' AND backend_ref = %s", [ref], dbname=dbname)
                    finished, total = rows[0]
                    run_state = _odoo._query("SELECT state FROM b2b_exchange WHERE id = %s", [run_id],
                                             dbname=dbname)[0][0]
                    if run_state == "failed" or (run_state == "done" and total and finished == total):
                        break
                    if time.perf_counter() - start > timeout:
                        raise RuntimeError(f"capacity {capacity}: {finished}/{total} orders after {timeout} s")
                elapsed = time.perf_counter() - start
            failed = _odoo._query("SELECT count(*) FROM b2b_exchange WHERE kind = 'shop.order' AND backend_ref = %s "
                                  "AND state != 'done'", [ref], dbname=dbname)[0][0]
            sales = _odoo._query("SELECT count(*) FROM sale_order WHERE b2b_shop_backend_id = %s", [backend_id],
                                 dbname=dbname)[0][0]
            # deliveries whose goods were reserved, or not: two pages confirming at once may find a quant the other
            # holds (Odoo skips it; its scheduler reserves later), or fail and run again (a serialization failure)
            pickings = dict(_odoo._query(
                "SELECT p.state, count(*) FROM stock_picking p JOIN sale_order s ON s.id = p.sale_id "
                "WHERE s.b2b_shop_backend_id = %s GROUP BY p.state", [backend_id], dbname=dbname))
            retried = _odoo._query("SELECT count(*) FROM queue_job WHERE retry > 1", dbname=dbname)[0][0]
            print(f"capacity {capacity}: {sales}/{n_orders} sale orders ({failed} not done) in {elapsed:.1f} s -> "
                  f"{sales / elapsed:.1f} orders/s (run {run_state}; {retried} job(s) run again; deliveries "
                  f"{', '.join(f'{state} {count}' for state, count in sorted(pickings.items()))})", flush=True)
            return elapsed if run_state == "done" and sales == n_orders else None
    finally:
        os.environ.pop("ODOO_QUEUE_JOB_CHANNELS", None)
        _odoo.drop_database(dbname)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    _odoo.require()
    _odoo.ensure_database(_odoo.BENCH_DB, modules=bench_ecommerce.MODULES)
    woo = bench_ecommerce.peers_module()
    with _odoo.odoo_env(_odoo.BENCH_DB) as env:
        skus = bench_ecommerce.ensure_products(env, 50).mapped("default_code")
        env.cr.commit()
        bench_ecommerce.ensure_history(env, woo, skus)  # copied into each round's database, with its statistics
    one = one_round(woo, 1, args.orders, skus, args.timeout)
    two = one_round(woo, 2, args.orders, skus, args.timeout)
    report("scale_2_vs_1", one / two if one and two else None)
    report("orders_capacity2_per_s", args.orders / two if two else None)


if __name__ == "__main__":
    main()
