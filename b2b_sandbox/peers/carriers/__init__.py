"""Sandbox parcel carriers (Colissimo, Chronopost, DHL Parcel) for the tests and the demo."""

from . import chronopost, colissimo, dhl_parcel


def demo_peers():
    return colissimo.demo_peers() + chronopost.demo_peers() + dhl_parcel.demo_peers()
