"""Odoo's click bot, in Chromium: every menu, every view of its actions, every filter and group-by of their
search views, with any JavaScript error or server traceback failing the test. Through the B2B app as each B2B
group and in each language our addons ship; through the Odoo apps our addons extend (sale orders, deliveries,
purchase orders, contacts) as their own users, who are not in a B2B group. What each addon adds is in it when the
addons are installed together, as the test tier installs them."""

from odoo.tests import HttpCase, new_test_user, tagged

from .translations import LANGUAGES

CLICKBOT = "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader').startClickEverywhere('{menu}');"
USER = "base.group_user,b2b_connector_base.group_b2b_user"
MANAGER = "base.group_user,b2b_connector_base.group_b2b_manager"
B2B_APP = "b2b_connector_base.menu_b2b_root"


class ClickBotCase(HttpCase):
    """Our addons' terms loaded in every language they ship; ``_click_everywhere`` runs the click bot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        addons = cls.env["ir.module.module"].search([("name", "=like", "b2b\\_%"), ("state", "=", "installed")])
        for code in LANGUAGES.values():
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(addons.mapped("name"), list(LANGUAGES.values()),
                                                       overwrite=True)

    def _click_everywhere(self, login, groups, lang, menu):
        """The click bot through the app of ``menu`` (its root menu's xmlid) as a new user of ``groups`` who
        reads Odoo in ``lang``."""
        user = new_test_user(self.env, login, password=f"{login}_pw", groups=groups, lang=lang,
                             tz="Europe/Amsterdam")
        if "tour_enabled" in user._fields:
            user.tour_enabled = False
        self.browser_js("/odoo", CLICKBOT.format(menu=menu), "odoo.isReady === true", login=login, timeout=900,
                        success_signal="clickbot test succeeded")


@tagged("post_install", "-at_install")
class TestClickEverywhere(ClickBotCase):
    """The B2B app, as each B2B group."""

    def test_a_b2b_user_in_dutch(self):
        self._click_everywhere("b2b_click_user_nl", USER, "nl_NL", B2B_APP)

    def test_a_b2b_user_in_polish(self):
        self._click_everywhere("b2b_click_user_pl", USER, "pl_PL", B2B_APP)

    def test_a_b2b_manager_in_french(self):
        self._click_everywhere("b2b_click_manager_fr", MANAGER, "fr_FR", B2B_APP)

    def test_a_b2b_manager_in_swedish(self):
        self._click_everywhere("b2b_click_manager_sv", MANAGER, "sv_SE", B2B_APP)


@tagged("post_install", "-at_install")
class TestClickOdooAppsWeExtend(ClickBotCase):
    """The apps whose records our addons add fields, filters and buttons to, as their users without a B2B group."""

    def test_sales_as_a_salesman_in_french(self):
        self._click_everywhere("b2b_click_sales", "sales_team.group_sale_salesman", "fr_FR", "sale.sale_menu_root")

    def test_inventory_as_a_stock_user_in_polish(self):
        self._click_everywhere("b2b_click_stock", "stock.group_stock_user", "pl_PL", "stock.menu_stock_root")

    def test_purchase_as_a_purchase_user_in_dutch(self):
        self._click_everywhere("b2b_click_purchase", "purchase.group_purchase_user", "nl_NL",
                               "purchase.menu_purchase_root")

    def test_contacts_as_an_employee_in_swedish(self):
        self._click_everywhere("b2b_click_contacts", "base.group_user,base.group_partner_manager", "sv_SE",
                               "contacts.menu_contacts")
