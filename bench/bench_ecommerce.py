"""Web-shop figures, through the real Odoo code and the sandbox WooCommerce store over HTTP:

* orders/s imported into Odoo for 1,000 shop orders (three product lines, shipping, a coupon, paid:
  partner matching, addresses, taxes, confirmation, payment) - the orders flow read, then its page jobs; and
  the ratio of that time to Odoo making the same orders directly through the ORM in batches of 100 (customers,
  sale orders, confirmation, payments), in the same run;
* HTTP calls and seconds for a 10,000-product stock delta: all 10,000 quantities changed, then 1,000
  (10 %), then none - quantities computed by Odoo, compared with what was sent last, only changes leave
  in WooCommerce batches of 100; then the same for the prices (all changed, none).

Jobs run inline (queue_job__no_delay) so the figures are the work itself in one process (one core), not the job
runner's pace (bench_scale.py takes ``orders_capacity2_per_s`` with Odoo's workers and job runner). The peak
resident memory of this process during the import and during the stock runs is reported too (Linux VmHWM).
Needs Odoo (see bench/_odoo.py); without it the script prints SKIPPED. The first run creates 10,000
products in the bench database (a few minutes, once). Options: --orders N --products N --reset, and
--orm-variants N: the ORM baseline for N orders again without its chatter, its reservation at confirmation,
its payments, and all three (printed, not reported: what each part of Odoo's work costs).
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


def order_spec(n, skus):
    """The n-th bench order: three product lines (the first discounted by the coupon), shipping, a coupon, paid."""
    return {"transaction_id": f"pi_{n}",
            "billing": {"email": f"buyer{n % 200}@bench.example", "first_name": "Buyer", "last_name": str(n % 200),
                        "company": ""},
            "items": [{"sku": skus[(n + k) % len(skus)], "quantity": 1 + k, "price": "20.00",
                       "discount": "2.00" if k == 0 else "0"} for k in range(3)],
            "coupons": [{"code": "bench"}], "shipping_lines": [{"method_title": "Flat", "total": "5.00"}]}


def peak_reset():
    """Start measuring the peak resident memory of this process anew (Linux: VmHWM, reset by clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def peak_mb():
    """The peak resident memory of this process since ``peak_reset``, in MB (None where Linux does not say)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def import_orders(env, woo, peer, n_orders, skus, name):
    """Our import, through the real path (the orders run and its page jobs, inline): (seconds, orders, summary)."""
    for n in range(n_orders):
        peer.add_order(10_000 + n, "processing", **order_spec(n, skus))
    backend = make_backend(env, woo, peer, name)
    env.cr.commit()
    backend = backend.with_context(queue_job__no_delay=True)
    peer.requests.clear()
    start = time.perf_counter()
    exchange = backend._shop_queue_run("orders")
    env.flush_all()
    elapsed = time.perf_counter() - start
    orders = env["sale.order"].search_count([("b2b_shop_backend_id", "=", backend.id)])
    failed = env["b2b.exchange"].search_count([("kind", "=", "shop.order"), ("state", "=", "failed"),
                                               ("backend_ref", "=", f"b2b.shop.backend,{backend.id}")])
    print(f"orders import: {orders}/{n_orders} sale orders ({failed} failed) from {len(peer.requests)} HTTP calls "
          f"in {elapsed:.1f} s -> {orders / elapsed:.1f} orders/s  [{exchange.summary}]")
    return elapsed, orders, backend


IN_STOCK = 100_000  # units of each ordered product in stock
HISTORY = 300  # orders a shop database already holds: the planner's statistics of a database in use

def ensure_history(env, woo, skus):
    """A history of confirmed, paid orders, committed once, and fresh planner statistics. Without it the
    sale, stock and accounting tables of the bench database are empty: after a rolled-back run, autovacuum
    records them as empty and PostgreSQL plans the searches of the next run (e.g. Odoo's search for a picking
    to join, once per order) as if they stayed empty, which costs seconds per query - no database in use
    looks like that, and the figures would depend on when autovacuum ran."""
    company = env.company
    if not env["account.tax"].search_count([("type_tax_use", "=", "sale"), ("amount", "=", 21),
                                            ("amount_type", "=", "percent"), ("price_include", "=", False),
                                            ("company_id", "=", company.id)]):
        # the shop's orders are taxed at 21 % (the Dutch rate of the sandbox shop): the company has that tax, as
        # a shop's company would, so the imported totals are the shop's
        env["account.tax"].create({"name": "21% (bench)", "amount": 21, "amount_type": "percent",
                                   "type_tax_use": "sale", "company_id": company.id})
    euro = shop_pricelist(env)
    if not euro:
        # the shop sells in euros and the bench company keeps its books in dollars: it has a pricelist in euros,
        # as the shop's first import made it (making it during a measured run writes the currency: a cache
        # reset for every worker, and two pages making it at once)
        env.ref("base.EUR").active = True
        env["product.pricelist"].create({"name": "Euro (bench)", "currency_id": env.ref("base.EUR").id,
                                         "company_id": company.id})
    # the shop sells what it has: the ordered products are in stock, so that every order reserves its goods (as the
    # stock bench's runs would leave them anyway; a figure must not depend on which bench ran before)
    location = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).lot_stock_id
    for product in env["product.product"].search([("default_code", "in", skus)]):
        on_hand = product.with_context(location=location.id).qty_available
        if on_hand < IN_STOCK / 2:
            env["stock.quant"]._update_available_quantity(product, location, IN_STOCK - on_hand)
    with woo.WooCommercePeer() as peer:
        old = env["b2b.shop.backend"].search([("name", "=", "Bench history shop")], limit=1)
        backend = old or make_backend(env, woo, peer, "Bench history shop")
        have = env["sale.order"].search_count([("client_order_ref", "=like", "HIST-%")])
        if have < HISTORY:
            _odoo.log(f"creating {HISTORY - have} orders of history (once)")
            orm_orders(env, HISTORY - have, skus, backend, ref_prefix="HIST-")
            env.cr.commit()
    env.cr.commit()
    _odoo.settle_database(env.cr.dbname)


def shop_pricelist(env):
    """The company's pricelist in the shop's currency (euros), which the import gives the shop's orders."""
    return env["product.pricelist"].search([("currency_id", "=", env.ref("base.EUR").id),
                                            ("company_id", "in", (False, env.company.id))], limit=1)


def orm_orders(env, n_orders, skus, backend, ref_prefix="", pay=True):
    """The same orders made by Odoo directly through the ORM in batches of 100: customers, sale orders with
    their lines, confirmation, payments registered (unless not ``pay``); seconds taken."""
    from odoo import Command  # noqa: PLC0415

    from odoo.addons.b2b_ecommerce_sync.tools.order_lookups import OrderLookups  # noqa: PLC0415

    products = {p.default_code: p for p in env["product.product"].search([("default_code", "in", skus)])}
    tax = OrderLookups(env, backend).tax(21)  # the tax our import puts on the lines, when the company has it
    taxes = [Command.set(tax.ids)] if tax is not None else None
    pricelist = shop_pricelist(env)  # the orders in the shop's currency, as imported
    start = time.perf_counter()
    emails = sorted({order_spec(n, skus)["billing"]["email"] for n in range(n_orders)})
    partners = dict(zip(emails, env["res.partner"].create([{"name": email.split("@")[0], "email": email}
                                                           for email in emails]), strict=False))
    for offset in range(0, n_orders, 100):
        vals_list = []
        for n in range(offset, min(offset + 100, n_orders)):
            spec = order_spec(n, skus)
            partner = partners[spec["billing"]["email"]]
            lines = []
            for item in spec["items"]:
                qty, price = float(item["quantity"]), float(item["price"])
                line = {"product_id": products[item["sku"]].id, "product_uom_qty": qty, "price_unit": price,
                        "discount": float(item["discount"]) / (qty * price) * 100}
                lines.append(dict(line, tax_ids=taxes) if taxes else line)
            shipping = {"product_id": backend.shipping_product_id.id, "product_uom_qty": 1, "price_unit": 5.0,
                        "name": "Flat"}
            lines.append(dict(shipping, tax_ids=taxes) if taxes else shipping)
            lines.append({"product_id": backend.coupon_product_id.id, "product_uom_qty": 1, "price_unit": 0.0,
                          "name": "bench"})
            vals_list.append({"partner_id": partner.id, "warehouse_id": backend.warehouse_id.id,
                              "pricelist_id": pricelist.id,
                              "client_order_ref": f"{ref_prefix}{10_000 + n}",
                              "order_line": [Command.create(v) for v in lines]})
        sales = env["sale.order"].create(vals_list)
        sales.action_confirm()
        if not pay:
            continue
        payments = env["account.payment"].create([{
            "payment_type": "inbound", "partner_type": "customer", "partner_id": sale.partner_id.id,
            "amount": sale.amount_total, "currency_id": sale.currency_id.id,
            "journal_id": backend.payment_journal_id.id, "memo": sale.client_order_ref} for sale in sales])
        payments.action_post()
    env.flush_all()
    return time.perf_counter() - start


def bench_orders(woo, n_orders):
    with _odoo.odoo_env(_odoo.BENCH_DB) as env:
        skus = ensure_products(env, 50).mapped("default_code")
        env.cr.commit()
        ensure_history(env, woo, skus)
    with woo.WooCommercePeer() as peer, _odoo.odoo_env(_odoo.BENCH_DB) as env:
        import_orders(env, woo, peer, min(50, n_orders), skus, "Bench warm-up shop")  # caches warm for both
        env.cr.rollback()
    with woo.WooCommercePeer() as peer, _odoo.odoo_env(_odoo.BENCH_DB) as env:
        backend = make_backend(env, woo, peer, "Bench ORM shop")
        orm = orm_orders(env, n_orders, skus, backend)
        print(f"Odoo's ORM, in batches of 100: {n_orders} orders created, confirmed and paid in {orm:.1f} s -> "
              f"{n_orders / orm:.1f} orders/s")
        env.cr.rollback()
    with woo.WooCommercePeer() as peer, _odoo.odoo_env(_odoo.BENCH_DB) as env:
        peak_reset()
        elapsed, orders, _backend = import_orders(env, woo, peer, n_orders, skus, "Bench orders shop")
        peak = peak_mb()
        report("orders_per_s", orders / elapsed)
        report("orders_vs_orm", elapsed / orm)
        report("import_peak_mb", peak)
        env.cr.rollback()  # the figures are taken; keep the bench database small


QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True, "mail_create_nosubscribe": True}
ORM_VARIANTS = (  # (label, context, deliveries reserved later, payments)
    ("as set up (the baseline above)", {}, False, True),
    ("no chatter or tracking", QUIET, False, True),
    ("deliveries reserved later (reservation: manual)", {}, True, True),
    ("no payment", {}, False, False),
    ("none of the three", QUIET, True, False),
)


def bench_orm_variants(woo, n_orders):
    """What the ORM baseline gives without each part of the work it does, printed (not reported): how far the
    one-process figure could go if an imported order had no chatter, its delivery were reserved by the
    scheduler instead of at confirmation, or its payment were left out. Each variant is rolled back."""
    with _odoo.odoo_env(_odoo.BENCH_DB) as env:
        skus = ensure_products(env, 50).mapped("default_code")
        with woo.WooCommercePeer() as peer:
            for label, context, reserve_later, pay in ORM_VARIANTS:
                backend = make_backend(env, woo, peer, "Bench ORM variant shop")
                if reserve_later:
                    (backend.warehouse_id.pick_type_id | backend.warehouse_id.out_type_id).reservation_method = "manual"
                variant = env(context=dict(env.context, **context))
                seconds = orm_orders(variant, n_orders, skus, backend.with_env(variant), pay=pay)
                print(f"Odoo's ORM, {label:50}: {n_orders / seconds:5.1f} orders/s ({n_orders} in {seconds:.1f} s)")
                env.cr.rollback()


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

            peak_reset()
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
            report("stock_peak_mb", peak_mb())
            # the prices flow of the same catalogue (figures printed, not reported: the targets are stock's)
            for label, subset in (("all changed", products), ("nothing changed", products.browse())):
                if subset:
                    subset.product_tmpl_id.write({"list_price": 77.0})
                    env.cr.commit()
                peer.requests.clear()
                start = time.perf_counter()
                run = backend._shop_queue_run("prices")
                print(f"price delta, {len(products)} products, {label:15}: {len(subset):5d} sent in "
                      f"{len(peer.requests):3d} HTTP calls, {time.perf_counter() - start:6.1f} s  [{run.summary}]")
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
    parser.add_argument("--orm-variants", type=int, default=0, metavar="N",
                        help="also print the ORM baseline for N orders without each part of its work")
    args = parser.parse_args()
    _odoo.require()
    _odoo.ensure_database(_odoo.BENCH_DB, modules=MODULES, reset=args.reset)
    woo = peers_module()
    bench_orders(woo, args.orders)
    if args.orm_variants:
        bench_orm_variants(woo, args.orm_variants)
    bench_stock(woo, args.products)


if __name__ == "__main__":
    main()
