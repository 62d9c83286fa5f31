"""INSBOU003: the Ketenstandaard DICO messages of the installation sector, XML without a namespace."""

from ..format import DicoFormat, register

FORMAT = register(DicoFormat("INSBOU003", version="003", label="INSBOU003"))
