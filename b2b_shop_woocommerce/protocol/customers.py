"""Customers out to WooCommerce (batches; an e-mail already registered is linked, not duplicated)."""
# pylint: disable=prefer-env-translation  # env-less: _lt marks the term for the exporter, the Odoo layer translates it

from odoo.addons.b2b_connector_base.lib.errors import Phrase, _lt
from odoo.addons.b2b_ecommerce_sync.protocol import model
from odoo.addons.b2b_ecommerce_sync.protocol.base import text as _text

from .client import WooCommerceClient


class WooCommerceCustomers(WooCommerceClient):
    """``push_customers``."""

    def push_customers(self, customers):
        customers = list(customers)
        ops = []
        for c in customers:
            payload = self._customer_payload(c)
            if c.remote_id:
                ops.append((c.key, "update", dict(payload, id=self._int_id(c.remote_id, "customer")), c.remote_id))
            else:
                ops.append((c.key, "create", payload, ""))
        return self._run_ops("customers", ops, Phrase(_lt("the customers")), link=self._existing_customer)

    def _existing_customer(self, item, payload):
        error = item.get("error") or {}
        if isinstance(error, dict) and error.get("code") == "registration-error-email-exists":
            found = self._customer_by_email(payload["email"])
            return _text(found["id"]) if found else None
        return None

    def _customer_by_email(self, email):
        what = Phrase(_lt("the customer lookup by e-mail"))
        data = self._request("GET", self._wc("customers"), what, params={"email": email, "role": "all"})
        for customer in self._expect(data, list, what):
            if isinstance(customer, dict) and _text(customer.get("email")).lower() == email.lower():
                return customer
        return None

    def _customer_payload(self, customer):
        billing = self._address_out(customer.billing, billing=True)
        for field, value in (("email", customer.email), ("first_name", customer.first_name),
                             ("last_name", customer.last_name), ("company", customer.company),
                             ("phone", customer.phone)):
            billing[field] = billing.get(field) or value or ""
        body = {
            "email": customer.email,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "billing": billing,
            "shipping": self._address_out(customer.shipping),
        }
        meta = []
        vat = customer.vat or customer.billing.vat
        if self.options["vat_meta_key"] and vat:
            meta.append({"key": self.options["vat_meta_key"], "value": vat})
        if self.options["customer_group_meta_key"] and customer.group:
            meta.append({"key": self.options["customer_group_meta_key"], "value": customer.group})
        if meta:
            body["meta_data"] = meta
        return body

    @staticmethod
    def _address_out(address, billing=False):
        address = address or model.Address()
        out = {
            "first_name": address.first_name,
            "last_name": address.last_name,
            "company": address.company,
            "address_1": address.street,
            "address_2": address.street2,
            "city": address.city,
            "postcode": address.zip,
            "state": address.state_code,
            "country": (address.country_code or "").upper(),
            "phone": address.phone,
        }
        if billing:
            out["email"] = address.email
        if address.is_empty() and not billing:
            return {}
        return out
