"""Translations: every addon ships the .pot Odoo exports (setup/i18n.sh writes it, setup/test.sh checks it
against the installed addons) and, for each language, a .po holding every term of it, translated, with
the same placeholders."""

import pathlib
import re

import polib
import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent for p in REPO.glob("*/__manifest__.py"))
# the languages every addon must have; a language whose .po files exist is checked wherever it exists
REQUIRED_LANGS = ("fr",)
# %(name)s, %s, %d, %r (not %%), and {name} of str.format / JavaScript's sprintf
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|(?<!%)%[sdrf]|\{\w*\}")


def _po_files():
    for addon in ADDONS:
        for path in sorted((addon / "i18n").glob("*.po")):
            yield addon, path


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_every_addon_ships_its_pot_and_the_required_languages(addon):
    i18n = addon / "i18n"
    assert (i18n / f"{addon.name}.pot").is_file(), f"{addon.name}: no i18n/{addon.name}.pot (run setup/i18n.sh)"
    missing = [lang for lang in REQUIRED_LANGS if not (i18n / f"{lang}.po").is_file()]
    assert not missing, f"{addon.name}: no {', '.join(f'i18n/{lang}.po' for lang in missing)}"


@pytest.mark.parametrize("addon,po_path", list(_po_files()), ids=lambda v: getattr(v, "name", str(v)))
def test_po_holds_every_term_of_the_pot_translated_with_its_placeholders(addon, po_path):
    pot = polib.pofile(str(addon / "i18n" / f"{addon.name}.pot"))
    po = polib.pofile(str(po_path))
    lang = po_path.stem
    assert po.metadata.get("Language") == lang, f"{po_path}: header Language is not {lang}"
    translated = {entry.msgid: entry for entry in po if not entry.obsolete}
    problems = []
    for term in pot:
        entry = translated.get(term.msgid)
        if entry is None:
            problems.append(f"missing msgid {term.msgid!r}")
        elif not entry.msgstr.strip():
            problems.append(f"empty msgstr for {term.msgid!r}")
        elif "fuzzy" in entry.flags:
            problems.append(f"fuzzy translation of {term.msgid!r}")
        elif _placeholders(entry.msgstr) != _placeholders(term.msgid):
            problems.append(f"placeholders of {term.msgid!r} differ: {entry.msgstr!r}")
    assert not problems, f"{addon.name}/i18n/{lang}.po:\n  " + "\n  ".join(problems)


def test_the_check_finds_what_it_should():
    """The placeholder rule itself: named and positional placeholders count, an escaped %% does not."""
    assert _placeholders("%(count)s exchange(s), %s, {name}, 100%%") == ["%(count)s", "%s", "{name}"]
    assert _placeholders("%(count)s échange(s)") != _placeholders("%(n)s échange(s)")
