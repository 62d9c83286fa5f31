"""Wholesaler deviations from the published DICO messages, as per-partner profiles.

Public converters and sample sets (see tests/fixtures/specs/SOURCES.md) document that wholesalers do not
all read an Order the same way: some match articles on 14-digit GTINs only, some on their own article
code and choke on GTINs they do not list, some refuse empty indicator elements or want the delivery
address spelled out instead of a GLN. A partner chooses the profile its wholesaler needs; nothing is
hard-coded per wholesaler name.
"""

from dataclasses import dataclass

from odoo.addons.b2b_connector_base.lib.gs1 import gtin14

from .model import DicoError


@dataclass(frozen=True)
class Profile:
    key: str
    label: str
    gtin14: bool = False  # GTINs left-padded to 14 digits
    supplier_code_only: bool = False  # no GTIN: the wholesaler matches on its own article code
    omit_empty_indicators: bool = True  # no empty DraftOrderIndicator / DeliveryOnDemandIndicator
    send_order_time: bool = True
    delivery_party_address: bool = True  # name and address of the delivery party, not only its GLN

    def format_gtin(self, value):
        return gtin14(value) if self.gtin14 else value


PROFILES = {
    p.key: p for p in (
        Profile("standard", "Standard (as published)", omit_empty_indicators=False),
        Profile("gtin14", "GTIN as 14 digits, no empty indicators", gtin14=True),
        Profile("article_code", "Wholesaler article code only (no GTIN)", supplier_code_only=True),
        Profile("gln_only", "Delivery party by GLN only, no order time", send_order_time=False,
                delivery_party_address=False),
    )
}


def get_profile(profile):
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile or "standard"]
    except KeyError:
        raise DicoError(f"unknown wholesaler deviation profile {profile!r}") from None
