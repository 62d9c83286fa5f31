"""Odoo's click bot through the B2B app, in Chromium, as each B2B group and in each language our addons ship:
every menu, every view of its actions, every filter and group-by of their search views, with any JavaScript
error or server traceback failing the test. What each addon adds to the app (shops, wholesaler profiles,
punch-out, carriers...) is in it when the addons are installed together, as the test tier installs them."""

from odoo.tests import HttpCase, new_test_user, tagged

from .translations import LANGUAGES

CLICKBOT = ("odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('b2b_connector_base.menu_b2b_root');")
USER = "base.group_user,b2b_connector_base.group_b2b_user"
MANAGER = "base.group_user,b2b_connector_base.group_b2b_manager"


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        addons = cls.env["ir.module.module"].search([("name", "=like", "b2b\\_%"), ("state", "=", "installed")])
        for code in LANGUAGES.values():
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(addons.mapped("name"), list(LANGUAGES.values()),
                                                       overwrite=True)

    def _click_everywhere(self, login, groups, lang):
        user = new_test_user(self.env, login, password=f"{login}_pw", groups=groups, lang=lang,
                             tz="Europe/Amsterdam")
        if "tour_enabled" in user._fields:
            user.tour_enabled = False
        self.browser_js("/odoo", CLICKBOT, "odoo.isReady === true", login=login, timeout=900,
                        success_signal="clickbot test succeeded")

    def test_a_b2b_user_in_dutch(self):
        self._click_everywhere("b2b_click_user_nl", USER, "nl_NL")

    def test_a_b2b_user_in_polish(self):
        self._click_everywhere("b2b_click_user_pl", USER, "pl_PL")

    def test_a_b2b_manager_in_french(self):
        self._click_everywhere("b2b_click_manager_fr", MANAGER, "fr_FR")

    def test_a_b2b_manager_in_swedish(self):
        self._click_everywhere("b2b_click_manager_sv", MANAGER, "sv_SE")
