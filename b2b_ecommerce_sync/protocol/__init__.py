"""Web-shop platforms as plain Python: one adapter per platform behind one interface (:mod:`.base`),
on the dataclasses of :mod:`.model`. No Odoo import; the Odoo models map records to these dataclasses."""
