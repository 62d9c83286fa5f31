"""Punch-out figures on a real Odoo: cXML setup-request latency and cart-return time for a 100-line cart.

The sandbox procurement system (ProcurementPeer, a real HTTP server in this process) talks to odoo-bin
(threaded, one process) over HTTP:

* setup: N PunchOutSetupRequests in a row (one keep-alive connection), each answered with a start URL:
  p50 / p95 / max latency and requests per second;
* cart return: a buyer session redeems a start URL (logs in, gets a cart), the cart gets 100 lines (the
  first cart through the shop's own ``/shop/cart/add`` JSON route, one call per line as the shop page does,
  whose latency is printed too; the others in one ORM write to the session's cart order, which is what
  those calls leave behind, to keep the run short), opens ``/shop/cart`` (for the csrf token of the
  "Send order" form), then the timed part: ``POST /punchout/return`` (cXML PunchOutOrderMessage built and
  rendered in an auto-submitting form) plus the form's POST to the procurement system, as the browser
  would send it (the peer parses and DTD-validates the cart); checks the peer got the 100 items each time.

The database ``b2b_bench`` is cloned from the test template (setup/test.sh odoo) on the first run and kept.
Options: ``--setups N`` (200), ``--returns N`` (20), ``--lines N`` (100), ``--fill mixed|http|orm``,
``--reset`` (recreate the database).
"""

import argparse
import html
import pathlib
import re
import sys
import time
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _odoo  # noqa: E402
from _report import report  # noqa: E402

DB = _odoo.BENCH_DB
SECRET = "bench-s3cr3t"
IDENTITY = "bench-buyer@procure.example"
PARTNER_REF = "B2B-BENCH-PUNCHOUT"
CODE = "BENCH-{:03d}"


def prepare(env, peer_url, n_products):
    """The cXML punch-out customer (return URLs on this run's peer) and the published products; idempotent."""
    Partner = env["res.partner"].with_context(active_test=False)
    buyer = Partner.search([("ref", "=", PARTNER_REF)], limit=1)
    values = {
        "name": "Bench Procurement", "ref": PARTNER_REF, "is_company": True, "active": True,
        "punchout_enabled": True, "punchout_protocol": "cxml", "punchout_identities": f"NetworkId:{IDENTITY}",
        "punchout_secret": SECRET, "punchout_return_urls": f"{peer_url}/cxml/",
    }
    if buyer:
        buyer.write(values)
    else:
        buyer = Partner.create(values)
    Product = env["product.product"].with_context(active_test=False)
    existing = {p.default_code: p for p in Product.search([("default_code", "=like", "BENCH-%")])}
    missing = [CODE.format(i) for i in range(1, n_products + 1) if CODE.format(i) not in existing]
    if missing:
        created = Product.create([{
            "name": f"Bench Part {code}", "default_code": code, "list_price": 10.0 + int(code[-3:]), "type": "consu",
            "is_published": True, "sale_ok": True} for code in missing])
        existing.update({p.default_code: p for p in created})
    products = [existing[CODE.format(i)] for i in range(1, n_products + 1)]
    for product in products:
        if not (product.active and product.is_published and product.sale_ok):
            product.write({"active": True, "is_published": True, "sale_ok": True})
    return buyer.id, [(p.product_tmpl_id.id, p.id) for p in products]


def setup_requests(peer, url, sender, n, http):
    latencies, failures = [], []
    start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        code, text, start_url = peer.cxml_setup(url, sender, uuid.uuid4().hex, session=http)
        latencies.append(time.perf_counter() - t0)
        if code != 200 or "/punchout/start/" not in start_url:
            failures.append(f"{code} {text} {start_url}")
    return latencies, time.perf_counter() - start, failures


def jsonrpc(http, url, params):
    response = http.post(url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=60)
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RuntimeError(f"{url}: {body['error'].get('data', {}).get('message') or body['error']}")
    return body["result"]


FORM_RE = re.compile(r'<form id="o_punchout_return"[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>', re.S)
INPUT_RE = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)"/>')
CSRF_RE = re.compile(r'action="/punchout/return".*?name="csrf_token" value="([^"]+)"', re.S)


def cart_return(peer, url, sender, products, requests, fill_http):
    """One buyer: setup, start page, 100 lines in the cart, cart page; then the timed return."""
    cookie = uuid.uuid4().hex
    code, text, start_url = peer.cxml_setup(url, sender, cookie)
    assert code == 200, (code, text, start_url)
    browser = requests.Session()
    r = browser.get(url + urlsplit(start_url).path, allow_redirects=False, timeout=60)
    assert r.status_code in (302, 303) and "session_id" in browser.cookies, (r.status_code, r.text[:300])
    fill = []
    if fill_http:  # as the shop page does it: one JSON call per product
        for template_id, product_id in products:
            t0 = time.perf_counter()
            result = jsonrpc(browser, f"{url}/shop/cart/add",
                             {"product_template_id": template_id, "product_id": product_id, "quantity": 1})
            fill.append(time.perf_counter() - t0)
        assert result["cart_quantity"] == len(products), result
    else:  # the same lines written to the session's cart order in one ORM call (prices computed by Odoo)
        with _odoo.odoo_env(DB) as env:
            session = env["b2b.punchout.session"].search([("buyer_cookie", "=", cookie)], limit=1)
            assert session.order_id, f"no cart order for punch-out session {session.name}"
            env["sale.order.line"].create([{"order_id": session.order_id.id, "product_id": product_id,
                                            "product_uom_qty": 1} for _tmpl, product_id in products])
    page = browser.get(f"{url}/shop/cart", timeout=60)
    match = CSRF_RE.search(page.text)
    assert page.status_code == 200 and match, "no 'Send order' form on /shop/cart (punch-out session lost?)"

    t0 = time.perf_counter()
    r = browser.post(f"{url}/punchout/return", data={"csrf_token": match.group(1)}, allow_redirects=False,
                     timeout=60)
    t1 = time.perf_counter()
    form = FORM_RE.search(r.text)
    assert r.status_code == 200 and form, (r.status_code, r.text[:500])
    fields = [(html.unescape(k), html.unescape(v)) for k, v in INPUT_RE.findall(form.group(2))]
    back = browser.post(html.unescape(form.group(1)), data=fields, allow_redirects=False, timeout=60)
    t2 = time.perf_counter()
    assert back.status_code in (200, 303), (back.status_code, back.text[:300], peer.errors[-1:])
    items = peer.carts.get(cookie, {}).get("items") or []
    return fill, t1 - t0, t2 - t0, items, len(r.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", type=int, default=200)
    parser.add_argument("--returns", type=int, default=20)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--fill", choices=("mixed", "http", "orm"), default="mixed",
                        help="how carts are filled: mixed (default) = the first cart through /shop/cart/add, the "
                             "others with one ORM call; http = all through /shop/cart/add (slow); orm = all by ORM")
    parser.add_argument("--reset", action="store_true", help="recreate the bench database")
    args = parser.parse_args()

    began = time.perf_counter()
    _odoo.require(DB)
    _odoo.ensure_database(DB, modules=("b2b_connector_base", "b2b_punchout"), reset=args.reset)
    _odoo.import_odoo()
    import requests  # noqa: PLC0415

    from odoo.addons.b2b_punchout.protocol import cxml  # noqa: PLC0415
    from odoo.addons.b2b_sandbox.peers.procurement import ProcurementPeer  # noqa: PLC0415

    sender = cxml.Credential("NetworkId", IDENTITY, SECRET)
    with ProcurementPeer() as peer:
        with _odoo.odoo_env(DB) as env:
            _buyer_id, products = prepare(env, peer.url, args.lines)
        with _odoo.odoo_server(DB) as url:
            # warm-up: the first requests compile templates and fill the caches of the fresh process
            warm = requests.Session()
            peer.cxml_setup(url, sender, uuid.uuid4().hex, session=warm)
            warm.get(f"{url}/shop", timeout=120)
            print(f"== cXML punch-out on Odoo 19 (odoo-bin --workers 0, database {DB})")

            http = requests.Session()
            latencies, elapsed, failures = setup_requests(peer, url, sender, args.setups, http)
            _odoo.report("PunchOutSetupRequest -> start URL", latencies,
                         extra=f"{args.setups / elapsed:.1f} requests/s, {len(failures)} failed")
            report("punchout_setup_p95_ms", _odoo.percentile(latencies, 95) * 1000)
            for failure in failures[:3]:
                print(f"    failed: {failure}")

            fills, returns, totals, counts, sizes = [], [], [], [], []
            for n in range(args.returns):
                fill_http = args.fill == "http" or (args.fill == "mixed" and n == 0)
                fill, odoo_s, total_s, items, size = cart_return(peer, url, sender, products, requests, fill_http)
                fills.extend(fill)
                returns.append(odoo_s)
                totals.append(total_s)
                counts.append(len(items))
                ok = len(items) == args.lines and all(i.quantity == Decimal(1) for i in items)
                if not ok:
                    print(f"    cart with {len(items)} item(s) received, expected {args.lines}: {peer.errors[-1:]}")
                sizes.append(size)
            lines = args.lines
            _odoo.report(f"cart return, {lines} lines: POST /punchout/return", returns,
                         extra=f"(return page {sum(sizes) / len(sizes) / 1024:.0f} KiB)")
            _odoo.report(f"cart return, {lines} lines: + form POST to the peer", totals,
                         extra="(Odoo + the procurement side parsing and DTD-validating the cXML)")
            report("punchout_return_p95_ms", _odoo.percentile(totals, 95) * 1000)
            received = sum(1 for c in counts if c == lines)
            print(f"procurement system received {lines} items in {received}/{len(counts)} carts "
                  f"(item counts seen: {sorted(set(counts))})")
            if fills:
                _odoo.report(f"(filling {len(fills) // lines} cart(s) through the shop: one /shop/cart/add call)",
                             fills, extra=f"= {sum(fills) / (len(fills) // lines):.1f} s per {lines}-line cart")
    print(f"[run took {time.perf_counter() - began:.0f} s]")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
