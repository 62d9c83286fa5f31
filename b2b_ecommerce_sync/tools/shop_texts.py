"""What an adapter writes into a shop for people, in the language set on its backend (``shop_lang``)."""

from odoo.addons.b2b_connector_base.tools.errors import say

from ..protocol.texts import ShopTexts


class OdooShopTexts(ShopTexts):
    """Each phrase as the addon that wrote it translates it into ``lang`` (empty or not installed: English)."""

    def __init__(self, env, lang):
        self.env = env
        self.language = lang or "en_US"
        self._forms = {}  # a note is looked for in every earlier note of an order: each phrase worded once

    def say(self, phrase):
        return say(self.env(context=dict(self.env.context, lang=self.language)), phrase)

    def forms(self, phrase):
        """In the shop's language, in English, then in every other installed language (the shop's language may
        have been another one when the text was written)."""
        key = (getattr(phrase, "module", ""), str(phrase))
        if key not in self._forms:
            others = [code for code, _name in self.env["res.lang"].get_installed() if code != self.language]
            worded = [self.say(phrase), str(phrase)]
            worded += [say(self.env(context=dict(self.env.context, lang=code)), phrase) for code in others]
            self._forms[key] = tuple(dict.fromkeys(worded))
        return self._forms[key]
