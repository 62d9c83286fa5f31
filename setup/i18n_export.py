"""Exports the .pot of each of our addons with Odoo's own exporter (what ``odoo-bin i18n export`` writes).

Run by ``setup/i18n.sh`` inside ``odoo-bin shell`` (which provides ``env``), on a database where the
addons are installed: B2B_I18N_MODULES names them (comma-separated), B2B_I18N_OUT is the folder to write
``<addon>.pot`` into (default: each addon's ``i18n/``).
"""

import io
import os
import pathlib
import re

from odoo.modules.module import get_module_path
from odoo.tools.translate import trans_export

DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\n', re.M)
out = os.environ.get("B2B_I18N_OUT")
for module in os.environ["B2B_I18N_MODULES"].split(","):
    buffer = io.BytesIO()
    trans_export(None, [module], buffer, "po", env)  # noqa: F821 - env comes from odoo-bin shell
    folder = pathlib.Path(out) if out else pathlib.Path(get_module_path(module)) / "i18n"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{module}.pot"
    # a .pot whose terms did not change keeps its dates (no churn in the repository)
    if not (target.exists() and DATES.sub(b"", target.read_bytes()) == DATES.sub(b"", buffer.getvalue())):
        target.write_bytes(buffer.getvalue())
    print(f"b2b-i18n: exported {module}")
