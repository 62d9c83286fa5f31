"""What the adapters write into a shop for people is worded by ``adapter.texts``, in the shop's language, and
what marks a text as written (an invoice's note, a tracking message) is recognised in any wording, so a shop
whose language changed is not written to twice (pure tier, a fake French ``ShopTexts``)."""

from datetime import date
from decimal import Decimal

import pytest

from odoo.addons.b2b_connector_base.lib.errors import Phrase
from odoo.addons.b2b_connector_base.lib.http import HttpClient
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.texts import ENGLISH, ShopTexts
from odoo.addons.b2b_sandbox.peers.magento2 import DEMO_TOKEN, Magento2Peer
from odoo.addons.b2b_sandbox.peers.prestashop import DEMO_KEY as PS_KEY
from odoo.addons.b2b_sandbox.peers.prestashop import PrestaShopPeer
from odoo.addons.b2b_sandbox.peers.shopify import PRIMARY_LOCATION, ShopifyPeer
from odoo.addons.b2b_sandbox.peers.woocommerce import DEMO_KEY, DEMO_SECRET, WooCommercePeer
from odoo.addons.b2b_shop_magento2.protocol import Magento2Adapter
from odoo.addons.b2b_shop_prestashop.protocol import PrestaShopAdapter
from odoo.addons.b2b_shop_shopify.protocol import ShopifyAdapter
from odoo.addons.b2b_shop_woocommerce.protocol import WooCommerceAdapter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FRENCH = {
    "Invoice %(number)s": "Facture %(number)s",
    "Invoice %(number)s: %(url)s%(amount)s": "Facture %(number)s : %(url)s%(amount)s",
    "Your order has been shipped with %(carrier)s.": "Votre commande a été expédiée avec %(carrier)s.",
    "Your order has been shipped.": "Votre commande a été expédiée.",
    "Tracking number: %(number)s.": "Numéro de suivi : %(number)s.",
    "Tracking number %(number)s: %(url)s": "Numéro de suivi %(number)s : %(url)s",
    "Track it at %(url)s": "Suivez-la sur %(url)s",
    "Track your parcel: %(url)s": "Suivez votre colis : %(url)s",
    "Order confirmed.": "Commande confirmée.",
    "Cancelled in Odoo": "Annulée dans Odoo",
    "Carrier": "Transporteur",
}


class French(ShopTexts):
    """A shop in French: the Odoo layer's translation, without Odoo."""

    language = "fr_FR"

    def say(self, phrase):
        if not isinstance(phrase, Phrase):
            return str(phrase)
        template = FRENCH.get(str(phrase.message_en), str(phrase.message_en))
        return template % {name: self.say(value) for name, value in phrase.params.items()}


class EnglishOnceFrench(ShopTexts):
    """A shop in English again, that was French: what it holds may be in either (as Odoo's, over every installed
    language)."""

    def forms(self, phrase):
        return tuple(dict.fromkeys([str(phrase), French().say(phrase)]))


def http_for(peer):
    return HttpClient(base_url=peer.url, retries=0, sleep=lambda s: None)


def test_english_by_default_and_forms_without_repeats():
    adapter = WooCommerceAdapter(HttpClient(base_url="http://127.0.0.1:9"), {"key": DEMO_KEY, "secret": DEMO_SECRET})
    assert adapter.texts is ENGLISH
    invoice = Phrase("Invoice %(number)s", number="F1")
    assert ENGLISH.forms(invoice) == ("Invoice F1",)
    assert French().forms(invoice) == ("Facture F1", "Invoice F1")


def test_woocommerce_notes_in_the_shop_language_and_an_english_note_is_not_written_again():
    with WooCommercePeer() as peer:
        peer.add_order(order_id=7, items=[{"sku": "A", "price": "1"}])
        peer.add_order(order_id=8, items=[{"sku": "A", "price": "1"}])
        english = WooCommerceAdapter(http_for(peer), {"key": DEMO_KEY, "secret": DEMO_SECRET},
                                     {"invoice_note_to_customer": True})
        french = WooCommerceAdapter(http_for(peer), {"key": DEMO_KEY, "secret": DEMO_SECRET},
                                    {"invoice_note_to_customer": True}, texts=French())
        shipment = model.Shipment(carrier="Colissimo", tracking_number="6A123", tracking_url="https://laposte.fr/6A123")
        french.update_order("7", "shipped", shipment=shipment, notify=True)
        (note,) = [n["note"] for n in peer.notes[7] if n["customer_note"]]
        assert note == ("Votre commande a été expédiée avec Colissimo. Numéro de suivi : 6A123. "
                        "Suivez-la sur https://laposte.fr/6A123")
        document = model.InvoiceDocument("FA/2026/0001", PDF, "fa.pdf", url="https://odoo.example/my/invoices/1",
                                         date=date(2026, 3, 4), amount_total=Decimal("60"), currency="EUR")
        french.attach_invoice("7", document)
        invoice_notes = [n["note"] for n in peer.notes[7] if "FA/2026/0001" in n["note"]]
        assert invoice_notes == ["Facture FA/2026/0001 (2026-03-04, EUR 60.00): https://odoo.example/my/invoices/1"]
        # the shop was English when the note was written, French now (and a later invoice came meanwhile): the
        # English note counts, none is added; "FA/2026/00010" is another invoice, not this one
        english.attach_invoice("8", document)
        french.attach_invoice("8", model.InvoiceDocument("FA/2026/00010", PDF, "x.pdf", url="https://o.example/10"))
        assert [n["note"] for n in peer.notes[8]][-1] == "Facture FA/2026/00010: https://o.example/10"
        assert french.attach_invoice("8", document) == "FA/2026/0001"
        assert [n["note"] for n in peer.notes[8] if "FA/2026/0001" in n["note"]] == [
            "Invoice FA/2026/0001 (2026-03-04, EUR 60.00): https://odoo.example/my/invoices/1",
            "Facture FA/2026/00010: https://o.example/10"]

        # a parcel without tracking number: its note is known by its first sentence, in either language
        peer.add_order(order_id=9, items=[{"sku": "A", "price": "1"}])
        english.update_order("9", "shipped", shipment=model.Shipment(carrier="DHL"), notify=True)
        french.update_order("9", "shipped", shipment=model.Shipment(carrier="DHL"), notify=True)
        assert [n["note"] for n in peer.notes[9] if n["customer_note"]] == ["Your order has been shipped with DHL."]


def test_prestashop_messages_in_the_shop_language_written_once():
    with PrestaShopPeer() as peer:
        oid = peer.add_order([{"name": "Thing", "price": "10", "quantity": 1}], state=3)
        english = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {}, texts=EnglishOnceFrench())
        french = PrestaShopAdapter(http_for(peer), {"key": PS_KEY}, {}, texts=French())
        shipment = model.Shipment(carrier="Colissimo", tracking_number="6A999",
                                  tracking_url="https://laposte.fr/6A999")
        french.update_order(str(oid), "shipped", shipment=shipment, notify=True)
        tracking = [n for n in peer.notes_for(oid) if "6A999" in n]
        assert tracking == ["Votre commande a été expédiée avec Colissimo. "
                            "Numéro de suivi 6A999 : https://laposte.fr/6A999"]
        document = model.InvoiceDocument("FA/2026/0002", PDF, "fa.pdf", url="https://odoo.example/my/invoices/2",
                                         amount_total=Decimal("12.10"), currency="EUR")
        english.attach_invoice(str(oid), document)
        assert peer.notes_for(oid)[-1] == "Invoice FA/2026/0002: https://odoo.example/my/invoices/2 (EUR 12.10)"
        before = len(peer.notes_for(oid))
        assert "already there" in french.attach_invoice(str(oid), document)
        assert len(peer.notes_for(oid)) == before
        other = model.InvoiceDocument("FA/2026/0003", PDF, "fa3.pdf", url="https://odoo.example/my/invoices/3")
        french.attach_invoice(str(oid), other)
        assert peer.notes_for(oid)[-1] == "Facture FA/2026/0003 : https://odoo.example/my/invoices/3"
        assert "already there" in english.attach_invoice(str(oid), other)  # the French message counts too


def test_magento_comments_in_the_shop_language_written_once():
    with Magento2Peer() as peer:
        peer.add_order(3, status="processing", paid=True, items=[{"sku": "A", "qty": 1, "price": 10}])
        french = Magento2Adapter(http_for(peer), {"key": DEMO_TOKEN}, {}, texts=French())
        shipment = model.Shipment(tracking_number="6A1", tracking_url="https://laposte.fr/6A1")
        french.update_order("3", "shipped", shipment=shipment, notify=True)
        [ship] = peer.shipments_of(3)
        assert ship["comments"][0]["comment"] == "Suivez votre colis : https://laposte.fr/6A1"
        assert ship["tracks"][0]["title"] == "Transporteur"
        peer.add_order(4, status="pending", items=[{"sku": "A", "qty": 1, "price": 10}])
        french.update_order("4", "confirmed", status="processing")
        assert peer.comments(4)[0]["comment"] == "Commande confirmée."
        document = model.InvoiceDocument("FA-9", PDF, "fa9.pdf", url="https://odoo.example/my/invoices/9",
                                         amount_total=Decimal("10"), currency="EUR")
        Magento2Adapter(http_for(peer), {"key": DEMO_TOKEN}, {}).attach_invoice("3", document)
        assert "already" in french.attach_invoice("3", document)
        assert [c["comment"] for c in peer.invoice_comments(3)] == [
            "Invoice FA-9 (10.00 EUR): https://odoo.example/my/invoices/9"]
        french.attach_invoice("4", document)
        assert peer.comments(4)[0]["comment"] == "Facture FA-9 (10.00 EUR): https://odoo.example/my/invoices/9"


@pytest.mark.parametrize("texts, note", [(ENGLISH, "Cancelled in Odoo"), (French(), "Annulée dans Odoo")])
def test_shopify_staff_note_in_the_shop_language(texts, note):
    with ShopifyPeer() as peer:
        gid = peer.add_order([{"sku": "SHOP-LAMP", "title": "Lamp", "quantity": 1, "price": "10.00"}])
        adapter = ShopifyAdapter(http_for(peer), {"key": peer.token}, {"location_id": PRIMARY_LOCATION}, texts=texts)
        adapter.update_order(gid, "cancelled")
        assert peer.cancellations[0]["staffNote"] == note
