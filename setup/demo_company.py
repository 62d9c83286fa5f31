"""Run by setup/start.sh in `odoo shell` on a new demo database that has only `base` (with its demo data), before
any other addon: the main company becomes the Dutch demo company B2B Demo B.V. (Amsterdam, EUR). Installing
`account` then loads the chart of accounts of the company's country, the Dutch one of l10n_nl (installed with it,
as Odoo installs the localisation of its companies' countries): 21 % and 9 % VAT, Dutch fiscal positions. So the
demo shops' orders (in EUR, 21 % VAT) are taxed as the shops taxed them and their invoices post at once.
`env` is the shell's environment."""

eur = env.ref("base.EUR")  # noqa: F821 - given by odoo shell
eur.active = True
company = env.ref("base.main_company")  # noqa: F821
company.write({
    "name": "B2B Demo B.V.",
    "currency_id": eur.id,
    "country_id": env.ref("base.nl").id,  # noqa: F821
    "street": "Herengracht 182",
    "zip": "1016 BR",
    "city": "Amsterdam",
    "phone": "+31 20 123 4567",
    "email": "info@b2b-demo.example",
    "website": "https://b2b-demo.example",
})
# schedules and dates in Dutch local time
env.ref("base.user_admin").tz = "Europe/Amsterdam"  # noqa: F821
env.cr.commit()  # noqa: F821
print(f"demo company: {company.name}, {company.country_id.code}, {company.currency_id.name}")
