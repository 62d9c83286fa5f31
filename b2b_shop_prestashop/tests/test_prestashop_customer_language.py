"""A customer pushed to PrestaShop gets their language there (its id_lang) when it is not the shop's, and keeps
getting it once sent (back in the shop's language too); the customers in the shop's language that Odoo never
gave one are sent as before the language was sent (the shop keeps theirs), and keep their fingerprint."""

import hashlib

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.b2b_ecommerce_sync.protocol import serialize
from odoo.addons.b2b_ecommerce_sync.tools import fingerprint
from odoo.addons.b2b_sandbox.peers import prestashop

from .common import PrestaShopMixin


@tagged("post_install", "-at_install")
class TestPrestaShopCustomerLanguage(PrestaShopMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the shop in en-US, fr-FR and nl-NL
        cls._prestashop_shop(prestashop.PrestaShopPeer(languages=("1", "2", "3")), shop_lang="en_US")
        for code in ("fr_FR", "nl_BE"):
            cls.env["res.lang"]._activate_lang(code)
        address = {"street": "Keizersgracht 1", "city": "Amsterdam", "zip": "1015 CJ",
                   "country_id": cls.env.ref("base.nl").id}
        cls.amelie, cls.joris, cls.sam = cls.env["res.partner"].create([
            {"name": "Amélie Durand", "email": "amelie@durand.example", "lang": "fr_FR", **address},
            {"name": "Joris Peeters", "email": "joris@peeters.example", "lang": "nl_BE", **address},
            {"name": "Sam Smith", "email": "sam@smith.example", "lang": "en_US", **address}])
        (cls.amelie | cls.joris | cls.sam).b2b_shop_backend_ids = [Command.link(cls.backend.id)]

    def _remote(self, partner):
        return self.peer.customers[int(partner.b2b_shop_binding_ids.remote_id)]

    def test_each_customer_in_their_language(self):
        run, children = self._run(self.backend, "customers")
        self.assertEqual(run.state, "done", run.error)
        self.assertEqual(children.mapped("state"), ["done"] * 3, children.mapped("error"))
        # Dutch of Belgium: the shop has Dutch (nl-NL); the shop's own language for Sam
        self.assertEqual([self._remote(p)["id_lang"] for p in (self.amelie, self.joris, self.sam)], ["2", "3", "1"])
        _run2, children2 = self._run(self.backend, "customers")
        self.assertFalse(children2, "unchanged customers are not sent again")
        self.amelie.lang = "nl_BE"
        _run3, children3 = self._run(self.backend, "customers")
        self.assertEqual(len(children3), 1, "a customer whose language changed is sent again")
        self.assertEqual(self._remote(self.amelie)["id_lang"], "3")
        self.assertEqual(self.amelie.b2b_shop_binding_ids.sent_lang, "nl-BE")
        self.assertFalse(self.sam.b2b_shop_binding_ids.sent_lang, "the shop gave Sam its own; Odoo sent none")

    def test_a_customer_back_in_the_shops_language_gets_it_back(self):
        self._run(self.backend, "customers")
        self.assertEqual(self._remote(self.amelie)["id_lang"], "2")
        self.amelie.lang = "en_US"  # the Shop Language
        _run, children = self._run(self.backend, "customers")
        self.assertEqual(len(children), 1)
        self.assertEqual(self._remote(self.amelie)["id_lang"], "1")
        self.assertEqual(self.amelie.b2b_shop_binding_ids.sent_lang, "en-US")
        _run, children = self._run(self.backend, "customers")
        self.assertFalse(children, "then she is unchanged")
        # a customer the shop gave its language, and who chose another one in the shop, keeps it
        self.peer.customers[int(self.sam.b2b_shop_binding_ids.remote_id)]["id_lang"] = "3"
        self.sam.phone = "+31 20 123 4567"
        _run, children = self._run(self.backend, "customers")
        self.assertEqual(len(children), 1)
        self.assertEqual(self._remote(self.sam)["id_lang"], "3")

    def test_a_customer_in_the_shops_language_keeps_the_fingerprint_it_had(self):
        """Customers synced before the language was sent: those in the shop's language are not sent again."""
        sam = self.sam.b2b_shop_binding_ids._shop_data()
        self.assertEqual(sam.lang, "")
        before = serialize.to_dict(sam)
        del before["lang"]  # what the fingerprint hashed before the field existed
        before["remote_id"] = ""
        self.assertEqual(fingerprint(sam), hashlib.sha1(serialize.dumps(before).encode()).hexdigest())
        amelie = self.amelie.b2b_shop_binding_ids._shop_data()
        self.assertEqual(amelie.lang, "fr-FR")
        self.assertNotEqual(fingerprint(amelie), fingerprint(sam.__class__(**{**vars(amelie), "lang": ""})))
