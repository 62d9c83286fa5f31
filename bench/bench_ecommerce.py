"""Web-shop figures, through the real Odoo code and the sandbox WooCommerce store over HTTP:

* orders/s imported into Odoo for 1,000 shop orders (three product lines, shipping, a coupon, paid:
  partner matching, addresses, taxes, confirmation, payment) - the orders flow read, then every import;
* HTTP calls and seconds for a 10,000-product stock delta: all 10,000 quantities changed, then 1,000
  (10 %), then none - quantities computed by Odoo, compared with what was sent last, only changes leave
  in WooCommerce batches of 100.

Jobs run inline (queue_job__no_delay) so the figures are the work itself, not the job runner's pace.
Needs Odoo (see bench/_odoo.py); without it the script prints SKIPPED. The first run creates 10,000
products in the bench database (a few minutes, once). Options: --orders N --products N --reset.
"""

import argparse
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _odoo  # noqa: E402
from _report import report  # noqa: E402

MODULES = ("b2b_connector_base", "b2b_ecommerce_sync", "b2b_shop_woocommerce")
PREFIX = "SHOPBENCH-"


def peers_module():
    _odoo.import_odoo()  # the real Odoo, whose addons path holds our addons (peers are plain Python)
    from odoo.addons.b2b_sandbox.peers import woocommerce  # noqa: PLC0415

    return woocommerce


def ensure_products(env, count):
    Product = env["product.product"].with_context(tracking_disable=True, mail_create_nolog=True)
    existing = Product.search_count([("default_code", "=like", f"{PREFIX}%")])
    if existing < count:
        _odoo.log(f"creating {count - existing} products (once)")
        start = time.perf_counter()
        for offset in range(existing, count, 500):
            Product.create([{"name": f"Bench product {n:05d}", "default_code": f"{PREFIX}{n:05d}",
                             "list_price": 10 + n % 90, "is_storable": True, "invoice_policy": "order"}
                            for n in range(offset, min(offset + 500, count))])
            env.cr.commit()
        _odoo.log(f"products ready in {time.perf_counter() - start:.0f} s")
    return Product.search([("default_code", "=like", f"{PREFIX}%")], order="default_code", limit=count)


def make_backend(env, woo, peer, name):
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
    old = env["b2b.shop.backend"].with_context(active_test=False).search([("name", "=", name)])
    if old:
        env["sale.order"].search([("b2b_shop_backend_id", "in", old.ids)]).write({"b2b_shop_backend_id": False})
        old.unlink()
    return env["b2b.shop.backend"].create({
        "name": name, "platform": "woocommerce", "url": peer.url, "api_key": woo.DEMO_KEY,
        "api_secret": woo.DEMO_SECRET, "warehouse_id": warehouse.id, "payment_journal_id": journal.id,
        "b2b_retries": 2, "last_order_sync": False})


def bench_orders(woo, n_orders):
    with woo.WooCommercePeer() as peer:
        with _odoo.odoo_env(_odoo.BENCH_DB) as env:
            products = ensure_products(env, 50)
            skus = products.mapped("default_code")
            for n in range(n_orders):
                peer.add_order(10_000 + n, "processing", transaction_id=f"pi_{n}",
                               billing={"email": f"buyer{n % 200}@bench.example", "first_name": "Buyer",
                                        "last_name": str(n % 200), "company": ""},
                               items=[{"sku": skus[(n + k) % len(skus)], "quantity": 1 + k, "price": "20.00",
                                       "discount": "2.00" if k == 0 else "0"} for k in range(3)],
                               coupons=[{"code": "bench"}], shipping_lines=[{"method_title": "Flat", "total": "5.00"}])
            backend = make_backend(env, woo, peer, "Bench orders shop")
            env.cr.commit()
            backend = backend.with_context(queue_job__no_delay=True)
            peer.requests.clear()
            start = time.perf_counter()
            exchange = backend._shop_queue_run("orders")
            elapsed = time.perf_counter() - start
            orders = env["sale.order"].search_count([("b2b_shop_backend_id", "=", backend.id)])
            failed = env["b2b.exchange"].search_count([("kind", "=", "shop.order"), ("state", "=", "failed"),
                                                       ("backend_ref", "=", f"b2b.shop.backend,{backend.id}")])
            calls = len(peer.requests)
            print(f"orders import: {orders}/{n_orders} sale orders ({failed} failed) from {calls} HTTP calls in "
                  f"{elapsed:.1f} s -> {orders / elapsed:.1f} orders/s  [{exchange.summary}]")
            report("orders_per_s", orders / elapsed)
            env.cr.rollback()  # the figures are taken; keep the bench database small


def bench_stock(woo, n_products):
    with woo.WooCommercePeer() as peer:
        with _odoo.odoo_env(_odoo.BENCH_DB) as env:
            products = ensure_products(env, n_products)
            backend = make_backend(env, woo, peer, "Bench stock shop")
            location = backend.warehouse_id.lot_stock_id
            for product in products:
                peer.add_product(product.default_code, product.name, "10.00", stock=0)
            env["b2b.shop.product"].create([{"backend_id": backend.id, "product_id": p.id,
                                             "remote_id": str(peer._by_sku(p.default_code)["id"]), "state": "synced"}
                                            for p in products])
            env.cr.commit()
            backend = backend.with_context(queue_job__no_delay=True)
            Quant = env["stock.quant"]

            def change(subset, bump):
                for product in subset:
                    Quant._update_available_quantity(product, location, bump)
                env.flush_all()

            for label, subset, key in (("all changed", products, "stock_all_s"),
                                       ("10 % changed", products[::10], "stock_10pct_s"),
                                       ("nothing changed", products.browse(), "stock_none_s")):
                change(subset, 3)
                env.cr.commit()
                peer.requests.clear()
                start = time.perf_counter()
                run = backend._shop_queue_run("stock")
                elapsed = time.perf_counter() - start
                print(f"stock delta, {len(products)} products, {label:15}: {len(subset):5d} sent in "
                      f"{len(peer.requests):3d} HTTP calls, {elapsed:6.1f} s  [{run.summary}]")
                report(key, elapsed)
                env.cr.commit()
            sent = sum(1 for p in peer.products.values() if p.get("stock_quantity"))
            print(f"stock delta check: the shop holds a quantity for {sent}/{len(products)} products")
            env["b2b.shop.product"].search([("backend_id", "=", backend.id)]).unlink()
            backend.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--products", type=int, default=10000)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    _odoo.require()
    _odoo.ensure_database(_odoo.BENCH_DB, modules=MODULES, reset=args.reset)
    woo = peers_module()
    bench_orders(woo, args.orders)
    bench_stock(woo, args.products)


if __name__ == "__main__":
    main()
