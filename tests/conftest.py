"""Pure tier: import the plain-Python parts of our addons without Odoo.

Each addon directory is registered as ``odoo.addons.<name>`` *without running its __init__* (which
loads Odoo models), so ``odoo.addons.b2b_edi_connector.protocol...`` and
``odoo.addons.b2b_connector_base.lib...`` import exactly as they do inside Odoo. Nothing of Odoo
itself is importable here: ``tests/test_architecture.py`` checks that no protocol package needs it.
"""

import pathlib
import sys
import types

REPO = pathlib.Path(__file__).resolve().parent.parent
# the addons, and the test-only addons the Odoo tier installs besides them (tests/odoo_addons/)
ADDON_DIRS = sorted(p.parent for pattern in ("*/__manifest__.py", "tests/odoo_addons/*/__manifest__.py")
                    for p in REPO.glob(pattern))


def _register():
    odoo = types.ModuleType("odoo")
    odoo.__path__ = []  # a package with no portion: "import odoo.models" fails loudly
    odoo_addons = types.ModuleType("odoo.addons")
    odoo_addons.__path__ = []
    odoo.addons = odoo_addons
    sys.modules["odoo"] = odoo
    sys.modules["odoo.addons"] = odoo_addons
    for path in ADDON_DIRS:
        name = path.name
        mod = types.ModuleType(f"odoo.addons.{name}")
        mod.__path__ = [str(path)]
        mod.__file__ = str(path / "__init__.py")
        sys.modules[mod.__name__] = mod
        setattr(odoo_addons, name, mod)


_register()
sys.path.insert(0, str(REPO / "tests"))
