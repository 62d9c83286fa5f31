"""Exchanges logged before 19.0.1.1.0 have a code (``kind``) and no type. Each addon's data, loaded by now,
declared its types, which took over the exchanges of their codes (``b2b.exchange.type.create``); those of a
code no installed addon declares get the "Undeclared type", so that every exchange has one (type_id is
required: Odoo sets the NOT NULL constraint after this step)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute("SELECT 1 FROM b2b_exchange WHERE type_id IS NULL LIMIT 1")
    if not cr.fetchone():
        return
    undeclared = api.Environment(cr, SUPERUSER_ID, {})["b2b.exchange.type"]._b2b_undeclared()
    cr.execute("UPDATE b2b_exchange SET type_id = %s WHERE type_id IS NULL", [undeclared.id])
