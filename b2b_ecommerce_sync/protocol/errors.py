"""The error every shop adapter raises (see :mod:`.base` for the contract)."""

from odoo.addons.b2b_connector_base.lib.errors import ProtocolError


class ShopError(ProtocolError):
    """A shop refused something, or answered what a shop of that platform would not answer.

    ``kind``: "auth", "not_found", "payload" (our data was refused), "answer" (their answer is broken),
    "config" (the backend is set up wrong), "remote". ``retryable`` for transient remote states.

    ``ShopError(code, _lt("English %(x)s"), kind=..., x=...)`` is shown in the user's language by the Odoo
    layer; ``ShopError(message, kind=...)`` (a text that comes from the shop) as it is."""

    default_code = "shop"

    def __init__(self, code, message=None, /, kind="remote", retryable=False, status=None, **params):
        super().__init__(code, message, **params)
        self.kind = kind
        self.retryable = retryable
        self.status = status
