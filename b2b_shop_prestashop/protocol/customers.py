"""Customers and their addresses out to PrestaShop (linked by e-mail; guest checkouts are left alone)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re
import secrets as _secrets

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_connector_base.lib.languages import nearest_language
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import chunks

from .client import PrestaShopClient
from .webservice import _DIGITS, RecordRefused, _flag, _or_safe, _pick


class PrestaShopCustomers(PrestaShopClient):
    """``push_customers``."""

    # ------------------------------------------------------------------ customers
    def push_customers(self, customers):
        results = []
        for batch in chunks(customers, self.max_batch):
            ids = [c.remote_id for c in batch if _DIGITS.match(str(c.remote_id or ""))]
            by_id = {str(r["id"]): r for r in self._list_in("customers", "id", ids, extra={"deleted": "[0]"})}
            emails = [c.email for c in batch if c.email and str(c.remote_id or "") not in by_id]
            by_email, unsearchable = self._find_by_values("customers", "email", emails, extra={"deleted": "[0]"})
            created, saved = {}, []
            for customer in batch:
                result = self._push_customer(customer, by_id, by_email, unsearchable, created)
                results.append(result)
                if result.ok:
                    saved.append((customer, result))
            if saved:
                self._push_addresses(saved)
        return results

    def _customer_fields(self, customer, create):
        fields = {
            "firstname": (customer.first_name or "").strip() or "-",
            "lastname": (customer.last_name or "").strip() or "-",
            "email": customer.email.strip(),
            "company": customer.company or "",
        }
        group = str(customer.group or "").strip()
        if group and not _DIGITS.match(group):
            raise RecordRefused("shop.prestashop.bad_group",
                                _lt("customer group %(group)s is not a PrestaShop group id"),
                                group=repr(group))
        if group or create:
            group = group or str(self.options["default_group"])
            fields["id_default_group"] = group
            fields["associations"] = {"groups": ("group", [{"id": group}])}
        language = self._customer_language(customer)
        if language:  # the language of the customer's e-mails and account pages
            fields["id_lang"] = language
        if create:
            fields.update({"passwd": _secrets.token_urlsafe(18), "active": "1", "newsletter": "0", "optin": "0"})
            fields.setdefault("id_lang", self.language)
        return fields

    def _customer_language(self, customer):
        """The id of the shop's language of ``customer`` (``Customer.lang``), or None: the shop's own (a
        language the shop has not, or a key that may not read the languages, leaves the customer's as it is)."""
        if not customer.lang:
            return None
        languages = self._optional_languages(self._active_languages)
        return languages.get(nearest_language(customer.lang, list(languages)))

    def _active_languages(self):
        """{code: id} of the shop's active languages, each by its locale, language code and ISO code."""
        if "active_languages" not in self._cache:
            codes = {}
            for row in self._list("languages", {"active": "[1]"}, display="full"):
                for name in ("locale", "language_code", "iso_code"):
                    code = str(row.get(name) or "").strip()
                    if code:
                        codes.setdefault(code, str(row["id"]))
            self._cache["active_languages"] = codes
        return self._cache["active_languages"]

    def _push_customer(self, customer, by_id, by_email, unsearchable, created):
        email = (customer.email or "").strip()
        key = customer.key
        if not email:
            return model.Result(key=key, error=RecordRefused(
                "shop.prestashop.no_email", _lt("a PrestaShop customer needs an e-mail address")))
        rid = ""
        try:
            remote = by_id.get(str(customer.remote_id or ""))
            if remote is None:
                remote = created.get(email.casefold())
            if remote is None:
                if email in unsearchable:
                    raise RecordRefused("shop.prestashop.email_unsearchable",
                                        _lt("the e-mail %(email)s cannot be searched with PrestaShop's filters"),
                                        email=repr(email))
                # a registered account wins over guest checkouts with the same address
                remote = _pick(by_email.get(email.casefold()), email, "email", self.language,
                               prefer=lambda r: 1 if _flag(r.get("is_guest")) else 0)
                if remote is not None and _flag(remote.get("is_guest")):
                    remote = None
            if remote is not None:
                rid = str(remote["id"])
                changes = self._changes(remote, self._customer_fields(customer, create=False))
                if "email" in changes and changes["email"].casefold() == str(remote.get("email", "")).casefold():
                    del changes["email"]
                if changes:
                    self._write("PATCH", "customers", "customer", {"id": rid, **changes}, rid,
                                what=Phrase(_lt("updating customer %(email)s"), email=email))
                return model.Result(key=key, remote_id=rid)
            record = self._write("POST", "customers", "customer", self._customer_fields(customer, create=True),
                                 what=Phrase(_lt("creating customer %(email)s"), email=email))
            rid = str(record["id"])
            created[email.casefold()] = record
            return model.Result(key=key, remote_id=rid, created=True)
        except RecordRefused as exc:
            return model.Result(key=key, remote_id=rid, error=exc)

    def _country_ids(self, codes):
        cache = self._cache.setdefault("country_iso", {})
        missing = [c for c in dict.fromkeys(c.upper() for c in codes if c)
                   if c not in cache and re.fullmatch(r"[A-Z]{2}", c)]
        if missing:
            for row in self._list("countries", {"iso_code": "[" + "|".join(missing) + "]"}, display="[id,iso_code]"):
                cache[str(row.get("iso_code") or "").upper()] = str(row["id"])
        return cache

    def _state_id(self, country_id, code):
        cache = self._cache.setdefault("state_iso", {})
        key = (country_id, code.upper())
        if key not in cache:
            cache[key] = ""
            if _or_safe(code):
                rows = self._list("states", {"id_country": f"[{country_id}]", "iso_code": f"[{code}]"},
                                  display="[id,iso_code,id_country]")
                match = _pick(rows, code, "iso_code", self.language)
                cache[key] = str(match["id"]) if match else ""
        return cache[key]

    def _address_fields(self, customer, address, alias, customer_id, countries):
        country = (address.country_code or "").upper()
        if country not in countries:
            raise RecordRefused("shop.prestashop.unknown_country",
                                _lt("country %(country)s of the %(address)s address is not known to the shop"),
                                country=country or "(none)", address=alias.lower())
        country_id = countries[country]
        state_id = self._state_id(country_id, address.state_code) if address.state_code else ""
        return {
            "id_customer": customer_id,
            "alias": alias,
            "firstname": (address.first_name or customer.first_name or "").strip() or "-",
            "lastname": (address.last_name or customer.last_name or "").strip() or "-",
            "company": address.company or customer.company or "",
            "address1": address.street or "",
            "address2": address.street2 or "",
            "postcode": address.zip or "",
            "city": address.city or "",
            "id_country": country_id,
            "id_state": state_id or "0",
            "phone": address.phone or customer.phone or "",
            "vat_number": address.vat or customer.vat or "",
        }

    def _push_addresses(self, saved):
        countries = self._country_ids([a.country_code for c, _r in saved for a in (c.billing, c.shipping)
                                       if not a.is_empty()])
        existing = {}
        for row in self._list_in("addresses", "id_customer", [r.remote_id for _c, r in saved],
                                 extra={"deleted": "[0]"}):
            existing.setdefault(str(row.get("id_customer")), []).append(row)
        for customer, result in saved:
            wanted = []
            if not customer.billing.is_empty():
                wanted.append((self.options["billing_alias"], customer.billing))
            if not customer.shipping.is_empty() and customer.shipping != customer.billing:
                wanted.append((self.options["shipping_alias"], customer.shipping))
            errors = []
            for alias, address in wanted:
                try:
                    fields = self._address_fields(customer, address, alias, result.remote_id, countries)
                    current = _pick(existing.get(result.remote_id), alias, "alias", self.language)
                    if current is None:
                        self._write("POST", "addresses", "address", fields,
                                    what=Phrase(_lt("creating the address %(alias)s of %(email)s"),
                                                     alias=alias, email=customer.email))
                    else:
                        aid = str(current["id"])
                        changes = self._changes(current, fields)
                        if changes:
                            self._write("PATCH", "addresses", "address", {"id": aid, **changes}, aid,
                                        what=Phrase(_lt("updating the address %(alias)s of %(email)s"),
                                                         alias=alias, email=customer.email))
                except RecordRefused as exc:
                    errors.append(exc)
            if errors:
                result.refuse(Phrase.join(errors, "; "))

