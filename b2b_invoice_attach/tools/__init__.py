"""Helpers of b2b_invoice_attach that are not models."""

from .runs import run_lock, unix_time
