"""The indicators registry: one `Provider` per portal (SPEC.md §9; docs/adr/0030).

A provider gives, for a period of whole months and an optional set of administrations, the
`Figures` of each (administration, month). The complaints provider reads the complaints' own
counters (`tawasul.complaints.counters`: received, processed, satisfaction, reopened; ADR 0008,
0015) and adds from insights' counters only what they do not keep (overdue, escalated, the
durations). Any other case portal is `case_provider(portal, label, kinds)`: adding the documents
or jobs portal is one entry of `PROVIDERS`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from tawasul.complaints.counters import ensure_fresh as complaints_ensure_fresh
from tawasul.complaints.models import StatisticsCounter
from tawasul.complaints.workflow import PORTAL as COMPLAINTS
from tawasul.information.models import REQUEST_KINDS
from tawasul.information.workflow import PORTAL as INFORMATION

from . import counters
from .models import IndicatorCounter

Key = tuple[int, date]  # (administration id, first day of the month)


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
        return self

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


def _case_counters(portal: str, kinds, period: Period, administrations) -> dict[Key, Figures]:
    counters.ensure_fresh()
    rows = IndicatorCounter.objects.filter(portal=portal, month__gte=period.start, month__lte=period.end)
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    if administrations is not None:
        rows = rows.filter(administration_id__in=list(administrations))
    out: dict[Key, Figures] = {}
    fields = ("administration_id", "month", "received", "processed", "overdue", "escalated", "reopened")
    for adm, month, received, processed, overdue, escalated, reopened, first, answer in rows.values_list(
        *fields, "first_action", "answer"
    ).iterator(chunk_size=2000):
        figures = Figures(received, processed, overdue, escalated, reopened, None, None, first, answer)
        key = (adm, month)
        if key in out:  # several kinds of one portal
            out[key].add(figures)
        else:
            out[key] = figures
    return out


def case_provider(portal: str, kinds: Iterable[str] | None = None, *, reopens: bool = True):
    """A provider reading insights' case counters alone (no satisfaction rating)."""
    kinds = tuple(kinds) if kinds is not None else None

    def figures(period: Period, administrations) -> dict[Key, Figures]:
        out = _case_counters(portal, kinds, period, administrations)
        if not reopens:
            for fig in out.values():
                fig.reopened = None
        return out

    return figures


def complaints_figures(period: Period, administrations) -> dict[Key, Figures]:
    """Received, processed, satisfaction and reopened from the complaints' counters (ADR 0008,
    0015); overdue, escalated and the durations from insights' counters."""
    out = _case_counters(COMPLAINTS, None, period, administrations)
    complaints_ensure_fresh()
    stats = StatisticsCounter.objects.filter(month__gte=period.start, month__lte=period.end)
    if administrations is not None:
        stats = stats.filter(administration_id__in=list(administrations))
    for row in stats.values_list(
        "administration_id", "month", "received", "processed", "rated", "satisfied", "reopened"
    ).iterator(chunk_size=2000):
        adm, month, received, processed, rated, satisfied, reopened = row
        fig = out.setdefault((adm, month), Figures())
        fig.received, fig.processed, fig.rated, fig.satisfied, fig.reopened = (
            received,
            processed,
            rated,
            satisfied,
            reopened,
        )
    for fig in out.values():
        if fig.rated is None:
            fig.rated = fig.satisfied = 0
    return out


@dataclass(frozen=True)
class Provider:
    portal: str
    label: str
    figures: Callable[[Period, Iterable[int] | None], dict[Key, Figures]]


#: Every portal with indicators. Adding one is one entry (documents, jobs and contact next).
PROVIDERS: dict[str, Provider] = {
    provider.portal: provider
    for provider in (
        Provider(COMPLAINTS, _("Complaints and suggestions"), complaints_figures),
        Provider(INFORMATION, _("Access to information"), case_provider(INFORMATION, REQUEST_KINDS, reopens=False)),
    )
}


@dataclass
class IndicatorTable:
    """The figures of one period: per portal, per (portal, administration), per (portal, month)."""

    period: Period
    by_portal: dict[str, Figures]
    by_administration: dict[str, dict[int, Figures]]
    by_month: dict[str, dict[date, Figures]]


#: Seconds a computed table is reused (the counters themselves lag up to a minute).
CACHE_SECONDS = 60


def indicators(*, period: Period, portals: Iterable[str] | None = None, administrations=None) -> IndicatorTable:
    """The indicators of `period`, for `portals` (default: all) and `administrations` (ids;
    None: every administration — the national unit only). Kept a minute in the cache."""
    wanted = [p for p in PROVIDERS if portals is None or p in set(portals)]
    scope = None if administrations is None else sorted(administrations)
    digest = hashlib.blake2b(repr((period, wanted, scope)).encode(), digest_size=16).hexdigest()
    key = f"insights:indicators:{digest}"
    table = cache.get(key)
    if table is None:
        table = _indicators(period, wanted, scope)
        cache.set(key, table, CACHE_SECONDS)
    return table


def _indicators(period: Period, wanted: list[str], administrations) -> IndicatorTable:
    by_portal, by_adm, by_month = {}, {}, {}
    for portal in wanted:
        total, per_adm, per_month = Figures(), {}, {m: Figures() for m in period.months()}
        data = PROVIDERS[portal].figures(period, administrations)
        for (adm, month), fig in data.items():
            per_adm.setdefault(adm, Figures()).add(fig)
            per_month.setdefault(month, Figures()).add(fig)
        for fig in per_month.values():
            total.add(fig)
        by_portal[portal], by_adm[portal], by_month[portal] = total, per_adm, per_month
    return IndicatorTable(period, by_portal, by_adm, by_month)


__all__ = ["PROVIDERS", "Figures", "IndicatorTable", "Period", "Provider", "case_provider", "indicators"]
