"""JSON round trip of the :mod:`.model` dataclasses.

An imported order is stored on its exchange as this JSON (what the shop said, in our words) and the
import is (re)played from it, so a retry never needs the shop again and the log shows exactly what was
applied. Decimals travel as strings, datetimes/dates as ISO 8601. A text of ours that the Odoo layer words in the
customer's language (a line's name "Coupon X", a :class:`Phrase`) travels as its English text and, beside it
(``name_phrase``), its template, parameters and addon, so the replayed import still words it.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import dataclasses
import json
import typing
from datetime import date, datetime
from decimal import Decimal

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt

from . import model
from .base import ShopError

_NESTED = {
    ("Order", "billing"): model.Address,
    ("Order", "shipping"): model.Address,
    ("Order", "lines"): model.OrderLine,
    ("Customer", "billing"): model.Address,
    ("Customer", "shipping"): model.Address,
    ("Product", "images"): model.Image,
}
# fields that may hold a Phrase: (class name, field)
_PHRASES = {("OrderLine", "name"), ("Order", "note")}


def _plain(value):
    if dataclasses.is_dataclass(value):
        plain = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                 if not (f.name == "data" and isinstance(getattr(value, f.name), bytes))}
        for cls_name, name in _PHRASES:
            phrase = getattr(value, name, None) if type(value).__name__ == cls_name else None
            if isinstance(phrase, Phrase):
                plain[name] = str(phrase)
                plain[f"{name}_phrase"] = _phrase_plain(phrase)
        return plain
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_dict(obj):
    return _plain(obj)


def dumps(obj, **kw):
    return json.dumps(_plain(obj), sort_keys=True, ensure_ascii=False, **kw)


def _convert(cls, name, value):
    hints = typing.get_type_hints(cls)
    hint = hints.get(name)
    nested = _NESTED.get((cls.__name__, name))
    if value is None:
        return None
    if nested and isinstance(value, list):
        return [from_dict(nested, v) for v in value]
    if nested:
        return from_dict(nested, value)
    if hint is Decimal:
        return Decimal(str(value))
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    return value


def from_dict(cls, data):
    if not isinstance(data, dict):
        raise ShopError("shop.data.not_object", _lt("expected an object for %(what)s, got %(got)s"), what=cls.__name__,
                        got=type(data).__name__, kind="answer")
    names = {f.name for f in dataclasses.fields(cls)}
    try:
        obj = cls(**{k: _convert(cls, k, v) for k, v in data.items() if k in names})
        for cls_name, name in _PHRASES:
            if cls.__name__ == cls_name and isinstance(data.get(f"{name}_phrase"), dict):
                setattr(obj, name, _phrase(data[f"{name}_phrase"]))
        return obj
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ShopError("shop.data.invalid", _lt("invalid %(what)s data: %(error)s"), what=cls.__name__, error=str(exc),
                        kind="answer") from None


def _phrase_plain(phrase):
    """A Phrase as JSON: its template, addon and parameters (a parameter that is a Phrase too, as such)."""
    return {"message": str(phrase.message_en), "module": phrase.module,
            "params": {str(k): _phrase_plain(v) if isinstance(v, Phrase) else str(v) for k, v in phrase.params.items()}}


def _phrase(data, depth=0):
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    # nested no deeper than a Phrase.join of phrases (and a stored payload is ours, but bounded all the same)
    phrase = Phrase(str(data.get("message") or ""), **{
        str(k): _phrase(v, depth + 1) if isinstance(v, dict) and depth < 3 else str(v) for k, v in params.items()})
    phrase.module = str(data.get("module") or "")  # the addon whose translations word it, not this one
    return phrase


def loads(cls, text):
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ShopError("shop.data.json", _lt("invalid JSON for %(what)s: %(error)s"), what=cls.__name__,
                        error=str(exc),
                        kind="answer") from None
    return from_dict(cls, data)
