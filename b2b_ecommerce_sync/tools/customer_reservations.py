"""New shop customers reserved by e-mail, so that two order pages imported at the same time (queue_job channel
capacity 2 or more) never both create the same customer.

Odoo's transactions are REPEATABLE READ: a page does not see a customer another page committed after it began,
and nothing unique stops a second contact with the same e-mail. So a page locks the e-mails of the customers it
is about to create (a transaction-level advisory lock, taken in sorted order by every page, released at commit)
and then asks the database, outside its own snapshot, whether one of them exists already: if another page
committed it meanwhile, this page fails with a concurrency error and runs again later (queue_job postpones jobs
failing on serialization errors; an exchange processed alone is retried by itself), then finding that customer.
"""

from contextlib import closing

import psycopg2
from psycopg2 import errorcodes

from odoo import sql_db

CUSTOMER_LOCK = 0x5B2C  # advisory lock namespace of new shop customers (second key: hash of the e-mail)


class CustomerCreatedMeanwhile(psycopg2.OperationalError):
    """Another transaction created a customer this one was about to create: run again."""

    pgcode = errorcodes.SERIALIZATION_FAILURE  # what queue_job and tools.errors.is_retryable look for


def reserve_customers(env, emails, reserved):
    """Lock ``emails`` (lowercase) not in ``reserved`` (a set, updated) until the transaction ends; raise
    :class:`CustomerCreatedMeanwhile` when a contact of one of them was committed by another transaction."""
    keys = sorted({email for email in emails if email} - reserved)
    if not keys:
        return
    env.cr.execute("SELECT pg_advisory_xact_lock(%s, hashtext(k)) FROM (SELECT unnest(%s::text[]) AS k ORDER BY 1) s",
                   [CUSTOMER_LOCK, keys])
    reserved.update(keys)
    env["res.partner"].flush_model(["email"])
    query = "SELECT id FROM res_partner WHERE lower(email) = ANY(%s) AND type = 'contact'"
    # a connection of its own: its snapshot is now, not this transaction's start
    with closing(sql_db.db_connect(env.cr.dbname).cursor()) as cr:
        cr.execute(query, [keys])
        committed = {row[0] for row in cr.fetchall()}
    if not committed:
        return
    env.cr.execute("SELECT id FROM res_partner WHERE id = ANY(%s)", [list(committed)])
    unseen = committed - {row[0] for row in env.cr.fetchall()}
    if unseen:
        raise CustomerCreatedMeanwhile(
            f"customer(s) {sorted(unseen)} created by another import meanwhile: this import runs again")
