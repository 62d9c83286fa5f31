"""Customers out to Magento 2 (linked by e-mail; the default addresses are updated in place)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from urllib.parse import quote

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_connector_base.lib.languages import nearest_language
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, chunks

from .client import MAX_PAGE_SIZE, Magento2Client


class Magento2Customers(Magento2Client):
    """``push_customers``."""

    # ------------------------------------------------------------------ customers
    def push_customers(self, customers):
        customers = list(customers)
        results = [None] * len(customers)
        for batch in chunks(list(enumerate(customers)), self.max_batch):
            emails = [(c.email or "").strip() for _i, c in batch if (c.email or "").strip()]
            existing = self._customers_by_email(emails)
            for index, customer in batch:
                email = (customer.email or "").strip()
                if not email:
                    results[index] = model.Result(customer.key, error=ShopError(
                        "shop.magento2.no_email", _lt("a customer needs an e-mail address"), kind="payload"))
                    continue
                found = existing.get(email.lower())
                results[index] = self._one(customer.key, lambda customer=customer, email=email, found=found: (
                    self._push_customer(customer, email, found)), customer.remote_id)
        return results

    def _customers_by_email(self, emails):
        if not emails:
            return {}
        plain = [e for e in emails if "," not in e]
        found = {}
        if plain:
            doing = Phrase(_lt("the customer search by e-mail"))
            items, _total = self._search("customers/search", doing, [[("email", ",".join(plain), "in")]],
                                         page_size=MAX_PAGE_SIZE)
            # the same e-mail may exist on several websites (account sharing per website): ours first
            items.sort(key=lambda c: str(c.get("website_id")) != str(self.customer_website_id))
            for item in items:
                found.setdefault(str(item.get("email", "")).lower(), item)
        return found

    def _push_customer(self, customer, email, existing):
        what = Phrase(_lt("customer %(email)s"), email=repr(email))
        if existing is None and customer.remote_id and str(customer.remote_id).isdigit():
            try:
                existing = self._request("GET", f"customers/{int(customer.remote_id)}", what)
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
        body = self._customer_body(customer, email, existing)
        if existing:
            remote_id = self._entity_id(existing, what)
            data = self._request("PUT", f"customers/{remote_id}", what, json=body)
            return model.Result(customer.key, remote_id=self._entity_id(data, what))
        data = self._request("POST", "customers", what, json=body)
        return model.Result(customer.key, remote_id=self._entity_id(data, what), created=True)

    def _customer_body(self, customer, email, existing):
        first, last = _names(customer.first_name, customer.last_name, customer.company, email)
        group = str(customer.group or "").strip()
        website_id = int(existing.get("website_id", self.customer_website_id)) if existing else self.customer_website_id
        data = {
            "email": email,
            "firstname": first,
            "lastname": last,
            "website_id": website_id,
            "group_id": int(group) if group.isdigit() else (
                int(existing.get("group_id", self.customer_group_id)) if existing else self.customer_group_id),
        }
        store_id = self._customer_store_id(customer, website_id)
        if store_id:  # the store view of the customer's language: their e-mails are sent from it
            data["store_id"] = int(store_id)
        if customer.vat:
            data["taxvat"] = customer.vat
        if existing:
            data["id"] = int(existing["id"])
        addresses = self._customer_addresses(customer, first, last, existing)
        if addresses is not None:
            data["addresses"] = addresses
        return {"customer": data}

    def _customer_store_id(self, customer, website_id):
        """The id of the store view of the customer's website in ``Customer.lang`` (the nearest locale), or None:
        the customer stays in the store view they have."""
        if not customer.lang:
            return None
        by_locale = {}
        for view in self._store_views():
            if view["website_id"] == str(website_id) and view["locale"] and view["id"] != "0":  # 0: admin
                by_locale.setdefault(view["locale"], view["id"])
        return by_locale.get(nearest_language(customer.lang, list(by_locale)))

    def _customer_addresses(self, customer, first, last, existing):
        """The addresses to send: ours as default billing/shipping (updating the current defaults in
        place), the customer's other addresses unchanged; None to leave them alone."""
        billing, shipping = customer.billing, customer.shipping
        roles = []
        if not billing.is_empty():
            roles.append(("billing", billing))
        if not shipping.is_empty():
            roles.append(("shipping", shipping))
        if not roles:
            return None
        old = [a for a in ((existing or {}).get("addresses") or []) if isinstance(a, dict)]
        default_ids = {"billing": str((existing or {}).get("default_billing") or ""),
                       "shipping": str((existing or {}).get("default_shipping") or "")}
        if len(roles) == 2 and billing == shipping:
            roles = [("both", billing)]
        ours, used = [], set()
        for role, address in roles:
            entry = _address_body(address, first, last, customer)
            entry.update(self._region_fields(address))
            entry["default_billing"] = role in ("billing", "both")
            entry["default_shipping"] = role in ("shipping", "both")
            for candidate in (("billing", "shipping") if role == "both" else (role,)):
                old_id = default_ids[candidate]
                if old_id and old_id not in used and any(str(a.get("id")) == old_id for a in old):
                    entry["id"] = int(old_id)
                    used.add(old_id)
                    break
            ours.append(entry)
        kept = []
        for address in old:
            if str(address.get("id")) in used:
                continue
            address = dict(address)
            if any(e["default_billing"] for e in ours):
                address["default_billing"] = False
            if any(e["default_shipping"] for e in ours):
                address["default_shipping"] = False
            kept.append(address)
        return ours + kept


    # ------------------------------------------------------------------ regions
    def _country_regions(self, country):
        """``{code: region}`` of the regions Magento has for ``country`` (``GET /V1/directory/countries/{id}``,
        its ``available_regions``; empty when it lists none), asked once per country and adapter."""
        country = (country or "").strip().upper()
        if country not in self._regions:
            what = Phrase(_lt("the regions of country %(country)s"), country=repr(country))
            try:
                info = self._request("GET", f"directory/countries/{quote(country, safe='')}", what)
            except ShopError as exc:
                if exc.kind != "not_found":
                    raise
                raise ShopError("shop.magento2.no_country", _lt("Magento does not offer country %(country)s"),
                                country=repr(country), kind="payload") from None
            regions = info.get("available_regions") if isinstance(info, dict) else None
            if regions is not None and not isinstance(regions, list):
                raise ShopError("shop.magento2.regions_not_list",
                                _lt("Magento answered %(what)s with available_regions that are not a list"),
                                what=what, kind="answer")
            self._regions[country] = {str(r.get("code") or "").upper(): r for r in regions or []
                                      if isinstance(r, dict) and r.get("id") and r.get("code")}
        return self._regions[country]

    def _region_fields(self, address):
        """The region of an address as Magento stores it: ``region_id`` of the country's region with the
        address's state code (Magento refuses a region without it where the country's regions are listed),
        or the code as free text for a country without regions."""
        code = (address.state_code or "").strip()
        if not code:
            return {}
        regions = self._country_regions(address.country_code)
        if not regions:
            return {"region": {"region": code, "region_code": code, "region_id": 0}}
        region = regions.get(code.upper())
        if region is None:
            known = ", ".join(sorted(regions)[:20])
            raise ShopError("shop.magento2.no_region",
                            _lt("Magento has no region %(region)s in country %(country)s (its regions: %(known)s)"),
                            region=repr(code), country=repr(address.country_code.upper()), known=known,
                            kind="payload")
        region_id = int(region["id"])
        return {"region_id": region_id,
                "region": {"region_id": region_id, "region_code": region["code"], "region": region.get("name") or ""}}


def _names(first, last, company, email):
    first, last = (first or "").strip(), (last or "").strip()
    if not first and not last:
        name = (company or "").strip() or email.split("@", 1)[0]
        first, _sep, last = name.partition(" ")
    if not first:
        first = last
    if not last:
        last = first
    return first, last


def _address_body(address, first, last, customer):
    body = {
        "firstname": address.first_name or first,
        "lastname": address.last_name or last,
        "street": [s for s in (address.street, address.street2) if s],
        "city": address.city,
        "postcode": address.zip,
        "country_id": address.country_code,
        "telephone": address.phone or customer.phone,
    }
    if address.company or customer.company:
        body["company"] = address.company or customer.company
    if address.vat or customer.vat:
        body["vat_id"] = address.vat or customer.vat
    return body


