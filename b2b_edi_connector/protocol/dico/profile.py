"""Wholesaler deviations from the published DICO messages.

Public converters and sample sets (see tests/fixtures/specs/SOURCES.md) document that wholesalers do not
all read an Order the same way: some match articles on 14-digit GTINs only, some on their own article
code and choke on GTINs they do not list, some refuse empty indicator elements or want the delivery
address spelled out instead of a GLN. The senders of wefabric/Message-Sender write every order to
Technische Unie, Rexel, Solar and Oosterberg with the same rules (``MessageSender::formatWithStandardRules``):
``LineIdentitfication`` for ``LineIdentification``, ``EndCustomerOrderNumber``, ``ProjectNumber``,
``BackhaulingIndicator`` and ``FreeText`` in place of their wrappers (also ``FreeText`` in the order line),
no GLN in the delivery party, no ``UltimateConsignee`` nor ``ShipFrom`` (we never send those two).
Each such way of reading is a :class:`Profile`; the profiles themselves are declared as records
(``b2b.edi.profile``, b2b_edi_connector/data/b2b_edi_profile_data.xml) and a partner chooses the one its
wholesaler needs. Nothing is hard-coded per wholesaler name.
"""

from dataclasses import dataclass

from odoo.addons.b2b_connector_base.lib.gs1 import gtin14


@dataclass(frozen=True)
class Profile:
    """How an Order is built for one wholesaler; the defaults are the messages as published."""

    key: str = "standard"
    label: str = "Standard (as published)"
    gtin14: bool = False  # GTINs left-padded to 14 digits
    supplier_code_only: bool = False  # no GTIN: the wholesaler matches on its own article code
    omit_empty_indicators: bool = False  # no empty DraftOrderIndicator / DeliveryOnDemandIndicator
    send_order_time: bool = True
    delivery_party_address: bool = True  # name and address of the delivery party, not only its GLN
    delivery_party_gln: bool = True  # the delivery party's GLN (the senders leave it out)
    line_identitfication: bool = False  # the order line's LineIdentification spelt LineIdentitfication
    flat_references: bool = False  # EndCustomerOrderNumber, ProjectNumber, FreeText without their wrappers

    def format_gtin(self, value):
        return gtin14(value) if self.gtin14 else value


STANDARD = Profile()
