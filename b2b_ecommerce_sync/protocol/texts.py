"""The words an adapter writes into the shop for people to read there: the note a customer gets with their
parcel or invoice, an order comment, a staff note. They are in the shop's language, not in the language of
whoever (or whichever job) made the call, and not always in English.

An adapter writes such a text as a :class:`~odoo.addons.b2b_connector_base.lib.errors.Phrase` and has it worded by
``adapter.texts``, a :class:`ShopTexts`. This one writes English; the Odoo layer hands the adapter one that
translates into the language chosen on the backend. ``forms`` gives every wording the shop may already carry
(the language may have changed since, and earlier versions wrote English), so that what marks a text as
written - an invoice number's note, say - is recognised in any of them and never written twice."""


class ShopTexts:
    """English: the text of each phrase as written."""

    language = "en_US"

    def say(self, phrase):
        """``phrase`` worded in the shop's language."""
        return str(phrase)

    def forms(self, phrase):
        """Every wording of ``phrase`` the shop may hold: in its language, in English, in the other languages
        it may have had; without repeats, the shop's language first."""
        return tuple(dict.fromkeys([self.say(phrase), str(phrase)]))


ENGLISH = ShopTexts()
