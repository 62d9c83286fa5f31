"""SALES005: the same DICO message structure as INSBOU003, in the SALES005 namespace."""

from ..format import DicoFormat, register

NAMESPACE = "https://www.ketenstandaard.nl/berichten/SALES005"

FORMAT = register(DicoFormat("SALES005", namespace=NAMESPACE, version="005", label="SALES005"))
