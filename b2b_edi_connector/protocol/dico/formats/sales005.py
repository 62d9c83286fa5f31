"""SALES005: the DICO message structure in the namespaces of the SALES standard.

Ketenstandaard names a SALES005 message's namespace ``http://www.ketenstandaard.nl/<message>/SALES/005``
after its Dutch name, as published for the price catalogue (``artikelbericht``) and the maintenance
messages (``onderhoudsopdracht``, ``onderhoudsstatus``, PEPPOL document types); the INSBOU004 invoice was
``http://www.gs1.nl/factuur/insbou/004`` and the INSBOU003 schemas are named Order, Orderbevestiging,
Verzendbericht and Factuur: those are the names of the four transaction messages here. MessageService
calls the format SALES, version 005 (Rexel's WSDL lists SALES among its MsgFormat values).
"""

from ..format import DicoFormat, register

PATTERN = "http://www.ketenstandaard.nl/{message}/SALES/005"
NAMESPACES = {
    "Order": PATTERN.format(message="order"),
    "OrderResponse": PATTERN.format(message="orderbevestiging"),
    "DespatchAdvice": PATTERN.format(message="verzendbericht"),
    "Invoice": PATTERN.format(message="factuur"),
}

FORMAT = register(DicoFormat("SALES005", namespaces=NAMESPACES, version="005", msg_format="SALES", label="SALES005"))
