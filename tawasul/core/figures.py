"""The indicator providers' registry: what a portal reports to the dashboard, the reports and the
open data (SPEC.md §9; docs/adr/0030, amended by docs/adr/0038).

It lives here, in `core` (which imports no other app), so that every app registers its own provider
from its own `indicators.py` in its `AppConfig.ready` (as the portals register their workflows
with the case core) while `insights` only reads the registry: the portals never import insights,
and the contact center, on insights' own rung, imports neither way. No app is imported here.

- `Period`: whole months; `Figures`: the sums of one (administration, month); `median_bucket`.
- `Column`: one measure a provider shows (a count, a share, a median of a histogram) and its
  label; `CASE_COLUMNS` are the case portals' measures (seed 000).
- `Provider`: a portal's label, columns and `figures(period, administrations)` function.
- `register_provider()` / `PROVIDERS` (read-only, in `position` order).

Figures are keyed by (administration id, first day of the month); the administration may be None
for what belongs to no administration (a contact-center question about nothing in particular),
which only the national scope (administrations None) ever reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from .calendar import CALENDAR_TZ

Key = tuple[int | None, date]  # (administration id, first day of the month)


@dataclass(frozen=True)
class Period:
    """Whole months, `start` and `end` included (first days of months)."""

    start: date
    end: date

    def months(self) -> list[date]:
        out, month = [], self.start
        while month <= self.end:
            out.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return out

    @property
    def last_day(self) -> date:
        following = date(self.end.year + self.end.month // 12, self.end.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of `month`, Morocco time."""
    following = month_after(month)
    return (
        datetime(month.year, month.month, 1, tzinfo=CALENDAR_TZ),
        datetime(following.year, following.month, 1, tzinfo=CALENDAR_TZ),
    )


#: Durations below this many hours are kept to the hour, longer ones to the day.
HOURLY_UP_TO = 72


def duration_bucket(seconds: float) -> int:
    """The bucket of a duration, in hours: whole hours below 72 h, whole days (as hours) past."""
    hours = max(int(seconds // 3600), 0)
    return hours if hours < HOURLY_UP_TO else (hours // 24) * 24


def add_to_histogram(histogram: dict, seconds: float, count: int = 1) -> None:
    """Count a duration in a `{bucket as str: count}` histogram (as the counters store them)."""
    bucket = str(duration_bucket(seconds))
    histogram[bucket] = histogram.get(bucket, 0) + count


def median_bucket(histogram: dict) -> int | None:
    """The bucket (hours) of the ceil(n/2)-th smallest duration; None without any. Keys may be
    ints or their strings (as JSON stores them)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = (total + 1) // 2, 0
    for bucket, count in sorted((int(k), v) for k, v in histogram.items()):
        seen += count
        if seen >= rank:
            return bucket
    return None  # pragma: no cover


def _merge(into: dict, other: dict) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


def _percent(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)


@dataclass
class Figures:
    received: int = 0
    processed: int = 0
    overdue: int = 0
    escalated: int = 0
    reopened: int | None = None  # None: the portal has no reopening
    rated: int | None = None  # None: the portal has no satisfaction rating
    satisfied: int | None = None
    first_action: dict = field(default_factory=dict)  # {bucket: cases}, bucket as str (JSON)
    answer: dict = field(default_factory=dict)
    # A portal's own measures: a count (int) or a duration histogram (dict), by name.
    extra: dict = field(default_factory=dict)

    def add(self, other: Figures) -> Figures:
        self.received += other.received
        self.processed += other.processed
        self.overdue += other.overdue
        self.escalated += other.escalated
        for name in ("reopened", "rated", "satisfied"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, None if mine is None and theirs is None else (mine or 0) + (theirs or 0))
        _merge(self.first_action, other.first_action)
        _merge(self.answer, other.answer)
        for name, value in other.extra.items():
            if isinstance(value, dict):
                _merge(self.extra.setdefault(name, {}), value)
            else:
                self.extra[name] = self.extra.get(name, 0) + value
        return self

    def value(self, name: str):
        """A measure by name: a field, else an extra (0 when a count is missing)."""
        if name in _FIELDS:
            return getattr(self, name)
        return self.extra.get(name, 0)

    @property
    def processed_pct(self) -> float | None:
        return _percent(self.processed, self.received)

    @property
    def satisfaction_pct(self) -> float | None:
        return _percent(self.satisfied, self.rated)

    @property
    def reopen_pct(self) -> float | None:
        return _percent(self.reopened, self.received)

    @property
    def median_first_action_hours(self) -> int | None:
        return median_bucket(self.first_action)

    @property
    def median_answer_hours(self) -> int | None:
        return median_bucket(self.answer)

    def as_row(self) -> dict:
        return {
            "received": self.received,
            "processed": self.processed,
            "processed_pct": self.processed_pct,
            "median_first_action_hours": self.median_first_action_hours,
            "median_answer_hours": self.median_answer_hours,
            "overdue": self.overdue,
            "escalated": self.escalated,
            "satisfaction_pct": self.satisfaction_pct,
            "reopen_pct": self.reopen_pct,
        }


_FIELDS = frozenset(
    {"received", "processed", "overdue", "escalated", "reopened", "rated", "satisfied", "first_action", "answer"}
)

COUNT, SHARE, MEDIAN = "count", "share", "median"


@dataclass(frozen=True)
class Column:
    """One measure of a provider's tables: `count` (the measure `source`), `share` (`source` out
    of `of`, in percent) or `median` (of the histogram `source`, in hours)."""

    key: str
    label: str
    kind: str = COUNT
    source: str = ""
    of: str = ""

    def value(self, figures: Figures):
        source = self.source or self.key
        if self.kind == MEDIAN:
            return median_bucket(figures.value(source) or {})
        if self.kind == SHARE:
            return _percent(figures.value(source), figures.value(self.of))
        return figures.value(source)


#: The case portals' measures (seed 000; definitions in tawasul/insights/counters.py).
CASE_COLUMNS: tuple[Column, ...] = (
    Column("received", _("Received")),
    Column("processed_pct", _("Processed"), SHARE, "processed", "received"),
    Column("first_action", _("Median time to first action"), MEDIAN),
    Column("answer", _("Median time to answer"), MEDIAN),
    Column("overdue", _("Overdue")),
    Column("escalated", _("Escalated")),
    Column("satisfaction", _("Satisfaction"), SHARE, "satisfied", "rated"),
    Column("reopen", _("Reopen rate"), SHARE, "reopened", "received"),
)


FiguresFunction = Callable[[Period, Iterable[int] | None], dict[Key, Figures]]


@dataclass(frozen=True)
class Provider:
    """A portal's indicators. `figures(period, administrations)` returns the `Figures` of each
    (administration, month) of the period, for those administrations (ids; None: all); a case
    portal gives none and is read from insights' case counters. The first
    column is what the portal counts as received (charted per month); `chart` is the column
    charted per administration. `note` defines the measures under the tables."""

    portal: str
    label: str
    # None: a case portal read from insights' case counters (its `kinds`; all when None).
    figures: FiguresFunction | None = None
    kinds: tuple[str, ...] | None = None
    reopens: bool = True  # False: the portal has no reopening (its reopen rate shows "—")
    columns: tuple[Column, ...] = CASE_COLUMNS
    chart: str = "processed_pct"
    note: str = ""
    position: int = 100
    # Case portals read insights' case counters; these add counts per status at the time of the
    # count ({measure: statuses}) and histograms of the time from receipt to the first event of
    # given actions ({measure: actions}), kept in the counters' `extra`.
    status_counts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    milestones: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The open data of one month (first day): (administration id or None, subject code, received,
    # processed or None) rows, counts only; `open_data_processed` False: the portal has no
    # "processed". None: the portal publishes none (insights publishes complaints and information).
    open_data: Callable[[date], Iterable[tuple[int | None, str, int, int | None]]] | None = None
    open_data_processed: bool = True

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_REGISTRY: dict[str, Provider] = {}


def register_provider(provider: Provider) -> Provider:
    """Register (or replace, e.g. on autoreload) a portal's provider."""
    _REGISTRY[provider.portal] = provider
    return provider


def unregister_provider(portal: str) -> None:
    _REGISTRY.pop(portal, None)


class _Providers(Mapping):
    """The registered providers, read-only, in `position` order (then by portal code)."""

    def __getitem__(self, portal: str) -> Provider:
        return _REGISTRY[portal]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(_REGISTRY, key=lambda p: (_REGISTRY[p].position, p)))

    def __len__(self) -> int:
        return len(_REGISTRY)


PROVIDERS: Mapping[str, Provider] = _Providers()

__all__ = [
    "CASE_COLUMNS",
    "PROVIDERS",
    "Column",
    "Figures",
    "Key",
    "Period",
    "Provider",
    "add_to_histogram",
    "duration_bucket",
    "median_bucket",
    "month_after",
    "month_bounds",
    "register_provider",
    "unregister_provider",
]
