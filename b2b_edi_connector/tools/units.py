from odoo.addons.b2b_connector_base.tools.uom import unece_code


def unit_code(uom):
    """The UN/ECE code of an Odoo unit of measure as DICO writes it (PCE for pieces and unknown units),
    found by the unit's external id, not by its (translated) name."""
    return unece_code(uom, piece="PCE")
