"""The simplest peer: ``GET /ping`` answers ``<pong/>`` when the ``X-Api-Key`` header is right (and the
``X-Api-Secret`` header, for a peer started with an ``api_secret``: two credentials, as most platforms have).

Used by the sandbox backend of b2b_sandbox to demonstrate (and test) what every connector shares:
credentials, HTTP retries, request budgets, XML safety, schedules and the exchange log.
"""

import datetime

from .server import PeerServer, Response


class PingPeer(PeerServer):
    name = "ping"

    def __init__(self, api_key="sandbox-key", api_secret=None, **kw):
        super().__init__(**kw)
        self.api_key = api_key
        self.api_secret = api_secret
        self._init_state()

    def _init_state(self):
        self.pings = 0

    def handle(self, request):
        if request.path.rstrip("/") != "/ping":
            return Response.text("no such endpoint", status=404)
        if request.header("X-Api-Key") != self.api_key or (
                self.api_secret is not None and request.header("X-Api-Secret") != self.api_secret):
            return Response.xml('<?xml version="1.0"?><error code="401">invalid API key</error>', status=401)
        with self.lock:
            self.pings += 1
            n = self.pings
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        return Response.xml(f'<?xml version="1.0"?><pong seq="{n}" time="{now}">sandbox</pong>')


def demo_peers():
    """Peers started by setup/peers.py for the demo database (ports match the demo data)."""
    return [PingPeer(api_key="sandbox-key", port=8070)]
