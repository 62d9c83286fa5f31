"""DICO (Ketenstandaard) messages: dataclasses, formats (INSBOU003, SALES005), wholesaler profiles."""

from .formats import FORMATS, get_format  # noqa: F401
from .model import *  # noqa: F401,F403
from .profiles import PROFILES, get_profile  # noqa: F401
