"""The working-day calendar of Moroccan public administrations (DOMAIN.md §8 and R8).

- Working days are Monday to Friday (decree 2-05-916 of 20 July 2005, art. 1), in
  Africa/Casablanca time (GMT+1 with a return to GMT during Ramadan, decree 2.18.855).
- Minus the public holidays of the `holidays` package (country MA, fixed and Islamic), with no
  substitute day when a holiday falls on a weekend (Code du travail, arts. 217-230).
- Corrected by the staff-edited `HolidayOverride` table: the package estimates the Islamic
  holidays, Morocco fixes them by moon sighting (2025's were each one day after the package).
- Minus, where the caller passes them, extra closure days of one administration (`closures=`).

Counting convention (DOMAIN.md, "Rules to implement"): day 0 is the day of receipt, counting
starts the next day, and a deadline is the end of its last day (23:59:59 local).

These functions run on hot paths (every submission, every sweep row): each year's closed days
are computed once per process and kept until the overrides change. A change bumps a version
kept in the shared Django cache; every process re-reads that version at most every
`CALENDAR_OVERRIDES_CHECK_SECONDS` seconds, so all processes follow within that delay.
"""

from __future__ import annotations

import logging
import threading
import time as monotonic_time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from .models import HolidayOverride

__all__ = [
    "CALENDAR_TZ",
    "add_days",
    "add_working_days",
    "end_of_day",
    "holiday_name",
    "holidays_between",
    "invalidate_local_cache",
    "is_provisional",
    "is_working_day",
    "local_date",
    "working_days_between",
]

logger = logging.getLogger(__name__)

#: Legal time of Morocco (DOMAIN.md §8.1): never a fixed UTC+1 offset.
CALENDAR_TZ = ZoneInfo("Africa/Casablanca")

#: Shared-cache key of the overrides version (bumped by the override services).
OVERRIDES_VERSION_KEY = "tawasul:core:holiday-overrides-version"

#: Saturday and Sunday (decree 2-05-916: administrations work Monday to Friday).
_FIRST_WEEKEND_DAY = 5

#: The package's languages (DOMAIN.md §8.2: ar, fr, en_US; no Amazigh).
_PACKAGE_LANGUAGE = {"ar": "ar", "fr": "fr", "en": "en_US"}

# The package's English names, listed so that `makemessages` offers them for translation into
# Amazigh (the package has no zgh names; untranslated ones fall back to Arabic).
_PACKAGE_NAMES_FOR_TRANSLATORS = (
    gettext_noop("New Year's Day"),
    gettext_noop("Proclamation of Independence Day"),
    gettext_noop("Amazigh New Year"),
    gettext_noop("Eid al-Fitr"),
    gettext_noop("Labor Day"),
    gettext_noop("Eid al-Adha"),
    gettext_noop("Islamic New Year"),
    gettext_noop("Throne Day"),
    gettext_noop("Oued Ed-Dahab Day"),
    gettext_noop("Revolution Day"),
    gettext_noop("Youth Day"),
    gettext_noop("Prophet's Birthday"),
    gettext_noop("Unity Day"),
    gettext_noop("Green March"),
    gettext_noop("Independence Day"),
)


@dataclass(frozen=True, slots=True)
class _Override:
    kind: str
    names: dict[str, str]  # language -> name, only non-empty ones


@dataclass(frozen=True, slots=True)
class _Year:
    closed: frozenset[date]  # holidays of the year after overrides (weekdays and weekends)
    estimated: frozenset[date]  # the package's estimated Islamic dates that no override settles


class _State:
    """One generation of the memo: the overrides and the years computed from them.

    A change of version replaces the whole state, so a year computed from stale overrides by a
    thread that was already running lands in the discarded state, never in the new one.
    """

    __slots__ = ("overrides", "version", "years")

    def __init__(self, version: object) -> None:
        self.version = version
        self.overrides: dict[date, _Override] | None = None
        self.years: dict[int, _Year] = {}


class _Memo:
    """Per-process memo of the calendar, dropped when the shared overrides version changes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # A fresh object() is never equal to a cache value: the first use reads the cache.
        self.state = _State(object())
        self.checked_at = float("-inf")

    def drop(self, version: object) -> None:
        self.state = _State(version)


_memo = _Memo()


def _read_shared_version() -> object:
    try:
        return cache.get(OVERRIDES_VERSION_KEY)
    except Exception:
        logger.warning("calendar: cannot read the overrides version from the cache", exc_info=True)
        return _memo.state.version


def _refresh() -> None:
    """Drop the memo if another process changed the overrides (checked every few seconds)."""
    now = monotonic_time.monotonic()
    if now - _memo.checked_at < settings.CALENDAR_OVERRIDES_CHECK_SECONDS:
        return
    version = _read_shared_version()
    with _memo.lock:
        if version != _memo.state.version:
            _memo.drop(version)
        _memo.checked_at = now


def invalidate_local_cache() -> None:
    """Forget this process's memo now (the override services call it; tests too)."""
    with _memo.lock:
        _memo.drop(object())
        _memo.checked_at = float("-inf")


def _overrides(state: _State | None = None) -> dict[date, _Override]:
    state = state or _memo.state
    overrides = state.overrides
    if overrides is None:
        overrides = {}
        for row in HolidayOverride.objects.all():
            names = {"ar": row.name_ar, "fr": row.name_fr, "zgh": row.name_zgh, "en": row.name_en}
            overrides[row.date] = _Override(kind=row.kind, names={lang: name for lang, name in names.items() if name})
        state.overrides = overrides
    return overrides


def _package(year: int, language: str = "ar", *, show_estimated: bool = False) -> holidays.HolidayBase:
    # DOMAIN.md §8.3: the base calendar is country_holidays('MA', islamic_show_estimated=False).
    return holidays.country_holidays("MA", years=year, language=language, islamic_show_estimated=show_estimated)


def _year(year: int) -> _Year:
    state = _memo.state
    cached = state.years.get(year)
    if cached is not None:
        return cached
    overrides = _overrides(state)
    plain = _package(year)
    flagged = _package(year, show_estimated=True)  # names carry "(estimated)" where estimated
    closed = set(plain)
    estimated = {day for day in plain if flagged.get(day) != plain.get(day)}
    for day, override in overrides.items():
        if day.year != year:
            continue
        estimated.discard(day)  # any override on a date settles it
        if override.kind == HolidayOverride.Kind.ADD:
            closed.add(day)
        else:
            closed.discard(day)
    result = _Year(closed=frozenset(closed), estimated=frozenset(estimated))
    state.years[year] = result
    return result


def _closed(day: date) -> bool:
    return day in _year(day.year).closed


def is_working_day(day: date, *, closures: Collection[date] = ()) -> bool:
    """Monday-Friday, not a public holiday (after overrides), not one of `closures`."""
    _refresh()
    return day.weekday() < _FIRST_WEEKEND_DAY and day not in _year(day.year).closed and day not in closures


def add_days(start: date, n: int) -> date:
    """`n` calendar days after `start` (R8, "d" deadlines): day 0 is the day of receipt."""
    return start + timedelta(days=n)


def add_working_days(start: date, n: int, *, closures: Collection[date] = ()) -> date:
    """The `n`th working day after `start` (day 0, the day of receipt, is not counted).

    `n == 0` returns `start` itself, working day or not. A negative `n` counts backwards: the
    `|n|`th working day before `start`.
    """
    _refresh()
    if n == 0:
        return start
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    day = start
    year = day.year
    closed = _year(year).closed
    while remaining:
        day += step
        if day.year != year:
            year = day.year
            closed = _year(year).closed
        if day.weekday() < _FIRST_WEEKEND_DAY and day not in closed and day not in closures:
            remaining -= 1
    return day


def working_days_between(start: date, end: date, *, closures: Collection[date] = ()) -> int:
    """Working days after `start` up to and including `end`; negative when `end` < `start`.

    `working_days_between(start, add_working_days(start, n)) == n` for every n >= 0.
    """
    _refresh()
    if end < start:
        return -working_days_between(end, start, closures=closures)
    count = 0
    day = start
    year = day.year
    closed = _year(year).closed
    one = timedelta(days=1)
    while day < end:
        day += one
        if day.year != year:
            year = day.year
            closed = _year(year).closed
        if day.weekday() < _FIRST_WEEKEND_DAY and day not in closed and day not in closures:
            count += 1
    return count


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in Morocco (a deadline is the end of its last day)."""
    return datetime.combine(day, time.max, tzinfo=CALENDAR_TZ)


def local_date(dt: datetime) -> date:
    """The Moroccan calendar date of an aware datetime (e.g. the day a request was received)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("local_date() needs an aware datetime")
    return dt.astimezone(CALENDAR_TZ).date()


def _language(language: str) -> str:
    code = (language or "ar").replace("_", "-").split("-")[0].lower()
    return code if code in ("ar", "fr", "zgh", "en") else "ar"


def _package_name(day: date, language: str) -> str | None:
    if language == "zgh":
        english = _package(day.year, "en_US").get(day)
        if english is None:
            return None
        with translation.override("zgh"):
            translated = "; ".join(gettext(part) for part in english.split("; "))
        if translated != english:
            return translated
        language = "ar"  # no Amazigh name yet: Arabic, as Django falls back for zgh
    return _package(day.year, _PACKAGE_LANGUAGE[language]).get(day)


def holiday_name(day: date, language: str) -> str | None:
    """The holiday's name in `language` (ar, fr, zgh, en), or None when `day` is no holiday."""
    _refresh()
    if day not in _year(day.year).closed:
        return None
    language = _language(language)
    override = _overrides().get(day)
    if override is not None and override.names:
        names = override.names
        return names.get(language) or names.get("ar") or names.get("fr") or names.get("en")
    return _package_name(day, language)


def holidays_between(start: date, end: date, language: str) -> list[tuple[date, str]]:
    """The holidays from `start` to `end` inclusive (weekends included), with their names."""
    _refresh()
    found = []
    for year in range(start.year, end.year + 1):
        found.extend(day for day in _year(year).closed if start <= day <= end)
    return [(day, holiday_name(day, language) or "") for day in sorted(found)]


def is_provisional(start: date, end: date) -> bool:
    """True when the span rests on an estimated Islamic holiday no override has settled yet.

    The span is widened by `CALENDAR_PROVISIONAL_MARGIN_DAYS` on each side: the moon sighting
    may move an estimated holiday just outside the span into it (Morocco's dates are often one
    day after the Gulf estimates, DOMAIN.md §8.2).
    """
    _refresh()
    if end < start:
        start, end = end, start
    margin = timedelta(days=settings.CALENDAR_PROVISIONAL_MARGIN_DAYS)
    low, high = start - margin, end + margin
    return any(low <= day <= high for year in range(low.year, high.year + 1) for day in _year(year).estimated)
