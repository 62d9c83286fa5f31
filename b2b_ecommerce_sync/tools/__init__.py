"""Helpers of b2b_ecommerce_sync that are no models."""

from .result_errors import result_error
from .states import like_prefix, newer_states, state_key
from .values import decimal, fingerprint

__all__ = ["decimal", "fingerprint", "like_prefix", "newer_states", "result_error", "state_key"]
