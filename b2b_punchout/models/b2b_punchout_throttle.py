from datetime import timedelta

from odoo import api, fields, models

WINDOW_MINUTES = 15  # failures further apart than this are forgotten
BASE_DELAY_SECONDS = 30  # the first block; each further failure doubles it
MAX_DELAY_SECONDS = 3600
LIMITS = {"partner": 5, "ip": 20}  # failures before a block: per customer, per client address


class B2bPunchoutThrottle(models.Model):
    """Failed punch-out logins per customer and per client address, kept in the database so that every
    Odoo worker sees them: after too many failures within the window, logins are refused for a growing
    delay, with the right password as well."""

    _name = "b2b.punchout.throttle"
    _description = "Punch-out Login Throttle"
    _order = "id desc"

    key = fields.Char(required=True, readonly=True, help="partner:<id> or ip:<address>")
    failure_count = fields.Integer(readonly=True)
    last_failure_at = fields.Datetime(readonly=True)
    blocked_until = fields.Datetime(readonly=True, index=True)

    _key_unique = models.UniqueIndex("(key)", "One throttle row per key.")

    @api.model
    def _punchout_keys(self, partner=None, ip=None):
        keys = []
        if partner:
            keys.append(f"partner:{partner.id}")
        if ip:
            keys.append(f"ip:{ip}"[:100])
        return keys

    @api.model
    def _punchout_blocked(self, keys):
        """Seconds until the keys may try again (0 when they may now)."""
        now = fields.Datetime.now()
        rows = self.sudo().search([("key", "in", keys), ("blocked_until", ">", now)])
        return max((int((r.blocked_until - now).total_seconds()) + 1 for r in rows), default=0)

    @api.model
    def _punchout_failed(self, keys):
        """Count one failure for each key; block a key that reached its limit. Returns {key: seconds} of
        the keys blocked now."""
        now = fields.Datetime.now()
        Throttle = self.sudo()
        blocked = {}
        for key in keys:
            row = Throttle.search([("key", "=", key)], limit=1)
            if not row:
                row = Throttle.create({"key": key, "failure_count": 0})
            # a failure soon after a block ended keeps counting: the delay grows instead of starting over
            last = max(filter(None, (row.last_failure_at, row.blocked_until)), default=None)
            recent = last and last > now - timedelta(minutes=WINDOW_MINUTES)
            count = (row.failure_count if recent else 0) + 1
            limit = LIMITS[key.split(":", 1)[0]]
            vals = {"failure_count": count, "last_failure_at": now}
            if count >= limit:
                delay = min(BASE_DELAY_SECONDS * 2 ** (count - limit), MAX_DELAY_SECONDS)
                vals["blocked_until"] = now + timedelta(seconds=delay)
                blocked[key] = delay
            row.write(vals)
        return blocked

    @api.model
    def _punchout_succeeded(self, keys):
        self.sudo().search([("key", "in", keys)]).unlink()

    @api.model
    def _cron_gc(self):
        """Rows that neither block nor count any more."""
        old = fields.Datetime.now() - timedelta(minutes=WINDOW_MINUTES)
        self.sudo().search([("last_failure_at", "<", old), "|",
                            ("blocked_until", "=", False), ("blocked_until", "<", old)]).unlink()
