"""A peer's language code ("sv", "sv-SE", "fr_FR", "fr-fr") as the installed Odoo language it means."""

from ..lib.languages import language_parts, nearest_language


def installed_languages(env):
    """[(code, ISO code)] of the active languages, to give :func:`installed_lang` when it is called often."""
    return [(lang.code, lang.iso_code or "") for lang in env["res.lang"].sudo().search([])]


def installed_lang(env, code, languages=None):
    """The installed Odoo language of ``code``, or False: the very language and region, else the language's
    main variant (the one whose ISO code is the bare language: fr_FR for "fr-CA" without fr_CA), else another
    region of it (fr_BE). ``languages``: :func:`installed_languages`, read here when not given."""
    if not language_parts(code)[0]:
        return False
    if languages is None:
        languages = installed_languages(env)
    main = {lang_code for lang_code, iso in languages if iso and not language_parts(iso)[1]}
    return nearest_language(code, [lang_code for lang_code, _iso in languages], main) or False


def bcp47(lang):
    """An Odoo language code as a peer writes it (xml:lang, BCP 47): sr@latin -> sr-Latn, fr_FR -> fr-FR."""
    if not lang:
        return ""
    base, _at, script = lang.partition("@")
    parts = base.split("_")
    if script:
        parts.insert(1, {"latin": "Latn", "cyrillic": "Cyrl"}.get(script, script))
    return "-".join(parts)
