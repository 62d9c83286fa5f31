"""One run of a backend's flow at a time, across every Odoo process (advisory locks, PostgreSQL snapshots)."""

import hashlib
from datetime import timedelta


def run_lock(backend, run):
    """Take the lock of ``run``'s flow (its exchange kind) on ``backend`` for this transaction. None when taken
    and no other run of the flow ended after this transaction's snapshot was taken; else why not, as a part of
    a sentence."""
    cr = backend.env.cr
    key = int.from_bytes(hashlib.blake2b(f"b2b.run:{backend._name}:{backend.id}:{run.kind}".encode(),
                                         digest_size=8).digest(), "big", signed=True)
    cr.execute("SELECT pg_try_advisory_xact_lock(%s), now() AT TIME ZONE 'UTC'", [key])
    locked, started = cr.fetchone()
    if not locked:
        return backend.env._("another run is under way")
    # the runs of the flow done since shortly before this transaction began, as seen here and as committed now
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


def begin_run(backend, run, label):
    """Start ``run`` (a run exchange of ``backend``) as the only run of its flow; call it first in the run's
    processor, before reading anything the run depends on. None when the run may go on; else the run ends
    cancelled, "Already running", and that sentence is returned (for the processor to return):

    * another run of the same flow holds the flow's lock (it is under way);
    * a run of the same flow ended after this transaction's snapshot was taken: what it did is invisible here
      (PostgreSQL repeatable read), so doing it again would duplicate it.

    ``label`` names the run in that sentence ("upload run", "Orders run")."""
    why = run_lock(backend, run)
    if why is None:
        return None
    summary = backend.env._("Already running: %(why)s; this %(run)s of %(name)s did nothing.",
                            why=why, run=label, name=backend.name)
    run._b2b_done(summary, state="cancelled")
    return summary
