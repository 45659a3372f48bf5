"""Opening hours: the compact form, validation, and "open now" in Africa/Casablanca."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tawasul.facilities.hours import is_open_at, parse_hours, validate_hours, weekly_rows

UTC = ZoneInfo("UTC")
CASA = ZoneInfo("Africa/Casablanca")


def test_compact_form_expands_day_spans():
    hours = parse_hours("mon-fri 08:30-16:30; sat 9:00-12:00, 14:00-16:00")
    assert hours["wed"] == [["08:30", "16:30"]]
    assert hours["sat"] == [["09:00", "12:00"], ["14:00", "16:00"]]
    assert "sun" not in hours


@pytest.mark.parametrize(
    "text", ["mon-fri 25:00-26:00", "lun 08:00-12:00", "fri-mon 08:00-12:00", "mon 12:00-08:00", "mon 08:00"]
)
def test_wrong_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)


def test_overlapping_ranges_are_refused():
    with pytest.raises(ValueError):
        validate_hours({"mon": [["08:00", "12:00"], ["11:00", "13:00"]]})


def test_open_now_on_a_2026_weekday_is_read_in_casablanca_time():
    hours = parse_hours("mon-fri 08:30-16:30")
    # Tuesday 3 March 2026: Morocco is on UTC+1 outside Ramadan... but Ramadan 1447 runs
    # from about 18 February to 19 March 2026, when Morocco switches to UTC+0.
    during_ramadan = dt.datetime(2026, 3, 3, 8, 15, tzinfo=UTC)  # 08:15 in Casablanca (UTC+0)
    assert during_ramadan.astimezone(CASA).utcoffset() == dt.timedelta(0)
    assert not is_open_at(hours, during_ramadan)
    # Wednesday 6 May 2026 at 07:45 UTC is 08:45 in Casablanca (UTC+1): open.
    assert is_open_at(hours, dt.datetime(2026, 5, 6, 7, 45, tzinfo=UTC))
    # 16:30 local is closing time: closed.
    assert not is_open_at(hours, dt.datetime(2026, 5, 6, 16, 30, tzinfo=CASA))


def test_closed_on_saturday_and_sunday():
    hours = parse_hours("mon-fri 08:30-16:30")
    assert not is_open_at(hours, dt.datetime(2026, 5, 9, 10, 0, tzinfo=CASA))  # Saturday
    rows = weekly_rows(hours)
    assert [r["closed"] for r in rows] == [False] * 5 + [True] * 2
