import pytest

from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_delivery_carrier.protocol.model import Address, Parcel, Shipment


@pytest.fixture
def shipment():
    def make(service, parcels=(1.5,), **kw):
        return Shipment(
            reference="WH/OUT/00042",
            sender=Address("Entrepôt", "12 rue des Entrepôts", "Lyon", "69007", "FR", company="B2B Connect SARL",
                           phone="+33 4 00 00 00 00", email="ship@example.com"),
            recipient=Address("Jeanne Client", "5 avenue des Tilleuls", "Paris", "75011", "FR", street2="Bâtiment B",
                              email="jeanne@example.com", phone="+33 6 12 34 56 78", lang="fr_FR"),
            parcels=[Parcel(f"PACK-{i}", weight) for i, weight in enumerate(parcels, 1)],
            service=service, **kw)
    return make


@pytest.fixture
def client():
    clients = []

    def make(peer, **kw):
        http = HttpClient(base_url=peer.url, retries=0, timeout=(5.0, 10.0), **kw)
        clients.append(http)
        return http
    yield make
    for http in clients:
        http.close()
