"""The Shopify adapter's base: set-up, the request template's hooks (GraphQL over one endpoint, errors in
200 answers, the query cost bucket), global ids."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import math
import re
import time

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopAdapter, ShopError
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text

from .options import API_VERSIONS, NEEDED_SCOPES, ShopifyDeclarations
from .queries import DOING, IDEMPOTENT_OPERATIONS, QUERIES

_GID_RE = re.compile(r"^gid://shopify/[A-Za-z]+/\d+(\?.*)?$")


def _node_key(node):
    """What tells two nodes of a connection apart: their global id."""
    return node["id"] if isinstance(node, dict) and node.get("id") else repr(node)


def _search_value(value):
    """A value for Shopify's search syntax: quoted, with quotes and backslashes escaped."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _email_of(customer):
    """A Customer node's e-mail address (``defaultEmailAddress``: ``Customer.email`` is deprecated)."""
    if not isinstance(customer, dict):
        return ""
    return _text((customer.get("defaultEmailAddress") or {}).get("emailAddress"))


def _field(path):
    return ".".join(str(p) for p in (path or []))


def _errors_text(errors):
    parts = []
    for err in errors or []:
        if not isinstance(err, dict):
            parts.append(str(err))
            continue
        field = _field(err.get("field"))
        message = _text(err.get("message")) or _text(err.get("code")) or "refused"
        parts.append(f"{field}: {message}" if field else message)
    return "; ".join(parts)


class ShopifyClient(ShopifyDeclarations, ShopAdapter):
    """Set-up and transport of the Shopify adapter (see the package docstring)."""

    platform = "shopify"
    label = "Shopify"
    max_batch = 250  # Shopify refuses input arrays over 250 items
    page_size = 10  # orders per page: with up to 50 lines each the query asks ~920 of the 1000 points allowed
    line_page_size = 50

    def _configure(self):
        self.sleep = getattr(self.http, "sleep", None) or time.sleep
        self.last_cost = None  # extensions.cost of the last answer (for logs and benchmarks)
        self._variants = {}  # sku -> {"product": gid, "variant": gid, "item": gid, "tracked": bool}
        self.served_version = None  # X-Shopify-API-Version of the last answer: the version Shopify ran

    def _opt(self, name):
        return self.options[name]  # defaults filled in and typed by ShopAdapter

    @property
    def endpoint(self):
        version = str(self._opt("api_version")).strip()
        if version not in dict(API_VERSIONS):
            raise ShopError("shop.shopify.api_version",
                            _lt("Shopify Admin API version %(version)s is not one of %(versions)s"),
                            version=repr(version), versions=", ".join(dict(API_VERSIONS)), kind="config")
        return f"/admin/api/{version}/graphql.json"

    # ------------------------------------------------------------------ the request template's hooks
    def _api_url(self, path, **route):
        """Every call goes to the GraphQL endpoint of option ``api_version``."""
        return self.endpoint

    def _auth(self, request):
        """The access token in each request's headers (not the session's: the invoice upload leaves Shopify)."""
        token = self.credentials.get("key")
        if not token:
            raise ShopError("shop.shopify.no_token", _lt("no Shopify Admin API access token configured"), kind="config")
        request.headers.update({"X-Shopify-Access-Token": token, "Accept": "application/json"})

    def _answer(self, response, what):
        """Keeps the version Shopify says it ran (``X-Shopify-API-Version``): for a version it no longer
        supports it answers with another one instead of refusing."""
        self.served_version = (response.headers.get("X-Shopify-API-Version") or "").strip() or None
        return super()._answer(response, what)

    def _is_error(self, body, what):
        """GraphQL's top-level ``errors`` come with HTTP 200: the error of their codes (THROTTLED: retryable,
        with the seconds to wait in ``throttle_wait``). Keeps the answer's query cost in ``last_cost``."""
        if not isinstance(body, dict):
            return ShopError("shop.shopify.not_graphql",
                             _lt("Shopify answered %(what)s with something that is not a GraphQL answer"),
                             what=what, kind="answer")
        extensions = body.get("extensions")
        if isinstance(extensions, dict) and isinstance(extensions.get("cost"), dict):
            self.last_cost = extensions["cost"]
        errors = body.get("errors")
        if errors:
            if not isinstance(errors, list):  # REST-style {"errors": "..."} with HTTP 200
                return ShopError("shop.shopify.refused", _lt("Shopify refused %(what)s: %(error)s"), what=what,
                                 error=str(errors)[:300], kind="remote")
            codes = {((e.get("extensions") or {}).get("code") if isinstance(e, dict) else None) for e in errors}
            if "THROTTLED" in codes:
                wait = self._throttle_wait(body)
                error = ShopError("shop.shopify.throttled", _lt(
                    "Shopify is throttling %(what)s (the query cost bucket is empty; retry in %(wait)s s)"),
                    what=what, wait=f"{wait:.1f}", kind="remote", retryable=True)
                error.throttle_wait = wait
                return error
            messages = "; ".join(_text(e.get("message") if isinstance(e, dict) else e) for e in errors)[:500]
            if "ACCESS_DENIED" in codes:
                return ShopError("shop.shopify.access_denied",
                                 _lt("the Shopify access token may not run %(what)s: %(error)s"),
                                 what=what, error=messages, kind="auth")
            if "MAX_COST_EXCEEDED" in codes:
                return ShopError("shop.shopify.too_expensive",
                                 _lt("Shopify refused %(what)s as too expensive: %(error)s"),
                                 what=what, error=messages, kind="config")
            if "INTERNAL_SERVER_ERROR" in codes:
                return ShopError("shop.shopify.internal_error", _lt("Shopify failed on %(what)s: %(error)s"), what=what,
                                 error=messages, kind="remote", retryable=True)
            kind = "payload" if codes & {"MAX_INPUT_SIZE_EXCEEDED", "INVALID_VARIABLE", "BAD_REQUEST"} else "remote"
            return ShopError("shop.shopify.refused", _lt("Shopify refused %(what)s: %(error)s"), what=what,
                             error=messages, kind=kind)
        if not isinstance(body.get("data"), dict):
            return ShopError("shop.shopify.no_data", _lt("Shopify answered %(what)s without data"), what=what,
                             kind="answer")
        return None

    def _call(self, operation, variables=None):
        """Run one GraphQL operation (:data:`.queries.QUERIES`); return its ``data``. THROTTLED answers are
        waited for (``self.sleep``) and sent again, up to option ``throttle_retries`` times."""
        payload = {"query": QUERIES[operation], "variables": variables or {}, "operationName": operation}
        retries = max(0, int(self._opt("throttle_retries")))
        what = self._doing(operation)
        for attempt in range(retries + 1):
            try:
                return self._request("POST", "graphql.json", what, json=payload,
                                     idempotent=operation in IDEMPOTENT_OPERATIONS)["data"]
            except ShopError as exc:
                wait = getattr(exc, "throttle_wait", None)
                if wait is None or attempt == retries or wait > float(self._opt("max_throttle_wait")):
                    raise
                self.sleep(wait)
        raise ShopError("shop.shopify.throttling", _lt("Shopify is throttling %(what)s"),  # pragma: no cover
                        what=what, kind="remote", retryable=True)

    @staticmethod
    def _doing(operation):
        """What ``operation`` does, for people, with its name for whoever reads Shopify's own logs."""
        if operation not in DOING:
            return operation
        return Phrase(_lt("%(doing)s (%(operation)s)"), doing=Phrase(DOING[operation]), operation=operation)

    def _throttle_wait(self, body):
        cost = ((body.get("extensions") or {}).get("cost")) or {}
        status = cost.get("throttleStatus") or {}
        try:
            requested = float(cost.get("requestedQueryCost") or 0)
            available = float(status.get("currentlyAvailable") or 0)
            rate = float(status.get("restoreRate") or 0)
        except (TypeError, ValueError):
            return 1.0
        if rate <= 0:
            return 1.0
        # rounded up to the next millisecond: waiting exactly the computed time can leave the bucket a
        # rounding error short of the cost
        # (throttled although the figures say it fits: wait for one point at least)
        return max(1.0 / rate, math.ceil((requested - available) / rate * 1000) / 1000)

    def _payload(self, data, operation, field):
        node = data.get(field)
        if not isinstance(node, dict):
            raise ShopError("shop.shopify.no_field", _lt("Shopify answered %(what)s without %(field)s"),
                            what=self._doing(operation), field=field, kind="answer")
        return node

    @staticmethod
    def _gid(kind, value):
        value = _text(value).strip()
        if value.isdigit():
            return f"gid://shopify/{kind}/{value}"
        if not _GID_RE.match(value):
            raise ShopError("shop.shopify.bad_id", _lt("%(value)s is not a Shopify %(resource)s id"), value=repr(value),
                            resource=kind, kind="payload")
        return value

    # ------------------------------------------------------------------ connection
    def test_connection(self):
        data = self._call("ShopInfo")
        shop = self._payload(data, "ShopInfo", "shop")
        wanted = str(self._opt("api_version")).strip()
        if self.served_version and self.served_version != wanted:
            raise ShopError("shop.shopify.version_served", _lt(
                "Shopify ran Admin API version %(served)s instead of %(wanted)s: the shop does not offer "
                "%(wanted)s; choose another version"), served=self.served_version, wanted=wanted, kind="config")
        locations = [n for n in ((data.get("locations") or {}).get("nodes") or []) if isinstance(n, dict)]
        where = ", ".join(f"{n.get('name')} ({n.get('id')})" for n in locations if n.get("isActive", True))
        if where:
            said = Phrase(_lt("Connected to Shopify shop %(shop)s (%(domain)s); locations: %(locations)s"),
                          shop=repr(shop.get("name")), domain=shop.get("myshopifyDomain"), locations=where)
        else:
            said = Phrase(_lt("Connected to Shopify shop %(shop)s (%(domain)s)"), shop=repr(shop.get("name")),
                          domain=shop.get("myshopifyDomain"))
        notes = self._scope_notes(data)
        return Phrase.join([said, *notes], "; ") if notes else said

    @staticmethod
    def _scope_notes(data):
        """What the token's access scopes leave out, for "Test connection" (nothing when Shopify lists none)."""
        scopes = (data.get("currentAppInstallation") or {}).get("accessScopes")
        if not isinstance(scopes, list) or not scopes:
            return []
        granted = {str(s.get("handle")) for s in scopes if isinstance(s, dict)}
        granted |= {f"read_{s[len('write_'):]}" for s in granted if s.startswith("write_")}
        notes = []
        missing = [scope for scope in NEEDED_SCOPES if scope not in granted]
        if missing:
            notes.append(Phrase(_lt("the access token lacks the scopes %(scopes)s: Shopify will refuse what "
                                    "needs them"), scopes=", ".join(missing)))
        if "read_locales" not in granted:
            notes.append(Phrase(_lt("without read_locales, the customers Odoo sends keep the shop's language")))
        return notes

