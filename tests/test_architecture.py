"""Rules of the project that a test can hold: protocol packages are plain Python, manifests are
proper Odoo 19 manifests, every data file a manifest names exists."""

import ast
import importlib
import pathlib
import re
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent for p in REPO.glob("*/__manifest__.py"))
# addons the Odoo tier installs for tests only (setup/lib.sh B2B_TEST_ADDONS), never in the demo
TEST_ADDONS = sorted(p.parent for p in REPO.glob("tests/odoo_addons/*/__manifest__.py"))
PLAIN_PACKAGES = ("lib", "protocol", "peers")


def _plain_modules():
    for addon in ADDONS + TEST_ADDONS:
        for pkg in PLAIN_PACKAGES:
            for path in sorted((addon / pkg).rglob("*.py")):
                rel = path.relative_to(addon.parent).with_suffix("")
                parts = list(rel.parts)
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                yield "odoo.addons." + ".".join(parts), path


def test_addons_found():
    names = {a.name for a in ADDONS}
    assert {"b2b_connector_base", "b2b_edi_connector", "b2b_ecommerce_sync", "b2b_punchout",
            "b2b_invoice_attach"} <= names


@pytest.mark.parametrize("name,path", list(_plain_modules()), ids=lambda v: str(v).split("addons.")[-1])
def test_plain_packages_import_without_odoo(name, path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mod = node.module
            assert not (mod == "odoo" or (mod.startswith("odoo.") and not mod.startswith("odoo.addons."))), \
                f"{path}: imports Odoo ({mod})"
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name != "odoo" and not (alias.name.startswith("odoo.") and not alias.name.startswith(
                    "odoo.addons.")), f"{path}: imports Odoo ({alias.name})"
    importlib.import_module(name)
    assert "odoo.models" not in sys.modules and "odoo.fields" not in sys.modules


def test_every_directory_with_an_addon_init_has_a_manifest():
    """A b2b_* directory without a manifest would be skipped by Odoo (the shop platforms have theirs)."""
    assert [p.parent.name for p in REPO.glob("b2b_*/__init__.py") if not (p.parent / "__manifest__.py").exists()] == []


@pytest.mark.parametrize("addon", ADDONS + TEST_ADDONS, ids=lambda p: p.name)
def test_manifest(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    assert re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest["version"]), manifest["version"]
    assert manifest["license"] in ("LGPL-3", "AGPL-3", "OPL-1")
    assert manifest["depends"], "every addon depends on something"
    assert manifest.get("installable", True)
    for key in ("data", "demo"):
        for rel in manifest.get(key, []):
            assert (addon / rel).is_file(), f"{addon.name}: {key} file {rel} missing"
    assert (addon / "static" / "description" / "icon.png").is_file()
    if addon.name != "b2b_connector_base":
        assert "b2b_connector_base" in manifest["depends"]


def _imported_addons(path):
    """The addons a Python file imports (``odoo.addons.<name>``), absolute imports only."""
    for node in ast.walk(ast.parse(path.read_text())):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else \
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        for name in names:
            if name.startswith("odoo.addons."):
                yield name.split(".")[2]


def _code(addon, tests=False):
    return [p for p in addon.rglob("*.py") if tests or "tests" not in p.relative_to(addon).parts]


@pytest.mark.parametrize("addon", [a for a in ADDONS if a.name != "b2b_sandbox"], ids=lambda p: p.name)
def test_production_code_never_imports_the_sandbox(addon):
    # the other side of a protocol (b2b_sandbox/protocol/, the peers) is for tests, bench and demo only
    for path in _code(addon):
        assert "b2b_sandbox" not in set(_imported_addons(path)), f"{path.relative_to(REPO)} imports b2b_sandbox"


def test_the_sandbox_depends_on_what_it_imports():
    sandbox = REPO / "b2b_sandbox"
    depends = set(ast.literal_eval((sandbox / "__manifest__.py").read_text())["depends"])
    for path in _code(sandbox):
        missing = set(_imported_addons(path)) - depends - {"b2b_sandbox"}
        assert not missing, f"{path.relative_to(REPO)} imports {sorted(missing)}, not in b2b_sandbox's depends"
