"""Customers of the sandbox WooCommerce (``/wc/v3/customers``)."""

import copy

from ..server import Response
from .store import _EMAIL_RE, WooCommerceStore, WooError


def _no_customer(status, message="Invalid resource ID."):
    return WooError("woocommerce_rest_invalid_id", message, status)


class WooCommerceCustomers(WooCommerceStore):
    """Seeding and the REST resource of customers."""

    def add_customer(self, email, first_name="", last_name="", customer_id=None, **fields):
        with self.lock:
            customer = self._blank_customer(customer_id or self._new_id(), email)
            self._apply_customer(customer, dict({"first_name": first_name, "last_name": last_name}, **fields))
            self.customers[customer["id"]] = customer
            return customer

    # ------------------------------------------------------------------ customers
    def _blank_customer(self, cid, email):
        customer = {
            "id": cid, "email": email, "first_name": "", "last_name": "", "role": "customer",
            "username": (email or "").split("@")[0], "billing": {
                "first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "", "city": "",
                "postcode": "", "country": "", "state": "", "email": "", "phone": ""},
            "shipping": {"first_name": "", "last_name": "", "company": "", "address_1": "", "address_2": "",
                         "city": "", "postcode": "", "country": "", "state": "", "phone": ""},
            "is_paying_customer": False, "avatar_url": "", "meta_data": [],
        }
        self._stamp(customer, "date_created")
        self._stamp(customer, "date_modified")
        return customer

    def _customer_by_email(self, email):
        for customer in self.customers.values():
            if customer["email"].lower() == (email or "").lower():
                return customer
        return None

    def _apply_customer(self, customer, data):
        for key in ("first_name", "last_name"):
            if key in data:
                customer[key] = data[key] or ""
        for key in ("billing", "shipping"):
            if isinstance(data.get(key), dict):
                for field, value in data[key].items():
                    if field in customer[key]:
                        customer[key][field] = value or ""
        self._apply_meta(customer, data.get("meta_data"))
        self._stamp(customer, "date_modified")

    def _create_customer(self, data):
        email = (data.get("email") or "").strip()
        if not email or not _EMAIL_RE.match(email):
            raise WooError("registration-error-invalid-email", "Please provide a valid email address.", 400)
        if self._customer_by_email(email):
            raise WooError("registration-error-email-exists",
                           'An account is already registered with your email address. '
                           '<a href="#" class="showlogin">Please log in.</a>', 400)
        customer = self._blank_customer(self._new_id(), email)
        self._apply_customer(customer, data)
        self.customers[customer["id"]] = customer
        return copy.deepcopy(customer)

    def _update_customer(self, data):
        def apply(staged, data):
            if "email" in data and (data["email"] or "").lower() != staged["email"].lower():
                other = self._customer_by_email(data["email"])
                if not _EMAIL_RE.match(data["email"] or "") or other:
                    raise WooError("woocommerce_rest_customer_invalid_email", "Email address is invalid.", 400)
                staged["email"] = data["email"]
            self._apply_customer(staged, data)

        return self._update(self.customers, data, _no_customer(400), apply)

    def _delete_customer(self, ident):
        return self._pop(self.customers, ident, _no_customer(400, "Invalid resource id."))

    def _r_customers_collection(self, request, body, _ident):
        if request.method == "POST":
            return Response.json(self._create_customer(body), status=201)
        items = list(self.customers.values())
        email = request.query.get("email")
        if email:
            items = [c for c in items if c["email"].lower() == email.lower()]
        role = request.query.get("role", "customer")
        if role != "all":
            items = [c for c in items if c["role"] == role]
        items = self._order_by(request, items, ("id", "include", "name", "registered_date", "email"), "name")
        return self._page(request, items)

    def _r_customers_item(self, request, body, ident):
        return self._item(request, body, ident, self.customers, _no_customer(404), self._update_customer,
                          self._delete_customer)

    def _r_customers_batch(self, request, body, _ident):
        return self._batch(body, self._create_customer, self._update_customer, self._delete_customer)

