"""Texts that plain-Python packages declare (marked with ``lib.errors._lt``) in the user's language."""

from odoo.tools.translate import code_translations

from ..lib.errors import addon_of


def declared_text(env, text, *modules):
    """``text`` as the first of ``modules`` (addon names, or module paths such as a class's ``__module__``)
    that translates it into the language of ``env``; ``text`` itself when none does."""
    lang = env.lang or "en_US"
    if not text or lang == "en_US":
        return text
    for module in modules:
        addon = addon_of(module) or module
        if addon:
            translated = code_translations.get_python_translations(addon, lang).get(text)
            if translated:
                return translated
    return text
