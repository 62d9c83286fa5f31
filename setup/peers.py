#!/usr/bin/env python3
"""Start every sandbox peer the demo database talks to, on fixed loopback ports, until interrupted.

Each module or package of b2b_sandbox/peers/ may define ``demo_peers()`` returning started-or-not PeerServer
instances (with their demo port). Usage: .venv/bin/python setup/peers.py [--list]
"""

import importlib
import pathlib
import signal
import sys
import threading
import types

REPO = pathlib.Path(__file__).resolve().parent.parent


def _import_peers_package():
    # Import the plain-Python peers without loading Odoo (same trick as tests/conftest.py).
    for name in ("odoo", "odoo.addons"):
        mod = sys.modules.setdefault(name, types.ModuleType(name))
        mod.__path__ = getattr(mod, "__path__", [])
    sandbox = types.ModuleType("odoo.addons.b2b_sandbox")
    sandbox.__path__ = [str(REPO / "b2b_sandbox")]
    sys.modules["odoo.addons.b2b_sandbox"] = sandbox
    base = types.ModuleType("odoo.addons.b2b_connector_base")
    base.__path__ = [str(REPO / "b2b_connector_base")]
    sys.modules["odoo.addons.b2b_connector_base"] = base
    for addon in REPO.glob("b2b_*/__manifest__.py"):
        mod = types.ModuleType(f"odoo.addons.{addon.parent.name}")
        mod.__path__ = [str(addon.parent)]
        sys.modules.setdefault(mod.__name__, mod)


def collect():
    _import_peers_package()
    peers = []
    folder = REPO / "b2b_sandbox" / "peers"
    names = {p.stem for p in folder.glob("*.py")} | {p.parent.name for p in folder.glob("*/__init__.py")}
    for name in sorted(names):
        if name.startswith("_"):
            continue
        module = importlib.import_module(f"odoo.addons.b2b_sandbox.peers.{name}")
        if hasattr(module, "demo_peers"):
            peers.extend(module.demo_peers())
    return peers


def main():
    peers = collect()
    if "--list" in sys.argv:
        for p in peers:
            print(f"{p.name:20} http://{p.host}:{p.port}")
        return 0
    for p in peers:
        p.start()
        print(f"sandbox peer {p.name:20} on {p.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    for p in peers:
        p.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
