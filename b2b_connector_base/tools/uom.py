"""Units of measure as UN/ECE Recommendation 20 codes, by what the unit is (its external id), never by
its name: a unit renamed or translated ("Stuks", "Unités") keeps its code. The table is the one of
Odoo's account_edi_ubl_cii (``UOM_TO_UNECE_CODE``, read with ``_get_uom_unece_code``), which our
addons do not depend on."""

UOM_TO_UNECE_CODE = {
    "uom.product_uom_unit": "C62",
    "uom.product_uom_dozen": "DZN",
    "uom.product_uom_pack_6": "HD",
    "uom.product_uom_kgm": "KGM",
    "uom.product_uom_gram": "GRM",
    "uom.product_uom_day": "DAY",
    "uom.product_uom_hour": "HUR",
    "uom.product_uom_ton": "TNE",
    "uom.product_uom_meter": "MTR",
    "uom.product_uom_km": "KMT",
    "uom.product_uom_cm": "CMT",
    "uom.product_uom_millimeter": "MMT",
    "uom.product_uom_litre": "LTR",
    "uom.product_uom_milliliter": "MLT",
    "uom.product_uom_cubic_meter": "MTQ",
    "uom.product_uom_square_meter": "MTK",
    "uom.product_uom_lb": "LBR",
    "uom.product_uom_oz": "ONZ",
    "uom.product_uom_inch": "INH",
    "uom.product_uom_foot": "FOT",
    "uom.product_uom_mile": "SMI",
    "uom.product_uom_floz": "OZA",
    "uom.product_uom_qt": "QT",
    "uom.product_uom_gal": "GLL",
    "uom.product_uom_cubic_inch": "INQ",
    "uom.product_uom_cubic_foot": "FTQ",
    "uom.product_uom_square_foot": "FTK",
    "uom.product_uom_yard": "YRD",
}
# "one piece" in the code lists of the protocols that name it otherwise than UN/ECE's C62
PIECE_CODES = frozenset({"C62", "H87", "PCE", "EA"})


def _codes_by_id(env):
    """{uom id: code} of the known units; ir.model.data caches each lookup (ormcache), so a cart of
    many lines asks the database nothing more than the units' own fields."""
    data = env["ir.model.data"]
    codes = {}
    for xmlid, code in UOM_TO_UNECE_CODE.items():
        res_id = data._xmlid_to_res_id(xmlid, raise_if_not_found=False)
        if res_id:
            codes[res_id] = code
    return codes


def unece_code(uom, piece="C62"):
    """The UN/ECE code of ``uom``; ``piece`` for Units, for a unit equal to Units and for a unit without
    a known code (as Odoo's EDI does). A unit of a user (no external id) that is one of a known unit
    (relative factor 1) takes that unit's code."""
    uom = uom.sudo()[:1] if uom else uom
    codes = _codes_by_id(uom.env) if uom else {}
    seen = set()
    while uom and uom.id not in seen:
        seen.add(uom.id)
        code = codes.get(uom.id)
        if code:
            return piece if code == "C62" else code
        if not (uom.relative_uom_id and uom.relative_factor == 1):
            break
        uom = uom.relative_uom_id
    return piece
