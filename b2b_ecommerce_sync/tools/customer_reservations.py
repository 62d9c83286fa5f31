"""New shop customers (and pricelists) reserved, so that two order pages imported at the same time (queue_job
channel capacity 2 or more) never both create the same customer, or the same pricelist of a new currency.

Odoo's transactions are REPEATABLE READ: a page does not see a customer another page committed after it began,
and nothing unique stops a second contact with the same e-mail. So a page locks the e-mails of the customers it
is about to create (a transaction-level advisory lock, taken in sorted order by every page, released at commit)
and then asks the database, outside its own snapshot, whether one of them exists already: if another page
committed it meanwhile, this page fails with a concurrency error and runs again later (queue_job postpones jobs
failing on serialization errors; an exchange processed alone is retried by itself), then finding that customer.
A pricelist made for the shop's orders in a currency no pricelist has yet is reserved the same way.
"""

from contextlib import closing

import psycopg2
from psycopg2 import errorcodes

from odoo import sql_db

CUSTOMER_LOCK = 0x5B2C  # advisory lock namespace of new shop customers (second key: hash of the e-mail)
PRICELIST_LOCK = 0x5B2D  # advisory lock namespace of new pricelists (second key: the currency id)


class CreatedMeanwhile(psycopg2.OperationalError):
    """Another transaction created what this one was about to create: run again."""

    pgcode = errorcodes.SERIALIZATION_FAILURE  # what queue_job and tools.errors.is_retryable look for


class CustomerCreatedMeanwhile(CreatedMeanwhile):
    """Another transaction created a customer this one was about to create: run again."""


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
    unseen = _committed_unseen(env, "res_partner", "lower(email) = ANY(%s) AND type = 'contact'", [keys])
    if unseen:
        raise CustomerCreatedMeanwhile(
            f"customer(s) {sorted(unseen)} created by another import meanwhile: this import runs again")


def reserve_pricelist(env, company, currency):
    """Lock the making of a pricelist in ``currency`` until the transaction ends; raise :class:`CreatedMeanwhile`
    when another transaction committed one of ``company`` (or shared) in that currency."""
    env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PRICELIST_LOCK, currency.id])
    unseen = _committed_unseen(env, "product_pricelist",
                               "currency_id = %s AND active AND (company_id IS NULL OR company_id = %s)",
                               [currency.id, company.id])
    if unseen:
        raise CreatedMeanwhile(f"pricelist(s) {sorted(unseen)} in {currency.name} created by another import "
                               "meanwhile: this import runs again")


def _committed_unseen(env, table, where, params):
    """The ids of ``table`` rows matching ``where`` committed now but not in this transaction's snapshot."""
    # a connection of its own: its snapshot is now, not this transaction's start
    with closing(sql_db.db_connect(env.cr.dbname).cursor()) as cr:
        cr.execute(f"SELECT id FROM {table} WHERE {where}", params)  # noqa: S608 - our own table and clause
        committed = {row[0] for row in cr.fetchall()}
    if not committed:
        return set()
    env.cr.execute(f"SELECT id FROM {table} WHERE id = ANY(%s)", [list(committed)])  # noqa: S608
    return committed - {row[0] for row in env.cr.fetchall()}
