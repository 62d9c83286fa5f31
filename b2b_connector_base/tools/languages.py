"""A peer's language code ("sv", "sv-SE", "fr_FR", "fr-fr") as the installed Odoo language it means."""


def installed_languages(env):
    """[(code, ISO code)] of the active languages, to give :func:`installed_lang` when it is called often."""
    return [(lang.code, lang.iso_code or "") for lang in env["res.lang"].sudo().search([])]


def installed_lang(env, code, languages=None):
    """The installed Odoo language of ``code``, or False: the very language and region, else the language's
    main variant (the one whose ISO code is the bare language: fr_FR for "fr-CA" without fr_CA), else another
    region of it (fr_BE). ``languages``: :func:`installed_languages`, read here when not given."""
    language, _sep, region = (code or "").strip().replace("-", "_").partition("_")
    language, region = language.lower(), region.upper()
    if not language:
        return False
    if languages is None:
        languages = installed_languages(env)
    codes = {lang_code.lower(): lang_code for lang_code, _iso in languages}
    exact = codes.get(f"{language}_{region}".lower()) if region else None
    main = next((lang_code for lang_code, iso in languages if iso.lower() == language), None)
    other = next((lang_code for lang_code, _iso in languages
                  if lang_code.lower().split("_")[0].split("@")[0] == language), None)
    return exact or main or codes.get(language) or other or False


def bcp47(lang):
    """An Odoo language code as a peer writes it (xml:lang, BCP 47): sr@latin -> sr-Latn, fr_FR -> fr-FR."""
    if not lang:
        return ""
    base, _at, script = lang.partition("@")
    parts = base.split("_")
    if script:
        parts.insert(1, {"latin": "Latn", "cyrillic": "Cyrl"}.get(script, script))
    return "-".join(parts)
