from dataclasses import dataclass

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..protocol import model as shop
from ..tools import fingerprint, result_error

BINDING_STATES = [("new", "Not sent yet"), ("synced", "In sync"), ("error", "Error")]


@dataclass
class Pushed:
    """What :meth:`B2bShopBinding._shop_push` did: records sent and taken, refused (by the shop or before
    sending), left alone as unchanged, created in the shop; the adapter it used (None: nothing was sent)."""

    ok: int = 0
    failed: int = 0
    unchanged: int = 0
    created: int = 0
    adapter: object = None


class B2bShopBinding(models.AbstractModel):
    """An Odoo record bound to a shop: the shop's id of it, and how its last sending went (state, error,
    fingerprint of what was sent, when). Each concrete binding names its record field in
    ``_shop_record_field``, declares it unique per shop, and says how its record is sent
    (:meth:`_shop_data`, :meth:`_shop_send`)."""

    _name = "b2b.shop.binding"
    _inherit = ["b2b.shop.backend.line"]
    _description = "Shop Binding"
    _shop_record_field = None
    _shop_kind = None  # the exchange type of one record sent, e.g. "shop.product"

    remote_id = fields.Char("Shop ID", copy=False, index=True)
    state = fields.Selection(BINDING_STATES, default="new", readonly=True)
    last_error = fields.Char(readonly=True)
    sync_hash = fields.Char(readonly=True, copy=False, help="Fingerprint of the data last sent")
    last_sync = fields.Datetime(readonly=True, copy=False)

    _remote_unique = models.UniqueIndex("(backend_id, remote_id) WHERE remote_id IS NOT NULL",
                                        "Another record of this shop has the same shop id.")

    def _shop_record(self):
        return self[self._shop_record_field]

    # ------------------------------------------------------------------ what a concrete binding says
    def _shop_data(self):
        """The protocol record (``protocol.model``) this binding sends; a ``UserError`` refuses it before
        sending (the binding fails with its message)."""
        raise NotImplementedError

    def _shop_key(self, data):
        """The key of ``data`` in the adapter's ``Result`` (a Category's key, a Product's SKU...)."""
        return data.key

    def _shop_send(self, adapter, datas):
        """Send ``datas`` (protocol records of these bindings) with ``adapter``; one ``Result`` each."""
        raise NotImplementedError

    def _shop_sent_values(self, data):
        """What to write on a binding whose ``data`` the shop took, besides its shop id and state."""
        return {}

    # ------------------------------------------------------------------ sending and recording
    def _shop_unchanged(self, digest):
        """This binding's record is in the shop as it was sent last (its fingerprint ``digest``)."""
        self.ensure_one()
        return bool(self.remote_id and self.sync_hash == digest and self.state == "synced")

    def _shop_push(self, run, adapter=None):
        """Send the records of these bindings (of one shop) that changed since they were last sent, as part of
        ``run``, and record the outcome: on each binding (:meth:`_shop_apply_results`) and as one child exchange
        of ``run`` per record sent or refused. ``adapter``: made when something is to be sent, if not given."""
        outcome = Pushed(adapter=adapter)
        todo, refused = [], []
        for binding in self:
            try:
                data = binding._shop_data()
            except UserError as exc:
                refused.append((binding, str(exc.args[0])))
                continue
            if data is None:  # nothing to send (e.g. never sent and no longer wanted)
                outcome.unchanged += 1
                continue
            digest = fingerprint(data, *binding._shop_fingerprint_ignores())
            if binding._shop_unchanged(digest):
                outcome.unchanged += 1
                continue
            todo.append((binding, data, digest))
        results = []
        if todo:
            backend = todo[0][0].backend_id
            outcome.adapter = outcome.adapter or backend._shop_adapter(run)
            results = self.browse([b.id for b, _d, _h in todo])._shop_send(outcome.adapter, [d for _b, d, _h in todo])
            sent = {self._shop_key(data): (binding, data, digest) for binding, data, digest in todo}
            outcome.created = sum(1 for r in results if r.ok and not sent[r.key][0].remote_id)
            outcome.ok = self._shop_apply_results(results, {key: (b, d) for key, (b, d, _h) in sent.items()},
                                                  digests={key: h for key, (_b, _d, h) in sent.items()})
            outcome.failed = len(results) - outcome.ok
        for binding, message in refused:
            binding.write({"state": "error", "last_error": message[:250]})
        outcome.failed += len(refused)
        results = list(results) + [shop.Result(key=f"{b._name}:{b.id}", error=m) for b, m in refused]
        records = {self._shop_key(data): binding._shop_record() for binding, data, _h in todo}
        records.update({f"{b._name}:{b.id}": b._shop_record() for b, _m in refused})
        if results:
            backend = (todo or refused)[0][0].backend_id
            backend._shop_log_children(run, self._shop_kind, results, records, self._shop_describe_result)
        return outcome

    def _shop_fingerprint_ignores(self):
        """Fields of the data left out of its fingerprint (sent by another flow)."""
        return ()

    @api.model
    def _shop_describe_result(self, result, record):
        name = record.display_name if record else result.key
        if not result.ok:
            return self.env._("%(name)s: %(error)s", name=name, error=result_error(self.env, result))
        if result.created:
            return self.env._("%(name)s: created as %(shop_id)s", name=name, shop_id=result.remote_id)
        return self.env._("%(name)s: shop id %(shop_id)s", name=name, shop_id=result.remote_id)

    @api.model
    def _shop_apply_results(self, results, sent, digests=None, synced=True, sent_values=None):
        """Record on each binding how the shop took what was sent: ``results`` are the adapter's ``Result``s,
        ``sent`` maps their keys to (binding, data). A record taken gets ``sent_values(data)`` (default: its
        binding's ``_shop_sent_values``) and, with
        ``synced``, its shop id, state "In sync", no error, the time and its fingerprint (``digests``); a record
        refused gets state "Error" and the shop's message (and keeps the shop id the shop gave it: a record
        saved with a problem, e.g. an image refused). Returns how many were taken."""
        now = fields.Datetime.now()
        ok = 0
        writes = {}  # values -> bindings: one write per set of values (10,000 stock levels are few quantities)
        for result in results:
            binding, data = sent[result.key]
            if result.ok:
                values = (sent_values or binding._shop_sent_values)(data)
                if synced:
                    values.update(remote_id=result.remote_id or binding.remote_id, state="synced", last_error=False,
                                  last_sync=now)
                    if digests:
                        values["sync_hash"] = digests[result.key]
                ok += 1
            else:
                values = {"state": "error", "last_error": result_error(self.env, result)[:250]}
                if result.remote_id:
                    values["remote_id"] = result.remote_id
            writes.setdefault(tuple(sorted(values.items())), []).append(binding.id)
        for values, ids in writes.items():
            self.browse(ids).write(dict(values))
        return ok
