"""The error every shop adapter raises (see :mod:`.base` for the contract)."""


class ShopError(Exception):
    """A shop refused something, or answered what a shop of that platform would not answer.

    ``kind``: "auth", "not_found", "payload" (our data was refused), "answer" (their answer is broken),
    "config" (the backend is set up wrong), "remote". ``retryable`` for transient remote states."""

    user_facing = True

    def __init__(self, message, kind="remote", retryable=False, status=None):
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable
        self.status = status
