"""Odoo-side helpers of b2b_connector_base (no models): what the addons import besides ``lib``.

Plain-Python code (protocol packages, peers) uses ``lib`` instead: these import Odoo.
"""

from .access import MANAGER_GROUP, check_manager
from .call_collector import CallCollector
from .errors import is_retryable, user_message
from .request_budget import DbRequestBudget
from .runs import begin_run, run_lock
from .secret_fields import SECRET_MASK, secret_fields
from .secret_key import secret_box, secret_key_status

__all__ = [
    "MANAGER_GROUP",
    "SECRET_MASK",
    "CallCollector",
    "DbRequestBudget",
    "begin_run",
    "check_manager",
    "is_retryable",
    "run_lock",
    "secret_box",
    "secret_fields",
    "secret_key_status",
    "user_message",
]
