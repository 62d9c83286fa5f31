"""The customers of incoming shop orders: matched by their shop id or e-mail, created only when unknown, with
their invoice and delivery addresses."""

from odoo.exceptions import UserError

from .customer_reservations import reserve_customers

# contacts made by an import (as base_import makes them): no "created" note, no tracking, no follower; their
# comment says which shop they came from
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


def order_partners(env, backend, order, lookups):
    """(customer, invoice address, delivery address): the shop customer matched by its shop id or
    e-mail, created only when unknown."""
    Partner = env["res.partner"].sudo().with_context(**QUIET)
    Binding = env["b2b.shop.partner"].sudo()
    email = lookups.email_of(order)
    partner = Partner
    if order.customer_remote_id:
        partner = lookups.partner_of_customer(order.customer_remote_id)
    if not partner and email:
        partner = lookups.partner_of_email(email)
    billing = order.billing if not order.billing.is_empty() else order.shipping
    if not partner:
        name = billing.name or billing.company or email
        if not name:
            raise UserError(env._("Shop order %(number)s has no customer name or e-mail.", number=order.number))
        if email:  # another page importing now must not create this customer too
            reserve_customers(env, [email], lookups.reserved_emails)
        # the language the customer ordered in, else the shop's: their quotations, e-mails and invoices read in it
        lang = lookups.language(order.customer_lang) or backend.sudo().shop_lang
        company = Partner
        if billing.company and billing.name:
            company = Partner.search([("name", "=ilike", billing.company), ("is_company", "=", True),
                                      ("company_id", "in", (False, backend.company_id.id))], limit=1)
            company = company or Partner.create(dict(address_vals(env, billing, lookups),
                                                     name=billing.company, is_company=True, email=False,
                                                     **({"lang": lang} if lang else {})))
        partner = Partner.create(dict(address_vals(env, billing, lookups), name=name,
                                      email=email or False, parent_id=company.id or False, company_id=False,
                                      comment=env._("Created from %(backend)s", backend=backend.name),
                                      **({"lang": lang} if lang else {})))
        lookups.created_partner(partner, email)
    if order.customer_remote_id and not lookups.is_bound(partner):
        Binding.create({"backend_id": backend.id, "partner_id": partner.id, "remote_id": order.customer_remote_id,
                        "push": False, "state": "synced"})
        lookups.created_binding(partner, order.customer_remote_id)
    invoice = order_address(env, partner, billing, "invoice", lookups)
    delivery = order_address(env, partner, order.shipping if not order.shipping.is_empty() else billing, "delivery",
                             lookups)
    return partner, invoice, delivery


def address_vals(env, address, lookups):
    country = lookups.country(address.country_code) if address.country_code else env["res.country"]
    state = env["res.country.state"]
    if country and address.state_code:
        state = lookups.state(country, address.state_code)
    return {"street": address.street or False, "street2": address.street2 or False, "city": address.city or False,
            "zip": address.zip or False, "country_id": country.id or False, "state_id": state.id or False,
            "phone": address.phone or False}


def order_address(env, partner, address, kind, lookups):
    """The partner itself when the address is its own, else a matching (or new) child address."""
    if address.is_empty():
        return partner
    vals = address_vals(env, address, lookups)
    keys = ("street", "zip", "city", "country_id")

    def same(p):
        return all((p[k].id if k.endswith("_id") else (p[k] or False)) == vals[k] for k in keys) and (
            not address.name or (p.name or "").lower() == address.name.lower() or p == partner)

    if same(partner):
        return partner
    child = partner.child_ids.filtered(lambda c: c.type == kind and same(c))[:1]
    if child:
        return child
    return env["res.partner"].sudo().with_context(**QUIET).create(dict(
        vals, type=kind, parent_id=partner.id, name=address.name or address.company or partner.name,
        email=address.email or False))
