"""Reads of insights (ARCHITECTURE.md §3.2): the dashboard's figures, within the reader's scope."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from tawasul.core.figures import CASE_COLUMNS, MEDIAN, SHARE, Column
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


def cell_display(column: Column, fig: Figures):
    """One measure of `fig`, formatted for its column's kind."""
    value = column.value(fig)
    if column.kind == MEDIAN:
        return duration_display(value)
    if column.kind == SHARE:
        return percent_display(value)
    return "—" if value is None else value


def figures_row(label: str, fig: Figures, columns=CASE_COLUMNS) -> dict:
    """One row of a figures table, every value formatted: by column key, and as `cells` in the
    columns' order (what the tables loop over)."""
    cells = [cell_display(column, fig) for column in columns]
    return {"label": label, "cells": cells, **{column.key: cell for column, cell in zip(columns, cells, strict=True)}}


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
    names = administration_names(_adm_ids(table))
    rtl = get_language_bidi()
    sections = []
    for code, total in table.by_portal.items():
        provider = PROVIDERS[code]
        label, columns = str(provider.label), provider.columns
        months = [(date_format(m, "YEAR_MONTH_FORMAT"), fig) for m, fig in sorted(table.by_month[code].items())]
        first, ranked = columns[0], provider.column(provider.chart)
        administrations = sorted(
            ((names.get(adm, str(adm)), fig) for adm, fig in table.by_administration[code].items()),
            key=lambda item: (-item[1].received, item[0]),
        )
        sections.append(
            {
                "code": code,
                "label": label,
                "columns": [str(c.label) for c in columns],
                "note": str(provider.note),
                "totals": [figures_row(label, total, columns)],
                "months": [figures_row(name, fig, columns) for name, fig in months],
                "administrations": [figures_row(name, fig, columns) for name, fig in administrations],
                "month_chart": bar_chart(
                    _("%(portal)s: %(measure)s per month") % {"portal": label, "measure": first.label},
                    [(name, first.value(fig), str(cell_display(first, fig))) for name, fig in months],
                    rtl=rtl,
                ),
                "administration_chart": bar_chart(
                    _("%(portal)s: %(measure)s per administration") % {"portal": label, "measure": ranked.label},
                    [(name, ranked.value(f), str(cell_display(ranked, f))) for name, f in administrations[:15]],
                    rtl=rtl,
                ),
            }
        )
    return {"sections": sections, "period": period}


def administration_names(ids) -> dict:
    """Administration id -> its name in the active language (one query); None -> the label of
    what concerns no administration (contact-center questions)."""
    names = {a.pk: a.name() for a in Administration.objects.filter(pk__in=[i for i in ids if i is not None])}
    names[None] = _("No administration concerned")
    return names


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
