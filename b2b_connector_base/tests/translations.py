"""Odoo-tier helpers for the translation tests of every addon: the languages an addon ships (fr, and nl,
sv, pl where their .po exist) activated and loaded as Odoo loads them, and the screens read in them."""

import pathlib

import polib

from odoo.modules.module import get_module_path

# .po file name -> the Odoo language it is loaded for
LANGUAGES = {"fr": "fr_FR", "nl": "nl_NL", "sv": "sv_SE", "pl": "pl_PL"}


class TranslationMixin:
    """Mix into a TransactionCase. ``_b2b_load_languages(addons)`` activates and loads the languages whose
    .po files the first addon ships, ``assertScreenTranslated`` checks a form view and menus in each."""

    def _b2b_load_languages(self, *addons):
        """Activate the languages of ``addons[0]``'s .po files and load the terms of ``addons`` in them;
        returns {language code: {msgid: msgstr}} of ``addons[0]``."""
        folder = pathlib.Path(get_module_path(addons[0])) / "i18n"
        catalogues = {LANGUAGES[path.stem]: {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr}
                      for path in sorted(folder.glob("*.po")) if path.stem in LANGUAGES}
        self.assertIn("fr_FR", catalogues, f"{addons[0]} ships no fr.po")
        for code in catalogues:
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(list(addons), list(catalogues), overwrite=True)
        return catalogues

    def assertScreenTranslated(self, catalogues, model, french, fields=(), menus=(), view_type="form"):
        """In French, the ``view_type`` view of ``model`` shows the texts of ``french`` ({English: French})
        and not their English, its ``fields`` have their French labels and the ``menus`` (xmlids) their
        French names (``french`` holds these too); in every other loaded language each of these texts is
        its .po's translation, not the English."""
        for code, terms in catalogues.items():
            expected = french if code == "fr_FR" else {en: terms.get(en) for en in french}
            env = self.env(context=dict(self.env.context, lang=code))
            arch = env[model].get_view(view_type=view_type)["arch"]
            labels = {name: desc["string"] for name, desc in env[model].fields_get(list(fields), ["string"]).items()}
            for english, translated in expected.items():
                with self.subTest(lang=code, text=english):
                    self.assertTrue(translated and translated != english, f"{code}: {english!r} is not translated")
            for name in fields:
                english = self.env[model]._fields[name].string
                with self.subTest(lang=code, field=name):
                    self.assertEqual(labels[name], expected[english])
            for xmlid in menus:
                english = self.env.ref(xmlid).with_context(lang="en_US").name
                with self.subTest(lang=code, menu=xmlid):
                    self.assertEqual(env.ref(xmlid).name, expected[english])
            shown = [en for en in expected if en not in {self.env[model]._fields[f].string for f in fields}
                     and en not in {self.env.ref(m).with_context(lang="en_US").name for m in menus}]
            for english in shown:
                with self.subTest(lang=code, view_text=english):
                    self.assertIn(expected[english], arch)
                    self.assertNotIn(f'"{english}"', arch)
