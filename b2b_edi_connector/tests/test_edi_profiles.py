"""Wholesaler profiles are records: the declared ones stand for the deviations they always did, a partner
without one is sent the published standard, and databases from before the records keep their choice."""

import importlib.util
import pathlib

from odoo.tests import TransactionCase, tagged

from ..protocol.dico import Profile

XMLID = "b2b_edi_connector.edi_profile_{}"


@tagged("post_install", "-at_install")
class TestEdiProfiles(TransactionCase):
    def test_declared_profiles(self):
        expected = {
            "standard": Profile(),
            "gtin14": Profile(gtin14=True, omit_empty_indicators=True),
            "article_code": Profile(supplier_code_only=True, omit_empty_indicators=True),
            "gln_only": Profile(omit_empty_indicators=True, send_order_time=False, delivery_party_address=False),
        }
        for code, flags in expected.items():
            with self.subTest(code=code):
                record = self.env.ref(XMLID.format(code))
                profile = record._edi_profile()
                self.assertEqual((profile.key, profile.label), (code, record.name))
                self.assertEqual(profile, Profile(key=code, label=record.name, **{
                    name: getattr(flags, name) for name in ("gtin14", "supplier_code_only", "omit_empty_indicators",
                                                            "send_order_time", "delivery_party_address")}))

    def test_new_partners_get_the_standard_and_none_is_the_standard(self):
        partner = self.env["res.partner"].create({"name": "New wholesaler", "is_company": True})
        self.assertEqual(partner.edi_profile_id, self.env.ref(XMLID.format("standard")))
        self.assertEqual(self.env["b2b.edi.profile"]._edi_profile(), Profile())

    def test_upgrade_maps_the_selection_onto_the_records(self):
        path = pathlib.Path(__file__).resolve().parent.parent / "migrations" / "19.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("b2b_edi_post_migrate_19_0_1_1_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        Partner = self.env["res.partner"]
        plain, coded, unknown = Partner.create([{"name": "Plain"}, {"name": "Coded"}, {"name": "Unknown"}])
        # the column as 19.0.1.0.0 left it (a selection of codes), the new field not set yet
        self.env.cr.execute("ALTER TABLE res_partner ADD COLUMN edi_profile varchar")
        self.env.cr.execute("UPDATE res_partner SET edi_profile_id = NULL WHERE id IN %s",
                            [(plain.id, coded.id, unknown.id)])
        for partner, code in ((plain, "standard"), (coded, "article_code"), (unknown, "gone")):
            self.env.cr.execute("UPDATE res_partner SET edi_profile = %s WHERE id = %s", [code, partner.id])
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.assertEqual(plain.edi_profile_id, self.env.ref(XMLID.format("standard")))
        self.assertEqual(coded.edi_profile_id, self.env.ref(XMLID.format("article_code")))
        self.assertFalse(unknown.edi_profile_id, "an unknown code is left empty, i.e. the standard")
