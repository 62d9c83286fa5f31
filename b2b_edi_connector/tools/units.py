# Odoo unit of measure name -> UN/ECE Recommendation 20 code
UNIT_CODES = {
    "units": "PCE", "unit": "PCE", "pce": "PCE", "dozens": "DZN", "m": "MTR", "cm": "CMT", "mm": "MMT",
    "km": "KMT", "kg": "KGM", "g": "GRM", "l": "LTR", "ml": "MLT", "m²": "MTK", "m2": "MTK", "m³": "MTQ",
    "hours": "HUR", "days": "DAY", "roll": "RO", "box": "BX", "pack": "PK",
}


def unit_code(uom):
    """The UN/ECE code of an Odoo unit of measure (pieces when unknown)."""
    return UNIT_CODES.get((uom.name or "").strip().lower(), "PCE") if uom else "PCE"
