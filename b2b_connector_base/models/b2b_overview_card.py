import logging
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

HEALTH = [
    ("ok", "Working"),
    ("failing", "Failures"),
    ("idle", "No exchange yet"),
]


class B2bOverviewCard(models.Model):
    """One card of the B2B overview (the app's home) per backend: a wholesaler, a shop, a procurement
    system, a BaseLinker account... with its health read from the exchange log.

    The cards are derived data: ``_b2b_sync_cards`` makes one per record of every source (see
    ``b2b.overview.source``) each time the overview opens. The figures are not stored: they are computed for the cards shown, with one
    grouped query on the exchanges per figure.
    """

    _name = "b2b.overview.card"
    _description = "B2B Overview Card"
    _order = "sequence, category, name, id"

    name = fields.Char(required=True, readonly=True)
    category = fields.Char(readonly=True, help="What the backend is: a wholesaler, a web shop...")
    sequence = fields.Integer(default=50, readonly=True)
    res_model = fields.Char("Backend Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference("Backend ID", model_field="res_model", required=True, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    last_success = fields.Datetime("Last Success", compute="_compute_health",
                                   help="When the last exchange with this backend ended well")
    failed_24h = fields.Integer("Failures (24 h)", compute="_compute_health",
                                help="Exchanges that failed in the last 24 hours")
    failed_count = fields.Integer("Failed", compute="_compute_health", help="Exchanges failed and not retried yet")
    queue_count = fields.Integer("Queued", compute="_compute_health", help="Exchanges waiting to be processed")
    health = fields.Selection(HEALTH, compute="_compute_health")

    _backend_unique = models.UniqueIndex("(res_model, res_id)", "A backend has one card.")

    # ------------------------------------------------------------------ health
    def _b2b_refs(self):
        return [f"{card.res_model},{card.res_id}" for card in self]

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_health(self):
        # counted as superuser in the allowed companies (as a backend's smart buttons count its exchanges)
        Exchange = self.env["b2b.exchange"].sudo()
        base = [("backend_ref", "in", self._b2b_refs()), ("company_id", "in", self.env.companies.ids)]
        since = fields.Datetime.now() - timedelta(hours=24)

        def by_ref(domain, aggregate):
            result = {}
            for value, figure in Exchange._read_group(base + domain, ["backend_ref"], [aggregate]):
                if value:
                    key = value if isinstance(value, str) else f"{value._name},{value.id}"
                    result[key] = figure
            return result

        last = by_ref([("state", "=", "done")], "date_done:max")
        failed_24h = by_ref([("state", "=", "failed"), ("write_date", ">=", since)], "__count")
        failed = by_ref([("state", "=", "failed")], "__count")
        queued = by_ref([("state", "=", "pending")], "__count")
        logged = by_ref([], "__count")
        for card, ref in zip(self, self._b2b_refs()):
            card.last_success = last.get(ref, False)
            card.failed_24h = failed_24h.get(ref, 0)
            card.failed_count = failed.get(ref, 0)
            card.queue_count = queued.get(ref, 0)
            card.health = "failing" if card.failed_24h else "ok" if logged.get(ref) else "idle"

    # ------------------------------------------------------------------ the cards
    @api.model
    def _b2b_sync_cards(self):
        """One card per backend of every source, none for a record that is no backend any more."""
        Card = self.sudo()
        wanted = {}
        for source in self.env["b2b.overview.source"]._b2b_overview_sources():
            if source["model"] not in self.env:
                continue
            for record in self.env[source["model"]].sudo().search(source["domain"]):
                wanted.setdefault((record._name, record.id), {
                    "name": record.display_name,
                    "category": source["category"],
                    "sequence": source.get("sequence", 50),
                    "company_id": record.company_id.id if "company_id" in record._fields else False,
                })
        existing = {(card.res_model, card.res_id): card for card in Card.search([])}
        Card.browse([card.id for key, card in existing.items() if key not in wanted]).exists().unlink()
        for key, vals in wanted.items():
            card = existing.get(key)
            if card is None:
                try:
                    # two users opening the overview at the same moment: one of them makes the card
                    with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                        Card.create(dict(vals, res_model=key[0], res_id=key[1]))
                except psycopg2.IntegrityError:
                    _logger.debug("overview card of %s made by another transaction", key)
                continue
            changed = {name: value for name, value in vals.items()
                       if (card[name].id if name == "company_id" else card[name]) != value}
            if changed:
                card.write(changed)
        return True

    # ------------------------------------------------------------------ actions
    @api.model
    def action_b2b_overview(self):
        """The B2B app's home: the cards, made or brought up to date first."""
        self.check_access("read")
        self._b2b_sync_cards()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_overview_cards")
        return action

    def _b2b_backend(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id) if self.res_model in self.env else None

    def _b2b_exchanges_action(self, name, domain, context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_exchange")
        action.update({
            "name": name,
            "display_name": name,  # what the breadcrumb shows
            "domain": [("backend_ref", "=", f"{self.res_model},{self.res_id}")] + domain,
            "context": context or {},
        })
        return action

    def action_open_failed(self):
        return self._b2b_exchanges_action(self.env._("Failed exchanges of %(backend)s", backend=self.name),
                                          [("state", "=", "failed")])

    def action_open_queue(self):
        return self._b2b_exchanges_action(self.env._("Queued exchanges of %(backend)s", backend=self.name),
                                          [("state", "=", "pending")])

    def action_open_exchanges(self):
        return self._b2b_exchanges_action(self.env._("Exchanges of %(backend)s", backend=self.name), [],
                                          {"search_default_top_level": 1})

    def action_open_graph(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_connector_base.action_b2b_exchange_graph")
        action["name"] = action["display_name"] = self.env._("Exchanges of %(backend)s per day", backend=self.name)
        action["domain"] = [("backend_ref", "=", f"{self.res_model},{self.res_id}")]
        return action

    def action_open_backend(self):
        self.ensure_one()
        backend = self._b2b_backend()
        if backend is None:
            return False
        backend.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
