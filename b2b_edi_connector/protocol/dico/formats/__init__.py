"""The DICO formats: one module each, registering its :class:`~..format.DicoFormat`. Every module of this
package is imported here, so adding a format is adding a module."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
