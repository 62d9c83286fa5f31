"""Words of ours inside an error (``Phrase``): English when read as text, kept apart so that the Odoo layer can say
them in the user's language with the error around them."""

from odoo.addons.b2b_connector_base.lib.errors import Phrase, ProtocolError, addon_of


def test_a_phrase_reads_as_the_english_it_was_written_in():
    phrase = Phrase("updating product %(sku)s", sku="DESK-1")
    assert str(phrase) == "updating product DESK-1"
    assert (phrase.message_en, phrase.params) == ("updating product %(sku)s", {"sku": "DESK-1"})
    assert repr(phrase) == "Phrase('updating product DESK-1')"
    assert phrase == "updating product DESK-1" and "DESK-1" in phrase  # read as text, it is its English text
    assert phrase.module == ""  # written by the tests, not by an addon: nothing to translate it with


def test_an_error_around_a_phrase_reads_as_one_english_sentence():
    error = ProtocolError("shop.test.refused", "Shop refused %(what)s: %(error)s",
                          what=Phrase("creating customer %(email)s", email="a@b.example"), error="e-mail taken")
    assert str(error) == "Shop refused creating customer a@b.example: e-mail taken"
    assert isinstance(error.params["what"], Phrase)  # kept for the translation


def test_a_phrase_records_the_addon_that_wrote_it():
    namespace = {"__name__": "odoo.addons.b2b_shop_prestashop.protocol.catalogue", "Phrase": Phrase}
    exec("phrase = Phrase('the resource list')", namespace)  # noqa: S102 - code as an addon's module runs it
    assert namespace["phrase"].module == "b2b_shop_prestashop" == addon_of(namespace["__name__"])


def test_phrases_joined_read_one_after_the_other_and_keep_their_parts():
    done = Phrase.join([Phrase("status %(status)s", status="completed"), "note", Phrase("all sent")], "; ")
    assert done == "status completed; note; all sent"
    assert isinstance(done.params["p0"], Phrase) and done.params["p1"] == "note"
    assert Phrase.join([]) == ""
