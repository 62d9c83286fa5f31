"""The sandbox PrestaShop's data: tables, clock, ids, seeding (the webservice is in :mod:`.webservice`)."""

import hashlib
import random
import string
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..shop import RequestLimit, Sequences, ShopPeer
from ..shop import slug as _slug
from .schema import (
    ALL_METHODS,
    COUNTRIES,
    DEMO_KEY,
    LANGUAGES,
    ORDER_STATES,
    SCHEMA,
    US_STATES,
    ZERO_DATE,
    _cents,
    _f6,
    _money,
    _num,
    lang_value,
)


class PrestaShopStore(ShopPeer):
    """The shop's data (one table per resource of the schema), its clock and ids, seeding and views."""

    name = "prestashop"

    def __init__(self, key=DEMO_KEY, shop_name="B2B Sandbox Shop", version="8.1.7", timezone="UTC",
                 languages=("1", "2"), throttle=None, retry_after=2, max_uri=8190, max_body=64 * 1024 * 1024,
                 max_attachment_bytes=8 * 1024 * 1024, clock=time.time, **kw):
        super().__init__(clock=clock, **kw)
        self.key = key
        self.shop_name = shop_name
        self.version = version
        self.zone = ZoneInfo(timezone)
        self.languages = [str(lang) for lang in languages]
        self.throttle = throttle  # (requests, seconds) or None
        self.retry_after = retry_after
        self.max_uri = max_uri
        self.max_body = max_body
        self.max_attachment_bytes = max_attachment_bytes
        self._init_state()

    # ------------------------------------------------------------------ state
    def _init_state(self):
        self.enabled = True
        self.key_active = True
        self.permissions = {name: set(ALL_METHODS) for name in list(SCHEMA) + ["images"]}
        self.db = {name: {} for name in SCHEMA}
        self._ids = Sequences()
        self.images = {}  # product id -> [{"id", "filename", "mime", "data"}]
        self.attachment_files = {}  # attachment id -> bytes
        self.emails = []  # e-mails PrestaShop would have sent: {"order", "state", "template", "to"}
        self.throttled = 0
        self.request_limit = RequestLimit(*(self.throttle or (None, None)), self.clock)
        self._rng = random.Random(42)
        self._seed_reference_data()

    def _now(self):
        return self.utcnow().astimezone(self.zone).strftime("%Y-%m-%d %H:%M:%S")

    def _i18n(self, text):
        return {lang: str(text) for lang in self.languages}

    def _insert(self, resource, values, rid=None):
        res = SCHEMA[resource]
        rid = self._ids.claim(resource, rid or self._ids.peek(resource))
        record = {"id": rid}
        for field in res.fields.values():
            value = values.get(field.name, field.default)
            if field.i18n and not isinstance(value, dict):
                value = self._i18n(value)
            record[field.name] = value if field.i18n else self._cast(field, value)
        record["associations"] = {name: [dict(i) for i in values.get("associations", {}).get(name, [])]
                                  for name in res.assoc}
        if "date_add" in res.fields and record["date_add"] == ZERO_DATE:
            record["date_add"] = self._now()
        if "date_upd" in res.fields and record["date_upd"] == ZERO_DATE:
            record["date_upd"] = record.get("date_add") or self._now()
        self.db[resource][rid] = record
        return record

    @staticmethod
    def _cast(field, value):
        value = "" if value is None else str(value)
        if field.type == "float":
            number = _num(value)
            return _f6(number) if number is not None else value
        if field.type in ("int", "bool"):
            number = _num(value)
            return str(int(number)) if number is not None and number == number.to_integral_value() else value
        return value

    def _seed_reference_data(self):
        for rid, iso, name in COUNTRIES:
            self._insert("countries", {"iso_code": iso, "name": name, "id_zone": "1", "need_zip_code": "1",
                                       "contains_states": "1" if iso == "US" else "0"}, rid)
        for rid, iso, name in US_STATES:
            self._insert("states", {"id_country": "21", "iso_code": iso, "name": name, "id_zone": "2"}, rid)
        for rid in self.languages:
            name, iso, locale = LANGUAGES.get(rid, (f"Language {rid}", "en", "en-US"))
            self._insert("languages", {"name": name, "iso_code": iso, "locale": locale,
                                       "language_code": locale.lower(), "date_format_lite": "Y-m-d",
                                       "date_format_full": "Y-m-d H:i:s"}, int(rid))
        self._insert("currencies", {"iso_code": "EUR", "conversion_rate": "1", "name": "Euro"}, 1)
        self._insert("currencies", {"iso_code": "USD", "conversion_rate": "1.08", "name": "US Dollar"}, 2)
        self._insert("carriers", {"name": "Click and collect", "id_reference": "1", "is_free": "1",
                                  "delay": "Pick up in-store"}, 1)
        self._insert("carriers", {"name": "PostNL", "id_reference": "2", "delay": "Delivery next day!",
                                  "url": "https://jouw.postnl.nl/track-and-trace/@"}, 2)
        for rid, name, paid, shipped, delivery, logable, send_email, template, color in ORDER_STATES:
            self._insert("order_states", {"name": name, "paid": paid, "shipped": shipped, "delivery": delivery,
                                          "logable": logable, "send_email": send_email, "template": template,
                                          "color": color, "unremovable": "1"}, rid)
        self._insert("categories", {"id_parent": "0", "level_depth": "0", "is_root_category": "0", "name": "Root",
                                    "link_rewrite": "root"}, 1)
        self._insert("categories", {"id_parent": "1", "level_depth": "1", "is_root_category": "1", "name": "Home",
                                    "link_rewrite": "home"}, 2)

    # views for tests and the demo
    def __getattr__(self, name):
        if name in SCHEMA and "db" in self.__dict__:
            return self.__dict__["db"][name]
        raise AttributeError(name)

    def notes_for(self, order_id):
        """Texts of the messages on an order's customer-service threads, oldest first."""
        threads = {t["id"] for t in self.db["customer_threads"].values() if t["id_order"] == str(order_id)}
        return [m["message"] for m in sorted(self.db["customer_messages"].values(), key=lambda m: m["id"])
                if int(m["id_customer_thread"] or 0) in threads]

    def shipments(self, order_id):
        return [dict(c) for c in self.db["order_carriers"].values() if c["id_order"] == str(order_id)]

    def products_with_reference(self, reference):
        return [p for p in self.db["products"].values() if p["reference"].casefold() == reference.casefold()]

    def customers_with_email(self, email):
        return [c for c in self.db["customers"].values() if c["email"].casefold() == email.casefold()]

    def stock_of(self, product_id):
        return next((int(s["quantity"]) for s in self.db["stock_availables"].values()
                     if s["id_product"] == str(product_id) and s["id_product_attribute"] == "0"), None)

    # ------------------------------------------------------------------ seeding
    def add_category(self, name, parent=2, **values):
        with self.lock:
            return self._insert("categories", {"name": name, "link_rewrite": _slug(name), "id_parent": str(parent),
                                               "level_depth": "2", **values})["id"]

    def add_product(self, reference, name, price, quantity=0, categories=(2,), tax_rules_group=1, **values):
        with self.lock:
            record = self._insert("products", {
                "reference": reference, "name": name, "price": price, "id_category_default": str(categories[0]),
                "id_tax_rules_group": str(tax_rules_group), "link_rewrite": _slug(name),
                "associations": {"categories": [{"id": str(c)} for c in categories]}, **values})
            self._after_product_created(record, quantity)
            return record["id"]

    def _after_product_created(self, product, quantity=0):
        stock = self._insert("stock_availables", {
            "id_product": str(product["id"]), "id_product_attribute": "0", "quantity": str(quantity),
            "depends_on_stock": "0", "out_of_stock": "2"})
        product["associations"]["stock_availables"] = [{"id": str(stock["id"]), "id_product_attribute": "0"}]
        product["quantity"] = str(quantity)

    def add_customer(self, email, firstname="Jane", lastname="Doe", is_guest=False, **values):
        with self.lock:
            return self._insert("customers", {"email": email, "firstname": firstname, "lastname": lastname,
                                              "is_guest": "1" if is_guest else "0", "passwd": self._hash("x"),
                                              "secure_key": self._token(32),
                                              "associations": {"groups": [{"id": values.get("id_default_group", "3")}]},
                                              **values})["id"]

    def add_address(self, customer_id, country="NL", alias="My address", **values):
        with self.lock:
            country_id = next(c["id"] for c in self.db["countries"].values() if c["iso_code"] == country)
            base = {"id_customer": str(customer_id), "alias": alias, "id_country": str(country_id), "firstname": "Jane",
                    "lastname": "Doe", "address1": "Damrak 1", "postcode": "1012 LG", "city": "Amsterdam"}
            base.update(values)
            return self._insert("addresses", base)["id"]

    def _tax_for(self, rate):
        rate = _money(rate, "0.001")
        for tax in self.db["taxes"].values():
            if _num(tax["rate"]) == rate:
                return tax["id"]
        return self._insert("taxes", {"rate": rate, "name": f"VAT {rate.normalize()}%"})["id"]

    def add_order(self, lines, customer=None, state=2, carrier=2, shipping="0", shipping_tax_rate="21",
                  cart_rules=(), wrapping="0", wrapping_tax_rate="21", payment="Bank transfer", module="ps_wirepayment",
                  transaction_id="", paid_amount=None, currency="EUR", date_add=None, date_upd=None, reference=None,
                  gift_message="", note="", invoice_address=None, delivery_address=None, messages=(), lang="1"):
        """Seed an order the way PrestaShop's checkout would leave it.

        ``lines``: [{"reference" (of a seeded product) or "name", "quantity", "price" (unit, tax excl, before
        reductions; default: the product's price), "reduction" (per unit, tax excl), "reduction_percent",
        "tax_rate" (default 21)}]; ``customer``: a customer id (default: a new one); ``cart_rules``:
        [{"name", "code", "value" (tax incl), "value_tax_excl", "free_shipping"}]; ``messages``: texts the
        customer left at checkout; ``lang``: the id of the language the customer ordered in. Totals are computed as
        PrestaShop stores them."""
        with self.lock:
            if customer is None:
                customer = self.add_customer(f"buyer{self._ids.peek('customers')}@example.com")
            customer = int(customer)
            addresses = [a["id"] for a in self.db["addresses"].values() if a["id_customer"] == str(customer)]
            invoice = invoice_address or (addresses[0] if addresses else self.add_address(customer))
            delivery = delivery_address or invoice
            now = self._now()
            date_add = date_add or now
            oid = self._ids.peek("orders")
            reference = reference or "".join(self._rng.choice(string.ascii_uppercase) for _ in range(9))
            currency_id = next(c["id"] for c in self.db["currencies"].values() if c["iso_code"] == currency)
            rows, details = [], []
            total_excl = total_incl = Decimal(0)
            for line in lines:
                product = None
                if line.get("reference"):
                    product = next((p for p in self.db["products"].values()
                                    if p["reference"] == line["reference"]), None)
                price = _money(line.get("price", product["price"] if product else 0))
                qty = int(line.get("quantity", 1))
                rate = _money(line.get("tax_rate", "21"), "0.001")
                unit_excl = _money(price - _money(line.get("reduction", 0))
                                   - price * _money(line.get("reduction_percent", 0)) / 100)
                unit_incl = _money(unit_excl * (1 + rate / 100))
                line_excl, line_incl = _cents(unit_excl * qty), _cents(unit_incl * qty)
                total_excl += line_excl
                total_incl += line_incl
                name = line.get("name") or (lang_value(product["name"]) if product else "Product")
                detail = self._insert("order_details", {
                    "id_order": str(oid), "product_id": str(product["id"]) if product else "0",
                    "product_attribute_id": "0", "id_shop": "1", "product_name": name, "product_quantity": str(qty),
                    "product_price": price, "original_product_price": price,
                    "reduction_percent": line.get("reduction_percent", 0), "reduction_amount": line.get("reduction", 0),
                    "reduction_amount_tax_excl": line.get("reduction", 0),
                    "reduction_amount_tax_incl": _money(_money(line.get("reduction", 0)) * (1 + rate / 100)),
                    "product_reference": line.get("reference") or "",
                    "product_ean13": product["ean13"] if product else "",
                    "unit_price_tax_excl": unit_excl, "unit_price_tax_incl": unit_incl,
                    "total_price_tax_excl": line_excl, "total_price_tax_incl": line_incl, "tax_rate": rate,
                    "tax_name": f"VAT {rate.normalize()}%", "id_tax_rules_group": "1",
                    "associations": {"taxes": [{"id": str(self._tax_for(rate))}] if rate else []},
                })
                details.append(detail)
                rows.append({"id": str(detail["id"]), "product_id": detail["product_id"], "product_attribute_id": "0",
                             "product_quantity": str(qty), "product_name": name,
                             "product_reference": detail["product_reference"], "product_ean13": detail["product_ean13"],
                             "product_isbn": "", "product_upc": "", "product_price": detail["product_price"],
                             "id_customization": "0", "unit_price_tax_incl": detail["unit_price_tax_incl"],
                             "unit_price_tax_excl": detail["unit_price_tax_excl"]})
            ship_excl = _cents(shipping)
            ship_rate = _money(shipping_tax_rate, "0.001")
            ship_incl = _cents(ship_excl * (1 + ship_rate / 100))
            wrap_excl = _cents(wrapping)
            wrap_incl = _cents(wrap_excl * (1 + _money(wrapping_tax_rate, "0.001") / 100))
            disc_incl = disc_excl = Decimal(0)
            for rule in cart_rules:
                value = _cents(rule["value"])
                value_excl = _cents(rule.get("value_tax_excl", value / Decimal("1.21")))
                definition = self._insert("cart_rules", {"name": rule["name"], "code": rule.get("code", ""),
                                                         "reduction_amount": value, "quantity": "1",
                                                         "free_shipping": "1" if rule.get("free_shipping") else "0"})
                self._insert("order_cart_rules", {"id_order": str(oid), "id_cart_rule": str(definition["id"]),
                                                  "name": rule["name"], "value": value, "value_tax_excl": value_excl,
                                                  "free_shipping": "1" if rule.get("free_shipping") else "0"})
                disc_incl += value
                disc_excl += value_excl
            paid_incl = total_incl + ship_incl + wrap_incl - disc_incl
            paid_excl = total_excl + ship_excl + wrap_excl - disc_excl
            state_rec = self.db["order_states"][int(state)]
            if paid_amount is None:
                paid_amount = paid_incl if state_rec["paid"] == "1" else 0
            order = self._insert("orders", {
                "id_address_delivery": str(delivery), "id_address_invoice": str(invoice), "id_cart": str(oid),
                "id_currency": str(currency_id), "id_lang": str(lang), "id_customer": str(customer),
                "id_carrier": str(carrier or 0),
                "current_state": str(state), "module": module, "valid": state_rec["logable"], "date_add": date_add,
                "date_upd": date_upd or date_add, "secure_key": self._token(32), "payment": payment,
                "gift": "1" if gift_message else "0", "gift_message": gift_message, "note": note,
                "total_discounts": disc_incl, "total_discounts_tax_incl": disc_incl,
                "total_discounts_tax_excl": disc_excl,
                "total_paid": paid_incl, "total_paid_tax_incl": paid_incl, "total_paid_tax_excl": paid_excl,
                "total_paid_real": paid_amount, "total_products": total_excl, "total_products_wt": total_incl,
                "total_shipping": ship_incl, "total_shipping_tax_incl": ship_incl, "total_shipping_tax_excl": ship_excl,
                "carrier_tax_rate": ship_rate, "total_wrapping": wrap_incl, "total_wrapping_tax_incl": wrap_incl,
                "total_wrapping_tax_excl": wrap_excl, "reference": reference, "associations": {"order_rows": rows},
            }, oid)
            if carrier:
                self._insert("order_carriers", {
                    "id_order": str(oid), "id_carrier": str(carrier), "weight": "0", "date_add": date_add,
                    "shipping_cost_tax_excl": ship_excl, "shipping_cost_tax_incl": ship_incl})
            if _money(paid_amount) > 0:
                self._insert("order_payments", {"order_reference": reference, "id_currency": str(currency_id),
                                                "amount": paid_amount, "payment_method": payment,
                                                "transaction_id": transaction_id, "date_add": date_add})
            self._insert("order_histories", {"id_order": str(oid), "id_order_state": str(state), "date_add": date_add})
            if messages:
                email = self.db["customers"][customer]["email"]
                thread = self._insert("customer_threads", {"id_lang": "1", "id_shop": "1", "id_customer": str(customer),
                                                           "id_order": str(oid), "id_contact": "0", "email": email,
                                                           "token": self._token(12), "date_add": date_add})
                for text in messages:
                    self._insert("customer_messages", {"id_customer_thread": str(thread["id"]), "id_employee": "0",
                                                       "message": text, "private": "0", "date_add": date_add})
            return order["id"]

    def _token(self, size):
        return "".join(self._rng.choice("0123456789abcdef") for _ in range(size))

    @staticmethod
    def _hash(password):
        return "$2y$10$" + hashlib.sha256(password.encode()).hexdigest()[:53]

