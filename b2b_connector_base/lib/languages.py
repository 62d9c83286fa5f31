"""Which of a list of language codes a peer's or a user's code means, whatever their spelling ("fr-CA",
"fr_ca", "FR", "sr@latin"): the one matching rule of Odoo's installed languages (``tools.languages``) and of the
languages a shop has (the shop adapters). Plain Python."""


def language_parts(code):
    """(language, region) of a code, lower case: ("fr", "ca") of "fr-CA" or "fr_CA"; ("sr", "") of "sr@latin"."""
    language, _sep, region = str(code or "").strip().replace("_", "-").partition("-")
    return language.split("@")[0].lower(), region.lower()


def nearest_language(code, available, main=()):
    """The one of ``available`` that ``code`` means: the same language and region, else the language's main
    variant (``main``: those of ``available`` that stand for their language alone, as Odoo's fr_FR whose ISO code
    is "fr"), else the bare language ("fr"), else another region of it; None when none is of that language."""
    language, region = language_parts(code)
    if not language:
        return None
    same = [candidate for candidate in available if language_parts(candidate)[0] == language]
    return (next((c for c in same if region and language_parts(c)[1] == region), None)
            or next((c for c in same if c in main), None)
            or next((c for c in same if not language_parts(c)[1]), None)
            or next(iter(same), None))
