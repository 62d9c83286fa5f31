"""Errors of the plain-Python protocol packages that the Odoo layer shows in the user's language.

A protocol package cannot translate (no Odoo here), so its errors carry what is needed to do it later:
a stable ``code`` (for logs and tests), the English ``message`` template with named placeholders and the
``params`` to fill it with. The template is marked with :func:`_lt`, so that Odoo's exporter puts it in
the ``.pot`` of the addon that raises it; ``module`` records that addon, where the translation is looked
up (``tools.errors.user_message``)::

    from odoo.addons.b2b_connector_base.lib.errors import ProtocolError, _lt

    raise DicoError("dico.order.no_lines", _lt("Order %(order)s has no lines."), order=order.number)

``str(exc)`` is the English text, as before.
"""

import sys


def _lt(message):
    """Marks an English template for Odoo's term exporter (which extracts ``_lt("...")``); returns it as is."""
    return message


def addon_of(module_name):
    """``odoo.addons.<addon>.x.y`` -> ``<addon>``; anything else -> ``""``."""
    parts = (module_name or "").split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["odoo", "addons"] else ""


class ProtocolError(Exception):
    """An error written for people, with its code, English template and parameters.

    ``ProtocolError(code, message, **params)``; ``ProtocolError(message)`` (no code, nothing to fill in)
    is accepted for errors whose whole text comes from a peer."""

    user_facing = True
    default_code = "protocol"

    def __init__(self, code, message=None, /, **params):
        if message is None:
            code, message = self.default_code, code
        self.code = code
        self.message_en = message
        self.params = params
        self.module = self._raising_addon()
        super().__init__(self._format(message, params))

    @staticmethod
    def _format(template, params):
        if not params:
            return template
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            return f"{template} {params!r}"

    def _raising_addon(self):
        # the first frame outside the constructors of the error classes is the code that raises
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is self:
            frame = frame.f_back
        return addon_of(frame.f_globals.get("__name__")) if frame is not None else ""


class Phrase(str):
    """Words of ours a plain-Python package writes for people - what was being done when a peer refused (e.g.
    ``PrestaShop refused %(what)s: ...`` with ``what=Phrase(_lt("updating product %(sku)s"), sku=sku)``), or what
    it did (``update_order``'s summary) - that the Odoo layer says in the user's language. The string itself is the
    English text, so a caller that takes it as text reads what a plain string said before."""

    def __new__(cls, message, /, **params):
        phrase = super().__new__(cls, ProtocolError._format(message, params))
        phrase.message_en = message
        phrase.params = params
        phrase.module = addon_of(sys._getframe(1).f_globals.get("__name__"))
        return phrase

    def __repr__(self):
        return f"Phrase({str(self)!r})"

    @staticmethod
    def join(parts, separator=", "):
        """``parts`` (phrases or plain text) read one after the other, each said in the user's language."""
        parts = list(parts)
        template = separator.replace("%", "%%").join(f"%(p{n})s" for n in range(len(parts)))
        return Phrase(template, **{f"p{n}": part for n, part in enumerate(parts)})
