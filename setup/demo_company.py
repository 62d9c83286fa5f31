"""The demo's company, B2B Demo B.V. (Amsterdam, EUR, the Dutch chart of accounts of l10n_nl: 21 % / 9 % VAT and
the Dutch fiscal positions), so that the demo shops' orders (EUR, 21 % VAT) are taxed as the shops taxed them and
their invoices post at once. Run by setup/start.sh in `odoo shell` (which gives `env`) on a new demo database
after each of its installation steps:

1. `base`: the main company becomes Dutch, in EUR; installing `account` then installs l10n_nl with it (Odoo
   installs the localisation of its companies' countries);
2. `account` (with its demo data, which puts the generic chart on the main company): the Dutch chart is loaded
   on the main company instead, with its demo data, before any other addon uses it;
3. our addons: the company keeps its name (stock's demo data renames the main company).
"""

company = env.ref("base.main_company")  # noqa: F821 - given by odoo shell
values = {
    "name": "B2B Demo B.V.",
    "country_id": env.ref("base.nl").id,  # noqa: F821
    "street": "Herengracht 182",
    "zip": "1016 BR",
    "city": "Amsterdam",
    "phone": "+31 20 123 4567",
    "email": "info@b2b-demo.example",
    "website": "https://b2b-demo.example",
}
if "account.chart.template" not in env:  # noqa: F821
    eur = env.ref("base.EUR")  # noqa: F821
    eur.active = True
    values["currency_id"] = eur.id
    env.ref("base.user_admin").tz = "Europe/Amsterdam"  # noqa: F821 - schedules and dates in Dutch local time
company.write(values)
if "account.chart.template" in env and company.chart_template != "nl":  # noqa: F821
    env["account.chart.template"].try_loading("nl", company, install_demo=True)  # noqa: F821
env.cr.commit()  # noqa: F821
print(f"demo company: {company.name}, {company.country_id.code}, {company.currency_id.name}, "
      f"chart {company.chart_template if 'chart_template' in company else '-'}")
