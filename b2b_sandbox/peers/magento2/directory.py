"""Countries and regions of the sandbox Magento 2 (``GET /V1/directory/countries/{countryId}``) and the
region rules of customer addresses.

Magento keeps a region list for some countries (``directory_country_region``): an address in such a country
stores its region as ``region_id``; where the store requires a state (``general/region/state_required``) an
address without ``region_id`` is refused ('"regionId" is required'). Countries without a list take the region
as free text. The sandbox knows a few countries, with a part of their regions (ids as Magento numbers them).
"""

from .store import INVALID_VALUE, REQUIRED, Magento2Store, _Refusal

COUNTRIES = {
    # id: (ISO3, English name, regions {code: (id, name)})
    "NL": ("NLD", "Netherlands", {}),
    "BE": ("BEL", "Belgium", {}),
    "GB": ("GBR", "United Kingdom", {}),
    "DE": ("DEU", "Germany", {
        "NDS": (79, "Niedersachsen"), "BAW": (80, "Baden-Württemberg"), "BAY": (81, "Bayern"),
        "BER": (82, "Berlin"), "BRG": (83, "Brandenburg"), "BRE": (84, "Bremen"), "HAM": (85, "Hamburg"),
        "HES": (86, "Hessen"), "MEC": (87, "Mecklenburg-Vorpommern"), "NRW": (88, "Nordrhein-Westfalen"),
        "RHE": (89, "Rheinland-Pfalz"), "SAR": (90, "Saarland"), "SAS": (91, "Sachsen"),
        "SAC": (92, "Sachsen-Anhalt"), "SCN": (93, "Schleswig-Holstein"), "THE": (94, "Thüringen")}),
    "US": ("USA", "United States", {
        "AL": (1, "Alabama"), "AK": (2, "Alaska"), "AZ": (4, "Arizona"), "CA": (12, "California"),
        "FL": (18, "Florida"), "IL": (23, "Illinois"), "NY": (43, "New York"), "TX": (57, "Texas"),
        "WA": (62, "Washington")}),
}
STATE_REQUIRED = frozenset({"US"})  # of the countries above, in Magento's default general/region/state_required


class Magento2Directory(Magento2Store):
    """The directory resource and the region check of addresses."""

    def _get_country(self, request, store, body, country):
        known = COUNTRIES.get(country.upper())
        if known is None:
            raise _Refusal(404, "Requested country is not available.")
        iso3, name, regions = known
        info = {"id": country.upper(), "two_letter_abbreviation": country.upper(), "three_letter_abbreviation": iso3,
                "full_name_locale": name, "full_name_english": name}
        if regions:  # Magento leaves the key out for a country without regions
            info["available_regions"] = [{"id": str(rid), "code": code, "name": rname}
                                         for code, (rid, rname) in regions.items()]
        return info

    @staticmethod
    def _address_region(address):
        """Check an address's region against its country; returns the address as stored (region filled in
        from ``region_id``). 400 as Magento answers: no region_id where the country requires one, an id that
        is no region of the country."""
        country = str(address.get("country_id") or "").upper()
        regions = COUNTRIES.get(country, (None, None, {}))[2]
        region = address.get("region") if isinstance(address.get("region"), dict) else {}
        region_id = address.get("region_id") or region.get("region_id")
        if not regions:
            return address
        if not region_id:
            if country in STATE_REQUIRED:
                raise _Refusal(400, REQUIRED, {"fieldName": "regionId"})
            return dict(address, region=None, region_id=None)  # a code alone names no region of the list
        by_id = {rid: (code, name) for code, (rid, name) in regions.items()}
        try:
            code, name = by_id[int(region_id)]
        except (KeyError, TypeError, ValueError):
            raise _Refusal(400, INVALID_VALUE, {"fieldName": "regionId", "value": region_id}) from None
        return dict(address, region_id=int(region_id),
                    region={"region_id": int(region_id), "region_code": code, "region": name})
