"""Before 19.0.1.2.0 a session kept what an OCI login asked of the cart return in two OCI-only columns
(oci_target, oci_ok_code); every protocol keeps it in return_options now. Sessions still open keep theirs;
the old columns are still there at this point (Odoo drops them afterwards)."""

import json


def migrate(cr, version):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'b2b_punchout_session' "
               "AND column_name IN ('oci_target', 'oci_ok_code')")
    if len(cr.fetchall()) < 2:
        return
    cr.execute("SELECT id, oci_target, oci_ok_code FROM b2b_punchout_session "
               "WHERE protocol = 'oci' AND return_options IS NULL")
    for session_id, target, ok_code in cr.fetchall():
        cr.execute("UPDATE b2b_punchout_session SET return_options = %s WHERE id = %s",
                   [json.dumps({"target": target or "", "ok_code": ok_code or ""}), session_id])
