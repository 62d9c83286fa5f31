from .units import unit_code  # noqa: F401
