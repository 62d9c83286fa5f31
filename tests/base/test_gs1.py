from odoo.addons.b2b_connector_base.lib import gs1


def test_gln_check_digit():
    assert gs1.is_valid_gln("8713473000010")  # Rexel Nederland, from a public DespatchAdvice
    assert gs1.is_valid_gln("8714231774051")
    assert not gs1.is_valid_gln("8713473000011")
    assert not gs1.is_valid_gln("871347300001")
    assert not gs1.is_valid_gln("87134730000AB")
    assert not gs1.is_valid_gln(None)
    assert gs1.explain_gln("8713473000010") is None
    assert "check digit (expected 0)" in gs1.explain_gln("8713473000011")
    assert "13 digits" in gs1.explain_gln("123")
    assert "digits only" in gs1.explain_gln("ABC")


def test_gtin():
    assert gs1.is_valid_gtin("4011377309456")
    assert gs1.is_valid_gtin("04011377309456")
    assert gs1.is_valid_gtin("96385074")  # GTIN-8
    assert not gs1.is_valid_gtin("4011377309457")
    assert gs1.gtin14("4011377309456") == "04011377309456"
    assert gs1.check_digit("401137730945") == "6"
