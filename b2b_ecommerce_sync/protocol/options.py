"""What a shop adapter says about itself: the credentials it reads and its options, typed and documented.

An adapter class declares ``credential_specs`` (:class:`Credential`: which of the backend's secret fields
"key" / "secret" / "extra" it reads, with a label and help) and ``option_specs`` (:class:`Option`: name,
label, type, default, help, choices). The Odoo side builds the backend form from these; the adapter reads
its options typed by :func:`coerce_options`, since they may arrive as text (the form, an import), where
"False" must be false and "5" a number.
"""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from dataclasses import dataclass

from odoo.addons.b2b_connector_base.lib.errors import _lt

from .errors import ShopError

CREDENTIAL_NAMES = ("key", "secret", "extra")  # the secret fields of a shop backend
OPTION_TYPES = ("bool", "int", "float", "char", "selection")
_PYTHON_TYPES = {"bool": bool, "int": int, "float": float, "char": str, "selection": str}
_YES = ("1", "true", "yes", "y", "on")
_NO = ("0", "false", "no", "n", "off", "none")


def choice(value, label):
    """A choice of a selection option: ``(value, label)``. Written ``choice("draft", _lt("Draft"))`` so that
    Odoo's term extractor, which takes a parenthesis right after an ``_lt(...)`` call for another one, does
    not mistake the next choice's value for a term to translate."""
    return (value, label)


@dataclass(frozen=True)
class Credential:
    """A secret the platform reads from the backend field ``name`` ("key", "secret" or "extra"), shown as
    ``label`` with ``help``; ``required``: the adapter cannot work without it."""

    name: str
    label: str
    help: str = ""
    required: bool = True

    def __post_init__(self):
        if self.name not in CREDENTIAL_NAMES:
            raise ValueError(f"credential {self.name!r} is not one of {', '.join(CREDENTIAL_NAMES)}")


@dataclass(frozen=True)
class Option:
    """A platform option: ``type`` is one of :data:`OPTION_TYPES`, ``default`` a value of that type (for a
    "selection", one of the values of ``selection``: ``((value, label), ...)``)."""

    name: str
    label: str
    type: str = "char"
    default: object = ""
    help: str = ""
    selection: tuple = ()

    def __post_init__(self):
        if self.type not in OPTION_TYPES:
            raise ValueError(f"option {self.name}: type {self.type!r} is not one of {', '.join(OPTION_TYPES)}")
        if bool(self.selection) != (self.type == "selection"):
            raise ValueError(f"option {self.name}: a selection, and only a selection, has choices")
        wanted = _PYTHON_TYPES[self.type]
        if not isinstance(self.default, wanted) or (wanted is int and isinstance(self.default, bool)):
            raise ValueError(f"option {self.name}: default {self.default!r} is not a {self.type}")
        if self.selection and self.default not in self.values:
            raise ValueError(f"option {self.name}: default {self.default!r} is not one of its choices")

    @classmethod
    def inferred(cls, name, default):
        """An option known only by its default (its type is the default's)."""
        for type_name in ("bool", "int", "float"):
            if type(default) is _PYTHON_TYPES[type_name]:
                return cls(name, name, type_name, default)
        return cls(name, name, "char", default)

    @property
    def values(self):
        return tuple(value for value, _label in self.selection)

    def coerce(self, value, label="shop"):
        """``value`` (often text) as a value of this option; :class:`ShopError` (kind "config") when it is not one."""
        try:
            if self.type == "bool":
                text = str(value).strip().lower()
                if text not in _YES + _NO:
                    raise ValueError("not yes or no")
                return text in _YES
            if self.type == "int":
                return int(str(value).strip())
            if self.type == "float":
                return float(str(value).strip())
            if self.type == "selection":
                text = str(value).strip()
                if text not in self.values:
                    raise ShopError("shop.option.choice", _lt("%(shop)s option %(option)s: %(value)s is not one of "
                                                              "%(values)s"),
                                    shop=label, option=self.name, value=repr(value), values=", ".join(self.values),
                                    kind="config")
                return text
        except ValueError:
            raise ShopError("shop.option.type", _lt("%(shop)s option %(option)s: %(value)s is not a valid %(type)s"),
                            shop=label, option=self.name, value=repr(value), type=self.type, kind="config") from None
        return value

    def describe(self):
        """One line of documentation: name, type, default, label and help."""
        default = "" if self.default == "" else f", {self.default!r}"
        text = f"``{self.name}`` ({self.type}{default}): {self.label}"
        if self.selection:
            text += " (" + ", ".join(f"{value!r} {choice}" for value, choice in self.selection) + ")"
        return text + (f"; {self.help}" if self.help else "")


def coerce_options(specs, options, label="shop"):
    """The options with every default filled in and every declared one typed (:meth:`Option.coerce`); an empty
    text keeps the default, unknown keys pass as given. ``specs``: :class:`Option` declarations, or a dict
    ``{name: default}`` (each option typed like its default)."""
    if isinstance(specs, dict):
        specs = [Option.inferred(name, default) for name, default in specs.items()]
    declared = {spec.name: spec for spec in specs}
    result = {spec.name: spec.default for spec in specs}
    for key, value in options.items():
        spec = declared.get(key)
        if value is None or (value == "" and spec):
            continue
        result[key] = spec.coerce(value, label) if spec else value
    return result


def merged_specs(own, inherited):
    """``own`` declarations first, then the inherited ones they do not redeclare (by name)."""
    specs = {}
    for spec in (*own, *inherited):
        specs.setdefault(spec.name, spec)
    return tuple(specs.values())


def describe(cls):
    """The credentials and options of an adapter class, as documentation (appended to its docstring)."""
    lines = []
    if cls.credential_specs:
        lines += ["", "Credentials (``credential_specs``):", ""]
        for credential in cls.credential_specs:
            text = f"* ``{credential.name}``: {credential.label}" + ("" if credential.required else " (optional)")
            lines.append(text + (f"; {credential.help}" if credential.help else ""))
    if cls.option_specs:
        lines += ["", "Options (``option_specs``; text is typed by ``coerce_options``):", ""]
        lines += [f"* {spec.describe()}" for spec in cls.option_specs]
    return "\n".join(f"    {line}" if line else "" for line in lines) + "\n"
