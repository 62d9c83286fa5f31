class CallCollector(list):
    """The HTTP calls of one processing run. Compared by identity: Odoo reuses an existing environment
    whose context compares *equal*, so two empty lists would make a later exchange collect into an
    earlier exchange's (already stored and cleared) list and lose its calls."""

    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__
