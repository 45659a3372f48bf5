"""Reads of the reception program; staff reads always narrow to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from .models import Activity, ActivityStatus, ReceptionSite, SiteCheck, SurveyAnswer
from .permissions import is_national_unit, managed_administrations
from .rules import QUESTION_FIELDS, is_late, label_missing_items, overall_completion, survey_summary

# --- Sites -----------------------------------------------------------------------------------------


def _sites():
    return ReceptionSite.objects.select_related(
        "facility", "facility__commune", "facility__commune__province", "administration"
    )


def sites_for(user) -> QuerySet[ReceptionSite]:
    """The sites `user` manages (national unit: every site)."""
    if is_national_unit(user):
        return _sites()
    return _sites().filter(administration__in=managed_administrations(user))


def site_for(user, pk) -> ReceptionSite:
    """One managed site, or 404 (the same answer for another administration's site as for none)."""
    try:
        return sites_for(user).get(pk=int(pk))
    except (ReceptionSite.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def public_site(code: str) -> ReceptionSite:
    site = _sites().filter(code=code, is_active=True).first()
    if site is None:
        raise Http404
    return site


def model_sites() -> QuerySet[ReceptionSite]:
    return _sites().filter(is_model_site=True, is_active=True).order_by("-labelled_on", "code")


def site_checks(site: ReceptionSite) -> list[SiteCheck]:
    return list(site.checks.all())


def site_missing_items(site: ReceptionSite) -> list[str]:
    return label_missing_items({c.item: c.state for c in site.checks.all()})


def site_history(site: ReceptionSite, limit: int = 50) -> list:
    """The saved versions of the site and of its checklist rows, newest first."""
    site_rows = list(site.history.select_related("history_user").order_by("-history_date")[:limit])
    check_rows = list(
        SiteCheck.history.filter(site_id=site.pk).select_related("history_user").order_by("-history_date")[:limit]
    )
    rows = sorted(site_rows + check_rows, key=lambda r: r.history_date, reverse=True)
    return rows[:limit]


# --- Survey results ----------------------------------------------------------------------------------


def survey_minimum() -> int:
    return settings.RECEPTION_SURVEY_MIN_ANSWERS


def month_bounds(month: str | None) -> tuple[dt.date | None, dt.date | None]:
    """`"2026-11"` → (first day, first day of the next month); anything else → no bounds."""
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except (TypeError, ValueError):
        return None, None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following


def survey_results(sites: QuerySet[ReceptionSite], *, month: str | None = None) -> dict:
    """The summary of the answers of `sites` (one site, or an administration's), optionally for
    one month; figures withheld under the minimum number of answers."""
    answers = SurveyAnswer.objects.filter(site__in=sites)
    start, end = month_bounds(month)
    if start:
        answers = answers.filter(answered_on__gte=start, answered_on__lt=end)
    rows = []
    for name in QUESTION_FIELDS:
        for row in answers.values(name).annotate(n=Count("id")).order_by():
            rows.append({"question": name, "score": row[name], "n": row["n"]})
    summary = survey_summary(rows, minimum=survey_minimum())
    summary["comments"] = (
        list(answers.exclude(comment="").order_by("-answered_on", "-id").values_list("answered_on", "comment")[:20])
        if summary["shown"]
        else []
    )
    return summary


def survey_results_by(sites: QuerySet[ReceptionSite], key: str, *, month: str | None = None) -> dict:
    """`survey_results()` (without comments) of each group of `sites`, grouped by `key`
    ("site__administration_id", "site_id" or "month"): five grouped queries whatever the number
    of groups."""
    answers = SurveyAnswer.objects.filter(site__in=sites)
    start, end = month_bounds(month)
    if start:
        answers = answers.filter(answered_on__gte=start, answered_on__lt=end)
    if key == "month":
        answers = answers.annotate(month=TruncMonth("answered_on"))
    rows: dict = {}
    for name in QUESTION_FIELDS:
        for row in answers.values(key, name).annotate(n=Count("id")).order_by():
            rows.setdefault(row[key], []).append({"question": name, "score": row[name], "n": row["n"]})
    minimum = survey_minimum()
    return {group: survey_summary(group_rows, minimum=minimum) for group, group_rows in rows.items()}


def survey_months(sites: QuerySet[ReceptionSite]) -> list[tuple[str, int]]:
    """("YYYY-MM", answers) of the months with answers, newest first (for the month filter)."""
    counts: dict[str, int] = {}
    for day, n in (
        SurveyAnswer.objects.filter(site__in=sites).values_list("answered_on").annotate(n=Count("id")).order_by()
    ):
        key = day.strftime("%Y-%m")
        counts[key] = counts.get(key, 0) + n
    return sorted(counts.items(), reverse=True)


# --- Activities and progress -------------------------------------------------------------------------


def activities_for(user) -> QuerySet[Activity]:
    qs = Activity.objects.select_related("administration", "site", "site__facility")
    if is_national_unit(user):
        return qs
    return qs.filter(administration__in=managed_administrations(user))


def activity_for(user, pk) -> Activity:
    try:
        return activities_for(user).get(pk=int(pk))
    except (Activity.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def progress(activities, *, today: dt.date | None = None) -> dict:
    """Totals of a set of activities: count per status, late ones, overall completion (seed 003:
    the mean completion of the activities that are not cancelled)."""
    today = today or timezone.localdate()
    rows = list(activities)
    by_status = dict.fromkeys(ActivityStatus.values, 0)
    late = 0
    for activity in rows:
        by_status[activity.status] += 1
        activity.late = is_late(status=activity.status, planned_end=activity.planned_end, today=today)
        late += activity.late
    counted = [a.completion for a in rows if a.status != ActivityStatus.CANCELLED]
    return {
        "activities": rows,
        "count": len(rows),
        "by_status": by_status,
        "late": late,
        "completion": overall_completion(counted),
    }


def progress_by_administration(activities, *, today: dt.date | None = None) -> list[dict]:
    """`progress()` of each owner administration, in the order of their names."""
    groups: dict[int, list] = {}
    owners = {}
    for activity in activities:
        groups.setdefault(activity.administration_id, []).append(activity)
        owners[activity.administration_id] = activity.administration
    rows = [{"administration": owners[k], **progress(v, today=today)} for k, v in groups.items()]
    return sorted(rows, key=lambda r: r["administration"].name())


def public_progress(*, today: dt.date | None = None) -> dict:
    return progress(Activity.objects.select_related("administration").all(), today=today)
