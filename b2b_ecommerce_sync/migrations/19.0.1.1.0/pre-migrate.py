"""19.0.1.1.0: each shop platform is an addon of its own (b2b_shop_<platform>). Before this module is loaded:

* the addon of every platform the shops use is installed with this upgrade (it owns the platform's code in
  the selection now, and its adapter); shops of a platform whose addon is not on the addons path get "No
  platform" (what uninstalling a platform addon does), keeping their records;
* the platform codes' selection values and the demo shops (with their category mapping) belong to the
  platform addons from now on (so their demo data finds them instead of making them again);
* category mapping rows are unique per shop category when they send it (a new index): of rows of one shop that
  send the same shop category, the first keeps sending it, the others only map onto it."""

import logging

_logger = logging.getLogger(__name__)

# the records of b2b_ecommerce_sync's demo data that each platform addon's demo data holds now
DEMO_RECORDS = {
    "woocommerce": ["demo_shop_woocommerce", "demo_shop_category_map_office", "demo_shop_category_map_lighting"],
    "prestashop": ["demo_shop_prestashop"],
    "magento2": ["demo_shop_magento2"],
    "shopify": ["demo_shop_shopify"],
}


def _move_platforms_to_their_addons(cr):
    cr.execute("SELECT DISTINCT platform FROM b2b_shop_backend WHERE platform IS NOT NULL AND platform != 'none'")
    used = {row[0] for row in cr.fetchall()}
    for platform in sorted(used | set(DEMO_RECORDS)):
        module = f"b2b_shop_{platform}"
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
        row = cr.fetchone()
        if not row or row[0] == "uninstallable":
            if platform in used:
                _logger.warning("shop platform %s has no addon %s: its shops get No platform", platform, module)
                cr.execute("UPDATE b2b_shop_backend SET platform = 'none' WHERE platform = %s", [platform])
            continue
        if platform in used and row[0] == "uninstalled":
            _logger.info("shops of platform %s: installing its addon %s", platform, module)
            cr.execute("UPDATE ir_module_module SET state = 'to install' WHERE name = %s", [module])
        cr.execute("""UPDATE ir_model_data SET module = %s WHERE module = 'b2b_ecommerce_sync' AND name = ANY(%s)""",
                   [module, [f"selection__b2b_shop_backend__platform__{platform}", *DEMO_RECORDS.get(platform, [])]])


def _one_sender_per_shop_category(cr):
    cr.execute("""
        UPDATE b2b_shop_category_map m SET push = FALSE
          FROM b2b_shop_category_map first
         WHERE m.push AND first.push AND m.remote_id IS NOT NULL AND m.backend_id = first.backend_id
           AND m.remote_id = first.remote_id AND first.id < m.id
        RETURNING m.id""")
    if cr.rowcount:
        _logger.info("category mapping rows %s sent a shop category another row sends: they only map now",
                     sorted(row[0] for row in cr.fetchall()))


def migrate(cr, version):
    if not version:
        return
    _move_platforms_to_their_addons(cr)
    _one_sender_per_shop_category(cr)
