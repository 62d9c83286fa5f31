"""Customers of the sandbox Shopify."""

import re

from .search import SearchQuery
from .store import _EMAIL_RE, _PHONE_RE, MAX_FIRST, ShopifyStore


class ShopifyCustomers(ShopifyStore):
    """Seeding and the customer operations."""

    def add_customer(self, email, first_name="", last_name="", phone=None):
        with self.lock:
            gid = self._gid("Customer")
            self.customers[gid] = {"id": gid, "email": email, "firstName": first_name, "lastName": last_name,
                                   "phone": phone, "addresses": [], "tags": [], "note": "",
                                   "locale": self.locales[0]}
            return gid

    # ------------------------------------------------------------------ customers
    def _q_shop_locales(self, v):
        """shopLocales(published: true): the shop's languages (``locales``), the primary one first."""
        published = [{"locale": locale, "primary": n == 0} for n, locale in enumerate(self.locales)]
        return {"shopLocales": published}

    def _q_customers(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        nodes = [self._customer_node(c) for c in self.customers.values()
                 if search.matches({"email": c["email"], "first_name": c["firstName"], "last_name": c["lastName"],
                                    "phone": c["phone"], "tag": c["tags"]})]
        self._actual_cost = 2 + len(nodes[:first])
        return {"customers": {"nodes": nodes[:first]}}

    @staticmethod
    def _customer_node(customer):
        email = customer["email"]
        return {"id": customer["id"], "email": email,
                "defaultEmailAddress": {"emailAddress": email} if email else None}

    def _customer_errors(self, data, own_id=None):
        errors = []
        email = data.get("email")
        if email is not None and email != "":
            if not _EMAIL_RE.match(email):
                errors.append({"field": ["input", "email"], "message": "Email is invalid", "code": "INVALID"})
            elif any(c["email"] and c["email"].lower() == email.lower() and c["id"] != own_id
                     for c in self.customers.values()):
                errors.append({"field": ["input", "email"], "message": "Email has already been taken", "code": "TAKEN"})
        phone = data.get("phone")
        if phone:
            if not _PHONE_RE.match(phone):
                errors.append({"field": ["input", "phone"], "message": "Phone is invalid", "code": "INVALID"})
            elif any(c["phone"] == phone and c["id"] != own_id for c in self.customers.values()):
                errors.append({"field": ["input", "phone"], "message": "Phone has already been taken", "code": "TAKEN"})
        for n, address in enumerate(data.get("addresses") or []):
            code = address.get("countryCode")
            if code is not None and not re.fullmatch(r"[A-Z]{2}", str(code)):
                errors.append({"field": ["input", "addresses", str(n), "countryCode"], "message": "Country is invalid",
                               "code": "INVALID"})
        return errors

    def _apply_customer(self, customer, data):
        for key in ("email", "firstName", "lastName", "phone", "note", "locale"):
            if key in data:
                customer[key] = data[key]
        if "tags" in data:
            customer["tags"] = list(data["tags"] or [])
        if "addresses" in data:
            customer["addresses"] = [dict(a) for a in data["addresses"] or []]

    def _m_customer_create(self, v):
        """customerSet without identifier: a new customer."""
        data = self._required(v, "input", "CustomerSetInput!")
        errors = self._customer_errors(data)
        if not errors and not any(data.get(k) for k in ("email", "phone", "firstName", "lastName")):
            errors.append({"field": ["input"], "message": "A name, phone number, or email address must be present",
                           "code": "INVALID"})
        if errors:
            return {"customerSet": {"customer": None, "userErrors": errors}}
        gid = self.add_customer(data.get("email") or "", data.get("firstName") or "", data.get("lastName") or "")
        self._apply_customer(self.customers[gid], data)
        return {"customerSet": {"customer": self._customer_node(self.customers[gid]), "userErrors": []}}

    def _m_customer_update(self, v):
        """customerSet(identifier: {id: $id}): the customer's fields and its whole address list replaced."""
        gid = self._gid_of(self._required(v, "id", "ID!"), "Customer")
        data = self._required(v, "input", "CustomerSetInput!")
        customer = self.customers.get(gid)
        if not customer:
            return {"customerSet": {"customer": None, "userErrors": [
                {"field": ["identifier", "id"], "message": "Customer does not exist", "code": "NOT_FOUND"}]}}
        errors = self._customer_errors(data, own_id=gid)
        if errors:
            return {"customerSet": {"customer": None, "userErrors": errors}}
        self._apply_customer(customer, data)
        return {"customerSet": {"customer": self._customer_node(customer), "userErrors": []}}
