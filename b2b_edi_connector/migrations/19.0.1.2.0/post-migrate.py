"""19.0.1.2.0: wholesaler profiles say which message formats they take (``sales005_offered``). The four
profiles declared before took every format, and so does every profile a supplier trades SALES005 under:
they keep doing so (their data is noupdate, the new field would be empty)."""


def migrate(cr, version):
    cr.execute("""
        UPDATE b2b_edi_profile SET sales005_offered = TRUE
         WHERE code IN ('standard', 'gtin14', 'article_code', 'gln_only')
            OR id IN (SELECT edi_profile_id FROM res_partner
                       WHERE edi_format = 'SALES005' AND edi_profile_id IS NOT NULL)
    """)
