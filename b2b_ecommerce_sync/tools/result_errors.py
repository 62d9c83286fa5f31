"""A record a shop refused, said in the user's language."""

from odoo.addons.b2b_connector_base.tools.errors import say


def result_error(env, result):
    """The error of ``result`` (an adapter's ``Result``) in the language of ``env``: its ``problem`` translated
    when the adapter raised or made one, else its text as it is (the shop's own words)."""
    return say(env, result.problem) if result.problem is not None else result.error
