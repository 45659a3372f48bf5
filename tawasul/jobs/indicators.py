"""The public-jobs portal's indicators (SPEC.md §9: "jobs-portal ... applications, competitions
with online application"; docs/adr/0038), registered from `apps.py`.

Per administration of the notice and month (Morocco time): notices published and their posts (by
the month of publication), applications received through the portal (by the month of
submission, withdrawn ones included: they were received), and the median time from the
application deadline to the final results (the first final list of a notice: main list, or the
appointment of an Art. 92 senior post; by the month the results were published). Three grouped
queries, whatever the number of administrations; counts only, no candidate is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from tawasul.core.calendar import CALENDAR_TZ
from tawasul.core.figures import (
    MEDIAN,
    Column,
    Figures,
    Key,
    Period,
    Provider,
    add_to_histogram,
    month_bounds,
    register_provider,
)

from .models import Application, ListKind, Notice, PublishedList

PORTAL = "jobs"
#: The list that gives a notice's results (R4 "List publications"; Art. 92: the appointment).
RESULT_LISTS = (ListKind.FINAL_MAIN, ListKind.APPOINTED)


def _month(value) -> date:
    """TruncMonth's value (an aware datetime in Morocco time) as the first day of the month."""
    return value.astimezone(CALENDAR_TZ).date().replace(day=1)


def jobs_figures(period: Period, administrations: Iterable[int] | None) -> dict[Key, Figures]:
    start, end = month_bounds(period.start)[0], month_bounds(period.end)[1]
    scope = None if administrations is None else list(administrations)
    out: dict[Key, Figures] = {}

    def at(adm, month) -> Figures:
        return out.setdefault((adm, _month(month)), Figures(reopened=None))

    notices = Notice.objects.filter(
        status=Notice.Status.PUBLISHED, published_at__gte=start, published_at__lt=end
    ).order_by()
    applications = Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end).order_by()
    results = PublishedList.objects.filter(kind__in=RESULT_LISTS, published_at__lt=end).order_by()
    if scope is not None:
        notices = notices.filter(administration_id__in=scope)
        applications = applications.filter(notice__administration_id__in=scope)
        results = results.filter(notice__administration_id__in=scope)
    for row in (
        notices.annotate(month=TruncMonth("published_at", tzinfo=CALENDAR_TZ))
        .values("administration_id", "month")
        .annotate(n=Count("pk"), posts=Sum("posts_total"))
    ):
        fig = at(row["administration_id"], row["month"])
        fig.extra["notices"] = fig.extra.get("notices", 0) + row["n"]
        fig.extra["posts"] = fig.extra.get("posts", 0) + (row["posts"] or 0)
    for row in (
        applications.annotate(month=TruncMonth("submitted_at", tzinfo=CALENDAR_TZ))
        .values("notice__administration_id", "month")
        .annotate(n=Count("pk"))
    ):
        at(row["notice__administration_id"], row["month"]).received += row["n"]
    first_results = (
        results.values("notice_id", "notice__administration_id", "notice__deadline_at")
        .annotate(first=Min("published_at"))
        .filter(first__gte=start)
    )
    for row in first_results:
        fig = at(row["notice__administration_id"], row["first"])
        seconds = (row["first"] - row["notice__deadline_at"]).total_seconds()
        add_to_histogram(fig.extra.setdefault("results_time", {}), seconds)
    return out


def jobs_open_data(month: date):
    """Applications sent through the portal in `month`, per administration and notice kind."""
    start, end = month_bounds(month)
    rows = (
        Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .order_by()
        .values("notice__administration_id", "notice__kind")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        yield row["notice__administration_id"], row["notice__kind"], row["n"], None


PROVIDER = Provider(
    PORTAL,
    _("Public jobs"),
    jobs_figures,
    position=40,
    chart="notices",
    open_data=jobs_open_data,
    open_data_processed=False,
    columns=(
        Column("received", _("Applications received")),
        Column("notices", _("Notices published")),
        Column("posts", _("Posts offered")),
        Column("results_time", _("Median time from the deadline to the final results"), MEDIAN),
    ),
    note=_(
        "Public jobs: notices and posts by the month of publication, applications by the month "
        "they were sent through the portal, the time to the final results by the month they "
        "were published."
    ),
)


def register() -> None:
    register_provider(PROVIDER)
