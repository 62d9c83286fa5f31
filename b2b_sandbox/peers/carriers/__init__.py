"""Sandbox parcel carriers (Colissimo, Chronopost, DHL Parcel) for the tests and the demo."""

from . import chronopost, colissimo


def demo_peers():
    return colissimo.demo_peers() + chronopost.demo_peers()
