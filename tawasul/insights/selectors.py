"""Reads of insights (ARCHITECTURE.md §3.2): the dashboard's figures, within the reader's scope."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from tawasul.registry.models import Administration

from .charts import bar_chart
from .indicators import PROVIDERS, Figures, Period, indicators
from .models import OpenDataset, Report, VisitDay
from .visits import PORTAL_LABELS


def duration_display(hours: int | None) -> str:
    if hours is None:
        return "—"
    if hours < 72:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(days)s days") % {"days": hours // 24}


def percent_display(value: float | None) -> str:
    return "—" if value is None else f"{value} %"


def figures_row(label: str, fig: Figures) -> dict:
    """One row of a figures table, every value formatted."""
    return {
        "label": label,
        "received": fig.received,
        "processed": fig.processed,
        "processed_pct": percent_display(fig.processed_pct),
        "first_action": duration_display(fig.median_first_action_hours),
        "answer": duration_display(fig.median_answer_hours),
        "overdue": fig.overdue,
        "escalated": fig.escalated,
        "satisfaction": percent_display(fig.satisfaction_pct),
        "reopen": percent_display(fig.reopen_pct),
    }


def administrations_in_scope(scope: frozenset[int] | None):
    administrations = Administration.objects.order_by("name_ar")
    if scope is not None:
        administrations = administrations.filter(pk__in=scope)
    return administrations


def dashboard(*, scope: frozenset[int] | None, period: Period, portal: str | None, administration: int | None) -> dict:
    """The dashboard's sections: per portal, a summary row, a chart and table per month, and a
    chart and table per administration. `scope` narrows everything (None: national)."""
    wanted = scope if administration is None else frozenset({administration}) & (scope or {administration})
    table = indicators(period=period, portals=[portal] if portal else None, administrations=wanted)
    names = {a.pk: a.name() for a in Administration.objects.filter(pk__in=_adm_ids(table))}
    rtl = get_language_bidi()
    sections = []
    for code, total in table.by_portal.items():
        label = str(PROVIDERS[code].label)
        months = [(date_format(m, "YEAR_MONTH_FORMAT"), fig) for m, fig in sorted(table.by_month[code].items())]
        administrations = sorted(
            ((names.get(adm, str(adm)), fig) for adm, fig in table.by_administration[code].items()),
            key=lambda item: -item[1].received,
        )
        sections.append(
            {
                "code": code,
                "label": label,
                "totals": [figures_row(label, total)],
                "months": [figures_row(name, fig) for name, fig in months],
                "administrations": [figures_row(name, fig) for name, fig in administrations],
                "month_chart": bar_chart(
                    _("%(portal)s: requests received per month") % {"portal": label},
                    [(name, fig.received, str(fig.received)) for name, fig in months],
                    rtl=rtl,
                ),
                "administration_chart": bar_chart(
                    _("%(portal)s: processed %% per administration") % {"portal": label},
                    [(name, f.processed_pct, percent_display(f.processed_pct)) for name, f in administrations[:15]],
                    rtl=rtl,
                ),
            }
        )
    return {"sections": sections, "period": period}


def _adm_ids(table) -> set[int]:
    return {adm for per_portal in table.by_administration.values() for adm in per_portal}


def reports_list():
    return Report.objects.all()


def open_datasets():
    return OpenDataset.objects.all()


def visits_summary(*, start: date, end: date) -> list[dict]:
    """Per portal over [start, end]: views, daily, weekly and monthly averages, mobile share and
    the daily visitors (a visitor is counted once per day and portal; see visits.py)."""
    rows = {}
    days = (end - start).days + 1
    for visit in VisitDay.objects.filter(day__gte=start, day__lte=end).order_by("portal"):
        label = str(PORTAL_LABELS.get(visit.portal, visit.portal))
        row = rows.setdefault(visit.portal, {"portal": label, "views": 0, "mobile": 0, "visitors": 0})
        row["views"] += visit.views
        row["mobile"] += visit.mobile_views
        row["visitors"] += visit.visitors
    for row in rows.values():
        row["daily"] = round(row["views"] / days)
        row["weekly"] = round(row["views"] * 7 / days)
        row["monthly"] = round(row["views"] * 30 / days)
        row["daily_visitors"] = round(row["visitors"] / days)
        row["mobile_pct"] = round(100 * row["mobile"] / row["views"], 1) if row["views"] else None
    return sorted(rows.values(), key=lambda r: -r["views"])
