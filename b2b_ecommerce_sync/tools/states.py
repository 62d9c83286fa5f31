"""The received states of a remote record (an order read again after it changed in the shop)."""

import re

_STAMP_RE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)?$")


def state_key(remote_id, status, stamp):
    """The external id of one received state of a remote record: "<remote id>:<status>:<modified, ISO>" (the
    stamp may be empty). The same state read twice has the same key; see :func:`newer_states`."""
    return f"{remote_id}:{status}:{stamp or ''}"


def like_prefix(text):
    """A ``=like`` pattern matching what starts with ``text`` (its wildcards escaped)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def newer_states(exchange, others):
    """Those of ``others`` (exchanges that brought states of the same remote record, see :func:`state_key`)
    that brought a newer one than ``exchange``. Newer: modified later in the shop; with the same or no
    modification time, received later (a higher exchange id)."""
    mine = _STAMP_RE.search(exchange.external_id or "").group(1) or ""
    newer = others.browse()
    for other in others:
        stamp = _STAMP_RE.search(other.external_id).group(1) or ""
        if stamp and mine and stamp != mine:
            is_newer = stamp > mine
        else:
            is_newer = other.id > exchange.id
        if is_newer:
            newer |= other
    return newer
