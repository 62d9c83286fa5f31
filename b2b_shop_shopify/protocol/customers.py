"""Customers out to Shopify (linked by e-mail)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

import re

from odoo.addons.b2b_connector_base.lib.errors import _lt
from odoo.addons.b2b_connector_base.lib.languages import nearest_language
from odoo.addons.b2b_ecommerce_sync.protocol.base import ShopError, chunks
from odoo.addons.b2b_ecommerce_sync.protocol.model import Result

from .client import ShopifyClient, _email_of, _errors_text, _search_value


class ShopifyCustomers(ShopifyClient):
    """``push_customers``."""

    _locales = None  # the shop's published locales, read once per adapter

    # ------------------------------------------------------------------ customers
    def push_customers(self, customers):
        customers = list(customers)
        results = {}
        for batch in chunks(customers, self.max_batch):
            by_email = self._customers_by_email([c.email for c in batch if not c.remote_id and c.email])
            for customer in batch:
                results[customer.key] = self._push_customer(customer, by_email)
        return [results[c.key] for c in customers]

    def _customers_by_email(self, emails):
        found = {}
        wanted = sorted({e.strip().lower() for e in emails if e and e.strip()})
        for part in chunks(wanted, int(self._opt("lookup_chunk"))):
            query = " OR ".join(f"email:{_search_value(e)}" for e in part)
            data = self._call("CustomersByEmail", {"query": query})
            for node in (data.get("customers") or {}).get("nodes") or []:
                email = _email_of(node).strip().lower()
                if email in part and node.get("id"):
                    found.setdefault(email, node["id"])
        return found

    @staticmethod
    def _address_input(address, customer):
        if address is None or address.is_empty():
            return None
        data = {
            "firstName": address.first_name or customer.first_name, "lastName": address.last_name or customer.last_name,
            "company": address.company or customer.company, "address1": address.street, "address2": address.street2,
            "city": address.city, "zip": address.zip, "countryCode": (address.country_code or "").upper() or None,
            "provinceCode": address.state_code or None, "phone": address.phone or None,
        }
        return {k: v for k, v in data.items() if v not in (None, "")}

    def _customer_input(self, customer):
        data = {"email": customer.email.strip(), "firstName": customer.first_name, "lastName": customer.last_name}
        phone = re.sub(r"[\s().-]", "", customer.phone or "")
        if phone:
            data["phone"] = phone
        addresses = []
        for address in (customer.billing, customer.shipping):
            entry = self._address_input(address, customer)
            if entry and entry not in addresses:
                addresses.append(entry)
        if addresses:
            data["addresses"] = addresses
        locale = self._customer_locale(customer)
        if locale:  # the language of the customer's e-mails and account pages
            data["locale"] = locale
        if customer.group:
            data["tags"] = [customer.group]
        notes = [f"Company: {customer.company}" if customer.company else "",
                 f"VAT: {customer.vat}" if customer.vat else ""]
        if any(notes):
            data["note"] = "\n".join(n for n in notes if n)
        return data

    def _customer_locale(self, customer):
        """The shop's published locale of ``customer`` (``Customer.lang``), or None: the customer keeps theirs.
        Reading the shop's locales needs the read_locales scope, which the token may lack (asked once, then
        no locale is sent)."""
        if not customer.lang:
            return None
        if self._locales is None:
            data = self._permitted("locales", lambda: self._call("ShopLocales"), {})
            self._locales = [str(n.get("locale") or "") for n in data.get("shopLocales") or []
                             if isinstance(n, dict) and n.get("locale")]
        return nearest_language(customer.lang, self._locales)

    def _push_customer(self, customer, by_email):
        if not customer.email:
            return Result(customer.key, error=ShopError(
                "shop.shopify.no_email", _lt("a Shopify customer needs an e-mail address"), kind="payload"))
        try:
            remote_id = self._gid("Customer", customer.remote_id) if customer.remote_id else ""
        except ShopError as exc:
            return Result(customer.key, error=exc)
        remote_id = remote_id or by_email.get(customer.email.strip().lower(), "")
        for attempt in (1, 2):
            operation = "CustomerUpdate" if remote_id else "CustomerCreate"
            # customerSet (customerCreate/customerUpdate's addresses are deprecated): the customer to update is
            # the identifier, its address list is replaced by the one sent
            variables = {"input": self._customer_input(customer)}
            if remote_id:
                variables["id"] = remote_id
            payload = self._payload(self._call(operation, variables), operation, "customerSet")
            errors = payload.get("userErrors") or []
            if errors and attempt == 1 and remote_id and (
                    any(isinstance(e, dict) and e.get("code") == "NOT_FOUND" for e in errors)
                    or "does not exist" in _errors_text(errors).lower()):
                # a stale mapping: find the customer by e-mail again, or create it
                remote_id = self._customers_by_email([customer.email]).get(customer.email.strip().lower(), "")
                continue
            if errors:
                return Result(customer.key, error=_errors_text(errors))
            node = payload.get("customer") or {}
            if not node.get("id"):
                raise ShopError("shop.shopify.no_customer", _lt("Shopify answered %(what)s without the customer"),
                                what=self._doing(operation), kind="answer")
            return Result(customer.key, remote_id=node["id"], created=operation == "CustomerCreate")
        return Result(customer.key, error=ShopError(  # pragma: no cover
            "shop.shopify.customer_refused", _lt("Shopify refused the customer"), kind="payload"))

