"""Sandbox peers: small, real servers (HTTP/SOAP/REST) that play the remote side of each b2b-connect
protocol, written from the public specifications. Plain Python, no Odoo import: the pure tests, the
Odoo tests and the demo (setup/peers.py) all start them the same way."""
