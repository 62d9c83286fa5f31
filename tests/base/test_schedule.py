import datetime as dt

import pytest

from odoo.addons.b2b_connector_base.lib.schedule import Schedule

MON = dt.datetime(2026, 11, 23, 10, 0)  # a Monday


def test_all_day_every_day():
    s = Schedule(60)
    assert s.in_window(MON) and s.in_window(MON.replace(hour=0)) and s.in_window(MON.replace(hour=23, minute=59))
    assert s.is_due(MON, None)
    assert not s.is_due(MON, MON - dt.timedelta(minutes=20))
    assert s.is_due(MON, MON - dt.timedelta(minutes=60))


def test_office_hours_on_weekdays():
    s = Schedule(30, 8, 18, {0, 1, 2, 3, 4})
    assert s.in_window(MON)
    assert not s.in_window(MON.replace(hour=7, minute=59))
    assert not s.in_window(MON.replace(hour=18))
    sat = MON + dt.timedelta(days=5)
    assert not s.in_window(sat)
    # friday 17:50 -> next run is monday 08:00 when the interval pushes past the window
    fri = MON + dt.timedelta(days=4, hours=7, minutes=50)
    assert s.next_run(fri, last_run=fri - dt.timedelta(minutes=10)) == (MON + dt.timedelta(days=7)).replace(hour=8)


def test_overnight_window_belongs_to_opening_day():
    s = Schedule(60, 22, 6, {4})  # friday night only
    fri = MON + dt.timedelta(days=4)
    assert s.in_window(fri.replace(hour=23))
    assert s.in_window((fri + dt.timedelta(days=1)).replace(hour=5))  # saturday 05:00, still friday's night
    assert not s.in_window((fri + dt.timedelta(days=1)).replace(hour=23))
    assert not s.in_window(fri.replace(hour=12))
    assert s.next_run(MON) == fri.replace(hour=22)


def test_half_hours_and_description():
    s = Schedule(15, 8.5, 17.25, {0})
    assert not s.in_window(MON.replace(hour=8, minute=29))
    assert s.in_window(MON.replace(hour=8, minute=30))
    assert s.describe() == "every 15 min, 08:30-17:15, Monday"


@pytest.mark.parametrize("kw", [dict(interval_minutes=0), dict(hour_from=25), dict(weekdays=set()),
                                dict(hour_from=8, hour_to=8), dict(weekdays={7})])
def test_invalid(kw):
    with pytest.raises(ValueError):
        Schedule(**kw)
