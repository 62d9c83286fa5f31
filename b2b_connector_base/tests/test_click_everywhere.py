"""Odoo's click bot through the B2B app, in Chromium, as each B2B group: every menu, every view of its actions,
every filter and group-by of their search views, with any JavaScript error or server traceback failing the
test. What each addon adds to the app (shops, wholesaler profiles, punch-out, carriers...) is in it when the
addons are installed together, as the test tier installs them."""

from odoo.tests import HttpCase, new_test_user, tagged

CLICKBOT = ("odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('b2b_connector_base.menu_b2b_root');")


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    def _click_everywhere(self, login, groups):
        user = new_test_user(self.env, login, password=f"{login}_pw", groups=groups, tz="Europe/Amsterdam")
        if "tour_enabled" in user._fields:
            user.tour_enabled = False
        self.browser_js("/odoo", CLICKBOT, "odoo.isReady === true", login=login, timeout=900,
                        success_signal="clickbot test succeeded")

    def test_the_b2b_app_as_a_b2b_user(self):
        self._click_everywhere("b2b_click_user", "base.group_user,b2b_connector_base.group_b2b_user")

    def test_the_b2b_app_as_a_b2b_manager(self):
        self._click_everywhere("b2b_click_manager", "base.group_user,b2b_connector_base.group_b2b_manager")
