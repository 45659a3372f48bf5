"""The working-day calendar against real Moroccan dates (DOMAIN.md §8, R8)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.core import calendar
from tawasul.core.calendar import (
    add_days,
    add_working_days,
    end_of_day,
    holiday_name,
    holidays_between,
    is_provisional,
    is_working_day,
    local_date,
    working_days_between,
)
from tawasul.core.models import HolidayOverride
from tawasul.core.services import holiday_override_delete, holiday_override_save
from tawasul.core.signals import holidays_changed

pytestmark = pytest.mark.django_db

OFFICIAL_2025_ISLAMIC = [
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2025, 6, 7),
    date(2025, 6, 8),
    date(2025, 6, 27),
    date(2025, 9, 5),
    date(2025, 9, 6),
]
PACKAGE_2025_ESTIMATES_NOT_OBSERVED = [date(2025, 3, 30), date(2025, 6, 6), date(2025, 6, 26), date(2025, 9, 4)]

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=80)
db_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- Weekends and fixed holidays ---------------------------------------------------------


def test_saturday_and_sunday_are_not_working_days():
    assert is_working_day(date(2026, 7, 27))  # Monday
    assert is_working_day(date(2026, 7, 31))  # Friday
    assert not is_working_day(date(2026, 8, 1))  # Saturday
    assert not is_working_day(date(2026, 8, 2))  # Sunday


def test_throne_day_2026_pushes_a_two_day_deadline_to_monday():
    # Complaint received Wed 29 July 2026; Thu 30 July is Throne Day; Fri 31 is day 1.
    assert not is_working_day(date(2026, 7, 30))
    assert add_working_days(date(2026, 7, 29), 2) == date(2026, 8, 3)
    assert working_days_between(date(2026, 7, 29), date(2026, 8, 3)) == 2


def test_green_march_friday_6_november_2026_is_closed():
    assert date(2026, 11, 6).weekday() == 4
    assert not is_working_day(date(2026, 11, 6))
    assert add_working_days(date(2026, 11, 5), 1) == date(2026, 11, 9)


def test_amazigh_new_year_and_unity_day_are_holidays():
    assert not is_working_day(date(2026, 1, 14))  # Wednesday, Amazigh New Year (since 2024)
    assert holiday_name(date(2026, 10, 31), "en") == "Unity Day"  # new from 2026 (a Saturday)
    assert holiday_name(date(2025, 10, 31), "en") is None


def test_no_substitute_day_when_a_holiday_falls_on_a_weekend():
    # Unity Day 2026 is a Saturday: Monday 2 November 2026 stays a working day.
    assert is_working_day(date(2026, 11, 2))
    assert add_working_days(date(2026, 10, 30), 1) == date(2026, 11, 2)


# --- Islamic holidays: estimates, overrides, provisional deadlines -------------------------


def test_official_2025_islamic_dates_are_seeded():
    for day in OFFICIAL_2025_ISLAMIC:
        assert day in dict(holidays_between(date(2025, 1, 1), date(2025, 12, 31), "fr")), day
    for day in PACKAGE_2025_ESTIMATES_NOT_OBSERVED:
        assert holiday_name(day, "ar") is None, day
    assert is_working_day(date(2025, 6, 26))  # the package's 1 Muharram, a Thursday
    assert not is_working_day(date(2025, 6, 27))  # the observed one, a Friday


def test_2025_holidays_are_exactly_the_official_list():
    observed = [day for day, _name in holidays_between(date(2025, 1, 1), date(2025, 12, 31), "en")]
    assert observed == [
        date(2025, 1, 1),
        date(2025, 1, 11),
        date(2025, 1, 14),
        date(2025, 3, 31),
        date(2025, 4, 1),
        date(2025, 5, 1),
        date(2025, 6, 7),
        date(2025, 6, 8),
        date(2025, 6, 27),
        date(2025, 7, 30),
        date(2025, 8, 14),
        date(2025, 8, 20),
        date(2025, 8, 21),
        date(2025, 9, 5),
        date(2025, 9, 6),
        date(2025, 11, 6),
        date(2025, 11, 18),
    ]


def test_domain_example_20th_working_day_after_20_march_2025(django_capture_on_commit_callbacks):
    # DOMAIN.md §8.2: with the official dates the 20th working day is 21 April 2025...
    assert add_working_days(date(2025, 3, 20), 20) == date(2025, 4, 21)
    assert not is_provisional(date(2025, 3, 20), date(2025, 4, 21))
    # ...and 18 April 2025 with the package's estimates (overrides removed).
    with django_capture_on_commit_callbacks(execute=True):
        for override in HolidayOverride.objects.filter(date__year=2025):
            holiday_override_delete(actor=None, override=override)
    assert add_working_days(date(2025, 3, 20), 20) == date(2025, 4, 18)
    assert is_provisional(date(2025, 3, 20), date(2025, 4, 18))


def test_2026_eids_are_closed_but_provisional():
    # The package's estimates for 2026: Eid al-Fitr Fri 20-Sat 21 March, Eid al-Adha Wed 27-Thu 28 May.
    assert not is_working_day(date(2026, 3, 20))
    assert not is_working_day(date(2026, 5, 27))
    assert not is_working_day(date(2026, 5, 28))
    assert add_working_days(date(2026, 5, 26), 1) == date(2026, 5, 29)
    assert is_provisional(date(2026, 5, 20), date(2026, 6, 5))
    assert is_provisional(date(2026, 3, 16), date(2026, 3, 20))
    # A span away from every Islamic holiday is certain.
    assert not is_provisional(date(2026, 10, 1), date(2026, 11, 20))


def test_an_estimate_just_outside_the_span_makes_it_provisional():
    # The moon sighting may move Eid al-Adha 2026 (estimated 27 May) one day earlier.
    assert is_provisional(date(2026, 5, 18), date(2026, 5, 26))
    assert not is_provisional(date(2026, 5, 18), date(2026, 5, 25))


def test_override_settles_a_provisional_date(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        holiday_override_save(actor=None, day=date(2026, 5, 27), kind="remove", source="test")
        holiday_override_save(actor=None, day=date(2026, 5, 28), kind="add", source="test", name_fr="Aïd")
        holiday_override_save(actor=None, day=date(2026, 5, 29), kind="add", source="test", name_fr="Aïd")
    assert is_working_day(date(2026, 5, 27))
    assert not is_working_day(date(2026, 5, 29))
    assert add_working_days(date(2026, 5, 26), 1) == date(2026, 5, 27)
    assert add_working_days(date(2026, 5, 26), 2) == date(2026, 6, 1)
    assert not is_provisional(date(2026, 5, 20), date(2026, 6, 5))
    assert holiday_name(date(2026, 5, 29), "fr") == "Aïd"
    assert holiday_name(date(2026, 5, 29), "ar") == "Aïd"  # falls back to the name it has


def test_saving_an_override_signals_the_changed_dates(django_capture_on_commit_callbacks):
    received = []

    def listener(sender, dates, **kwargs):
        received.append(dates)
        # Listeners already see the new calendar.
        received.append(is_working_day(date(2026, 6, 15)))

    holidays_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            override = holiday_override_save(
                actor=None, day=date(2026, 6, 15), kind="add", source="communiqué", name_ar="عطلة استثنائية"
            )
        with django_capture_on_commit_callbacks(execute=True):
            holiday_override_save(
                actor=None, day=date(2026, 6, 16), kind="add", source="moved", name_ar="x", override=override
            )
        with django_capture_on_commit_callbacks(execute=True):
            holiday_override_delete(actor=None, override=HolidayOverride.objects.get(date=date(2026, 6, 16)))
    finally:
        holidays_changed.disconnect(listener)
    assert received == [
        frozenset({date(2026, 6, 15)}),
        False,
        frozenset({date(2026, 6, 15), date(2026, 6, 16)}),
        True,
        frozenset({date(2026, 6, 16)}),
        True,
    ]


def test_an_override_rolled_back_changes_nothing():
    # Without commit the version is not bumped and no signal is sent; the memo is unchanged.
    holiday_override_save(actor=None, day=date(2026, 6, 15), kind="add", source="x", name_fr="x")
    assert cache.get(calendar.OVERRIDES_VERSION_KEY) is None


def test_another_process_change_is_seen_after_the_check_interval(settings):
    settings.CALENDAR_OVERRIDES_CHECK_SECONDS = 3600
    day = date(2026, 6, 15)
    assert is_working_day(day)
    # Another process saves an override and bumps the shared version.
    HolidayOverride.objects.create(date=day, kind="add", name_fr="Jour exceptionnel", source="x")
    cache.set(calendar.OVERRIDES_VERSION_KEY, "other-process", timeout=None)
    assert is_working_day(day)  # memo still fresh: not re-read yet
    settings.CALENDAR_OVERRIDES_CHECK_SECONDS = 0
    assert not is_working_day(day)


# --- Names ---------------------------------------------------------------------------------


def test_holiday_names_in_each_language():
    throne_day = date(2026, 7, 30)
    assert holiday_name(throne_day, "ar") == "عيد العرش"
    assert holiday_name(throne_day, "fr") == "Fête du Trône"
    assert holiday_name(throne_day, "en") == "Throne Day"
    assert holiday_name(throne_day, "fr-fr") == "Fête du Trône"
    # The package has no Amazigh names: our catalogue's, else Arabic (as Django falls back for zgh).
    with translation.override("zgh"):
        in_catalogue = gettext("Throne Day")
    assert holiday_name(throne_day, "zgh") == (in_catalogue if in_catalogue != "Throne Day" else "عيد العرش")
    assert holiday_name(date(2026, 7, 29), "fr") is None


def test_seeded_override_names():
    assert holiday_name(date(2025, 4, 1), "ar") == "عيد الفطر"
    assert holiday_name(date(2025, 4, 1), "en") == "Eid al-Fitr"
    assert holiday_name(date(2025, 4, 1), "zgh") == "عيد الفطر"


def test_holidays_between_lists_holidays_with_names():
    assert holidays_between(date(2026, 11, 1), date(2026, 11, 30), "fr") == [
        (date(2026, 11, 6), "La marche verte"),
        (date(2026, 11, 18), "Fête de l'indépendance"),
    ]
    assert holidays_between(date(2026, 12, 25), date(2027, 1, 12), "en") == [
        (date(2027, 1, 1), "New Year's Day"),
        (date(2027, 1, 11), "Proclamation of Independence Day"),
    ]


# --- Per-administration closures -------------------------------------------------------------


def test_an_administration_closure_day_is_skipped_for_that_administration_only():
    closures = {date(2026, 9, 14)}  # e.g. a regional office closed for a local event (Monday)
    assert not is_working_day(date(2026, 9, 14), closures=closures)
    assert is_working_day(date(2026, 9, 14))
    assert add_working_days(date(2026, 9, 11), 1, closures=closures) == date(2026, 9, 15)
    assert add_working_days(date(2026, 9, 11), 1) == date(2026, 9, 14)
    assert working_days_between(date(2026, 9, 11), date(2026, 9, 18), closures=closures) == 4


# --- Counting conventions -------------------------------------------------------------------


def test_day_of_receipt_is_day_zero():
    saturday = date(2026, 8, 1)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(saturday, 1) == date(2026, 8, 3)
    assert add_working_days(date(2026, 8, 3), 1) == date(2026, 8, 4)


def test_negative_counts_go_backwards():
    assert add_working_days(date(2026, 8, 3), -2) == date(2026, 7, 29)  # across Throne Day
    assert working_days_between(date(2026, 8, 3), date(2026, 7, 29)) == -2


def test_add_days_counts_calendar_days():
    assert add_days(date(2026, 7, 29), 2) == date(2026, 7, 31)
    assert add_days(date(2026, 12, 31), 1) == date(2027, 1, 1)


def test_counting_crosses_the_new_year():
    # Wed 30 Dec 2026: 31 Dec (1), [1 Jan holiday, 2-3 weekend], 4 Jan (2).
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)


# --- Time zone: deadlines end at 23:59:59 Morocco time, Ramadan included ----------------------


def test_end_of_day_is_the_last_instant_in_casablanca():
    deadline = end_of_day(date(2026, 8, 3))
    assert deadline.isoformat() == "2026-08-03T23:59:59.999999+01:00"
    assert deadline.astimezone(UTC) == datetime(2026, 8, 3, 22, 59, 59, 999999, tzinfo=UTC)


def test_end_of_day_during_ramadan_uses_gmt():
    # Morocco returns to GMT during Ramadan (decree 2.18.855); in 2026 from 15 Feb to 22 Mar.
    deadline = end_of_day(date(2026, 3, 2))
    assert deadline.utcoffset() == timedelta(0)
    assert deadline.astimezone(UTC) == datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=UTC)
    # The day clocks go back to GMT+1: the deadline is still the end of the local day.
    assert end_of_day(date(2026, 3, 22)).utcoffset() == timedelta(hours=1)


def test_local_date_is_the_moroccan_calendar_day():
    assert local_date(datetime(2026, 7, 29, 23, 30, tzinfo=UTC)) == date(2026, 7, 30)  # 00:30 GMT+1
    assert local_date(datetime(2026, 3, 2, 23, 30, tzinfo=UTC)) == date(2026, 3, 2)  # Ramadan: GMT
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 3, 2, 23, 30))


# --- Properties -----------------------------------------------------------------------------


@db_settings
@given(start=days, n=st.integers(min_value=1, max_value=80))
def test_add_working_days_lands_on_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))


@db_settings
@given(start=days, n=counts)
def test_add_working_days_is_monotonic_in_n(start, n):
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@db_settings
@given(start=days, n=counts)
def test_working_days_between_inverts_add_working_days(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@db_settings
@given(start=days, n=st.integers(min_value=1, max_value=80))
def test_backwards_then_forwards_returns_to_a_working_day(start, n):
    back = add_working_days(start, -n)
    assert is_working_day(back)
    assert working_days_between(back, start) == n or not is_working_day(start)


@db_settings
@given(start=days, end=days)
def test_working_days_between_is_antisymmetric(start, end):
    assert working_days_between(start, end) == -working_days_between(end, start)


@db_settings
@given(start=days, n=counts, closures=st.frozensets(days, max_size=10))
def test_closures_never_make_a_deadline_earlier(start, n, closures):
    with_closures = add_working_days(start, n, closures=closures)
    assert with_closures >= add_working_days(start, n)
    assert n == 0 or with_closures not in closures


@db_settings
@given(start=days)
def test_adding_zero_days_returns_the_day_of_receipt(start):
    assert add_working_days(start, 0) == start
    assert working_days_between(start, start) == 0
    assert add_days(start, 0) == start
