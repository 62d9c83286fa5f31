"""BaseLinker invoice uploads per minute, through the real Odoo code, against the sandbox BaseLinker and its
100 requests/minute token limit, on the real clock.

The upload run and every upload job are performed as the job runner performs them (one worker: ``Job.perform``,
each in its own committed transaction); every call goes through the backend's HTTP client and its request
budget (``DbRequestBudget``, 100 per 60 s, kept in PostgreSQL). The peer blocks the token for 10 minutes on the
101st request of any 60 seconds, as BaseLinker does, and counts the calls it refused (must be 0).

Two accounts:

* "BaseLinker issues the invoices" (its automatic actions, the case the API's get_external_invoices=false is
  for): N orders, each with a BaseLinker invoice without a file; Odoo attaches its PDFs;
* "Odoo creates the invoices": M orders without a BaseLinker invoice; each upload creates one (addInvoice).

Printed: uploads per minute over the whole run (from queuing the run to the last upload done), requests per
upload and the long-run pace they allow (100 requests/min divided by requests per upload: a short run looks
faster, its first minute's 100 requests go at once, so the run should be several minutes long), the busiest
60-second window of requests as the peer received them, the calls per method, the calls the peer refused. The
invoices carry a stored PDF (as after Send & Print), so no report is rendered here.
Needs Odoo (see bench/_odoo.py); without it the script prints SKIPPED. Options: --invoices N --created M --reset.
"""

import argparse
import collections
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import _odoo  # noqa: E402
from _report import report  # noqa: E402

DB = "b2b_bench_baselinker"
MODULES = ("b2b_connector_base", "b2b_invoice_attach")
PDF = b"%PDF-1.4\n%" + b"0" * 40_000 + b"\n%%EOF\n"  # about the size of an Odoo invoice PDF
NEXT_ORDER = "b2b_bench.baselinker_next_order"


def busiest_window(stamps, period=60.0):
    """The most requests within any ``period`` seconds."""
    busiest, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= period:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def perform(uuid):
    """One job as the job runner runs it: started (committed), performed, done, committed."""
    with _odoo.odoo_env(DB) as env:
        from odoo.addons.queue_job.job import Job  # noqa: PLC0415

        job = Job.load(env, uuid)
        job.set_started()
        job.store()
        env.cr.commit()
        job.perform()
        job.set_done()
        job.store()


def prepare(peer, count, issued_by_baselinker, label):
    """``count`` posted invoices with a stored PDF, matched to as many BaseLinker orders by source document."""
    with _odoo.odoo_env(DB, context={"tracking_disable": True, "mail_create_nolog": True}) as env:
        params = env["ir.config_parameter"].sudo()
        first = int(params.get_param(NEXT_ORDER, 9_000_000))  # fresh order ids each run: old invoices never match
        params.set_param(NEXT_ORDER, first + count)
        partner = env["res.partner"].create({"name": f"Bench marketplace buyer ({label})"})
        product = env["product.product"].search([("default_code", "=", "BL-BENCH")], limit=1) or \
            env["product.product"].create({"name": "Bench widget", "default_code": "BL-BENCH", "list_price": 25})
        moves = env["account.move"].create([{
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_origin": str(first + n),
            "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 2, "price_unit": 25})],
        } for n in range(count)])
        moves.action_post()
        env["ir.attachment"].create([{
            "name": f"{move.name.replace('/', '_')}.pdf", "raw": PDF, "mimetype": "application/pdf",
            "res_model": "account.move", "res_id": move.id, "res_field": "invoice_pdf_report_file",
        } for move in moves])
        backend = env["b2b.baselinker.backend"].create({
            "name": f"Bench BaseLinker ({label}, {time.strftime('%H:%M:%S')})", "url": f"{peer.url}/connector.php",
            "api_token": peer.token, "match_mode": "origin", "invoice_series_id": 15, "days_back": 7,
            "setup_date": _odoo_now(env, days=-1), "b2b_rate_limit": 100, "b2b_rate_period": 60, "b2b_retries": 1})
        backend.b2b_schedule_ids.write({"active": False})  # no cron of the bench database runs it meanwhile
        backend_id = backend.id
    now = int(time.time())
    for n in range(count):
        peer.add_order(first + n, date_confirmed=now - 3600 + n, status_id=1052)
        if issued_by_baselinker:
            peer.add_invoice(first + n)
    return backend_id


def _odoo_now(env, days=0):
    from datetime import timedelta  # noqa: PLC0415

    from odoo import fields  # noqa: PLC0415

    return fields.Datetime.now() + timedelta(days=days)


def scenario(label, count, issued_by_baselinker):
    from odoo.addons.b2b_sandbox.peers.baselinker import BaseLinkerPeer  # noqa: PLC0415

    with BaseLinkerPeer(rate_limit=100, rate_period=60, block_seconds=600) as peer:
        backend_id = prepare(peer, count, issued_by_baselinker, label)
        peer.requests.clear()
        peer.calls.clear()
        start = time.time()
        with _odoo.odoo_env(DB) as env:
            run = env["b2b.baselinker.backend"].browse(backend_id)._bl_queue_run()
            run_id, run_job = run.id, run.job_uuid
        perform(run_job)
        with _odoo.odoo_env(DB) as env:
            Exchange = env["b2b.exchange"]
            run = Exchange.browse(run_id)
            summary = run.summary or run.error
            jobs = Exchange.search([("kind", "=", "baselinker.upload"), ("backend_ref", "=",
                                   f"b2b.baselinker.backend,{backend_id}")], order="id").mapped("job_uuid")
        for uuid in jobs:
            perform(uuid)
        elapsed = time.time() - start
        with _odoo.odoo_env(DB) as env:
            uploads = env["b2b.exchange"].search([("kind", "=", "baselinker.upload"), ("backend_ref", "=",
                                                  f"b2b.baselinker.backend,{backend_id}")])
            states = collections.Counter(uploads.mapped("state"))
        stamps = sorted(r.received_at for r in peer.requests)
        requests = len(stamps)
        done = states.get("done", 0)
        per_min = done / (elapsed / 60) if elapsed else 0.0
        busiest = busiest_window(stamps)
        methods = ", ".join(f"{m} {c}" for m, c in sorted(peer.calls.items()))
        per_upload = requests / max(done, 1)
        print(f"{label}: {done}/{count} uploaded ({dict(states)}), {requests} requests in {elapsed / 60:.2f} min "
              f"-> {per_min:.1f} uploads/min, {per_upload:.2f} requests per upload (long run: "
              f"{100 / per_upload:.1f} uploads/min), busiest 60 s {busiest} requests, token blocked "
              f"{peer.blocked_calls} time(s); calls: {methods}", flush=True)
        print(f"  run: {summary}", flush=True)
        return per_min, busiest, peer.blocked_calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=600, help="orders whose invoice BaseLinker issued")
    parser.add_argument("--created", type=int, default=100, help="orders whose invoice Odoo creates (0: skip)")
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args()
    _odoo.require()
    _odoo.ensure_database(DB, modules=MODULES, reset=args.reset)
    _odoo.import_odoo()
    per_min, busiest, blocked = scenario("BaseLinker issues the invoices", args.invoices, True)
    report("bl_uploads_per_min", per_min)
    report("bl_busiest_minute", busiest)
    print(f"bl_token_blocked: {blocked}")
    if args.created:
        per_min, busiest, blocked = scenario("Odoo creates the invoices", args.created, False)
        print(f"bl_uploads_per_min_creating_invoices: {per_min:.1f}")
        print(f"bl_busiest_minute_creating_invoices: {busiest}")


if __name__ == "__main__":
    main()
