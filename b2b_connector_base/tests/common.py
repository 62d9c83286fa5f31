"""Shared helpers for the Odoo-tier tests of every b2b-connect addon."""

import contextlib
import threading
from unittest.mock import patch
from urllib.parse import urlsplit

import requests

from odoo import SUPERUSER_ID, api
from odoo.orm.environments import Transaction
from odoo.tests import common as odoo_common
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


def _local_only_send(session, request, **kw):
    """Like Odoo's test guard (no request leaves the machine) but without rewriting timeouts:
    Odoo raises every timeout below 10 s to 10 s and cannot handle (connect, read) tuples, while our
    tests exercise real timeouts against local sandbox peers."""
    host = urlsplit(request.url).hostname
    if host not in ("127.0.0.1", "localhost", odoo_common.HOST):
        raise odoo_common.BlockedRequest(f"External requests verboten (was {request.method} {request.url})")
    return odoo_common._super_send(session, request, **kw)


class B2BTestMixin:
    """Mix into a TransactionCase/HttpCase whose code talks to sandbox peers on localhost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(requests.Session, "send", _local_only_send))


@contextlib.contextmanager
def patch_processor(model, name, func):
    """Give ``model`` (a recordset or its class) a processor ``name`` for the duration, declared in its
    ``_b2b_processors`` as an addon would declare it."""
    cls = model if isinstance(model, type) else type(model)
    declared = tuple(cls.__dict__.get("_b2b_processors", ())) + (name,)
    with patch.object(cls, name, func, create=True), patch.object(cls, "_b2b_processors", declared, create=True):
        yield


def declare_exchange_type(env, code, name=None, direction="out", **vals):
    """Declare the exchange type ``code`` for a test, as an addon declares its types in
    ``data/b2b_exchange_type_data.xml`` (logging an undeclared code is refused); returns the type."""
    types = env["b2b.exchange.type"].sudo().with_context(active_test=False)
    return types.search([("code", "=", code)]) or types.create(
        {"code": code, "name": name or f"Test: {code}", "direction": direction, **vals})


class JsonRpcMixin:
    """Mix into an HttpCase whose tests call models over JSON-RPC as the authenticated user, as a browser or a
    script would: RPC reaches every public method, whatever the views show."""

    RPC_MUTE = ("odoo.http", "odoo.addons.b2b_connector_base.models.b2b_exchange")  # a refusal logs there

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def _refusal(self, model, method, *args, **kwargs):
        """The name of the exception the call is refused with (the test fails when it is not refused)."""
        with self.assertRaises(JsonRpcException, msg=f"{model}.{method}") as refused, mute_logger(*self.RPC_MUTE):
            self._call(model, method, *args, **kwargs)
        return str(refused.exception)

    def assertRefused(self, model, method, *args, **kwargs):
        """The call is refused with an AccessError (and nothing else)."""
        self.assertEqual(self._refusal(model, method, *args, **kwargs), "odoo.exceptions.AccessError",
                         f"{model}.{method}")


class RpcAsUserMixin:
    """Mix into an HttpCase whose tests attack over JSON-RPC as a user: ``login`` with the password
    ``<login>_pw`` (as ``new_test_user(env, login, password=f"{login}_pw")`` makes it)."""

    def _call(self, login, model, method, args, kwargs=None):
        self.authenticate(login, f"{login}_pw")
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {}})

    def _refused(self, login, model, method, args, kwargs=None):
        """The call is refused with an AccessError (and nothing else)."""
        what = f"{login} {model}.{method}"
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException, msg=what) as caught:
            self._call(login, model, method, args, kwargs)
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError", what)


class CommittedRunsMixin:
    """Mix into a TransactionCase whose tests run exchanges in real, separately committed transactions,
    each in a thread of its own, as two job runner workers would."""

    def _remove_committed(self, model, record_id):
        """Delete a committed backend with its exchanges, their jobs and payloads."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            backend = env[model].browse(record_id)
            exchanges = env["b2b.exchange"].search([("backend_ref", "=", f"{backend._name},{backend.id}")])
            env["queue.job"].search([("uuid", "in", [u for u in exchanges.mapped("job_uuid") if u])]).unlink()
            env["ir.attachment"].search([("res_model", "=", "b2b.exchange"), ("res_id", "in", exchanges.ids)]).unlink()
            exchanges.unlink()
            backend.unlink()

    def _process(self, exchange_id, results, before=None):
        """Process one exchange in its own transaction; ``results[exchange_id]`` gets (state, summary, error)
        or the exception. ``before()`` runs once the transaction has its snapshot."""
        try:
            with self.registry.cursor() as cr:
                # the registry is this one (Registry(dbname) would wait for the lock the test runner holds)
                cr.transaction = Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                if before:  # this transaction's snapshot is taken by its first statement
                    cr.execute("SELECT 1")
                    before()
                exchange = env["b2b.exchange"].browse(exchange_id)
                exchange._b2b_process()
                results[exchange_id] = (exchange.state, exchange.summary or "", exchange.error or "")
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[exchange_id] = exc

    def _thread(self, *args, **kwargs):
        thread = threading.Thread(target=self._process, args=args, kwargs=kwargs, daemon=True)
        thread.start()
        return thread

    def _second_run_with_an_older_snapshot(self, first, second):
        """Run exchange ``second`` in a transaction whose snapshot is taken before ``first`` runs and ends;
        returns the results of both (see :meth:`_process`)."""
        results = {}
        snapshot_taken, first_done = threading.Event(), threading.Event()
        two = self._thread(second, results, before=lambda: (snapshot_taken.set(), first_done.wait(30)))
        self.assertTrue(snapshot_taken.wait(10), results)
        one = self._thread(first, results)
        one.join(30)
        first_done.set()
        two.join(30)
        return results
