"""DICO (Ketenstandaard) messages: dataclasses, formats (INSBOU003, SALES005) and the deviation profile an
Order is built with. Only our side is here: build and validate the Order, parse what the wholesaler
answers; the wholesaler's side is in b2b_sandbox/protocol/dico.py."""

from . import formats  # noqa: F401  (registers every format)
from .format import DEFAULT_FORMAT, FORMATS, DicoFormat, get_format, register  # noqa: F401
from .model import *  # noqa: F401,F403
from .profile import STANDARD, Profile  # noqa: F401
