"""Helpers of b2b_invoice_attach that are not models."""

from .runs import unix_time
