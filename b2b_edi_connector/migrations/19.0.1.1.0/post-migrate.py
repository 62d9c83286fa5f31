"""Before 19.0.1.1.0 a wholesaler's deviations were a selection (res_partner.edi_profile, the profile's
code); they are records now (b2b.edi.profile, declared in data/b2b_edi_profile_data.xml). Each partner gets
the record of the code it had; the old column is still there at this point (Odoo drops it afterwards)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute("SELECT 1 FROM information_schema.columns WHERE table_name = 'res_partner' "
               "AND column_name = 'edi_profile'")
    if not cr.fetchone():
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    profiles = env["b2b.edi.profile"].with_context(active_test=False).search([])
    for profile in profiles:
        cr.execute("UPDATE res_partner SET edi_profile_id = %s WHERE edi_profile = %s", [profile.id, profile.code])
    env["res.partner"].invalidate_model(["edi_profile_id"])
