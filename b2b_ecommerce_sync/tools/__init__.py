"""Helpers of b2b_ecommerce_sync that are no models."""

from .states import like_prefix, newer_states, state_key
from .values import decimal, fingerprint

__all__ = ["decimal", "fingerprint", "like_prefix", "newer_states", "state_key"]
