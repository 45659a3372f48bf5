"""Reads of the complaints portal (ARCHITECTURE.md §3.2): the subject taxonomy offered by an
administration, the FAQ and the public statistics (DOMAIN.md R2 "Public statistics")."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tawasul.accounts.permissions import staff_scope_filter
from tawasul.accounts.roles import Role
from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.selectors import cases_for_staff

from .counters import ANSWER_OUTCOMES as COUNTED_OUTCOMES
from .counters import ensure_fresh
from .models import FaqEntry, Problem, StatisticsCounter, Subject
from .workflow import PORTAL

__all__ = [
    "faq_entries",
    "main_subjects_for",
    "open_problems_for_case",
    "problem_cases",
    "problems_for_staff",
    "public_statistics",
    "public_statistics_direct",
    "sub_subjects_for",
]


def main_subjects_for(administration) -> QuerySet[Subject]:
    """The main subjects offered for `administration`: the national ones plus its own."""
    return Subject.objects.filter(
        Q(administration__isnull=True) | Q(administration=administration), parent__isnull=True, is_active=True
    ).order_by("administration_id", "position", "pk")


def sub_subjects_for(administration) -> QuerySet[Subject]:
    """The active sub-subjects of the main subjects offered for `administration`."""
    return (
        Subject.objects.filter(parent__in=main_subjects_for(administration), is_active=True)
        .select_related("parent")
        .order_by("parent__position", "parent_id", "position", "pk")
    )


def faq_entries() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.all()


# --- Public statistics -------------------------------------------------------------------------

#: A case counts as processed once answered or closed (closed, inadmissible, duplicate, withdrawn).
_PROCESSED = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
#: Satisfied: a rating of 4 or 5 out of 5 (DOMAIN.md R2 "Satisfaction").
SATISFIED_MIN_RATING = 4
POSITIVE_OUTCOME = "positive"
#: The outcomes an answer records (complaints.models.Outcome), counted in the same aggregate.
ANSWER_OUTCOMES = ("positive", "negative", "partial", "informative")


def _aggregates() -> dict:
    """One set of database aggregates, used overall and per group, month and administration."""
    return {
        "received": Count("pk"),
        "processed": Count("pk", filter=_PROCESSED),
        "rated": Count("pk", filter=Q(complaint__satisfaction__isnull=False)),
        "satisfied": Count("pk", filter=Q(complaint__satisfaction__gte=SATISFIED_MIN_RATING)),
        "mean_rating": Avg("complaint__satisfaction"),
        "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
        "avg_processing": Avg(
            ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField()),
            filter=Q(answered_at__isnull=False),
        ),
    }


def _answer_aggregates() -> dict:
    """Answered cases, and those whose answer event recorded a positive outcome (issue 4: the back
    office stores `{"outcome": "positive|negative|partial|informative"}` in the answer payload)."""
    return {
        "answered": Count("case", distinct=True),
        **{outcome: Count("case", distinct=True, filter=Q(payload__outcome=outcome)) for outcome in ANSWER_OUTCOMES},
    }


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _row(values: dict, answers: dict | None) -> dict:
    answers = answers or {}
    duration = values.get("avg_processing")
    mean = values.get("mean_rating")
    return {
        "received": values["received"],
        "processed": values["processed"],
        "processed_pct": _percent(values["processed"], values["received"]),
        "answered": answers.get("answered", 0),
        "positive": answers.get("positive", 0),
        "positive_pct": _percent(answers.get("positive", 0), answers.get("answered", 0)),
        "by_outcome": {outcome: answers.get(outcome, 0) for outcome in ANSWER_OUTCOMES},
        "rated": values["rated"],
        "satisfaction_pct": _percent(values["satisfied"], values["rated"]),
        "mean_rating": round(float(mean), 2) if mean is not None else None,
        "reopened": values["reopened"],
        "avg_processing_days": round(duration.total_seconds() / 86400, 1) if duration is not None else None,
    }


def _grouped(cases: QuerySet, answers: QuerySet, key: str, answer_key: str) -> list[tuple[object, dict]]:
    rows = cases.values(key).annotate(**_aggregates()).order_by(key)
    by_key = {
        a[answer_key]: a for a in answers.values(answer_key).annotate(**_answer_aggregates()).order_by(answer_key)
    }
    return [(row[key], _row(row, by_key.get(row[key]))) for row in rows]


def _month_start(day: date, months_back: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return date(month_index // 12, month_index % 12 + 1, 1)


def public_statistics(*, group: str | None = None, year: int | None = None, month: int | None = None) -> dict:
    """The public statistics of the complaints portal (DOMAIN.md R2), read from the counters
    (`tawasul.complaints.counters`, issue 7: no scan of the complaints per request), equal to
    `public_statistics_direct`:

    - `overall`: received, processed (answered or closed) and its %, answered, % answered
      positively (of the answered), satisfaction (% of ratings >= 4, and the mean), reopened,
      average processing days (answered_at - received_at);
    - `by_group`: the same per group of administrations (`Administration.group`);
    - `by_month`: the same per month of receipt over the last 12 months (ignores `year`/`month`);
    - `ranked`: per administration, only those with at least `COMPLAINTS_RANKING_MIN_VOLUME`
      complaints (100, as Alaveteli does), best processed % first.
    """
    ensure_fresh()
    counters = StatisticsCounter.objects.all()
    if group:
        counters = counters.filter(administration__group=group)
    selected = counters
    if year:
        selected = selected.filter(month__year=year)
        if month:
            selected = selected.filter(month__month=month)
    zone = timezone.get_current_timezone()
    since = _month_start(timezone.localdate(), 11)
    minimum = settings.COMPLAINTS_RANKING_MIN_VOLUME
    # Two queries: the sums per administration (at most one row each: overall, groups and the
    # ranking are added up from them) and per month.
    per_administration = _summed(
        selected,
        "administration_id",
        "administration__group",
        "administration__name_ar",
        "administration__name_fr",
        "administration__name_en",
    )
    by_group: dict = {}
    overall = _totals({})
    for row in per_administration:
        _add(overall, row)
        _add(by_group.setdefault(row["administration__group"], _totals({})), row)
    ranked = sorted(
        (
            {
                "administration_id": row["administration_id"],
                "names": {language: row[f"administration__name_{language}"] for language in ("ar", "fr", "en")},
                **_row_from_sums(row),
            }
            for row in per_administration
            if row["received"] >= minimum
        ),
        key=lambda r: (-r["processed_pct"], -r["received"], r["administration_id"]),
    )
    return {
        "overall": _row_from_sums(overall),
        "by_group": [(key, _row_from_sums(sums)) for key, sums in sorted(by_group.items())],
        "by_month": [
            (datetime.combine(row["month"], time(), tzinfo=zone), _row_from_sums(row))
            for row in sorted(_summed(counters.filter(month__gte=since), "month"), key=lambda row: row["month"])
        ],
        "ranked": ranked,
        "ranking_min_volume": minimum,
    }


def _sums() -> dict:
    return {f"sum_{name}": Sum(name) for name in COUNTER_FIELDS}


def _totals(row: dict) -> dict:
    return {**row, **{name: row.get(f"sum_{name}") or 0 for name in COUNTER_FIELDS}}


def _add(total: dict, row: dict) -> None:
    for name in COUNTER_FIELDS:
        total[name] += row[name]


def _summed(counters: QuerySet, *keys: str) -> list[dict]:
    """The counters added up per `keys`, in the database (it reads a few thousand rows at most)."""
    return [_totals(row) for row in counters.values(*keys).annotate(**_sums()).order_by()]


COUNTER_FIELDS = (
    "received",
    "processed",
    "rated",
    "satisfied",
    "rating_sum",
    "reopened",
    "timed",
    "processing_us",
    "answered",
    *COUNTED_OUTCOMES,
)


def _row_from_sums(sums: dict) -> dict:
    """The published figures of summed counters (the same as `_row` of the direct aggregates)."""
    rated, timed = sums["rated"], sums["timed"]
    return {
        "received": sums["received"],
        "processed": sums["processed"],
        "processed_pct": _percent(sums["processed"], sums["received"]),
        "answered": sums["answered"],
        "positive": sums["positive"],
        "positive_pct": _percent(sums["positive"], sums["answered"]),
        "by_outcome": {outcome: sums[outcome] for outcome in COUNTED_OUTCOMES},
        "rated": rated,
        "satisfaction_pct": _percent(sums["satisfied"], rated),
        "mean_rating": round(sums["rating_sum"] / rated, 2) if rated else None,
        "reopened": sums["reopened"],
        "avg_processing_days": round(sums["processing_us"] / timed / 86_400_000_000, 1) if timed else None,
    }


def public_statistics_direct(*, group: str | None = None, year: int | None = None, month: int | None = None) -> dict:
    """The public statistics computed directly from every complaint (a full scan: the reference
    the counters are tested against, and the fallback of `public_statistics`). The figures:

    - `overall`: received, processed (answered or closed) and its %, answered, % answered
      positively (of the answered), satisfaction (% of ratings >= 4, and the mean), reopened,
      average processing days (answered_at - received_at);
    - `by_group`: the same per group of administrations (`Administration.group`);
    - `by_month`: the same per month of receipt over the last 12 months (ignores `year`/`month`);
    - `ranked`: per administration, only those with at least `COMPLAINTS_RANKING_MIN_VOLUME`
      complaints (100, as Alaveteli does), best processed % first.
    """
    base = Case.objects.filter(portal=PORTAL)
    if group:
        base = base.filter(administration__group=group)
    cases = base
    if year:
        cases = cases.filter(received_at__year=year)
        if month:
            cases = cases.filter(received_at__month=month)
    answers = CaseEvent.objects.filter(action="answer", case__in=cases.values("pk"))

    overall_values = cases.aggregate(**_aggregates())
    overall_answers = answers.aggregate(**_answer_aggregates())
    overall = _row(overall_values, overall_answers)

    by_group = _grouped(cases, answers, "administration__group", "case__administration__group")

    today = timezone.localdate()
    since = _month_start(today, 11)
    recent = base.filter(received_at__date__gte=since)
    recent_answers = CaseEvent.objects.filter(action="answer", case__in=recent.values("pk"))
    by_month = _grouped(
        recent.annotate(month=TruncMonth("received_at")),
        recent_answers.annotate(month=TruncMonth("case__received_at")),
        "month",
        "month",
    )

    minimum = settings.COMPLAINTS_RANKING_MIN_VOLUME
    ranked_rows = (
        cases.values("administration", "administration__name_ar", "administration__name_fr", "administration__name_en")
        .annotate(**_aggregates())
        .filter(received__gte=minimum)
    )
    ranked_answers = {
        a["case__administration"]: a
        for a in answers.values("case__administration").annotate(**_answer_aggregates()).order_by()
    }
    ranked = sorted(
        (
            {
                "administration_id": row["administration"],
                "names": {
                    "ar": row["administration__name_ar"],
                    "fr": row["administration__name_fr"],
                    "en": row["administration__name_en"],
                },
                **_row(row, ranked_answers.get(row["administration"])),
            }
            for row in ranked_rows
        ),
        key=lambda r: (-r["processed_pct"], -r["received"], r["administration_id"]),
    )
    return {
        "overall": overall,
        "by_group": by_group,
        "by_month": by_month,
        "ranked": ranked,
        "ranking_min_volume": minimum,
    }


# --- Problems (staff side) ---------------------------------------------------------------------

#: The complaint staff of the escalation chain (SPEC.md §1): level 1 and the supervisors.
PROBLEM_STAFF_ROLES = (Role.OFFICER, Role.DEPUTY, Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT)


def problems_for_staff(user) -> QuerySet[Problem]:
    """The problems of the administrations where `user` is complaint staff, and of those below
    a supervisor's (head of unit, higher management); none for anyone else."""
    return Problem.objects.filter(staff_scope_filter(user, roles=PROBLEM_STAFF_ROLES)).select_related("administration")


def problem_cases(problem: Problem, user) -> QuerySet[Case]:
    """The complaints linked to `problem` that `user` may see."""
    return (
        cases_for_staff(user)
        .filter(portal=PORTAL, complaint__problem_link__problem=problem)
        .order_by("received_at", "pk")
    )


def open_problems_for_case(case: Case, user) -> QuerySet[Problem]:
    """Open problems a complaint could be linked to by `user`: of its administration, or any the
    user can see when they supervise it (the service decides in the end)."""
    return problems_for_staff(user).filter(status=Problem.Status.OPEN).order_by("-created_at", "-pk")
