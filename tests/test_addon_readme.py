"""OCA's readme convention: every addon of B2B_ADDONS has readme/DESCRIPTION.md, CONFIGURE.md and USAGE.md,
and a README.rst that is what setup/gen_readme.py generates from them (OCA's layout), valid reStructuredText."""

import importlib.util
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("gen_readme", REPO / "setup" / "gen_readme.py")
gen_readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_readme)
ADDONS = gen_readme.b2b_addons(REPO)


def test_b2b_addons_are_read_from_lib_sh():
    assert "b2b_connector_base" in ADDONS and "b2b_sandbox" in ADDONS
    assert set(ADDONS) <= {p.parent.name for p in REPO.glob("*/__manifest__.py")}


@pytest.mark.parametrize("addon", ADDONS)
@pytest.mark.parametrize("fragment", gen_readme.FRAGMENTS)
def test_every_addon_has_its_readme_fragments(addon, fragment):
    path = REPO / addon / "readme" / f"{fragment}.md"
    assert path.is_file(), f"{addon} lacks readme/{fragment}.md"
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    assert 1 <= len(lines) <= 30, f"{addon}/readme/{fragment}.md: {len(lines)} lines, 1-30 expected"


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_rst_is_the_generated_one(addon):
    path = REPO / addon / "README.rst"
    assert path.is_file(), f"{addon} has no README.rst: run setup/gen_readme.py"
    assert path.read_text() == gen_readme.generate(REPO / addon), (
        f"{addon}/README.rst is not what setup/gen_readme.py generates from readme/: run it")


@pytest.mark.parametrize("addon", ADDONS)
def test_readme_rst_is_valid_restructuredtext_in_oca_layout(addon):
    docutils_core = pytest.importorskip("docutils.core")
    text = (REPO / addon / "README.rst").read_text()
    # any warning of docutils (bad emphasis, broken list) is an error here
    doctree = docutils_core.publish_doctree(
        text, settings_overrides={"halt_level": 2, "report_level": 2, "warning_stream": False})
    titles = [node.astext() for node in doctree.findall() if node.tagname == "title"]
    assert titles[0] == gen_readme.ast.literal_eval((REPO / addon / "__manifest__.py").read_text())["name"]
    for section in ("Configuration", "Usage", "Credits", "Authors"):
        assert section in titles, f"{addon}/README.rst lacks the section {section}"


def test_check_mode_reports_a_stale_readme(tmp_path, monkeypatch):
    addon = tmp_path / "b2b_x"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "X", "summary": "x", "license": "LGPL-3", "author": "b2b-connect"}')
    for fragment in gen_readme.FRAGMENTS:
        (addon / "readme" / f"{fragment}.md").write_text(f"* `{fragment}` text\n")
    monkeypatch.setattr(gen_readme, "REPO_ROOT", tmp_path)
    assert gen_readme.main(["--check", "b2b_x"]) == 1
    assert gen_readme.main(["b2b_x"]) == 0
    assert "* ``USAGE`` text" in (addon / "README.rst").read_text()
    assert gen_readme.main(["--check", "b2b_x"]) == 0
    (addon / "readme" / "USAGE.md").write_text("changed\n")
    assert gen_readme.main(["--check", "b2b_x"]) == 1
