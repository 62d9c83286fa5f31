"""INSBOU003: the Ketenstandaard DICO messages of the installation sector, XML without a namespace
(MessageService: MsgFormat INSBOU, MsgVersion 003, what the wholesalers take in production today)."""

from ..format import DicoFormat, register

FORMAT = register(DicoFormat("INSBOU003", version="003", msg_format="INSBOU", label="INSBOU003"))
