"""BaseLinker's timestamps (one run at a time is b2b_connector_base's ``tools.begin_run``)."""

from datetime import timezone


def unix_time(dt):
    """A naive UTC datetime (as Odoo stores them) as the Unix timestamp BaseLinker speaks."""
    return int(dt.replace(tzinfo=timezone.utc).timestamp())
