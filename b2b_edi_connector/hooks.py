"""Install hooks."""


def uninstall_hook(env):
    """Contacts let go of their wholesaler profile before the profiles go with the addon: a profile in use may
    not be deleted (``ondelete="restrict"``), and every contact has one (the standard profile by default), so
    Odoo could delete none of them and logged a failed query for each batch it tried."""
    env["res.partner"].flush_model(["edi_profile_id"])
    env.cr.execute("UPDATE res_partner SET edi_profile_id = NULL WHERE edi_profile_id IS NOT NULL")
    env["res.partner"].invalidate_model(["edi_profile_id"])
