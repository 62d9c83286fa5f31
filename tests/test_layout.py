"""Layout rules of every addon (issue #13): one model per file named after it, helpers in tools/, no file over
600 lines, one application; the shop side names no platform."""

import ast
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
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


MODEL_FILES = [path for addon in ADDONS for path in sorted((addon / "models").glob("*.py"))
               if path.name != "__init__.py"]


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_one_model_per_file_named_after_it(path):
    models = list(_model_classes(path))
    assert len(models) == 1, f"{path.name}: {models}"
    assert path.stem == models[0][1].replace(".", "_"), f"{path.name} holds {models[0][1]}"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_helpers_are_no_models(addon):
    for path in (addon / "tools").glob("*.py"):
        assert not list(_model_classes(path)), path


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_no_python_file_over_600_lines(addon):
    for path in addon.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path


def test_the_shop_side_names_no_platform():
    """Each platform is an addon (b2b_shop_<platform>): b2b_ecommerce_sync's models and views name none."""
    platforms = [p.name.removeprefix("b2b_shop_").removesuffix("2") for p in REPO.glob("b2b_shop_*")
                 if (p / "__manifest__.py").is_file()]
    assert {"woocommerce", "prestashop", "magento", "shopify"} <= set(platforms)
    shop = REPO / "b2b_ecommerce_sync"
    for path in [*(shop / "models").rglob("*.py"), *(shop / "views").rglob("*.xml")]:
        text = path.read_text().lower()
        named = [platform for platform in platforms if platform in text]
        assert not named, f"{path.relative_to(REPO)} names {named}"


def test_only_the_b2b_app_is_an_application():
    apps = [a.name for a in ADDONS if ast.literal_eval((a / "__manifest__.py").read_text()).get("application")]
    assert apps == ["b2b_connector_base"]


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_crons_live_in_data(addon):
    for path in addon.rglob("*.xml"):
        if 'model="ir.cron"' in path.read_text():
            assert path.parent.name == "data", path
