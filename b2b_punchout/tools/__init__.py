from .pricing import unit_price  # noqa: F401
from .tokens import token_hash  # noqa: F401
from .unspsc import check_unspsc  # noqa: F401
