"""Wholesaler profiles are records: the declared ones stand for the deviations they always did, the four
wholesalers are declared as their public material shows them, a partner without one is sent the published
standard, and databases from before the records keep their choice."""

import dataclasses
import importlib.util
import pathlib

import psycopg2

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..hooks import uninstall_hook
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
        sender = Profile(gtin14=True, omit_empty_indicators=True, delivery_party_gln=False, line_identitfication=True,
                         flat_references=True)
        expected.update({code: sender for code in ("technischeunie", "rexel", "solar", "oosterberg")})
        for code, flags in expected.items():
            with self.subTest(code=code):
                record = self.env.ref(XMLID.format(code))
                profile = record._edi_profile()
                self.assertEqual((profile.key, profile.label), (code, record.name))
                self.assertEqual(profile, dataclasses.replace(flags, key=code, label=record.name))
                self.assertEqual(record.message_format, "INSBOU003")

    def test_the_wholesalers_as_their_public_senders_call_them(self):
        rows = {code: self.env.ref(XMLID.format(code)) for code in ("technischeunie", "rexel", "solar", "oosterberg")}
        self.assertEqual({code: (p.messageservice_contract, p.relation_id_rule, p.version_id, p.sales005_offered)
                          for code, p in rows.items()}, {
            "technischeunie": ("technischeunie", "customer", "3.10", False),
            "rexel": ("rexel", "customer", "9.4", True),
            "solar": ("solar", "empty", "9.4", False),
            "oosterberg": ("technischeunie", "customer", "9.4", False)})
        tu = rows["technischeunie"]
        self.assertEqual(tu.endpoint_production.replace("services.", "testservices.", 1), tu.endpoint_test,
                         "production is the test WSDL's contract at another address")
        self.assertFalse(rows["oosterberg"].endpoint_production, "not published")
        self.assertTrue(all(p.endpoint_test for p in rows.values()))
        standard = self.env.ref(XMLID.format("standard"))
        self.assertEqual(standard._edi_formats(), {"INSBOU003", "SALES005"})
        self.assertEqual(tu._edi_formats(), {"INSBOU003"})
        self.assertEqual(rows["rexel"]._edi_formats(), {"INSBOU003", "SALES005"})

    def test_upgrade_to_19_0_1_2_0_keeps_sales005_where_it_was_used(self):
        migration = self._migration("19.0.1.2.0")
        legacy = self.env.ref(XMLID.format("gtin14"))
        mine = self.env["b2b.edi.profile"].create({"name": "Mine", "code": "mine_sales"})
        unused = self.env["b2b.edi.profile"].create({"name": "Unused", "code": "unused"})
        partner = self.env["res.partner"].create({"name": "On SALES005", "edi_profile_id": mine.id,
                                                  "edi_format": "SALES005"})
        self.env.cr.execute("UPDATE b2b_edi_profile SET sales005_offered = FALSE")
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertTrue(legacy.sales005_offered and mine.sales005_offered)
        self.assertFalse(unused.sales005_offered)
        self.assertFalse(self.env.ref(XMLID.format("technischeunie")).sales005_offered)
        partner.write({"edi_enabled": True, "edi_url": "https://w.example/ms", "edi_relation_id": "1"})

    def _migration(self, version):
        path = pathlib.Path(__file__).resolve().parent.parent / "migrations" / version / "post-migrate.py"
        spec = importlib.util.spec_from_file_location(f"b2b_edi_post_migrate_{version.replace('.', '_')}", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        return migration

    def test_new_partners_get_the_standard_and_none_is_the_standard(self):
        partner = self.env["res.partner"].create({"name": "New wholesaler", "is_company": True})
        self.assertEqual(partner.edi_profile_id, self.env.ref(XMLID.format("standard")))
        self.assertEqual(self.env["b2b.edi.profile"]._edi_profile(), Profile())

    def test_upgrade_maps_the_selection_onto_the_records(self):
        migration = self._migration("19.0.1.1.0")
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

    def test_uninstalling_lets_the_profiles_go(self):
        """Odoo deletes an addon's records before its fields: every contact has a profile and one in use may
        not be deleted, so the uninstall hook has the contacts let go of theirs first."""
        profiles = self.env["b2b.edi.profile"].with_context(active_test=False).search([])
        partner = self.env["res.partner"].create({"name": "Wholesaler"})
        self.assertTrue(partner.edi_profile_id)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            profiles.unlink()
        uninstall_hook(self.env)
        self.assertFalse(partner.edi_profile_id)
        profiles.unlink()
        self.assertFalse(profiles.exists())
