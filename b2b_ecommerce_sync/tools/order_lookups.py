"""What the import of a page of shop orders looks up in Odoo, read once for the whole page.

One-by-one, an order costs a search per product line, per tax rate, per customer, per country; a page of
100 orders reads each of them once (``prefetch``) and answers from memory, with exactly the records the
searches would have found (same domains, same order, first match). What an order creates (a new customer, a
customer binding, a pricelist) is remembered for the next orders of the page (all of them created together, or
none: a page whose creation fails is imported order by order, each with lookups of its own).
"""

import re
from decimal import Decimal

from odoo.tools import float_compare

from odoo.addons.b2b_connector_base.tools.languages import installed_lang, installed_languages

# an e-mail that is no plain text for ``=ilike`` (wildcards, escapes) or whose case folding may differ
# between Python and PostgreSQL is looked up by the search itself
_PLAIN_EMAIL = re.compile(r"^[A-Za-z0-9.@+\-!#$&'*/=?^`{|}~]+$")


class OrderLookups:
    def __init__(self, env, backend):
        self.env = env
        self.backend = backend
        self.company = backend.company_id
        self.by_remote = {}  # product shop id -> product (binding)
        self.by_sku = {}  # SKU -> product
        self.skus_read = set()
        self.remote_read = set()
        self.sale_taxes = None  # the company's sale percent taxes, read once
        self.taxes = {}  # rate -> taxes or None
        self.countries = {}  # code -> country
        self.states = {}  # (country id, code) -> state
        self.currencies = {}  # name -> currency
        self.pricelists = {}  # currency id -> pricelist
        self.partner_by_email = {}  # lowercase e-mail -> partner (or empty)
        self.emails_read = set()
        self.partner_by_customer = {}  # customer shop id -> partner (or empty)
        self.customers_read = set()
        self.bound_partners = None  # ids of the partners bound to the shop, read on first use
        self.reserved_emails = set()  # e-mails of new customers locked by this transaction (customer_reservations)
        self.languages = None  # the installed languages: [(code, iso code)], read on first use

    # ------------------------------------------------------------------ reading a page at once
    def prefetch(self, orders):
        """Read what ``orders`` will look up, in one search per kind of record."""
        env, company = self.env, self.company
        lines = [line for order in orders for line in order.product_lines()]
        remote_ids = {line.product_remote_id for line in lines if line.product_remote_id} - self.remote_read
        if remote_ids:
            bindings = env["b2b.shop.product"].sudo().with_context(active_test=False).search(
                [("backend_id", "=", self.backend.id), ("remote_id", "in", sorted(remote_ids))])
            for binding in bindings:
                self.by_remote.setdefault(binding.remote_id, binding.product_id)
            self.remote_read |= remote_ids
        skus = {line.sku for line in lines if line.sku} - self.skus_read
        if skus:
            products = env["product.product"].search([("default_code", "in", sorted(skus)),
                                                      ("company_id", "in", (False, company.id))])
            for product in products:  # the search's order: the first one wins, as with limit=1
                self.by_sku.setdefault(product.default_code, product)
            self.skus_read |= skus
        emails = {email for email in (self.email_of(order) for order in orders)
                  if email and _PLAIN_EMAIL.match(email)} - self.emails_read
        if emails:
            domain = ["|"] * (len(emails) - 1) + [("email", "=ilike", email) for email in sorted(emails)]
            partners = env["res.partner"].sudo().search(
                domain + [("company_id", "in", (False, company.id)), ("type", "=", "contact")], order="is_company, id")
            for partner in partners:
                self.partner_by_email.setdefault((partner.email or "").lower(), partner)
            self.emails_read |= emails
        customers = {order.customer_remote_id for order in orders if order.customer_remote_id} - self.customers_read
        if customers:
            bindings = env["b2b.shop.partner"].sudo().search([("backend_id", "=", self.backend.id),
                                                               ("remote_id", "in", sorted(customers))])
            for binding in bindings:
                self.partner_by_customer.setdefault(binding.remote_id, binding.partner_id)
            self.customers_read |= customers
        codes = {a.country_code.upper() for order in orders for a in (order.billing, order.shipping)
                 if a.country_code} - set(self.countries)
        if codes:
            found = {c.code: c for c in env["res.country"].search([("code", "in", sorted(codes))])}
            for code in codes:
                self.countries[code] = found.get(code, env["res.country"])

    @staticmethod
    def email_of(order):
        return (order.email or order.billing.email or "").strip().lower()

    # ------------------------------------------------------------------ answers
    def product(self, line):
        Product = self.env["product.product"]
        if line.product_remote_id:
            if line.product_remote_id not in self.remote_read:
                self.prefetch_line(line)
            product = self.by_remote.get(line.product_remote_id)
            if product:
                return product
        if line.sku:
            if line.sku not in self.skus_read:
                self.prefetch_line(line)
            return self.by_sku.get(line.sku, Product)
        return Product

    def prefetch_line(self, line):
        from ..protocol.model import Order  # noqa: PLC0415

        self.prefetch([Order(remote_id="", number="", status="", created_at=None, lines=[line])])

    def excluded_rate(self, product):
        """The rate (a fraction) ``product``'s sale taxes of the company add to a tax-excluded price: a
        discount a shop took tax included reduces the taxed base, so its line is taxed like what it reduces."""
        taxes = product.sudo().taxes_id.filtered(lambda t: t.company_id == self.company)
        return sum((Decimal(str(t.amount)) for t in taxes if t.amount_type == "percent" and not t.price_include),
                   Decimal(0)) / 100

    def tax(self, rate):
        """The company's sale tax of ``rate`` percent (tax excluded), None when Odoo has none."""
        key = str(Decimal(rate).normalize())
        if key not in self.taxes:
            if not Decimal(rate):
                self.taxes[key] = self.env["account.tax"]
            else:
                if self.sale_taxes is None:
                    self.sale_taxes = self.env["account.tax"].sudo().search([
                        ("type_tax_use", "=", "sale"), ("amount_type", "=", "percent"),
                        ("company_id", "=", self.company.id)])
                self.taxes[key] = self.sale_taxes.filtered(
                    lambda t: not t.price_include
                    and float_compare(t.amount, float(rate), precision_digits=4) == 0)[:1] or None
        return self.taxes[key]

    def country(self, code):
        code = code.upper()
        if code not in self.countries:
            self.countries[code] = self.env["res.country"].search([("code", "=", code)], limit=1)
        return self.countries[code]

    def state(self, country, code):
        key = (country.id, code)
        if key not in self.states:
            self.states[key] = self.env["res.country.state"].search(
                [("country_id", "=", country.id), ("code", "=", code)], limit=1)
        return self.states[key]

    def language(self, code):
        """The installed Odoo language of a shop's language code (``tools.languages.installed_lang``)."""
        if self.languages is None:
            self.languages = installed_languages(self.env)
        return installed_lang(self.env, code, self.languages)

    def currency(self, name):
        if name not in self.currencies:
            self.currencies[name] = self.env["res.currency"].with_context(active_test=False).search(
                [("name", "=", name)], limit=1)
        return self.currencies[name]

    def partner_of_email(self, email):
        """The contact of this e-mail (case-insensitive), the first by (is_company, id), or an empty record."""
        Partner = self.env["res.partner"].sudo()
        if email not in self.emails_read or not _PLAIN_EMAIL.match(email):
            partner = Partner.search([("email", "=ilike", email), ("company_id", "in", (False, self.company.id)),
                                      ("type", "=", "contact")], order="is_company, id", limit=1)
            if not _PLAIN_EMAIL.match(email):
                return partner
            self.emails_read.add(email)
            if partner:
                self.partner_by_email[email] = partner
        return self.partner_by_email.get(email, Partner)

    def partner_of_customer(self, remote_id):
        if remote_id not in self.customers_read:
            binding = self.env["b2b.shop.partner"].sudo().search(
                [("backend_id", "=", self.backend.id), ("remote_id", "=", remote_id)], limit=1)
            self.customers_read.add(remote_id)
            if binding:
                self.partner_by_customer[remote_id] = binding.partner_id
        return self.partner_by_customer.get(remote_id, self.env["res.partner"].sudo())

    def is_bound(self, partner):
        if self.bound_partners is None:
            self.bound_partners = set(self.env["b2b.shop.partner"].sudo().search(
                [("backend_id", "=", self.backend.id)]).partner_id.ids)
        return partner.id in self.bound_partners

    # ------------------------------------------------------------------ what an order created
    def known_customer(self, order):
        """Whether the customer of ``order`` was found by the prefetch (no query)."""
        if order.customer_remote_id and self.partner_by_customer.get(order.customer_remote_id):
            return True
        email = self.email_of(order)
        return bool(email and self.partner_by_email.get(email))

    def created_partner(self, partner, email):
        if email and _PLAIN_EMAIL.match(email):
            self.partner_by_email.setdefault(email, partner)

    def created_binding(self, partner, remote_id):
        if self.bound_partners is not None:
            self.bound_partners.add(partner.id)
        self.partner_by_customer.setdefault(remote_id, partner)
        self.customers_read.add(remote_id)
