"""What an upload run needs besides the backend model: one run at a time, BaseLinker's timestamps."""

import hashlib
from datetime import timedelta, timezone


def unix_time(dt):
    """A naive UTC datetime (as Odoo stores them) as the Unix timestamp BaseLinker speaks."""
    return int(dt.replace(tzinfo=timezone.utc).timestamp())


def run_lock(backend, run):
    """Take the lock of ``run``'s flow on ``backend`` for this transaction. None when taken and no other run of
    the flow ended after this transaction's snapshot was taken; else why not, as a part of a sentence.
    (The same lines as b2b_ecommerce_sync's: a candidate for b2b_connector_base.)"""
    cr = backend.env.cr
    key = int.from_bytes(hashlib.blake2b(f"b2b.run:{backend._name}:{backend.id}:{run.kind}".encode(),
                                         digest_size=8).digest(), "big", signed=True)
    cr.execute("SELECT pg_try_advisory_xact_lock(%s), now() AT TIME ZONE 'UTC'", [key])
    locked, started = cr.fetchone()
    if not locked:
        return backend.env._("another run is under way")
    # the runs done since shortly before this transaction began, as seen here and as committed now
    query = """SELECT id, name FROM b2b_exchange WHERE kind = %s AND backend_ref = %s AND parent_id IS NULL
               AND state = 'done' AND id != %s AND date_done >= %s ORDER BY id"""
    params = [run.kind, f"{backend._name},{backend.id}", run.id, started - timedelta(hours=1)]
    cr.execute(query, params)
    seen = {row[0] for row in cr.fetchall()}
    with backend.env.registry.cursor() as fresh:  # a short side transaction, raw SQL (no ORM environment)
        fresh.execute(query, params)
        done = [name for rid, name in fresh.fetchall() if rid not in seen]
    if done:
        return backend.env._("%(runs)s ran meanwhile", runs=", ".join(done))
    return None
