"""The indicators: the providers' figures per portal, administration and month (SPEC.md §9;
docs/adr/0030, 0038).

The registry itself (`Provider`, `Figures`, `Period`, `PROVIDERS`) is `tawasul.core.figures`, where
every app registers its own provider from its `AppConfig.ready`: documents, jobs and the contact
center do (their `indicators.py`); the complaints and information portals are registered here.
The complaints provider reads the complaints' own counters (`tawasul.complaints.counters`:
received, processed, satisfaction, reopened; ADR 0008, 0015) and adds from insights' counters only
what they do not keep (overdue, escalated, the durations). A case portal whose provider gives no
`figures` function is read from insights' case counters alone (`case_figures`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from tawasul.complaints.counters import ensure_fresh as complaints_ensure_fresh
from tawasul.complaints.models import StatisticsCounter
from tawasul.complaints.workflow import PORTAL as COMPLAINTS
from tawasul.core.figures import (
    CASE_COLUMNS,
    PROVIDERS,
    Column,
    Figures,
    Key,
    Period,
    Provider,
    median_bucket,
    register_provider,
)
from tawasul.information.models import REQUEST_KINDS
from tawasul.information.workflow import PORTAL as INFORMATION

from . import counters
from .models import IndicatorCounter


def _case_counters(portal: str, kinds, period: Period, administrations, *, refresh: bool = True) -> dict[Key, Figures]:
    if refresh:
        counters.ensure_fresh()
    rows = IndicatorCounter.objects.filter(portal=portal, month__gte=period.start, month__lte=period.end)
    if kinds is not None:
        rows = rows.filter(kind__in=kinds)
    if administrations is not None:
        rows = rows.filter(administration_id__in=list(administrations))
    out: dict[Key, Figures] = {}
    fields = ("administration_id", "month", "received", "processed", "overdue", "escalated", "reopened")
    for adm, month, received, processed, overdue, escalated, reopened, first, answer, extra in rows.values_list(
        *fields, "first_action", "answer", "extra"
    ).iterator(chunk_size=2000):
        figures = Figures(received, processed, overdue, escalated, reopened, None, None, first, answer, extra)
        key = (adm, month)
        if key in out:  # several kinds of one portal
            out[key].add(figures)
        else:
            out[key] = figures
    return out


def case_provider(portal: str, kinds: Iterable[str] | None = None, *, reopens: bool = True):
    """A provider's function reading insights' case counters alone (no satisfaction rating)."""
    kinds = tuple(kinds) if kinds is not None else None

    def figures(period: Period, administrations) -> dict[Key, Figures]:
        out = _case_counters(portal, kinds, period, administrations)
        if not reopens:
            for fig in out.values():
                fig.reopened = None
        return out

    return figures


def provider_figures(provider: Provider, period: Period, administrations) -> dict[Key, Figures]:
    """The figures of one provider: its own function, or insights' case counters (brought up to
    date by the caller, `_indicators`: once for every provider)."""
    if provider.figures is not None:
        return provider.figures(period, administrations)
    out = _case_counters(provider.portal, provider.kinds, period, administrations, refresh=False)
    if not provider.reopens:
        for fig in out.values():
            fig.reopened = None
    return out


def complaints_figures(period: Period, administrations) -> dict[Key, Figures]:
    """Received, processed, satisfaction and reopened from the complaints' counters (ADR 0008,
    0015); overdue, escalated and the durations from insights' counters (brought up to date by the
    caller, `_indicators`)."""
    out = _case_counters(COMPLAINTS, None, period, administrations, refresh=False)
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


#: The two portals that do not register themselves (they came first; docs/adr/0038).
register_provider(Provider(COMPLAINTS, _("Complaints and suggestions"), complaints_figures, position=10))
register_provider(
    Provider(
        INFORMATION,
        _("Access to information"),
        kinds=tuple(REQUEST_KINDS),
        reopens=False,
        position=20,
    )
)


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
    key = f"insights:indicators:v2:{digest}"  # v2: Figures gained `extra` (ADR 0038)
    table = cache.get(key)
    if table is None:
        table = _indicators(period, wanted, scope)
        cache.set(key, table, CACHE_SECONDS)
    return table


def _indicators(period: Period, wanted: list[str], administrations) -> IndicatorTable:
    by_portal, by_adm, by_month = {}, {}, {}
    counters.ensure_fresh()
    for portal in wanted:
        total, per_adm, per_month = Figures(), {}, {m: Figures() for m in period.months()}
        data = provider_figures(PROVIDERS[portal], period, administrations)
        for (adm, month), fig in data.items():
            per_adm.setdefault(adm, Figures()).add(fig)
            per_month.setdefault(month, Figures()).add(fig)
        for fig in per_month.values():
            total.add(fig)
        by_portal[portal], by_adm[portal], by_month[portal] = total, per_adm, per_month
    return IndicatorTable(period, by_portal, by_adm, by_month)


__all__ = [
    "CASE_COLUMNS",
    "PROVIDERS",
    "Column",
    "Figures",
    "IndicatorTable",
    "Period",
    "Provider",
    "case_provider",
    "indicators",
    "median_bucket",
    "provider_figures",
]
