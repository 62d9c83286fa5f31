"""Customers of the sandbox Magento 2 (``/V1/customers``)."""

from .directory import Magento2Directory
from .store import EMAIL_RE, INVALID_VALUE, NO_SUCH_ENTITY, REQUIRED, _Refusal


class Magento2Customers(Magento2Directory):
    """Seeding and the REST resource of customers."""

    def add_customer(self, email, firstname="Jane", lastname="Doe", website_id=1, addresses=(), **values):
        with self.lock:
            customer = self._save_customer({"email": email, "firstname": firstname, "lastname": lastname,
                                            "website_id": website_id, "addresses": list(addresses), **values})
        return customer


    # ------------------------------------------------------------------ customers
    def _validate_customer(self, data, email):
        """Refuses a customer as Magento does: a malformed e-mail at once, the missing fields all together."""
        errors = []
        if not email:
            errors.append({"message": REQUIRED, "parameters": {"fieldName": "email"}})
        elif not EMAIL_RE.match(email):
            raise _Refusal(400, INVALID_VALUE, {"fieldName": "email", "value": email})
        for field in ("firstname", "lastname"):
            if not str(data.get(field) or "").strip():
                errors.append({"message": REQUIRED, "parameters": {"fieldName": field}})
        addresses = data.get("addresses")
        if addresses is not None:
            for address in addresses:
                for field in ("firstname", "lastname", "street", "city", "country_id", "telephone", "postcode"):
                    if not address.get(field):
                        errors.append({"message": REQUIRED, "parameters": {"fieldName": field}})
        if errors:
            if len(errors) == 1:
                raise _Refusal(400, errors[0]["message"], errors[0]["parameters"])
            raise _Refusal(400, "One or more input exceptions have occurred.", errors=errors)

    def _check_email_free(self, email, website_id, existing):
        """An e-mail address is one customer's per website."""
        for other in self.customers.values():
            if (other["email"].lower() == email.lower() and other["website_id"] == website_id
                    and other["id"] != (existing or {}).get("id")):
                raise _Refusal(400, "A customer with the same email address already exists in an associated website.")

    def _store_addresses(self, customer, addresses):
        """The addresses given replace the customer's: those with an id update one of theirs, the rest are new."""
        old = {a["id"]: a for a in customer.get("addresses") or []}
        stored = []
        for address in addresses:
            address_id = address.get("id")
            if address_id is not None and int(address_id) not in old:
                raise _Refusal(404, NO_SUCH_ENTITY, {"fieldName": "addressId", "fieldValue": address_id})
            entry = dict(old.get(int(address_id), {}) if address_id is not None else {},
                         **self._address_region(address))
            entry["id"] = int(address_id) if address_id is not None else self._next("address")
            entry["customer_id"] = customer["id"]
            stored.append(entry)
        customer["addresses"] = stored
        billing = [a for a in stored if a.get("default_billing")]
        shipping = [a for a in stored if a.get("default_shipping")]
        customer["default_billing"] = str(billing[0]["id"]) if billing else None
        customer["default_shipping"] = str(shipping[0]["id"]) if shipping else None

    def _save_customer(self, data, existing=None):
        email = str(data.get("email") or "").strip()
        self._validate_customer(data, email)
        website_id = int(data.get("website_id") or (existing or {}).get("website_id") or 1)
        self._check_email_free(email, website_id, existing)
        now = self._now()
        customer = dict(existing or {"id": self._next("customer"), "created_at": now,
                                     "created_in": "Default Store View", "store_id": 1, "group_id": 1,
                                     "addresses": [], "disable_auto_group_change": 0})
        for key in ("email", "firstname", "lastname", "group_id", "taxvat", "dob", "gender", "middlename", "prefix",
                    "store_id"):
            if key in data:
                customer[key] = data[key]
        customer["email"] = email
        customer["website_id"] = website_id
        customer["updated_at"] = now
        addresses = data.get("addresses")
        if addresses is not None:
            self._store_addresses(customer, addresses)
        self.customers[customer["id"]] = customer
        return customer

    def _search_customers(self, request, store, body):
        return self._search(request, self.customers.values())

    def _get_customer(self, request, store, body, id):
        return self._entity(self.customers, id, "customerId")

    def _post_customer(self, request, store, body):
        data = self._member(body, "customer")
        if data.get("id"):
            raise _Refusal(400, "A customer with the same email address already exists in an associated website.")
        return self._save_customer(data)

    def _put_customer(self, request, store, body, id):
        existing = self._get_customer(request, store, body, id)
        data = self._member(body, "customer")
        return self._save_customer(data, existing)

