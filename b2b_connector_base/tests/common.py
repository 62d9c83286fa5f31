"""Shared helpers for the Odoo-tier tests of every b2b-connect addon."""

import contextlib
from unittest.mock import patch
from urllib.parse import urlsplit

import requests

from odoo.tests import common as odoo_common


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
