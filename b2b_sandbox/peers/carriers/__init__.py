"""Sandbox parcel carriers (Colissimo, Chronopost, DHL Parcel) for the tests and the demo."""

from . import colissimo


def demo_peers():
    return colissimo.demo_peers()
