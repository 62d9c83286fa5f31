"""Layout rules of the shared base (issue #13): one model per file named after it, helpers in tools/, no
file over 600 lines, one application."""

import ast
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
BASE = REPO / "b2b_connector_base"
ADDONS = sorted(p.parent for p in REPO.glob("*/__manifest__.py"))


def _model_classes(path):
    """(class name, _name or _inherit) of every Odoo model class defined in ``path``."""
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(b) for b in node.bases}
        if not bases & {"models.Model", "models.AbstractModel", "models.TransientModel"}:
            continue
        attrs = {t.id: stmt.value for stmt in node.body if isinstance(stmt, ast.Assign)
                 for t in stmt.targets if isinstance(t, ast.Name)}
        name = attrs.get("_name") or attrs.get("_inherit")
        value = ast.literal_eval(name)
        yield node.name, value if isinstance(value, str) else value[0]


@pytest.mark.parametrize("path", sorted((BASE / "models").glob("*.py")), ids=lambda p: p.name)
def test_base_has_one_model_per_file_named_after_it(path):
    if path.name == "__init__.py":
        return
    models = list(_model_classes(path))
    assert len(models) == 1, f"{path.name}: {models}"
    assert path.stem == models[0][1].replace(".", "_"), f"{path.name} holds {models[0][1]}"


def test_base_helpers_are_no_models():
    for path in (BASE / "tools").glob("*.py"):
        assert not list(_model_classes(path)), path


def test_no_base_python_file_over_600_lines():
    for path in BASE.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path


def test_only_the_b2b_app_is_an_application():
    apps = [a.name for a in ADDONS if ast.literal_eval((a / "__manifest__.py").read_text()).get("application")]
    assert apps == ["b2b_connector_base"]


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_crons_live_in_data(addon):
    for path in addon.rglob("*.xml"):
        if 'model="ir.cron"' in path.read_text():
            assert path.parent.name == "data", path
