"""Jobs queued in a transaction of their own, so that queue_job's workers start them while the caller goes on."""

from contextlib import contextmanager

from odoo.tools import config

from odoo.addons.queue_job.utils import must_run_without_delay


@contextmanager
def queued_now(env):
    """An environment in which the records made and the jobs queued are committed when the block ends, not
    when the caller's transaction does: a long run (e.g. reading a shop's orders page by page) hands each
    page's job to the other workers at once instead of at its own end. Where jobs run inline (queue_job's
    ``queue_job__no_delay``), they run in the caller's transaction anyway, so that is the one given; and so it
    is in tests, whose transaction is rolled back at the end (queue_job's runjob does not commit there either).

    What the block makes must stand on its own when the caller later fails (e.g. exchanges found again by
    their external ids on the next run); the block must not touch rows the caller has written and not
    committed (the two transactions would wait for each other)."""
    if in_callers_transaction(env):
        yield env
        return
    with env.registry.cursor() as cr:
        yield env(cr=cr)


def in_callers_transaction(env):
    """Whether :func:`queued_now` gives the caller's own environment (jobs inline, or a test)."""
    return must_run_without_delay(env) or bool(config["test_enable"])
