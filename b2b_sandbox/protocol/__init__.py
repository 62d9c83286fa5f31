"""The other side of our protocols, as the sandbox peers play it: what a wholesaler and a procurement system
build and parse. Plain Python, no Odoo import; used by the peers, the tests and the benchmarks, never by
the production addons (whose ``protocol/`` packages hold only our side).

``dico.py`` / ``messageservice.py`` mirror b2b_edi_connector's ``protocol/dico`` / ``protocol/messageservice.py``;
``cxml.py``, ``oci.py``, ``peppol.py`` mirror b2b_punchout's ``protocol/`` modules of the same names.
"""
