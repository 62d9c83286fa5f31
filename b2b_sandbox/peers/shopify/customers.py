"""Customers of the sandbox Shopify."""

import re

from .search import SearchQuery
from .store import MAX_FIRST, _EMAIL_RE, _PHONE_RE, ShopifyStore


class ShopifyCustomers(ShopifyStore):
    """Seeding and the customer operations."""

    def add_customer(self, email, first_name="", last_name="", phone=None):
        with self.lock:
            gid = self._gid("Customer")
            self.customers[gid] = {"id": gid, "email": email, "firstName": first_name, "lastName": last_name,
                                   "phone": phone, "addresses": [], "tags": [], "note": ""}
            return gid

    # ------------------------------------------------------------------ customers
    def _q_customers(self, v):
        search = SearchQuery(self._required(v, "query", "String!"))
        first = int(v.get("first") or MAX_FIRST)
        nodes = [{"id": c["id"], "email": c["email"]} for c in self.customers.values()
                 if search.matches({"email": c["email"], "first_name": c["firstName"], "last_name": c["lastName"],
                                    "phone": c["phone"], "tag": c["tags"]})]
        self._actual_cost = 2 + len(nodes[:first])
        return {"customers": {"nodes": nodes[:first]}}

    def _customer_errors(self, data, own_id=None):
        errors = []
        email = data.get("email")
        if email is not None and email != "":
            if not _EMAIL_RE.match(email):
                errors.append({"field": ["email"], "message": "Email is invalid"})
            elif any(c["email"] and c["email"].lower() == email.lower() and c["id"] != own_id
                     for c in self.customers.values()):
                errors.append({"field": ["email"], "message": "Email has already been taken"})
        phone = data.get("phone")
        if phone:
            if not _PHONE_RE.match(phone):
                errors.append({"field": ["phone"], "message": "Phone is invalid"})
            elif any(c["phone"] == phone and c["id"] != own_id for c in self.customers.values()):
                errors.append({"field": ["phone"], "message": "Phone has already been taken"})
        for n, address in enumerate(data.get("addresses") or []):
            code = address.get("countryCode")
            if code is not None and not re.fullmatch(r"[A-Z]{2}", str(code)):
                errors.append({"field": ["addresses", str(n), "countryCode"], "message": "Country is invalid"})
        return errors

    def _apply_customer(self, customer, data):
        for key in ("email", "firstName", "lastName", "phone", "note"):
            if key in data:
                customer[key] = data[key]
        if "tags" in data:
            customer["tags"] = list(data["tags"] or [])
        if "addresses" in data:
            customer["addresses"] = [dict(a) for a in data["addresses"] or []]

    def _m_customer_create(self, v):
        data = self._required(v, "input", "CustomerInput!")
        errors = self._customer_errors(data)
        if not errors and not any(data.get(k) for k in ("email", "phone", "firstName", "lastName")):
            errors.append({"field": ["customer"], "message": "A name, phone number, or email address must be present"})
        if errors:
            return {"customerCreate": {"customer": None, "userErrors": errors}}
        gid = self.add_customer(data.get("email") or "", data.get("firstName") or "", data.get("lastName") or "")
        self._apply_customer(self.customers[gid], data)
        return {"customerCreate": {"customer": {"id": gid, "email": self.customers[gid]["email"]}, "userErrors": []}}

    def _m_customer_update(self, v):
        data = self._required(v, "input", "CustomerInput!")
        gid = self._gid_of(data.get("id"), "Customer")
        customer = self.customers.get(gid)
        if not customer:
            return {"customerUpdate": {"customer": None,
                                       "userErrors": [{"field": ["id"], "message": "Customer does not exist"}]}}
        errors = self._customer_errors(data, own_id=gid)
        if errors:
            return {"customerUpdate": {"customer": None, "userErrors": errors}}
        self._apply_customer(customer, data)
        return {"customerUpdate": {"customer": {"id": gid, "email": customer["email"]}, "userErrors": []}}

