"""Who may configure a connection or reach its peer."""

from odoo.exceptions import AccessError

MANAGER_GROUP = "b2b_connector_base.group_b2b_manager"


def check_manager(env):
    """Raise AccessError unless the environment's user is a B2B Manager (or it runs as superuser)."""
    if env.su or env.user.has_group(MANAGER_GROUP):
        return
    raise AccessError(env._("Only B2B Managers may configure connections or call their peers (user %(user)s).",
                            user=env.user.name))
