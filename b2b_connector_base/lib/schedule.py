"""When a backend's scheduled work may run: an interval, active hours and weekdays.

Hours are floats in local time (8.5 = 08:30); ``hour_from > hour_to`` is an overnight window
(22:00-06:00). Weekdays follow Python: Monday = 0 ... Sunday = 6. Datetimes are naive local times.
"""

import datetime as dt
from dataclasses import dataclass, field

ALL_DAYS = frozenset(range(7))
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hour(value):
    return value.hour + value.minute / 60 + value.second / 3600


@dataclass(frozen=True)
class Schedule:
    interval_minutes: int = 60
    hour_from: float = 0.0
    hour_to: float = 24.0
    weekdays: frozenset = field(default=ALL_DAYS)

    def __post_init__(self):
        if self.interval_minutes < 1:
            raise ValueError("the interval must be at least one minute")
        for h in (self.hour_from, self.hour_to):
            if not 0 <= h <= 24:
                raise ValueError(f"active hours must be between 0 and 24, not {h}")
        if self.hour_from == self.hour_to and self.hour_from not in (0, 24):
            raise ValueError("the active window is empty (start equals end)")
        if not self.weekdays or not set(self.weekdays) <= ALL_DAYS:
            raise ValueError("choose at least one weekday (0=Monday .. 6=Sunday)")
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))

    @property
    def all_day(self):
        return (self.hour_from, self.hour_to) in ((0, 24), (0, 0), (24, 24))

    def in_window(self, when):
        """True when ``when`` falls on an active weekday inside the active hours."""
        if self.all_day:
            return when.weekday() in self.weekdays
        h = _hour(when)
        if self.hour_from < self.hour_to:
            return when.weekday() in self.weekdays and self.hour_from <= h < self.hour_to
        # overnight: the part after midnight belongs to the window opened the day before
        if h >= self.hour_from:
            return when.weekday() in self.weekdays
        if h < self.hour_to:
            return (when - dt.timedelta(days=1)).weekday() in self.weekdays
        return False

    def is_due(self, now, last_run=None):
        """True when work should run at ``now``: inside the window and an interval since ``last_run``."""
        if not self.in_window(now):
            return False
        due = dt.timedelta(minutes=self.interval_minutes) - dt.timedelta(seconds=30)
        return last_run is None or now - last_run >= due

    def next_run(self, now, last_run=None):
        """The first moment at or after ``now`` when :meth:`is_due` holds."""
        start = now if last_run is None else max(now, last_run + dt.timedelta(minutes=self.interval_minutes))
        if self.in_window(start):
            return start
        # walk the window openings of the next eight days
        for days in range(0, 9):
            day = (start + dt.timedelta(days=days)).date()
            h = 0.0 if self.all_day else self.hour_from
            opening = dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=h)
            if opening >= start and self.in_window(opening):
                return opening
        return None

    def describe(self):
        days = "every day" if self.weekdays == ALL_DAYS else ", ".join(DAY_NAMES[d] for d in sorted(self.weekdays))
        hours = "all day" if self.all_day else f"{_fmt(self.hour_from)}-{_fmt(self.hour_to)}"
        return f"every {self.interval_minutes} min, {hours}, {days}"


def _fmt(h):
    return f"{int(h):02d}:{int(round((h % 1) * 60)):02d}"
